// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// TECHMATCH_EXPORT marks the symbols of the public API (hidden by default).

#ifndef TECHMATCH_EXPORT_H_
#define TECHMATCH_EXPORT_H_

#if defined(TECHMATCH_SHARED_LIBRARY)
#if defined(TECHMATCH_COMPILE_LIBRARY)
#define TECHMATCH_EXPORT __attribute__((visibility("default")))
#else
#define TECHMATCH_EXPORT
#endif
#else
#define TECHMATCH_EXPORT
#endif

#endif  // TECHMATCH_EXPORT_H_

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// TECHMATCH_EXPORT marks the symbols of the public API (hidden by default).

#ifndef TECHMATCH_EXPORT_H_
#define TECHMATCH_EXPORT_H_

// TECHMATCH_EXPORT goes on functions (free, member or friend);
// TECHMATCH_EXPORT_CLASS on a class or struct, after the class-key, where
// it can sit beside standard attributes: `class TECHMATCH_EXPORT_CLASS
// [[nodiscard]] Status`. Both matter only in a shared-library build, where
// everything else is hidden.
#if defined(TECHMATCH_SHARED_LIBRARY) && defined(TECHMATCH_COMPILE_LIBRARY)
#define TECHMATCH_EXPORT __attribute__((visibility("default")))
#define TECHMATCH_EXPORT_CLASS [[gnu::visibility("default")]]
#else
#define TECHMATCH_EXPORT
#define TECHMATCH_EXPORT_CLASS
#endif

#endif  // TECHMATCH_EXPORT_H_

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// UTF-8 validation shared by every module that accepts text.

#ifndef TECHMATCH_UTF8_H_
#define TECHMATCH_UTF8_H_

#include <cstddef>
#include <string_view>

#include "techmatch/export.h"
#include "techmatch/status.h"

namespace techmatch {

/// Returns the byte offset of the first invalid UTF-8 sequence in `text`
/// (overlong forms, surrogates and code points above U+10FFFF are invalid),
/// or std::string_view::npos if `text` is valid.
TECHMATCH_EXPORT size_t FindInvalidUtf8(std::string_view text);

/// OK, or InvalidArgument "<what>: invalid UTF-8 at byte N".
TECHMATCH_EXPORT Status CheckUtf8(std::string_view text, std::string_view what);

}  // namespace techmatch

#endif  // TECHMATCH_UTF8_H_

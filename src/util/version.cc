// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "techmatch/version.h"

namespace techmatch {

const char* version() { return TECHMATCH_VERSION_STRING; }

}  // namespace techmatch

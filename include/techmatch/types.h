// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Small value types shared by the public API.

#ifndef TECHMATCH_TYPES_H_
#define TECHMATCH_TYPES_H_

#include <cstddef>
#include <cstdint>

namespace techmatch {

/// A read-only, row-major matrix of float vectors that the caller owns:
/// component j of vector i is data[i * dim + j] (the Faiss convention).
struct VectorView {
  const float* data = nullptr;
  size_t n = 0;    ///< number of vectors
  size_t dim = 0;  ///< components per vector

  const float* row(size_t i) const { return data + i * dim; }
};

}  // namespace techmatch

#endif  // TECHMATCH_TYPES_H_

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Truncated SVD of a sparse matrix by randomized range finding.

#ifndef TECHMATCH_EMBED_RANDOMIZED_SVD_H_
#define TECHMATCH_EMBED_RANDOMIZED_SVD_H_

#include <Eigen/Core>
#include <Eigen/SparseCore>

#include <cstdint>

#include "techmatch/status.h"

namespace techmatch::internal {

using SparseRowMatrix = Eigen::SparseMatrix<float, Eigen::RowMajor, int64_t>;
using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct SvdOptions {
  int rank = 256;          ///< k: singular triplets wanted
  int oversample = 20;     ///< extra random directions (p)
  int power_iterations = 3;  ///< q: sharpen the spectrum (A A^T)^q
  uint64_t seed = 42;
  int threads = 0;         ///< for the sparse products; 0 = one per core
};

struct SvdResult {
  RowMatrix v;             ///< cols(A) x k right singular vectors
  Eigen::VectorXf sigma;   ///< k singular values, decreasing
};

/// Halko, Martinsson & Tropp (2011), algorithm 4.4 + 5.1: a Gaussian test
/// matrix, q power iterations with re-orthonormalization, then the exact
/// SVD of the small projected matrix. Only products with A and A^T touch
/// the sparse matrix; everything dense is rows(A) x (k+p) or
/// cols(A) x (k+p). `a_t` must be A transposed (row-major too, so both
/// products run row by row on `threads` workers).
Result<SvdResult> RandomizedSvd(const SparseRowMatrix& a,
                                const SparseRowMatrix& a_t,
                                const SvdOptions& options);

}  // namespace techmatch::internal

#endif  // TECHMATCH_EMBED_RANDOMIZED_SVD_H_

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "embed/randomized_svd.h"

#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <Eigen/QR>

#include <algorithm>
#include <string>

#include "embed/row_sums.h"
#include "util/parallel.h"

namespace techmatch::internal {
namespace {

// Dense factors are row-major: in a sparse-times-dense product each nonzero
// then adds one contiguous row (column-major would stride by the row count
// for every element, which is cache-miss bound and ~50x slower here).
using DenseMatrix = RowMatrix;

// Orthonormal basis of the columns of y, in place, by Cholesky-QR in double
// (a Gram matrix and a triangular solve: GEMM-shaped work, far faster than
// Householder on tall matrices). `passes` = 2 repeats it for accuracy
// (CholeskyQR2). Falls back to Householder QR when the Gram matrix is
// numerically singular.
void Orthonormalize(DenseMatrix* y, int passes) {
  for (int pass = 0; pass < passes; ++pass) {
    Eigen::MatrixXd gram = (y->transpose() * *y).cast<double>();
    Eigen::LLT<Eigen::MatrixXd> llt(gram);
    if (llt.info() != Eigen::Success ||
        llt.matrixLLT().diagonal().minCoeff() <
            1e-7 * std::max(1.0, llt.matrixLLT().diagonal().maxCoeff())) {
      Eigen::HouseholderQR<Eigen::MatrixXf> qr(*y);
      Eigen::MatrixXf q =
          qr.householderQ() * Eigen::MatrixXf::Identity(y->rows(), y->cols());
      *y = q;
      return;
    }
    Eigen::MatrixXf r_inv = llt.matrixU()
                                .solve(Eigen::MatrixXd::Identity(gram.rows(),
                                                                 gram.cols()))
                                .cast<float>();
    *y = *y * r_inv;
  }
}

// a * b, row by row: each row of the result is a weighted sum of b's rows
// (AddWeightedRows), the same sums in the same order as Eigen's
// sparse-times-dense product. Workers take blocks of 256 rows in turn:
// rows of a^T (terms) differ in length by orders of magnitude, so equal
// shares of rows would leave one worker with most of the work.
Status SparseTimesDense(const SparseRowMatrix& a, const DenseMatrix& b, int threads,
                        DenseMatrix* out) {
  out->setZero(a.rows(), b.cols());
  const int64_t* outer = a.outerIndexPtr();
  const int64_t* inner = a.innerIndexPtr();
  const float* values = a.valuePtr();
  const size_t cols = size_t(b.cols());
  return ParallelForBlocks(size_t(a.rows()), 256, threads,
                           [&](size_t begin, size_t end) -> Status {
                             for (size_t r = begin; r < end; ++r) {
                               const int64_t first = outer[r];
                               AddWeightedRows(
                                   b.data(), cols, size_t(outer[r + 1] - first),
                                   [&](size_t i) { return inner[first + int64_t(i)]; },
                                   [&](size_t i) { return values[first + int64_t(i)]; },
                                   cols, out->row(int64_t(r)).data());
                             }
                             return Status::OK();
                           });
}

}  // namespace

Result<SvdResult> RandomizedSvd(const SparseRowMatrix& a,
                                const SparseRowMatrix& a_t,
                                const SvdOptions& options) {
  const int64_t n = a.rows(), m = a.cols();
  if (a_t.rows() != m || a_t.cols() != n) {
    return Status::Internal("RandomizedSvd: a_t is not the transpose of a");
  }
  const int64_t k = options.rank;
  const int64_t l = std::min<int64_t>(k + options.oversample, std::min(n, m));
  if (k <= 0 || l < k) {
    return Status::InvalidArgument(
        "LSA: rank " + std::to_string(k) + " needs at least that many documents "
        "and terms (have " + std::to_string(n) + " documents, " +
        std::to_string(m) + " terms)");
  }
  try {
    // The test matrix: iid uniform(-1, 1) entries. Any zero-mean iid
    // distribution serves the range finder (Halko et al. 2011, sec. 4.6);
    // this one is ten times cheaper to draw than Gaussians.
    DenseMatrix omega(m, l);
    uint64_t state = options.seed ^ 0x9E3779B97F4A7C15ull;
    for (int64_t i = 0; i < m; ++i) {
      for (int64_t j = 0; j < l; ++j) {
        state += 0x9E3779B97F4A7C15ull;  // splitmix64
        uint64_t z = state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        z ^= z >> 31;
        omega(i, j) = float(int64_t(z >> 11) - (int64_t{1} << 52)) * 0x1p-52f;
      }
    }
    const int threads = ResolveThreads(options.threads);
    DenseMatrix y, z;
    TECHMATCH_RETURN_IF_ERROR(SparseTimesDense(a, omega, threads, &y));  // n x l
    omega.resize(0, 0);
    Orthonormalize(&y, 1);
    // Power iterations y <- A A^T y. Only the n-side block is
    // re-orthonormalized (the m side can be 10x taller: vocabulary size);
    // with a normalized y each step, float precision holds for the few
    // iterations used here.
    for (int it = 0; it < options.power_iterations; ++it) {
      TECHMATCH_RETURN_IF_ERROR(SparseTimesDense(a_t, y, threads, &z));  // m x l
      TECHMATCH_RETURN_IF_ERROR(SparseTimesDense(a, z, threads, &y));
      Orthonormalize(&y, 1);
    }
    Orthonormalize(&y, 2);
    // B = Q^T A (l x m); B^T = A^T Q. SVD of B via the eigenvectors of
    // B B^T (l x l): B = U_b S V^T with V = B^T U_b S^-1.
    z.resize(0, 0);
    DenseMatrix bt;
    TECHMATCH_RETURN_IF_ERROR(SparseTimesDense(a_t, y, threads, &bt));  // m x l
    Eigen::MatrixXd bbt = (bt.transpose() * bt).cast<double>();
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(bbt);
    if (eig.info() != Eigen::Success) {
      return Status::Internal("LSA: eigen-decomposition did not converge");
    }
    // Eigenvalues come in increasing order: take the last k, reversed.
    SvdResult out;
    out.sigma.resize(k);
    Eigen::MatrixXf ub(l, k);
    for (int64_t j = 0; j < k; ++j) {
      int64_t src = l - 1 - j;
      double ev = std::max(0.0, eig.eigenvalues()(src));
      out.sigma(j) = float(std::sqrt(ev));
      ub.col(j) = eig.eigenvectors().col(src).cast<float>();
    }
    DenseMatrix v = bt * ub;  // m x k, columns scaled by sigma
    for (int64_t j = 0; j < k; ++j) {
      float s = out.sigma(j);
      if (s > 1e-12f) v.col(j) /= s;
      else v.col(j).setZero();
    }
    out.v = v;  // to row-major
    return out;
  } catch (const std::bad_alloc&) {
    return Status::Internal("LSA: out of memory in the SVD (" +
                            std::to_string(n) + " x " + std::to_string(m) +
                            ", rank " + std::to_string(k) + ")");
  }
}

}  // namespace techmatch::internal

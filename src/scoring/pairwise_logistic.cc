// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Pairwise logistic regression by Newton's method (see pairwise_logistic.h).

#include "scoring/pairwise_logistic.h"

#include <Eigen/Core>
#include <Eigen/Cholesky>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "util/catch_all.h"

namespace techmatch::internal {
namespace {

// The judged groups in one flat block, with the pair bookkeeping done once.
struct Prepared {
  struct Group {
    size_t begin = 0;             // first row in `x`
    size_t rows = 0;
    // (higher, lower) row offsets within the group: every pair of rows
    // whose relevance differs, the more relevant first.
    std::vector<std::pair<uint32_t, uint32_t>> pairs;
    double pair_weight = 0;       // 1 / P_g
  };
  std::vector<double> x;          // rows x kNumFeatures, row-major
  std::vector<Group> groups;      // used groups only
  size_t pairs = 0;
  size_t skipped = 0;
};

Status CheckOptions(const ScorerWeights& w, const PairwiseFitOptions& o) {
  if (!std::isfinite(o.l2) || o.l2 < 0) {
    return Status::InvalidArgument("pairwise fit: l2 must be finite and >= 0, got " +
                                   std::to_string(o.l2));
  }
  if (o.max_iterations < 0) {
    return Status::InvalidArgument(
        "pairwise fit: max_iterations must be >= 0, got " +
        std::to_string(o.max_iterations));
  }
  if (!std::isfinite(o.tolerance) || o.tolerance < 0) {
    return Status::InvalidArgument(
        "pairwise fit: tolerance must be finite and >= 0, got " +
        std::to_string(o.tolerance));
  }
  for (size_t f = 0; f < kNumFeatures; ++f) {
    if (!std::isfinite(w.weight[f])) {
      return Status::InvalidArgument("pairwise fit: initial weight of feature " +
                                     std::to_string(f) + " is not finite");
    }
  }
  if (!std::isfinite(w.bias)) {
    return Status::InvalidArgument("pairwise fit: initial bias is not finite");
  }
  return Status::OK();
}

// Relevance levels: every value <= 0 is "not relevant".
int Level(int relevance) { return relevance > 0 ? relevance : 0; }

Result<Prepared> Prepare(const std::vector<PairwiseGroup>& groups) {
  Prepared p;
  size_t total_rows = 0;
  for (size_t g = 0; g < groups.size(); ++g) {
    const PairwiseGroup& group = groups[g];
    if (group.features.size() != group.relevance.size()) {
      return Status::InvalidArgument(
          "pairwise fit: group " + std::to_string(g) + " has " +
          std::to_string(group.features.size()) + " feature rows but " +
          std::to_string(group.relevance.size()) + " relevance values");
    }
    if (group.features.size() > UINT32_MAX) {
      return Status::InvalidArgument("pairwise fit: group " +
                                     std::to_string(g) + " is too large");
    }
    for (size_t r = 0; r < group.features.size(); ++r) {
      for (size_t f = 0; f < kNumFeatures; ++f) {
        if (!std::isfinite(group.features[r][f])) {
          return Status::InvalidArgument(
              "pairwise fit: group " + std::to_string(g) + " row " +
              std::to_string(r) + " feature " + std::to_string(f) +
              " is not finite");
        }
      }
    }
    total_rows += group.features.size();
  }
  p.x.reserve(total_rows * kNumFeatures);
  for (const PairwiseGroup& group : groups) {
    Prepared::Group pg;
    // Rows by relevance, most relevant first; every row outranks the
    // rows of every lower level.
    std::vector<uint32_t> order(group.relevance.size());
    for (size_t r = 0; r < order.size(); ++r) order[r] = uint32_t(r);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
      return Level(group.relevance[a]) > Level(group.relevance[b]);
    });
    for (size_t a = 0; a < order.size(); ++a) {
      for (size_t b = a + 1; b < order.size(); ++b) {
        if (Level(group.relevance[order[a]]) > Level(group.relevance[order[b]])) {
          pg.pairs.emplace_back(order[a], order[b]);
        }
      }
    }
    if (pg.pairs.empty()) {
      ++p.skipped;
      continue;
    }
    pg.begin = p.x.size() / kNumFeatures;
    pg.rows = group.features.size();
    for (const auto& row : group.features) {
      p.x.insert(p.x.end(), row.begin(), row.end());
    }
    const size_t pairs = pg.pairs.size();
    pg.pair_weight = 1.0 / double(pairs);
    p.pairs += pairs;
    p.groups.push_back(std::move(pg));
  }
  if (p.groups.empty()) {
    return Status::InvalidArgument(
        "pairwise fit: no group has candidates of two relevance grades (a "
        "relevant and a non-relevant one) (" + std::to_string(groups.size()) + " groups given)");
  }
  return p;
}

// log(1 + exp(z)) without overflow or loss of precision for large |z|.
double Softplus(double z) {
  return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
}

// 1 / (1 + exp(-z)), stable on both sides.
double Sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

struct Eval {
  double loss = 0;
  double data_loss = 0;
  Eigen::VectorXd grad;  // over `dims`
  Eigen::MatrixXd hess;  // over `dims`; lower triangle filled, then mirrored
};

enum class Need { kValue, kGradient, kHessian };

// The objective at w. Derivatives are taken for the features in `dims`;
// the penalty covers the features not in `fixed`.
Eval Evaluate(const Prepared& p, const std::array<double, kNumFeatures>& w,
              const std::vector<int>& dims,
              const std::array<bool, kNumFeatures>& fixed, double l2,
              Need need) {
  const Eigen::Index k = Eigen::Index(dims.size());
  const bool grad = need != Need::kValue;
  const bool hess = need == Need::kHessian;
  Eval e;
  if (grad) e.grad = Eigen::VectorXd::Zero(k);
  if (hess) e.hess = Eigen::MatrixXd::Zero(k, k);
  const double inv_groups = 1.0 / double(p.groups.size());
  std::vector<double> score, coef;
  Eigen::VectorXd diff(k);
  for (const Prepared::Group& g : p.groups) {
    const double* x = p.x.data() + g.begin * kNumFeatures;
    score.assign(g.rows, 0.0);
    for (size_t r = 0; r < g.rows; ++r) {
      double s = 0;
      for (size_t f = 0; f < kNumFeatures; ++f) s += w[f] * x[r * kNumFeatures + f];
      score[r] = s;
    }
    if (grad) coef.assign(g.rows, 0.0);
    // Every pair carries weight 1 / (G * P_g) in the objective.
    const double pw = g.pair_weight * inv_groups;
    double group_loss = 0;
    for (const auto& [i, j] : g.pairs) {
      {
        const double margin = score[i] - score[j];
        group_loss += Softplus(-margin);
        if (!grad) continue;
        // d/dm log(1 + exp(-m)) = -sigmoid(-m).
        const double s = Sigmoid(-margin);
        coef[i] -= s * pw;
        coef[j] += s * pw;
        if (!hess) continue;
        const double h = s * (1.0 - s) * pw;
        if (h == 0) continue;
        const double* xi = x + size_t(i) * kNumFeatures;
        const double* xj = x + size_t(j) * kNumFeatures;
        for (Eigen::Index a = 0; a < k; ++a) diff[a] = xi[dims[a]] - xj[dims[a]];
        for (Eigen::Index b = 0; b < k; ++b) {
          const double hb = h * diff[b];
          if (hb == 0) continue;
          for (Eigen::Index a = b; a < k; ++a) e.hess(a, b) += hb * diff[a];
        }
      }
    }
    e.data_loss += group_loss * g.pair_weight;
    if (grad) {
      // The gradient is sum_c coef_c * x_c: one pass over the rows instead
      // of one per pair.
      for (size_t r = 0; r < g.rows; ++r) {
        if (coef[r] == 0) continue;
        for (Eigen::Index a = 0; a < k; ++a) {
          e.grad[a] += coef[r] * x[r * kNumFeatures + dims[a]];
        }
      }
    }
  }
  e.data_loss *= inv_groups;
  double penalty = 0;
  for (size_t f = 0; f < kNumFeatures; ++f) {
    if (!fixed[f]) penalty += w[f] * w[f];
  }
  e.loss = e.data_loss + 0.5 * l2 * penalty;
  for (Eigen::Index a = 0; a < k; ++a) {
    if (fixed[dims[a]]) continue;
    if (grad) e.grad[a] += l2 * w[dims[a]];
    if (hess) e.hess(a, a) += l2;
  }
  if (hess) {
    for (Eigen::Index b = 0; b < k; ++b) {
      for (Eigen::Index a = b + 1; a < k; ++a) e.hess(b, a) = e.hess(a, b);
    }
  }
  return e;
}

// The Newton direction -H^-1 g, regularized when H is singular (a feature
// that never differs within a pair, l2 = 0) or numerically indefinite;
// steepest descent as the last resort.
Eigen::VectorXd NewtonDirection(const Eigen::MatrixXd& h,
                                const Eigen::VectorXd& g) {
  const double scale = 1.0 + h.diagonal().cwiseAbs().maxCoeff();
  double ridge = 0;
  for (int attempt = 0; attempt < 8; ++attempt) {
    Eigen::MatrixXd m = h;
    m.diagonal().array() += ridge;
    Eigen::LDLT<Eigen::MatrixXd> ldlt(m);
    if (ldlt.info() == Eigen::Success && ldlt.isPositive()) {
      Eigen::VectorXd p = -ldlt.solve(g);
      if (p.allFinite() && g.dot(p) < 0) return p;
    }
    ridge = ridge == 0 ? 1e-12 * scale : ridge * 100;
  }
  return -g;
}

std::vector<int> FreeDims(const std::array<bool, kNumFeatures>& fixed) {
  std::vector<int> dims;
  for (size_t f = 0; f < kNumFeatures; ++f) {
    if (!fixed[f]) dims.push_back(int(f));
  }
  return dims;
}

}  // namespace

Result<PairwiseObjective> EvaluatePairwiseLogistic(
    const std::vector<PairwiseGroup>& groups, const ScorerWeights& weights,
    const PairwiseFitOptions& options) {
  return CatchAll("pairwise fit", [&]() -> Result<PairwiseObjective> {
    TECHMATCH_RETURN_IF_ERROR(CheckOptions(weights, options));
    Result<Prepared> prepared = Prepare(groups);
    if (!prepared.ok()) return prepared.status();
    std::vector<int> all(kNumFeatures);
    for (size_t f = 0; f < kNumFeatures; ++f) all[f] = int(f);
    const Eval e = Evaluate(*prepared, weights.weight, all, options.fixed,
                            options.l2, Need::kHessian);
    PairwiseObjective out;
    out.loss = e.loss;
    out.data_loss = e.data_loss;
    for (size_t a = 0; a < kNumFeatures; ++a) {
      out.gradient[a] = e.grad[Eigen::Index(a)];
      for (size_t b = 0; b < kNumFeatures; ++b) {
        out.hessian[a][b] = e.hess(Eigen::Index(a), Eigen::Index(b));
      }
    }
    out.pairs = prepared->pairs;
    out.groups_used = prepared->groups.size();
    return out;
  });
}

Result<PairwiseFitResult> FitPairwiseLogistic(
    const std::vector<PairwiseGroup>& groups, const ScorerWeights& initial,
    const PairwiseFitOptions& options) {
  return CatchAll("pairwise fit", [&]() -> Result<PairwiseFitResult> {
    TECHMATCH_RETURN_IF_ERROR(CheckOptions(initial, options));
    Result<Prepared> prepared = Prepare(groups);
    if (!prepared.ok()) return prepared.status();
    const Prepared& p = *prepared;
    const std::vector<int> dims = FreeDims(options.fixed);
    const double l2 = options.l2;

    PairwiseFitResult result;
    result.weights = initial;
    result.pairs = p.pairs;
    result.groups_used = p.groups.size();
    result.groups_skipped = p.skipped;

    std::array<double, kNumFeatures> w = initial.weight;
    Eval cur = Evaluate(p, w, dims, options.fixed, l2, Need::kHessian);
    result.loss_before = cur.loss;
    result.data_loss_before = cur.data_loss;
    if (dims.empty()) result.converged = true;

    for (int it = 0; it < options.max_iterations && !dims.empty(); ++it) {
      if (cur.grad.cwiseAbs().maxCoeff() <= options.tolerance) {
        result.converged = true;
        break;
      }
      const Eigen::VectorXd dir = NewtonDirection(cur.hess, cur.grad);
      const double slope = cur.grad.dot(dir);  // < 0
      if (-0.5 * slope <= options.tolerance) {
        result.converged = true;
        break;
      }
      // Armijo backtracking: the full Newton step is accepted near the
      // optimum (quadratic convergence); halving guarantees a decrease.
      bool accepted = false;
      std::array<double, kNumFeatures> trial = w;
      double t = 1.0;
      for (int half = 0; half < 60; ++half, t *= 0.5) {
        for (size_t a = 0; a < dims.size(); ++a) {
          trial[dims[a]] = w[dims[a]] + t * dir[Eigen::Index(a)];
        }
        const Eval e = Evaluate(p, trial, dims, options.fixed, l2, Need::kValue);
        if (std::isfinite(e.loss) && e.loss <= cur.loss + 1e-4 * t * slope) {
          accepted = true;
          break;
        }
      }
      // No decrease is representable any more: we are at the optimum to
      // floating-point precision.
      if (!accepted) break;
      w = trial;
      cur = Evaluate(p, w, dims, options.fixed, l2, Need::kHessian);
      result.iterations = it + 1;
    }

    if (!result.converged && !dims.empty() &&
        cur.grad.cwiseAbs().maxCoeff() <= options.tolerance) {
      result.converged = true;
    }
    result.weights.weight = w;
    result.loss_after = cur.loss;
    result.data_loss_after = cur.data_loss;
    return result;
  });
}

}  // namespace techmatch::internal

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Pairwise logistic regression: fits a linear scorer from judged candidates.

#ifndef TECHMATCH_SCORING_PAIRWISE_LOGISTIC_H_
#define TECHMATCH_SCORING_PAIRWISE_LOGISTIC_H_

#include <array>
#include <cstddef>
#include <vector>

#include "techmatch/scorer.h"
#include "techmatch/status.h"

namespace techmatch::internal {

/// The candidates of one query with their judgements.
struct PairwiseGroup {
  /// One feature row per candidate (indexed by techmatch::Feature).
  std::vector<std::array<double, kNumFeatures>> features;
  /// Same length as `features`: graded relevance, <= 0 not relevant. Every
  /// candidate should outscore every candidate of a lower grade (binary
  /// judgements: the relevant ones outscore the others).
  std::vector<int> relevance;
};

struct PairwiseFitOptions {
  /// L2 penalty (l2 / 2 * ||w_free||^2) on the fitted weights only. Makes
  /// the problem strictly convex; with separable data and l2 = 0 the
  /// weights grow until max_iterations. Default 1e-3; >= 0.
  double l2 = 1e-3;
  /// Newton steps at most; 0 only evaluates the loss. Default 50; >= 0.
  int max_iterations = 50;
  /// Stops when half the squared Newton decrement (the predicted decrease
  /// of the objective) or the largest gradient component is below this.
  /// Default 1e-8; >= 0.
  double tolerance = 1e-8;
  /// Weights kept at their initial value (they still shift the scores).
  /// Default: all fitted.
  std::array<bool, kNumFeatures> fixed{};
};

struct PairwiseFitResult {
  /// Fitted weights; fixed ones and the bias are the initial values (the
  /// pairwise loss is shift-invariant, so it cannot inform the bias).
  ScorerWeights weights;
  size_t pairs = 0;           ///< (relevant, non-relevant) pairs used
  size_t groups_used = 0;     ///< groups with at least one pair
  size_t groups_skipped = 0;  ///< groups without a relevant or without a
                              ///< non-relevant candidate
  /// The objective minimized (data loss + l2 penalty) at the initial and
  /// the fitted weights; loss_after <= loss_before always.
  double loss_before = 0;
  double loss_after = 0;
  /// The data loss alone: mean over used groups of the mean pairwise
  /// logistic loss of the group. Can rise when the penalty shrinks large
  /// initial weights.
  double data_loss_before = 0;
  double data_loss_after = 0;
  int iterations = 0;         ///< Newton steps taken
  bool converged = false;     ///< stopped by `tolerance` (or no free weight)
};

/// The objective at given weights with its derivatives, for every feature
/// (fixed ones included; the penalty applies only to the free ones).
struct PairwiseObjective {
  double loss = 0;       ///< data_loss + l2/2 * ||w_free||^2
  double data_loss = 0;  ///< see PairwiseFitResult::data_loss_before
  std::array<double, kNumFeatures> gradient{};
  /// hessian[a][b] = d2 loss / dw_a dw_b.
  std::array<std::array<double, kNumFeatures>, kNumFeatures> hessian{};
  size_t pairs = 0;
  size_t groups_used = 0;
};

/// Fits the weights by minimizing
///
///   (1/G) sum_g (1/P_g) sum_{i rel, j non-rel in g} log(1 + exp(-w.(x_i - x_j)))
///     + l2/2 * ||w_free||^2
///
/// where G counts the groups with at least one pair and P_g is the number of
/// pairs of group g: every query weighs the same, however many candidates it
/// has (a query with 3 relevant among 100 would otherwise count 3x). Only
/// relevant-vs-non-relevant pairs count; grades above 0 are not compared.
///
/// Newton's method on the free weights (Eigen LDLT on the gradient and
/// Hessian; the fixed weights enter as a score offset) with an Armijo
/// backtracking line search, so the objective never increases. Single
/// threaded and deterministic.
///
/// Errors (InvalidArgument): bad options or non-finite initial weights; a
/// group whose feature rows and relevance differ in length or that has a
/// NaN/Inf feature (named by group, row and feature index); no group with
/// a pair. Groups without a relevant or a non-relevant candidate are
/// skipped and counted.
Result<PairwiseFitResult> FitPairwiseLogistic(
    const std::vector<PairwiseGroup>& groups, const ScorerWeights& initial,
    const PairwiseFitOptions& options);

/// The objective FitPairwiseLogistic minimizes, at `weights` (options.l2
/// and options.fixed are used; the iteration settings are not). Same
/// errors as FitPairwiseLogistic.
Result<PairwiseObjective> EvaluatePairwiseLogistic(
    const std::vector<PairwiseGroup>& groups, const ScorerWeights& weights,
    const PairwiseFitOptions& options);

}  // namespace techmatch::internal

#endif  // TECHMATCH_SCORING_PAIRWISE_LOGISTIC_H_

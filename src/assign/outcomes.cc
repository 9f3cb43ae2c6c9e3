// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "assign/outcomes.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <string>

#include "util/format_number.h"

namespace techmatch::internal {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  size_t rank = size_t(std::ceil(q * double(sorted.size())));
  rank = std::min(std::max<size_t>(rank, 1), sorted.size());
  return sorted[rank - 1];
}

double Median(const std::vector<double>& sorted) {
  if (sorted.empty()) return 0;
  const size_t n = sorted.size();
  return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

double Gini(std::vector<uint32_t> loads) {
  std::sort(loads.begin(), loads.end());
  double sum = 0, weighted = 0;
  for (size_t i = 0; i < loads.size(); ++i) {
    sum += loads[i];
    weighted += double(i + 1) * loads[i];
  }
  if (sum == 0) return 0;
  const double n = double(loads.size());
  return 2 * weighted / (n * sum) - (n + 1) / n;
}

std::string Blocker(const CandidateGraph& g, const BlockingSupply& b) {
  std::string s = g.SupplyName(b.supply) + " (rank " + std::to_string(b.candidate_rank) +
                  ", score " + FormatFixed(b.score) + ")";
  switch (b.reason) {
    case BlockReason::kFull:
      s += " is full (" + std::to_string(b.load) + "/" + std::to_string(b.capacity) + ")";
      break;
    case BlockReason::kLoadBalance:
      s += " has room (" + std::to_string(b.load) + "/" + std::to_string(b.capacity) +
           ") but another answer there costs the load balance more than it adds";
      break;
    case BlockReason::kNotWorthIt:
      s += " was not chosen";
      break;
    case BlockReason::kCoverage:
      s += " is full (" + std::to_string(b.load) + "/" + std::to_string(b.capacity) +
           "): giving it to you would leave another demand short of its minimum";
      break;
  }
  if (std::isfinite(b.total_loss)) {
    s += std::string(": giving it to you lowers the fair's total by ") +
         (b.loss_exact ? "" : "at least ") + FormatFixed(b.total_loss);
  }
  return s;
}

std::string FullList(const CandidateGraph& g, const DemandOutcome& o) {
  std::string s;
  for (size_t i = 0; i < o.blocked_by.size() && i < 3; ++i) {
    const BlockingSupply& b = o.blocked_by[i];
    if (!s.empty()) s += ", ";
    s += g.SupplyName(b.supply) + " (" + std::to_string(b.load) + "/" +
         std::to_string(b.capacity) + ")";
  }
  if (o.blocked_by.size() > 3) s += ", ...";
  return s;
}

std::string GroupSentence(const CandidateGraph& g, const ShortfallGroup& group) {
  std::string s = group.demands.size() == 1
                      ? std::string("its minimum needs ")
                      : "it and " + std::to_string(group.demands.size() - 1) +
                            " other demand(s) need ";
  s += std::to_string(group.min_needed) + " answer(s) from candidates that can give only " +
       std::to_string(group.can_give);
  if (!group.supplies.empty()) {
    s += " (";
    for (size_t i = 0; i < group.supplies.size() && i < 3; ++i) {
      s += (i ? ", " : "") + g.SupplyName(group.supplies[i]);
    }
    if (group.supplies.size() > 3) s += ", ...";
    s += " are full)";
  }
  return s;
}

std::string Reason(const CandidateGraph& g, const std::vector<ShortfallGroup>& groups,
                   double weak_score, const DemandOutcome& o) {
  const size_t answers = o.supplies.size();
  if (o.candidates == 0 && answers == 0) return "no candidate";
  const std::string group =
      o.shortfall_group >= 0 ? GroupSentence(g, groups[size_t(o.shortfall_group)]) : "";
  switch (o.status) {
    case DemandStatus::kCovered:
      return o.blocked_by.empty() ? "" : Blocker(g, o.blocked_by[0]);
    case DemandStatus::kWeak: {
      std::string s = "its best answer scores " + FormatFixed(o.supplies.empty() ? 0 : o.supplies[0].score) +
                      ", under the weak threshold " + FormatFixed(weak_score);
      return o.blocked_by.empty() ? s + "; no better candidate" : s + "; " + Blocker(g, o.blocked_by[0]);
    }
    case DemandStatus::kBelowMinimum: {
      std::string s = "got " + std::to_string(answers) + " of its minimum " +
                      std::to_string(o.min_answers) + " answers";
      if (o.candidates < o.min_answers) {
        return s + ": it has only " + std::to_string(o.candidates) + " candidate(s)";
      }
      if (!group.empty()) return s + ": " + group;
      return o.blocked_by.empty() ? s : s + "; " + Blocker(g, o.blocked_by[0]);
    }
    case DemandStatus::kUncovered:
      if (o.min_answers == 0) return "minimum 0 and no answer worth giving";
      if (!group.empty()) return "no answer: " + group;
      return o.blocked_by.empty() ? "no answer" : "no answer: its candidates are full: " + FullList(g, o);
  }
  return "";
}

}  // namespace

void FillOutcome(const AssignProblem& p, const std::vector<uint8_t>& used, double weak_score,
                 uint32_t d, DemandOutcome* out) {
  out->min_answers = p.min[d];
  out->max_answers = p.max[d];
  out->supplies.clear();
  out->candidates = uint32_t(p.ArcEnd(d) - p.ArcBegin(d));
  out->best_available_score = out->candidates ? p.score[p.ArcBegin(d)] : kNaN;
  double best = -std::numeric_limits<double>::infinity();
  for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) {
    out->best_available_score = std::max(out->best_available_score, p.score[a]);
    if (!used[a]) continue;
    out->supplies.push_back({p.supply[a], p.score[a], p.rank[a], p.forced[a] != 0});
    best = std::max(best, p.score[a]);
  }
  const size_t n = out->supplies.size();
  if (n == 0) {
    out->status = DemandStatus::kUncovered;
  } else if (n < p.min[d]) {
    out->status = DemandStatus::kBelowMinimum;
  } else {
    out->status = best < weak_score ? DemandStatus::kWeak : DemandStatus::kCovered;
  }
  out->needs_follow_up = out->status == DemandStatus::kWeak ||
                         out->status == DemandStatus::kBelowMinimum ||
                         (out->status == DemandStatus::kUncovered && p.min[d] >= 1);
}

std::vector<uint64_t> WantedArcs(const AssignProblem& p, const std::vector<uint8_t>& used,
                                 uint32_t d, uint32_t max) {
  uint32_t answers = 0;
  double worst = std::numeric_limits<double>::infinity();
  for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) {
    if (!used[a]) continue;
    ++answers;
    if (!p.forced[a]) worst = std::min(worst, p.score[a]);
  }
  const bool below_min = answers < p.min[d];
  const bool has_room = answers < p.max[d];
  std::vector<uint64_t> out;
  for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d) && out.size() < max; ++a) {
    if (used[a]) continue;
    if (below_min || (has_room && p.score[a] > 0) || (std::isfinite(worst) && p.score[a] > worst)) {
      out.push_back(a);
    }
  }
  return out;
}

void FillBlockers(const AssignProblem& p, const std::vector<uint8_t>& used,
                  const std::vector<uint32_t>& load, const std::vector<float>& loss,
                  const std::vector<uint8_t>& loss_exact, uint32_t max_blockers, uint32_t d,
                  DemandOutcome* out) {
  out->blocked_by.clear();
  for (uint64_t a : WantedArcs(p, used, d, max_blockers)) {
    const uint32_t s = p.supply[a];
    BlockingSupply b;
    b.supply = s;
    b.score = p.score[a];
    b.candidate_rank = p.rank[a];
    b.load = load[s];
    b.capacity = p.capacity[s];
    b.reason = load[s] >= p.capacity[s] ? BlockReason::kFull
               : p.balance_weight > 0   ? BlockReason::kLoadBalance
                                        : BlockReason::kNotWorthIt;
    b.total_loss = loss.empty() ? kNaN : double(loss[a]);
    b.loss_exact = !loss_exact.empty() && loss_exact[a] != 0;
    if (std::isinf(b.total_loss)) {
      b.reason = BlockReason::kCoverage;
      b.total_loss = kNaN;
    }
    out->blocked_by.push_back(b);
  }
}

double CapacityFreeBound(const AssignProblem& p) {
  double bound = 0;
  for (uint32_t d = 0; d < p.num_demands; ++d) {
    uint32_t room = p.FreeMax(d);
    for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) {
      if (p.forced[a]) bound += p.score[a];
    }
    // Arcs are in rank order, not always score order: collect and sort.
    std::vector<double> free;
    for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) {
      if (!p.forced[a] && p.score[a] > 0) free.push_back(p.score[a]);
    }
    std::sort(free.begin(), free.end(), std::greater<double>());
    for (size_t i = 0; i < free.size() && i < room; ++i) bound += free[i];
  }
  return bound;
}

AssignmentFigures ComputeFigures(const AssignProblem& p, const std::vector<uint8_t>& used,
                                 const std::vector<uint32_t>& load, double weak_score,
                                 double bound) {
  AssignmentFigures f;
  f.demands = p.num_demands;
  std::vector<double> scores;
  double worst_best = std::numeric_limits<double>::infinity();
  for (uint32_t d = 0; d < p.num_demands; ++d) {
    size_t answers = 0;
    double best = -std::numeric_limits<double>::infinity();
    for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) {
      if (!used[a]) continue;
      ++answers;
      scores.push_back(p.score[a]);
      best = std::max(best, p.score[a]);
    }
    if (answers > 0) {
      ++f.covered;
      worst_best = std::min(worst_best, best);
      if (answers >= p.min[d] && best < weak_score) ++f.weak;
    } else if (p.min[d] >= 1) {
      ++f.uncovered;
    }
    if (answers >= p.min[d]) ++f.met_minimum;
  }
  f.pairs = scores.size();
  for (double s : scores) f.total_score += s;
  std::sort(scores.begin(), scores.end());
  f.mean_score = scores.empty() ? 0 : f.total_score / double(scores.size());
  f.median_score = Median(scores);
  f.p10_score = Quantile(scores, 0.1);
  f.worst_best_score = f.covered ? worst_best : 0;
  f.coverage = f.demands ? double(f.covered) / double(f.demands) : 0;
  f.coverage_min = f.demands ? double(f.met_minimum) / double(f.demands) : 0;
  f.share_of_bound = bound > 0 ? f.total_score / bound : 0;
  for (uint32_t l : load) {
    f.max_load = std::max(f.max_load, l);
    if (l == 0) ++f.unused_supplies;
  }
  f.load_histogram.assign(size_t(f.max_load) + 1, 0);
  for (uint32_t l : load) ++f.load_histogram[l];
  f.load_gini = Gini(load);
  return f;
}

void WriteReasons(const CandidateGraph& g, const std::vector<ShortfallGroup>& groups,
                  double weak_score, std::vector<DemandOutcome>* outcomes) {
  for (DemandOutcome& o : *outcomes) {
    o.reason = Reason(g, groups, weak_score, o);
  }
}

}  // namespace techmatch::internal

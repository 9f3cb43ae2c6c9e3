// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// SolveAssignment: the problem, its components, the baselines, the exact
// solve per component (in parallel, under the time limit), explanations
// and figures.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <ctime>
#include <cmath>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "assign/components.h"
#include "assign/flow_solver.h"
#include "assign/greedy.h"
#include "assign/outcomes.h"
#include "assign/problem.h"
#include "techmatch/assign_graph.h"
#include "util/catch_all.h"
#include "util/parallel.h"
#include "util/proc_status.h"

namespace techmatch {
namespace {

using internal::AssignProblem;
using internal::Component;
using internal::ComponentSolution;
using Clock = std::chrono::steady_clock;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ProcessCpuSeconds() {
  timespec ts{};
  if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0) return 0;
  return double(ts.tv_sec) + 1e-9 * double(ts.tv_nsec);
}

/// Records each stage's time and the process's memory at its end.
class StageClock {
 public:
  explicit StageClock(std::vector<StageFigures>* out)
      : out_(out), start_(Clock::now()), cpu_start_(ProcessCpuSeconds()) {}
  void End(const std::string& stage) {
    const auto now = Clock::now();
    const double cpu = ProcessCpuSeconds();
    StageFigures f;
    f.stage = stage;
    f.seconds = std::chrono::duration<double>(now - start_).count();
    f.cpu_seconds = cpu - cpu_start_;
    cpu_start_ = cpu;
    f.rss_bytes = internal::ProcStatusBytes("VmRSS");
    f.peak_rss_bytes = internal::ProcStatusBytes("VmHWM");
    out_->push_back(f);
    start_ = now;
  }

 private:
  std::vector<StageFigures>* out_;
  Clock::time_point start_;
  double cpu_start_;
};

/// Runs fn(i) for every component on `threads` workers, largest first
/// (components come sorted); returns the first error in component order.
template <typename Fn>
Status ForEachComponent(size_t n, int threads, Fn&& fn) {
  std::vector<Status> status(n);
  std::atomic<size_t> next{0};
  auto worker = [&]() {
    for (size_t i = next++; i < n; i = next++) {
      status[i] = internal::CatchAll("assign: component", [&]() { return fn(i); });
    }
  };
  const int workers = std::max(1, std::min<int>(internal::ResolveThreads(threads), int(n)));
  std::vector<std::thread> pool;
  for (int w = 1; w < workers; ++w) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  for (Status& s : status) {
    if (!s.ok()) return s;
  }
  return Status::OK();
}

struct ExactRun {
  std::vector<ComponentSolution> solutions;
  std::vector<uint8_t> exact;  // per component: solved exactly (not greedy)
};

Status SolveExact(const AssignProblem& p, const std::vector<Component>& comps,
                  const SolverOptions& o, Clock::time_point deadline,
                  const internal::SolveTargets& targets, ExactRun* run) {
  run->solutions.assign(comps.size(), ComponentSolution());
  run->exact.assign(comps.size(), 0);
  const AssignAlgorithm alg = o.algorithm == AssignAlgorithm::kAuto
                                  ? AssignAlgorithm::kNetworkSimplex
                                  : o.algorithm;
  const bool limited = o.time_limit_seconds > 0;
  TECHMATCH_RETURN_IF_ERROR(ForEachComponent(comps.size(), o.threads, [&](size_t i) -> Status {
    if (limited && Clock::now() >= deadline) return Status::OK();  // greedy below
    run->exact[i] = 1;
    return internal::SolveComponentExact(p, comps[i], o.objective, alg, targets,
                                         &run->solutions[i]);
  }));
  for (size_t i = 0; i < comps.size(); ++i) {
    if (!run->exact[i]) internal::CoverageGreedy(p, comps[i].demands, targets.used, targets.load);
  }
  return Status::OK();
}

// The best total without the coverage priority minus ours, over the
// components solved exactly.
Status CoverageCost(const AssignProblem& p, const std::vector<Component>& comps,
                    const SolverOptions& o, const ExactRun& run, const std::vector<uint8_t>& used,
                    double* cost) {
  std::vector<double> best(comps.size(), 0);
  std::vector<uint32_t> local(p.num_supplies, 0);
  const AssignAlgorithm alg = o.algorithm == AssignAlgorithm::kCostScaling
                                  ? AssignAlgorithm::kCostScaling
                                  : AssignAlgorithm::kNetworkSimplex;
  TECHMATCH_RETURN_IF_ERROR(ForEachComponent(comps.size(), o.threads, [&](size_t i) -> Status {
    if (!run.exact[i]) return Status::OK();
    return internal::BestTotalWithoutCoverage(p, comps[i], alg, &local, &best[i]);
  }));
  *cost = 0;
  for (size_t i = 0; i < comps.size(); ++i) {
    if (!run.exact[i]) continue;
    double ours = 0;
    for (uint32_t d : comps[i].demands) {
      for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) {
        if (used[a] && !p.forced[a]) ours += p.score[a];
      }
    }
    *cost += best[i] - ours;
  }
  return Status::OK();
}

void Baselines(const AssignProblem& p, const SolverOptions& o, double bound, AssignSummary* s,
               std::vector<uint8_t>* cov_used, std::vector<uint32_t>* cov_load) {
  std::vector<uint8_t> used;
  std::vector<uint32_t> load;
  internal::StartFromForced(p, &used, &load);
  internal::PlainGreedy(p, {}, &used, &load);
  s->plain_greedy = internal::ComputeFigures(p, used, load, o.weak_score, bound);
  internal::StartFromForced(p, cov_used, cov_load);
  internal::CoverageGreedy(p, {}, cov_used, cov_load);
  s->coverage_greedy = internal::ComputeFigures(p, *cov_used, *cov_load, o.weak_score, bound);
  s->has_baselines = true;
}

void Explain(const CandidateGraph& g, const AssignProblem& p, const SolverOptions& o,
             const std::vector<uint8_t>& used, const std::vector<uint32_t>& load,
             const std::vector<float>& loss, const std::vector<uint8_t>& loss_exact,
             Assignment* out) {
  out->demands.resize(p.num_demands);
  for (uint32_t d = 0; d < p.num_demands; ++d) {
    DemandOutcome& dc = out->demands[d];
    internal::FillOutcome(p, used, o.weak_score, d, &dc);
    internal::FillBlockers(p, used, load, loss, loss_exact, o.max_blockers, d, &dc);
  }
  for (size_t i = 0; i < out->shortfall_groups.size(); ++i) {
    for (uint32_t d : out->shortfall_groups[i].demands) {
      out->demands[d].shortfall_group = int32_t(i);
    }
  }
  internal::WriteReasons(g, out->shortfall_groups, o.weak_score, &out->demands);
}

Result<Assignment> Solve(const CandidateGraph& g, const SolverOptions& o) {
  TECHMATCH_RETURN_IF_ERROR(o.Validate());
  const Clock::time_point t0 = Clock::now();
  const Clock::time_point deadline =
      t0 + std::chrono::duration_cast<Clock::duration>(
               std::chrono::duration<double>(o.time_limit_seconds));
  Assignment out;
  AssignSummary& s = out.summary;
  StageClock clock(&s.stages);
  AssignProblem p;
  TECHMATCH_RETURN_IF_ERROR(internal::BuildAssignProblem(g, &p));
  p.balance_weight = o.balance_weight;
  const std::vector<Component> comps = internal::FindComponents(p, o.split_components);
  s.demands = p.num_demands;
  s.supplies = p.num_supplies;
  s.arcs = p.num_arcs();
  s.objective = AssignObjectiveName(o.objective);
  s.components = comps.size();
  s.largest_component = comps.empty() ? 0 : comps[0].demands.size() + comps[0].supplies.size();
  s.bound = internal::CapacityFreeBound(p);
  clock.End("graph");

  std::vector<uint8_t> used;
  std::vector<uint32_t> load;
  std::vector<uint8_t> cov_used;
  std::vector<uint32_t> cov_load;
  if (o.baselines) {
    Baselines(p, o, s.bound, &s, &cov_used, &cov_load);
    clock.End("greedy baselines");
  }
  std::vector<float> loss;
  std::vector<uint8_t> loss_exact;
  s.coverage_cost = kNaN;
  s.maxmin_threshold = kNaN;
  if (o.algorithm == AssignAlgorithm::kGreedy) {
    s.algorithm = "coverage-first greedy";
    if (o.baselines) {
      used = std::move(cov_used);
      load = std::move(cov_load);
    } else {
      internal::StartFromForced(p, &used, &load);
      internal::CoverageGreedy(p, {}, &used, &load);
    }
  } else {
    internal::StartFromForced(p, &used, &load);
    loss.assign(p.num_arcs(), std::numeric_limits<float>::quiet_NaN());
    loss_exact.assign(p.num_arcs(), 0);
    std::vector<uint32_t> local(p.num_supplies, 0);
    internal::SolveTargets targets;
    targets.used = &used;
    targets.load = &load;
    targets.loss = &loss;
    targets.loss_exact = &loss_exact;
    targets.local = &local;
    targets.max_blockers = o.max_blockers;
    ExactRun run;
    TECHMATCH_RETURN_IF_ERROR(SolveExact(p, comps, o, deadline, targets, &run));
    clock.End("solve");
    size_t fallback = 0;
    s.score_scale = std::numeric_limits<double>::infinity();
    for (size_t i = 0; i < comps.size(); ++i) {
      if (!run.exact[i]) {
        ++fallback;
        continue;
      }
      const ComponentSolution& cs = run.solutions[i];
      s.score_scale = std::min(s.score_scale, cs.scale);
      s.epsilon += cs.epsilon;
      if (o.objective == AssignObjective::kMaxMin && cs.first_given > 0) {
        s.maxmin_threshold = std::isnan(s.maxmin_threshold)
                                 ? cs.threshold
                                 : std::min(s.maxmin_threshold, cs.threshold);
      }
      for (const ShortfallGroup& grp : cs.groups) out.shortfall_groups.push_back(grp);
    }
    if (!std::isfinite(s.score_scale)) s.score_scale = 0;
    s.algorithm = std::string("exact (") +
                  (o.algorithm == AssignAlgorithm::kCostScaling ? "LEMON CostScaling"
                                                                : "LEMON NetworkSimplex") +
                  ")";
    if (fallback > 0) {
      s.algorithm += " + coverage-first greedy";
      s.notes.push_back("time limit of " + std::to_string(o.time_limit_seconds) + " s reached: " +
                        std::to_string(fallback) + " of " + std::to_string(comps.size()) +
                        " component(s) got the coverage-first greedy answer, not the optimum");
    }
    if (o.measure_coverage_cost && fallback == 0) {
      TECHMATCH_RETURN_IF_ERROR(CoverageCost(p, comps, o, run, used, &s.coverage_cost));
      clock.End("coverage cost");
    }
  }
  Explain(g, p, o, used, load, loss, loss_exact, &out);
  s.ours = internal::ComputeFigures(p, used, load, o.weak_score, s.bound);
  out.supply_load = std::move(load);
  out.supply_capacity = p.capacity;
  clock.End("explain");
  return out;
}

}  // namespace

Result<Assignment> SolveAssignment(const CandidateGraph& graph, const SolverOptions& options) {
  return internal::CatchAll("assign", [&]() { return Solve(graph, options); });
}

}  // namespace techmatch

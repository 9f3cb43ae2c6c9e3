// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch-bench assign: the fair assignment at scale. Synthetic mode
// (default): a popular-skewed candidate graph (src/assign/
// synthetic_graph.h), the solver layer alone. --csl: an Engine over the
// csl-match corpus (supplies), its dev queries' texts as demands, through
// Assign (assign_csl_bench.cc). Prints one JSON line (the last line):
//   mode, demands, supplies, arcs, k, min, max, capacity, threads,
//   candidates_s (graph generation, or MatchBatch), solve_s, peak_rss_bytes
//   (the process's peak while solving: graph + solver), graph_rss_bytes,
//   total_score, lp_total_score and lp_s (--lp, else null), coverage,
//   coverage_min, uncovered, worst_best_score, greedy_total_score,
//   greedy_uncovered (plain greedy), coverage_greedy_* , and the whole
//   summary (tools/assign_json.h) under "summary".

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "assign/synthetic_graph.h"
#include "assign_bench.h"
#include "assign_json.h"
#include "bench_util.h"
#include "techmatch/assign_graph.h"
#include "util/proc_status.h"
#ifdef TECHMATCH_HAVE_CLP
#include "assign/lp_reference.h"
#endif

namespace techmatch::bench {

using json = nlohmann::ordered_json;

Result<SolverOptions> AssignSolverOptions(const AssignBenchArgs& args) {
  SolverOptions o;
  auto algo = ParseAssignAlgorithm(args.algo);
  if (!algo.ok()) return algo.status();
  auto objective = ParseAssignObjective(args.objective);
  if (!objective.ok()) return objective.status();
  o.algorithm = *algo;
  o.objective = *objective;
  o.balance_weight = args.balance;
  o.threads = args.threads;
  o.baselines = args.baselines;
  o.measure_coverage_cost = args.coverage_cost;
  o.split_components = !args.no_split;
  TECHMATCH_RETURN_IF_ERROR(o.Validate());
  return o;
}

json AssignResultJson(const AssignBenchArgs& args, const CandidateGraph& g,
                      const Assignment& a, double candidates_s, size_t graph_rss,
                      size_t peak_rss) {
  json summary = cli::SummaryToJson(a);
  json out{{"bench", "assign"},
           {"mode", args.csl ? "csl-match" : "synthetic"},
           {"demands", g.num_demands},
           {"supplies", g.num_supplies},
           {"arcs", a.summary.arcs},
           {"k", args.k},
           {"min", args.min},
           {"max", args.max},
           {"capacity", args.capacity},
           {"threads", args.threads},
           {"groups", args.groups},
           {"components", a.summary.components},
           {"split", !args.no_split},
           {"algorithm", a.summary.algorithm},
           {"objective", a.summary.objective},
           {"candidates_s", candidates_s},
           {"solve_s", summary["solve_s"]},
           {"solve_cpu_s", summary["solve_cpu_s"]},
           {"graph_rss_bytes", graph_rss},
           {"peak_rss_bytes", peak_rss},
           {"total_score", a.summary.ours.total_score},
           {"lp_total_score", nullptr},
           {"lp_s", nullptr},
           {"coverage", summary["coverage"]},
           {"coverage_min", summary["coverage_min"]},
           {"uncovered", summary["uncovered"]},
           {"worst_best_score", summary["worst_best_score"]},
           {"greedy_total_score", summary["greedy_total_score"]},
           {"greedy_uncovered", summary["greedy_uncovered"]}};
  for (const char* key : {"greedy_coverage_min", "greedy_worst_best_score",
                          "coverage_greedy_total_score", "coverage_greedy_uncovered",
                          "coverage_greedy_coverage_min", "coverage_greedy_worst_best_score"}) {
    out[key] = summary.value(key, json());
  }
  out["summary"] = std::move(summary);
  return out;
}

Status AddLpReference(const CandidateGraph& g, json* out) {
#ifdef TECHMATCH_HAVE_CLP
  std::fprintf(stderr, "assign: LP reference (CLP)...\n");
  auto lp = internal::SolveLpReference(g);
  if (!lp.ok()) return lp.status();
  (*out)["lp_total_score"] = lp->total_score;
  (*out)["lp_covered"] = lp->covered;
  (*out)["lp_min_units"] = lp->min_units;
  (*out)["lp_s"] = lp->seconds;
  const double ours = (*out)["total_score"].get<double>();
  (*out)["lp_gap"] = (lp->total_score - ours) / std::max(1.0, std::fabs(lp->total_score));
  return Status::OK();
#else
  (void)g;
  (void)out;
  return Status::NotSupported("built without coinor-libclp-dev: no LP reference");
#endif
}

namespace {

int RunSynthetic(const AssignBenchArgs& args) {
  auto options = AssignSolverOptions(args);
  if (!options.ok()) {
    std::fprintf(stderr, "assign: %s\n", options.status().ToString().c_str());
    return 2;
  }
  internal::SyntheticSpec spec;
  spec.demands = args.demands;
  spec.supplies = args.supplies;
  spec.k = args.k;
  spec.min = args.min;
  spec.max = args.max;
  spec.capacity = args.capacity;
  spec.skew = args.skew;
  spec.seed = args.seed;
  spec.groups = args.groups;
  std::fprintf(stderr, "assign: generating %u x %u, K %u...\n", spec.demands, spec.supplies,
               spec.k);
  const double t0 = NowSeconds();
  const CandidateGraph g = internal::PopularSkewedGraph(spec);
  const double candidates_s = NowSeconds() - t0;
  const size_t graph_rss = internal::ProcStatusBytes("VmRSS");
  internal::ResetPeakRss();
  std::fprintf(stderr, "assign: %zu arcs in %.1f s; solving...\n", g.arcs.size(), candidates_s);
  auto a = SolveAssignment(g, *options);
  if (!a.ok()) {
    std::fprintf(stderr, "assign: %s\n", a.status().ToString().c_str());
    return 1;
  }
  const size_t peak_rss = internal::ProcStatusBytes("VmHWM");
  json out = AssignResultJson(args, g, *a, candidates_s, graph_rss, peak_rss);
  if (args.lp) {
    Status s = AddLpReference(g, &out);
    if (!s.ok()) {
      std::fprintf(stderr, "assign: %s\n", s.ToString().c_str());
      return 1;
    }
  }
  std::printf("%s\n", out.dump().c_str());
  return 0;
}

}  // namespace

int RunAssignBench(const AssignBenchArgs& args) {
  if (args.csl) return RunAssignCslBench(args);
  return RunSynthetic(args);
}

}  // namespace techmatch::bench

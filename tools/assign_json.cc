// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "assign_json.h"

#include "server/json_num.h"

#include <string>

namespace techmatch::cli {

using server::Num;

using json = nlohmann::ordered_json;

json FiguresToJson(const AssignmentFigures& f) {
  return json{{"covered", f.covered},
              {"met_minimum", f.met_minimum},
              {"uncovered", f.uncovered},
              {"weak", f.weak},
              {"pairs", f.pairs},
              {"coverage", Num(f.coverage)},
              {"coverage_min", Num(f.coverage_min)},
              {"total_score", Num(f.total_score)},
              {"share_of_bound", Num(f.share_of_bound)},
              {"mean_score", Num(f.mean_score)},
              {"median_score", Num(f.median_score)},
              {"p10_score", Num(f.p10_score)},
              {"worst_best_score", Num(f.worst_best_score)},
              {"max_load", f.max_load},
              {"unused_supplies", f.unused_supplies},
              {"load_gini", Num(f.load_gini)},
              {"load_histogram", f.load_histogram}};
}

json SummaryToJson(const Assignment& a) {
  const AssignSummary& s = a.summary;
  json out{{"demands", s.demands},
           {"supplies", s.supplies},
           {"arcs", s.arcs},
           {"algorithm", s.algorithm},
           {"objective", s.objective}};
  const json ours = FiguresToJson(s.ours);
  for (auto& [key, value] : ours.items()) out[key] = value;
  double solve_s = 0, solve_cpu_s = 0;
  for (const StageFigures& st : s.stages) {
    if (st.stage == "solve") {
      solve_s = st.seconds;
      solve_cpu_s = st.cpu_seconds;
    }
  }
  out["bound"] = Num(s.bound);
  out["coverage_cost"] = Num(s.coverage_cost);
  out["epsilon"] = Num(s.epsilon);
  out["score_scale"] = Num(s.score_scale);
  out["components"] = s.components;
  out["largest_component"] = s.largest_component;
  out["maxmin_threshold"] = Num(s.maxmin_threshold);
  out["solve_s"] = solve_s;
  out["solve_cpu_s"] = solve_cpu_s;
  out["shortfall_groups"] = a.shortfall_groups.size();
  if (s.has_baselines) {
    out["greedy_total_score"] = Num(s.plain_greedy.total_score);
    out["greedy_uncovered"] = s.plain_greedy.uncovered;
    out["greedy_coverage_min"] = Num(s.plain_greedy.coverage_min);
    out["greedy_worst_best_score"] = Num(s.plain_greedy.worst_best_score);
    out["coverage_greedy_total_score"] = Num(s.coverage_greedy.total_score);
    out["coverage_greedy_uncovered"] = s.coverage_greedy.uncovered;
    out["coverage_greedy_coverage_min"] = Num(s.coverage_greedy.coverage_min);
    out["coverage_greedy_worst_best_score"] = Num(s.coverage_greedy.worst_best_score);
    out["baselines"] = json{{"plain_greedy", FiguresToJson(s.plain_greedy)},
                            {"coverage_first_greedy", FiguresToJson(s.coverage_greedy)}};
  } else {
    out["greedy_total_score"] = nullptr;
    out["greedy_uncovered"] = nullptr;
  }
  json stages = json::array();
  for (const StageFigures& st : s.stages) {
    stages.push_back(json{{"stage", st.stage},
                          {"seconds", st.seconds},
                          {"cpu_seconds", st.cpu_seconds},
                          {"rss_bytes", st.rss_bytes},
                          {"peak_rss_bytes", st.peak_rss_bytes}});
  }
  out["stages"] = std::move(stages);
  out["notes"] = s.notes;
  return out;
}

}  // namespace techmatch::cli

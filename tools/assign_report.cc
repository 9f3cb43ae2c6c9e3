// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "assign_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>
#include <string>
#include <vector>

#include "server/match_json.h"

namespace techmatch::cli {

namespace {

using server::DumpJsonLine;
using server::ExplanationToJson;
using server::Num;

using json = nlohmann::ordered_json;

// Per-demand rows in the report beyond this are left to A.jsonl.
constexpr size_t kMaxRows = 2000;

std::string Fixed(double v, int digits = 3) {
  if (!std::isfinite(v)) return "–";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string Percent(double share) { return Fixed(100.0 * share, 1) + "%"; }

// Markdown table cells: no pipes or line breaks.
std::string Cell(std::string s) {
  for (char& c : s) {
    if (c == '|' || c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

std::string Row(const std::vector<std::string>& cells) {
  std::string s = "|";
  for (const auto& c : cells) s += " " + Cell(c) + " |";
  return s + "\n";
}

// `align` per column: 'l' (text) or 'r' (numbers); missing ones are 'r'.
std::string Header(const std::vector<std::string>& cells, const std::string& align = "l") {
  std::string s = Row(cells) + "|";
  for (size_t i = 0; i < cells.size(); ++i) s += i < align.size() && align[i] == 'l' ? "---|" : "---:|";
  return s + "\n";
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

json PairJson(const EngineAssignment& r, uint32_t d, size_t i) {
  const AssignedPair& p = r.assignment.demands[d].supplies[i];
  json j{{"id", r.graph.supply_ids[p.supply]},
         {"title", r.supply_titles[p.supply]},
         {"score", Num(p.score)},
         {"candidate_rank", p.candidate_rank},
         {"forced", p.forced}};
  if (i < r.explanations[d].size()) j["explanation"] = ExplanationToJson(r.explanations[d][i]);
  return j;
}

json BlockerJson(const EngineAssignment& r, const BlockingSupply& b) {
  return json{{"id", r.graph.supply_ids[b.supply]},
              {"score", Num(b.score)},
              {"candidate_rank", b.candidate_rank},
              {"load", b.load},
              {"capacity", b.capacity},
              {"reason", BlockReasonName(b.reason)},
              {"total_loss", Num(b.total_loss)},
              {"loss_exact", b.loss_exact}};
}

void SummarySection(const EngineAssignment& r, std::string& md) {
  const AssignSummary& s = r.assignment.summary;
  const AssignmentFigures& f = s.ours;
  md += "| | |\n|---|---:|\n";
  md += Row({"demands", std::to_string(s.demands)});
  md += Row({"with at least one answer", std::to_string(f.covered) + " (" + Percent(f.coverage) + ")"});
  md += Row({"with their minimum", std::to_string(f.met_minimum) + " (" + Percent(f.coverage_min) + ")"});
  md += Row({"uncovered (minimum >= 1, no answer)", std::to_string(f.uncovered)});
  md += Row({"weak (best answer under the threshold)", std::to_string(f.weak)});
  md += Row({"answers given", std::to_string(f.pairs)});
  md += Row({"total score (share of the capacity-free bound)",
             Fixed(f.total_score) + " (" + Percent(f.share_of_bound) + ")"});
  md += Row({"pair score mean / median / 10th percentile",
             Fixed(f.mean_score) + " / " + Fixed(f.median_score) + " / " + Fixed(f.p10_score)});
  md += Row({"worst-served demand's best answer", Fixed(f.worst_best_score)});
  md += Row({"score given up to cover more demands", Fixed(s.coverage_cost)});
  md += Row({"supplies with candidates / used / unused",
             std::to_string(s.supplies) + " / " + std::to_string(s.supplies - f.unused_supplies) +
                 " / " + std::to_string(f.unused_supplies)});
  md += Row({"max load, Gini of load", std::to_string(f.max_load) + ", " + Fixed(f.load_gini)});
  md += Row({"algorithm", s.algorithm + ", objective " + s.objective});
  for (const std::string& n : s.notes) md += Row({"note", n});
  md += "\n";
}

void BaselineSection(const AssignSummary& s, std::string& md) {
  if (!s.has_baselines) return;
  md += "## Against the greedy baselines (same candidates)\n\n";
  md += Header({"", "uncovered", "with minimum", "total score", "worst-served", "max load", "Gini"});
  auto row = [&](const std::string& name, const AssignmentFigures& f) {
    md += Row({name, std::to_string(f.uncovered), std::to_string(f.met_minimum),
               Fixed(f.total_score), Fixed(f.worst_best_score), std::to_string(f.max_load),
               Fixed(f.load_gini)});
  };
  row("**this assignment**", s.ours);
  row("plain greedy (pairs by score)", s.plain_greedy);
  row("coverage-first greedy", s.coverage_greedy);
  md += "\n";
}

void FollowUpSection(const EngineAssignment& r, std::string& md) {
  const Assignment& a = r.assignment;
  std::vector<uint32_t> follow;
  for (uint32_t d = 0; d < a.demands.size(); ++d) {
    if (a.demands[d].needs_follow_up) follow.push_back(d);
  }
  md += "## Needs follow-up (" + std::to_string(follow.size()) + ")\n\n";
  if (follow.empty()) {
    md += "Every demand has its minimum with a best answer above the weak threshold.\n\n";
    return;
  }
  md += Header({"demand", "title", "status", "answers / min", "best available", "why"}, "lllrrl");
  for (size_t i = 0; i < follow.size() && i < kMaxRows; ++i) {
    const uint32_t d = follow[i];
    const DemandOutcome& o = a.demands[d];
    md += Row({r.graph.demand_ids[d], r.demand_titles[d], DemandStatusName(o.status),
               std::to_string(o.supplies.size()) + " / " + std::to_string(o.min_answers),
               Fixed(o.best_available_score), o.reason});
  }
  if (follow.size() > kMaxRows) md += "\n(" + std::to_string(follow.size() - kMaxRows) + " more in the JSONL output)\n";
  md += "\n";
  if (a.shortfall_groups.empty()) return;
  md += "### Minimums that cannot all be met\n\n";
  md += "Each group's demands need more answers than their candidate supplies can give, "
        "whatever the assignment (a minimum cut of the candidate graph).\n\n";
  md += Header({"group", "demands", "supplies", "answers needed", "can give", "short by"}, "lll");
  for (size_t g = 0; g < a.shortfall_groups.size() && g < kMaxRows; ++g) {
    const ShortfallGroup& grp = a.shortfall_groups[g];
    std::string ds, ss;
    for (size_t i = 0; i < grp.demands.size() && i < 8; ++i) ds += (i ? ", " : "") + r.graph.demand_ids[grp.demands[i]];
    if (grp.demands.size() > 8) ds += ", … (" + std::to_string(grp.demands.size()) + ")";
    for (size_t i = 0; i < grp.supplies.size() && i < 8; ++i) ss += (i ? ", " : "") + r.graph.supply_ids[grp.supplies[i]];
    if (grp.supplies.size() > 8) ss += ", … (" + std::to_string(grp.supplies.size()) + ")";
    md += Row({std::to_string(g), ds, ss, std::to_string(grp.min_needed), std::to_string(grp.can_give),
               std::to_string(grp.short_by)});
  }
  md += "\n";
}

void LoadSection(const EngineAssignment& r, std::string& md) {
  const Assignment& a = r.assignment;
  std::vector<uint32_t> used;
  for (uint32_t s = 0; s < a.supply_load.size(); ++s) {
    if (a.supply_load[s] > 0) used.push_back(s);
  }
  std::stable_sort(used.begin(), used.end(), [&](uint32_t x, uint32_t y) {
    return a.supply_load[x] > a.supply_load[y];
  });
  md += "## Supply load\n\n";
  md += std::to_string(used.size()) + " of the " + std::to_string(a.supply_load.size()) +
        " supplies that were candidates give answers (" +
        std::to_string(r.supplies_in_engine) + " supplies in the engine). Load histogram:";
  const auto& h = a.summary.ours.load_histogram;
  for (size_t l = 0; l < h.size(); ++l) md += " " + std::to_string(l) + ": " + std::to_string(h[l]) + ";";
  md += "\n\n";
  md += Header({"supply", "title", "load / capacity", "demands"}, "llrl");
  std::vector<std::vector<uint32_t>> takers(a.supply_load.size());
  for (uint32_t d = 0; d < a.demands.size(); ++d) {
    for (const AssignedPair& p : a.demands[d].supplies) takers[p.supply].push_back(d);
  }
  for (size_t i = 0; i < used.size() && i < kMaxRows; ++i) {
    const uint32_t s = used[i];
    std::string ds;
    for (size_t j = 0; j < takers[s].size() && j < 6; ++j) ds += (j ? ", " : "") + r.graph.demand_ids[takers[s][j]];
    if (takers[s].size() > 6) ds += ", …";
    md += Row({r.graph.supply_ids[s], r.supply_titles[s],
               std::to_string(a.supply_load[s]) + " / " + std::to_string(a.supply_capacity[s]), ds});
  }
  md += "\n";
}

void PairsSection(const EngineAssignment& r, std::string& md) {
  const Assignment& a = r.assignment;
  md += "## Every demand's answers\n\n";
  md += Header({"demand", "title", "status", "answers (score, rank in its own list)"}, "llll");
  for (uint32_t d = 0; d < a.demands.size() && d < kMaxRows; ++d) {
    std::string answers;
    for (const AssignedPair& p : a.demands[d].supplies) {
      answers += (answers.empty() ? "" : "; ") + r.graph.supply_ids[p.supply] + " " +
                 r.supply_titles[p.supply] + " (" + Fixed(p.score) + ", #" +
                 std::to_string(p.candidate_rank) + (p.forced ? ", forced" : "") + ")";
    }
    md += Row({r.graph.demand_ids[d], r.demand_titles[d], DemandStatusName(a.demands[d].status),
               answers.empty() ? "–" : answers});
  }
  if (a.demands.size() > kMaxRows) md += "\n(the rest in the JSONL output)\n";
  md += "\n";
}

}  // namespace

std::string AssignmentJsonl(const EngineAssignment& r) {
  std::string out;
  const Assignment& a = r.assignment;
  for (uint32_t d = 0; d < a.demands.size(); ++d) {
    const DemandOutcome& o = a.demands[d];
    json supplies = json::array();
    for (size_t i = 0; i < o.supplies.size(); ++i) supplies.push_back(PairJson(r, d, i));
    json blocked = json::array();
    for (const BlockingSupply& b : o.blocked_by) blocked.push_back(BlockerJson(r, b));
    json line{{"demand", r.graph.demand_ids[d]},
              {"title", r.demand_titles[d]},
              {"status", DemandStatusName(o.status)},
              {"needs_follow_up", o.needs_follow_up},
              {"reason", o.reason},
              {"min", o.min_answers},
              {"max", o.max_answers},
              {"candidates", o.candidates},
              {"best_available_score", Num(o.best_available_score)},
              {"shortfall_group", o.shortfall_group >= 0 ? json(o.shortfall_group) : json()},
              {"supplies", std::move(supplies)},
              {"blocked_by", std::move(blocked)}};
    out += DumpJsonLine(line);
    out += '\n';
  }
  return out;
}

std::string AssignmentCsv(const EngineAssignment& r) {
  std::string out = "demand,status,supply,score,candidate_rank,forced\n";
  const Assignment& a = r.assignment;
  for (uint32_t d = 0; d < a.demands.size(); ++d) {
    const DemandOutcome& o = a.demands[d];
    const std::string head = CsvField(r.graph.demand_ids[d]) + "," + DemandStatusName(o.status) + ",";
    if (o.supplies.empty()) out += head + ",,,\n";
    for (const AssignedPair& p : o.supplies) {
      char score[64];
      std::snprintf(score, sizeof score, "%.6f", p.score);
      out += head + CsvField(r.graph.supply_ids[p.supply]) + "," + score + "," +
             std::to_string(p.candidate_rank) + "," + (p.forced ? "true" : "false") + "\n";
    }
  }
  return out;
}

std::string AssignmentMarkdown(const EngineAssignment& r) {
  std::string md = "# Fair assignment\n\n";
  SummarySection(r, md);
  BaselineSection(r.assignment.summary, md);
  FollowUpSection(r, md);
  LoadSection(r, md);
  PairsSection(r, md);
  return md;
}

}  // namespace techmatch::cli

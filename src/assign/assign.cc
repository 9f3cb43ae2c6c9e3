// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Assign: the candidate graph from the Engine (MatchBatch), the solve,
// then the engine's explanations of the assigned pairs.

#include "techmatch/assign.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "assign/engine_candidates.h"
#include "util/catch_all.h"
#include "util/format_number.h"

namespace techmatch {
namespace {

using internal::EngineCandidate;
using Clock = std::chrono::steady_clock;

class AssignBuilder {
 public:
  AssignBuilder(const Engine& engine, const AssignOptions& options, EngineAssignment* out)
      : engine_(engine), o_(options), out_(out), start_(Clock::now()) {
    deadline_ = start_ + std::chrono::duration_cast<Clock::duration>(
                             std::chrono::duration<double>(o_.solver.time_limit_seconds));
  }

  Status Run(const AssignDemands& demands) {
    TECHMATCH_RETURN_IF_ERROR(o_.Validate());
    TECHMATCH_RETURN_IF_ERROR(internal::CollectDemands(engine_, demands, &demands_));
    TECHMATCH_RETURN_IF_ERROR(GatherCandidates());
    TECHMATCH_RETURN_IF_ERROR(AddForced());
    TECHMATCH_RETURN_IF_ERROR(LoadSupplies());
    TECHMATCH_RETURN_IF_ERROR(SetBounds());
    AddArcs();
    SolverOptions solver = o_.solver;
    if (limited()) {
      const double left = o_.solver.time_limit_seconds - Seconds(start_);
      solver.time_limit_seconds = std::max(left, 1e-9);
    }
    auto solved = SolveAssignment(out_->graph, solver);
    if (!solved.ok()) return solved.status();
    out_->assignment = std::move(*solved);
    auto& notes = out_->assignment.summary.notes;
    notes.insert(notes.begin(), notes_.begin(), notes_.end());
    TECHMATCH_RETURN_IF_ERROR(Explain());
    RewriteReasons();
    return Status::OK();
  }

 private:
  bool limited() const { return o_.solver.time_limit_seconds > 0; }
  static double Seconds(Clock::time_point since) {
    return std::chrono::duration<double>(Clock::now() - since).count();
  }

  uint32_t SupplyIndex(const std::string& id) {
    auto [it, fresh] = supply_index_.emplace(id, uint32_t(supply_ids_.size()));
    if (fresh) supply_ids_.push_back(id);
    return it->second;
  }

  Status GatherCandidates() {
    const Clock::time_point t0 = Clock::now();
    candidates_.assign(demands_.size(), {});
    for (size_t i = 0; i < demands_.size(); ++i) demand_index_.emplace(demands_[i].id, uint32_t(i));
    TECHMATCH_RETURN_IF_ERROR(internal::MatchInChunks(
        engine_, demands_, {}, internal::CandidateMatchOptions(o_, false), o_.threads, limited(),
        deadline_,
        [&](size_t i, MatchResult&& r) {
          for (const Match& m : r.matches) {
            SupplyIndex(m.key.id);
            candidates_[i].push_back({m.key.id, m.score, uint32_t(m.rank)});
          }
        },
        &reached_));
    if (reached_ < demands_.size()) {
      notes_.push_back(
          "time limit reached while matching: " + std::to_string(demands_.size() - reached_) +
          " demand(s) got no candidates");
    }
    out_->candidates_seconds = Seconds(t0);
    return Status::OK();
  }

  // Forced pairs that are not candidates become candidates, scored by a
  // Match restricted to the supply.
  Status AddForced() {
    for (const auto& [did, sid] : o_.forced) {
      auto d = demand_index_.find(did);
      if (d == demand_index_.end()) {
        return Status::InvalidArgument("assign: forced pair (\"" + did + "\", \"" + sid +
                                       "\"): the demand is not among those served");
      }
      if (!engine_.Contains(RecordKey{RecordKind::kSupply, sid})) {
        return Status::NotFound("assign: forced pair (\"" + did + "\", \"" + sid +
                                "\"): the supply is not stored in the engine");
      }
      forced_.emplace_back(d->second, SupplyIndex(sid));
      auto& list = candidates_[d->second];
      bool found = false;
      for (const EngineCandidate& c : list) found = found || c.supply == sid;
      if (found) continue;
      MatchOptions m = internal::CandidateMatchOptions(o_, o_.explain);
      m.k = 1;
      m.filter.ids = {sid};
      auto r = engine_.Match(demands_[d->second], m);
      if (!r.ok()) return r.status().WithContext("assign: scoring forced pair (\"" + did + "\", \"" + sid + "\")");
      const double score = r->matches.empty() ? 0.0 : r->matches[0].score;
      if (!r->matches.empty()) forced_explanations_[{d->second, sid}] = r->matches[0].explanation;
      list.push_back({sid, score, uint32_t(o_.k + 1 + list.size())});
    }
    return Status::OK();
  }

  Status LoadSupplies() {
    supplies_.resize(supply_ids_.size());
    for (const auto& entry : o_.capacities) {
      if (!engine_.Contains(RecordKey{RecordKind::kSupply, entry.first})) {
        return Status::NotFound("assign: capacity given for supply \"" + entry.first +
                                "\", which is not stored in the engine");
      }
    }
    for (size_t s = 0; s < supply_ids_.size(); ++s) {
      auto r = engine_.Get(RecordKey{RecordKind::kSupply, supply_ids_[s]});
      if (!r.ok()) return r.status().WithContext("assign");
      supplies_[s] = std::move(*r);
    }
    return Status::OK();
  }

  Status SetBounds() {
    CandidateGraph& g = out_->graph;
    g.num_demands = uint32_t(demands_.size());
    g.num_supplies = uint32_t(supply_ids_.size());
    g.demand_min.resize(g.num_demands);
    g.demand_max.resize(g.num_demands);
    for (uint32_t d = 0; d < g.num_demands; ++d) {
      TECHMATCH_RETURN_IF_ERROR(internal::UintAttribute(demands_[d], o_.min_attribute,
                                                        o_.min_answers, &g.demand_min[d]));
      TECHMATCH_RETURN_IF_ERROR(internal::UintAttribute(demands_[d], o_.max_attribute,
                                                        o_.max_answers, &g.demand_max[d]));
      g.demand_ids.push_back(demands_[d].id);
      out_->demand_titles.push_back(internal::ShortTitle(demands_[d]));
    }
    g.supply_capacity.resize(g.num_supplies);
    for (uint32_t s = 0; s < g.num_supplies; ++s) {
      auto fixed = o_.capacities.find(supply_ids_[s]);
      if (fixed != o_.capacities.end()) {
        g.supply_capacity[s] = fixed->second;
      } else {
        TECHMATCH_RETURN_IF_ERROR(internal::UintAttribute(
            supplies_[s], o_.capacity_attribute, o_.capacity, &g.supply_capacity[s]));
      }
      out_->supply_titles.push_back(internal::ShortTitle(supplies_[s]));
    }
    g.supply_ids = supply_ids_;
    return Status::OK();
  }

  bool SameOrganization(const Record& demand, const Record& supply) const {
    for (const auto& [da, sa] : o_.exclude_same) {
      auto x = demand.attributes.find(da);
      auto y = supply.attributes.find(sa);
      if (x != demand.attributes.end() && y != supply.attributes.end() && !x->second.empty() &&
          x->second == y->second) {
        return true;
      }
    }
    return false;
  }

  void AddArcs() {
    CandidateGraph& g = out_->graph;
    out_->dropped_by_min_score.assign(g.num_demands, 0);
    out_->dropped_by_exclusion.assign(g.num_demands, 0);
    const std::set<std::pair<uint32_t, uint32_t>> forced(forced_.begin(), forced_.end());
    // A listed conflict -> whether a candidate pair met it.
    std::map<std::pair<uint32_t, std::string>, bool> conflicts;
    for (const auto& [did, sid] : o_.conflicts) {
      auto d = demand_index_.find(did);
      if (d == demand_index_.end()) {
        ++out_->conflicts_ignored;
      } else {
        conflicts[{d->second, sid}] = false;
      }
    }
    for (uint32_t d = 0; d < g.num_demands; ++d) {
      for (const EngineCandidate& c : candidates_[d]) {
        const uint32_t s = supply_index_.at(c.supply);
        const bool is_forced = forced.count({d, s}) > 0;
        if (!is_forced && o_.min_score && c.score < *o_.min_score) {
          ++out_->dropped_by_min_score[d];
          continue;
        }
        g.arcs.push_back({d, s, c.score, c.rank});
        auto conflict = conflicts.find({d, c.supply});
        if (conflict != conflicts.end()) conflict->second = true;
        if (!is_forced && (conflict != conflicts.end() || SameOrganization(demands_[d], supplies_[s]))) {
          g.excluded.push_back({d, s});
          ++out_->dropped_by_exclusion[d];
        }
      }
    }
    for (const auto& [pair, used] : conflicts) out_->conflicts_ignored += used ? 0 : 1;
    g.forced = forced_;
    out_->supplies_in_engine = engine_.stats().supplies;
  }

  // The engine's explanation of each assigned pair: a second MatchBatch
  // (same options, explained) over the demands with answers.
  Status Explain() {
    const Assignment& a = out_->assignment;
    out_->explanations.assign(a.demands.size(), {});
    if (!o_.explain) return Status::OK();
    const Clock::time_point t0 = Clock::now();
    std::vector<uint8_t> wanted(a.demands.size(), 0);
    for (size_t d = 0; d < a.demands.size(); ++d) wanted[d] = !a.demands[d].supplies.empty();
    size_t reached = 0;
    TECHMATCH_RETURN_IF_ERROR(internal::MatchInChunks(
        engine_, demands_, wanted, internal::CandidateMatchOptions(o_, true), o_.threads, false,
        deadline_,
        [&](size_t d, MatchResult&& r) {
          std::unordered_map<std::string, const Match*> by_id;
          for (const Match& m : r.matches) by_id.emplace(m.key.id, &m);
          for (const AssignedPair& p : a.demands[d].supplies) {
            const std::string& sid = supply_ids_[p.supply];
            auto it = by_id.find(sid);
            auto forced = forced_explanations_.find({uint32_t(d), sid});
            if (it != by_id.end()) {
              out_->explanations[d].push_back(it->second->explanation);
            } else if (forced != forced_explanations_.end()) {
              out_->explanations[d].push_back(forced->second);
            } else {
              out_->explanations[d].emplace_back();
            }
          }
        },
        &reached));
    out_->explain_seconds = Seconds(t0);
    return Status::OK();
  }

  // Demands that had no candidate left say why, in the engine's terms.
  void RewriteReasons() {
    Assignment& a = out_->assignment;
    for (uint32_t d = 0; d < a.demands.size(); ++d) {
      DemandOutcome& o = a.demands[d];
      if (o.candidates > 0 || !o.supplies.empty()) continue;
      const uint32_t below = out_->dropped_by_min_score[d];
      const uint32_t excluded = out_->dropped_by_exclusion[d];
      if (d >= reached_) {
        o.reason = "time limit reached before its candidates were found";
      } else if (below + excluded == 0) {
        o.reason = "no candidate: the engine found no supply for it";
      } else {
        o.reason = "no candidate left:";
        if (below > 0) {
          o.reason += " " + std::to_string(below) + " scored below min_score " +
                      internal::FormatFixed(o_.min_score.value_or(0));
        }
        if (excluded > 0) {
          o.reason += std::string(below > 0 ? "," : "") + " " + std::to_string(excluded) +
                      " excluded (same organization or a listed conflict)";
        }
      }
    }
  }

  const Engine& engine_;
  const AssignOptions& o_;
  EngineAssignment* out_;
  Clock::time_point start_, deadline_;
  std::vector<Record> demands_;
  std::unordered_map<std::string, uint32_t> demand_index_, supply_index_;
  std::vector<std::string> supply_ids_;
  std::vector<Record> supplies_;
  std::vector<std::vector<EngineCandidate>> candidates_;
  std::vector<std::pair<uint32_t, uint32_t>> forced_;
  std::map<std::pair<uint32_t, std::string>, Explanation> forced_explanations_;
  size_t reached_ = 0;
  std::vector<std::string> notes_;
};

}  // namespace

Status AssignOptions::Validate() const {
  auto bad = [](const std::string& what) {
    return Status::InvalidArgument("assign options: " + what);
  };
  if (k < 1 || k > 10000) return bad("k must be in 1..10000");
  if (min_answers > max_answers) return bad("min_answers > max_answers");
  if (min_score && !std::isfinite(*min_score)) return bad("min_score must be finite");
  for (const auto& [d, s] : exclude_same) {
    if (d.empty() || s.empty()) return bad("exclude_same needs two attribute names");
  }
  TECHMATCH_RETURN_IF_ERROR(filter.Validate().WithContext("assign options: filter"));
  return solver.Validate().WithContext("assign options: solver");
}

Result<EngineAssignment> Assign(const Engine& engine, const AssignDemands& demands,
                                const AssignOptions& options) {
  return internal::CatchAll("assign", [&]() -> Result<EngineAssignment> {
    EngineAssignment out;
    AssignBuilder builder(engine, options, &out);
    TECHMATCH_RETURN_IF_ERROR(builder.Run(demands));
    return out;
  });
}

}  // namespace techmatch

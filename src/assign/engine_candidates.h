// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The engine side of Assign: the demands to serve and their candidates
// from MatchBatch (public Engine API only).

#ifndef TECHMATCH_ASSIGN_ENGINE_CANDIDATES_H_
#define TECHMATCH_ASSIGN_ENGINE_CANDIDATES_H_

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "techmatch/assign.h"
#include "techmatch/engine.h"
#include "techmatch/match.h"
#include "techmatch/status.h"

namespace techmatch::internal {

/// One candidate supply of a demand, as Match returned it.
struct EngineCandidate {
  std::string supply;
  double score = 0;
  uint32_t rank = 0;
};

/// The demand records to serve, in AssignDemands order; stored ones are
/// read with Engine::Get. Duplicate ids and unknown stored ids are errors.
Status CollectDemands(const Engine& engine, const AssignDemands& demands,
                      std::vector<Record>* out);

/// The MatchOptions of the candidate pass (explain = false) or of the
/// explaining pass.
MatchOptions CandidateMatchOptions(const AssignOptions& options, bool explain);

/// Runs MatchBatch over `demands` (those with `wanted`[i], all when
/// empty) in chunks, calling `sink(i, result)` for each. Stops between
/// chunks once `deadline` has passed (when `limited`); `*reached` is the
/// number of demands matched before that.
Status MatchInChunks(const Engine& engine, const std::vector<Record>& demands,
                     const std::vector<uint8_t>& wanted, const MatchOptions& match,
                     int threads, bool limited,
                     std::chrono::steady_clock::time_point deadline,
                     const std::function<void(size_t, MatchResult&&)>& sink, size_t* reached);

/// A non-negative integer attribute of `record`, or `fallback` when absent
/// or `name` is empty; an error naming the record otherwise.
Status UintAttribute(const Record& record, const std::string& name, uint32_t fallback,
                     uint32_t* out);

/// The record's title, or its text's first ~40 characters.
std::string ShortTitle(const Record& record);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ASSIGN_ENGINE_CANDIDATES_H_

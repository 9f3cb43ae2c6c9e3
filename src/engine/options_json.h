// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// EngineOptions <-> the JSON object saved in an engine snapshot's META,
// both directions from one table of fields (options_json.cc).

#ifndef TECHMATCH_ENGINE_OPTIONS_JSON_H_
#define TECHMATCH_ENGINE_OPTIONS_JSON_H_

#include <nlohmann/json.hpp>
#include <string>

#include "techmatch/engine_options.h"
#include "techmatch/status.h"

namespace techmatch::internal {

/// The saved options: every field of the table, nested by section
/// ({"analyzer": {...}, "lexical": {"k1": 1.2, ...}, ...}). Runtime
/// settings (threads) are not saved: a loaded engine uses the defaults.
nlohmann::json OptionsToJson(const EngineOptions& options);

/// Reads what OptionsToJson wrote, by the rules of docs/format.md: a key
/// that is absent keeps its default (a field added after the snapshot was
/// written); a key this build does not know is ignored (a field added by a
/// newer build); a key of the wrong type or value is Corruption naming it
/// ("lexical.k1: expected a number"). The result is validated as Open
/// validates (Corruption naming the field).
Result<EngineOptions> OptionsFromJson(const nlohmann::json& j);

/// Scorer weights as {"lexical": 1, ..., "bias": 0} and back (features
/// by name: an absent one weighs 0, an unknown one is ignored; Corruption
/// naming `path` for a wrong type).
nlohmann::json WeightsToJson(const ScorerWeights& weights);
Result<ScorerWeights> WeightsFromJson(const nlohmann::json& j,
                                      const std::string& path);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ENGINE_OPTIONS_JSON_H_

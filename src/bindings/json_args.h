// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// What the C API and the Python module take as JSON from their callers:
// engine options, a match filter, records as JSON Lines. One parser for
// both, so the two bindings accept the same keys with the same errors.

#ifndef TECHMATCH_BINDINGS_JSON_ARGS_H_
#define TECHMATCH_BINDINGS_JSON_ARGS_H_

#include <string_view>
#include <vector>

#include "techmatch/engine_options.h"
#include "techmatch/filter.h"
#include "techmatch/record.h"
#include "techmatch/status.h"

namespace techmatch::internal {

/// Sets the options named in a JSON object on *options: the saved options
/// keyed as in a snapshot ({"embedder": {"dim": 64}}, docs/format.md),
/// plus "threads", "analyzer.dictionary_file" and
/// "analyzer.stopwords_file". "scorer.weights" sets the weights it names
/// and keeps the others. An unknown key, a wrong type or a value that
/// fails EngineOptions::Validate is InvalidArgument naming the key; then
/// *options is unchanged.
Status ApplyEngineOptionsJson(std::string_view json, EngineOptions* options);

/// A RecordFilter from a JSON object with the keys "kind" ("supply" /
/// "demand"), "category" and "region" (a prefix or an array of them),
/// "min_maturity", "max_maturity" (1-9), "attributes" (an object of
/// strings) and "ids" (an array of strings). InvalidArgument names the key.
Result<RecordFilter> ParseFilterJson(std::string_view json);

/// Records from JSON Lines (blank lines skipped), all or none: an error
/// is "<source>:<line>: <what>" (ReadRecordsJsonl's checks, ids unique per
/// kind). A line without "kind" is a supply.
Result<std::vector<Record>> ParseRecordsJsonl(std::string_view jsonl,
                                              std::string_view source);

}  // namespace techmatch::internal

#endif  // TECHMATCH_BINDINGS_JSON_ARGS_H_

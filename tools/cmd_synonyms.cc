// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch synonyms: candidate synonym pairs mined from a snapshot's own
// records, printed in the synonyms format for a person to review.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "cli_common.h"
#include "commands.h"
#include "server/index_dir.h"
#include "server/synonym_mining.h"
#include "techmatch/analyzer.h"
#include "techmatch/engine.h"

namespace techmatch::cli {

Runner AddSynonymsCommand(CLI::App& app) {
  static constexpr const char* kCmd = "synonyms";
  struct Args {
    std::string index;
    size_t min_count = 1;
    size_t limit = 1000;
  };
  auto args = std::make_shared<Args>();
  CLI::App* sub = app.add_subcommand(
      "synonyms",
      "Mine candidate synonym pairs from an index's records (\"X（简称Y）\", \"X，又称Y\", "
      "\"碳化硅（SiC）\"): lines of the synonyms format (for `match --synonyms` and `serve "
      "--synonyms`), each with a comment saying where it was found. Review before use.");
  sub->add_option("--index", args->index, "Snapshot directory written by `techmatch index`")
      ->required();
  sub->add_option("--min-count", args->min_count, "Only pairs stated in at least this many records")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  sub->add_option("--limit", args->limit, "At most this many pairs, most stated first")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  return [args]() -> int {
    auto dir = server::IndexDir::OpenReadOnly(args->index);
    if (!dir.ok()) return Fail(kCmd, dir.status());
    const Engine& engine = (*dir)->engine();
    auto analyzer = Analyzer::Create(engine.options().analyzer);
    if (!analyzer.ok()) return Fail(kCmd, analyzer.status());
    server::SynonymMiner miner(**analyzer);
    size_t records = 0;
    for (RecordKind kind : {RecordKind::kSupply, RecordKind::kDemand}) {
      for (const RecordKey& key : engine.Keys(kind)) {
        auto r = engine.Get(key);
        if (!r.ok()) continue;  // removed meanwhile
        ++records;
        const std::string id = std::string(RecordKindName(kind)) + "/" + r->id;
        miner.Scan(id, r->title);
        for (const std::string& kw : r->keywords) miner.Scan(id, kw);
        miner.Scan(id, r->text);
      }
    }
    const auto found = miner.Candidates(args->min_count, args->limit);
    std::string out = "# techmatch synonyms --index " + args->index + ": " +
                      std::to_string(found.size()) + " candidate pairs from " +
                      std::to_string(records) +
                      " records. Review each line: delete wrong ones, keep the rest.\n";
    for (const auto& c : found) out += server::SynonymMiner::FormatLine(c) + "\n";
    if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size()) {
      return Fail(kCmd, "write error");
    }
    return 0;
  };
}

}  // namespace techmatch::cli

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch index: records (JSONL) -> an engine snapshot directory.

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "output_lock.h"
#include "progress.h"
#include "techmatch/engine.h"
#include "techmatch/engine_options.h"
#include "techmatch/record_io.h"

namespace techmatch::cli {

Runner AddIndexCommand(CLI::App& app) {
  struct Args {
    std::vector<std::string> records;
    std::vector<std::string> maps;
    std::string kind = "supply";
    std::string dict;
    size_t dim = 0;
    std::string dense_index;
    bool lenient = false;
    int threads = 0;
    std::string out;
  };
  auto args = std::make_shared<Args>();
  CLI::App* sub = app.add_subcommand(
      "index",
      "Build an engine from records (JSONL, docs/records.md) and save it as "
      "a snapshot directory.");
  sub->add_option("--records", args->records,
                  "Records file (JSONL); repeat for several files "
                  "(e.g. supplies and demands)")
      ->required()
      ->take_all();
  sub->add_option("--map", args->maps,
                  "Field map for every input file: "
                  "target=src[/src...][,target=src...], e.g. "
                  "categories=category/discipline,text=abstract")
      ->take_all();
  sub->add_option("--kind", args->kind,
                  "Kind of records whose line has no \"kind\" field")
      ->check(CLI::IsMember({"supply", "demand"}))
      ->capture_default_str();
  sub->add_option("--dict", args->dict,
                  "User dictionary for the analyzer (one term per line, "
                  "optional weight)");
  sub->add_option("--dim", args->dim,
                  "Embedding dimension (default: the engine's, 256)");
  sub->add_option("--dense-index", args->dense_index,
                  "Dense index spec: auto, Flat, a Faiss factory string "
                  "(IVF4096,Flat, HNSW32,Flat) or HNSWLIB[,M=16] "
                  "(default: auto)");
  sub->add_flag("--lenient", args->lenient,
                "Skip bad input lines (reported on stderr) instead of "
                "stopping at the first");
  sub->add_option("--threads", args->threads, "Worker threads (0 = all cores)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--out", args->out, "Snapshot directory to write")
      ->required();
  return [args]() -> int {
    const char* cmd = "index";
    auto start = std::chrono::steady_clock::now();
    // Before any work: a second writer or an unwritable --out fails now.
    auto out_lock = OutputDirLock::Acquire(args->out, "techmatch index");
    if (!out_lock.ok()) return Fail(cmd, out_lock.status());

    JsonlReadOptions read_options;
    read_options.lenient = args->lenient;
    read_options.default_kind =
        args->kind == "demand" ? RecordKind::kDemand : RecordKind::kSupply;
    for (const std::string& spec : args->maps) {
      Status s = read_options.AddFieldMap(spec);
      if (!s.ok()) return Fail(cmd, s.WithContext("--map"));
    }
    std::vector<Record> records;
    {
      Progress progress("read");
      Status s = ReadRecordFiles(cmd, args->records, read_options, &records);
      if (!s.ok()) {
        progress.Abort();
        return Fail(cmd, s);
      }
      progress.Update(records.size(), records.size());
      progress.Finish();
    }
    if (records.empty()) {
      return Fail(cmd, "no records in the input: nothing to index");
    }
    size_t supplies = 0, demands = 0;
    for (const Record& r : records) {
      (r.kind == RecordKind::kSupply ? supplies : demands)++;
    }

    EngineOptions options;
    options.analyzer.dictionary_file = args->dict;
    if (args->dim > 0) options.embedder.dim = args->dim;
    if (!args->dense_index.empty()) options.dense.spec = args->dense_index;
    options.threads = args->threads;
    auto engine = Engine::Open(options);
    if (!engine.ok()) return Fail(cmd, engine.status());
    {
      Progress progress("add");
      Status s = (*engine)->Add(records, progress.Callback());
      if (!s.ok()) {
        progress.Abort();
        return Fail(cmd, s);
      }
      progress.Update(records.size(), records.size());
      progress.Finish();
    }
    {
      // Fitting the embedder comes first and reports no progress; the
      // bar moves while records are embedded and indexed.
      Progress progress("build");
      Status s = (*engine)->Build(progress.Callback());
      if (!s.ok()) {
        progress.Abort();
        if (options.embedder.kind == EmbedderKind::kLsa &&
            records.size() <= options.embedder.dim) {
          // The usual cause on a small collection: the LSA rank must stay
          // below the number of records.
          s = Status(s.code(), s.message() + " (only " +
                                   std::to_string(records.size()) +
                                   " records: try a smaller --dim)");
        }
        return Fail(cmd, s);
      }
      progress.Finish();
    }
    {
      Progress progress("save");
      Status s = (*engine)->Save(args->out);
      if (!s.ok()) {
        progress.Abort();
        return Fail(cmd, s);
      }
      progress.Finish();
    }
    std::printf("indexed %zu records (%zu supplies, %zu demands) in %s -> %s\n",
                records.size(), supplies, demands,
                FormatSeconds(SecondsSince(start)).c_str(), args->out.c_str());
    return 0;
  };
}

}  // namespace techmatch::cli

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch upsert / remove: change a snapshot directory in place (no
// re-index): load it, apply the change durably (the write-ahead log), save
// a new snapshot generation. Takes the directory's lock, as `serve` does.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "server/index_dir.h"

namespace techmatch::cli {

namespace {

// Records logged and applied per step: one log record stays far below the
// log's size limit, and a huge file does not need twice its size in memory
// for one log payload.
constexpr size_t kStep = 5000;

Result<std::unique_ptr<server::IndexDir>> OpenForWriting(const std::string& dir,
                                                         const char* holder) {
  server::IndexDirOptions options;
  options.holder = holder;
  return server::IndexDir::Open(dir, options);
}

// "KIND/ID" (the id may itself contain '/').
Result<RecordKey> ParseKey(const std::string& text) {
  const size_t slash = text.find('/');
  if (slash == std::string::npos || slash + 1 == text.size()) {
    return Status::InvalidArgument("--id \"" + text + "\": expected KIND/ID, e.g. supply/S0001");
  }
  auto kind = ParseRecordKind(text.substr(0, slash));
  if (!kind.ok()) {
    return Status::InvalidArgument("--id \"" + text + "\": kind must be supply or demand");
  }
  return RecordKey{*kind, text.substr(slash + 1)};
}

}  // namespace

Runner AddUpsertCommand(CLI::App& app) {
  struct Args {
    std::string index;
    std::vector<std::string> records;
    std::vector<std::string> maps;
  };
  auto args = std::make_shared<Args>();
  CLI::App* sub = app.add_subcommand(
      "upsert",
      "Add or replace records (by kind and id) in a snapshot directory in place; "
      "`match` then sees them. Not while `techmatch serve` runs on it (use its API).");
  sub->add_option("--index", args->index, "Snapshot directory written by `techmatch index`")
      ->required();
  sub->add_option("--records", args->records, "Records (JSONL); repeat for several files")
      ->required();
  sub->add_option("--map", args->maps, "Field map (as in `techmatch index`)")->take_all();
  return [args]() -> int {
    constexpr const char* kCmd = "upsert";
    JsonlReadOptions read_options;
    for (const std::string& spec : args->maps) {
      Status s = read_options.AddFieldMap(spec);
      if (!s.ok()) return Fail(kCmd, s.WithContext("--map"));
    }
    std::vector<Record> records;
    if (Status s = ReadRecordFiles(kCmd, args->records, read_options, &records); !s.ok()) {
      return Fail(kCmd, s);
    }
    if (records.empty()) return Fail(kCmd, "no records in the given files");
    auto dir = OpenForWriting(args->index, "techmatch upsert");
    if (!dir.ok()) return Fail(kCmd, dir.status());
    server::UpsertCounts total;
    for (size_t b = 0; b < records.size(); b += kStep) {
      std::vector<Record> step(records.begin() + long(b),
                               records.begin() + long(std::min(records.size(), b + kStep)));
      auto counts = (*dir)->Upsert(step);
      if (!counts.ok()) {
        // Earlier steps are in the log (durable); fold them in and say so.
        Status saved = (*dir)->Checkpoint();
        std::fprintf(stderr, "techmatch upsert: %zu records before the failing step %s\n", b,
                     saved.ok() ? "were saved" : "are in the write-ahead log");
        return Fail(kCmd, counts.status().WithContext("records " + std::to_string(b) + "-"));
      }
      total.created += counts->created;
      total.replaced += counts->replaced;
    }
    if (Status s = (*dir)->Checkpoint(); !s.ok()) return Fail(kCmd, s);
    std::printf("upserted %zu records into %s: %zu new, %zu replaced; %zu records in all\n",
                records.size(), args->index.c_str(), total.created, total.replaced,
                (*dir)->engine().size());
    return 0;
  };
}

Runner AddRemoveCommand(CLI::App& app) {
  struct Args {
    std::string index;
    std::vector<std::string> ids;
  };
  auto args = std::make_shared<Args>();
  CLI::App* sub = app.add_subcommand(
      "remove",
      "Remove records from a snapshot directory in place. Nothing is removed if one is "
      "absent. Not while `techmatch serve` runs on it (use its API).");
  sub->add_option("--index", args->index, "Snapshot directory written by `techmatch index`")
      ->required();
  sub->add_option("--id", args->ids, "KIND/ID, e.g. supply/S0001; repeat for several")
      ->required()
      ->take_all();
  return [args]() -> int {
    constexpr const char* kCmd = "remove";
    std::vector<RecordKey> keys;
    for (const std::string& text : args->ids) {
      auto key = ParseKey(text);
      if (!key.ok()) return Fail(kCmd, key.status());
      keys.push_back(std::move(*key));
    }
    auto dir = OpenForWriting(args->index, "techmatch remove");
    if (!dir.ok()) return Fail(kCmd, dir.status());
    if (Status s = (*dir)->Remove(keys); !s.ok()) return Fail(kCmd, s);
    if (Status s = (*dir)->Checkpoint(); !s.ok()) return Fail(kCmd, s);
    std::printf("removed %zu records from %s; %zu records in all\n", keys.size(),
                args->index.c_str(), (*dir)->engine().size());
    return 0;
  };
}

}  // namespace techmatch::cli

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Small helpers shared by the sub-commands (header-only).

#ifndef TECHMATCH_TOOLS_CLI_COMMON_H_
#define TECHMATCH_TOOLS_CLI_COMMON_H_

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "techmatch/record.h"
#include "techmatch/record_io.h"
#include "techmatch/status.h"

namespace techmatch::cli {

/// Prints "techmatch <command>: <status>" to stderr; returns exit code 1.
inline int Fail(const char* command, const Status& status) {
  std::fprintf(stderr, "techmatch %s: %s\n", command,
               status.ToString().c_str());
  return 1;
}

/// Prints "techmatch <command>: <message>" to stderr; returns exit code 1.
inline int Fail(const char* command, const std::string& message) {
  std::fprintf(stderr, "techmatch %s: %s\n", command, message.c_str());
  return 1;
}

/// Seconds on the monotonic clock since `start`.
inline double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
      .count();
}

/// True if `dir` is an existing, non-empty directory (a snapshot to load
/// rather than a place to write one).
inline bool IsNonEmptyDirectory(const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return false;
  return std::filesystem::directory_iterator(dir, ec) !=
         std::filesystem::directory_iterator();
}

/// Reads and concatenates record files. In lenient mode the skipped lines
/// are summarized on stderr (the first few messages, then a count).
/// A (kind, id) given in two files is an error naming both (each file's
/// reader already rejects duplicates within it, naming the lines).
inline Status ReadRecordFiles(const char* command,
                              const std::vector<std::string>& paths,
                              const JsonlReadOptions& options,
                              std::vector<Record>* out) {
  std::map<std::pair<RecordKind, std::string>, size_t> seen;  // -> file
  for (const Record& r : *out) seen.emplace(std::make_pair(r.kind, r.id), 0);
  for (size_t file = 0; file < paths.size(); ++file) {
    const std::string& path = paths[file];
    ReadReport report;
    auto records = ReadRecordsJsonlFile(path, options, &report);
    if (!records.ok()) return records.status();
    if (report.skipped > 0) {
      std::fprintf(stderr, "techmatch %s: %s: skipped %zu bad line%s:\n",
                   command, path.c_str(), report.skipped,
                   report.skipped == 1 ? "" : "s");
      constexpr size_t kShown = 5;
      for (size_t i = 0; i < report.errors.size() && i < kShown; ++i) {
        std::fprintf(stderr, "  %s\n", report.errors[i].c_str());
      }
      if (report.skipped > kShown) {
        std::fprintf(stderr, "  ... and %zu more\n", report.skipped - kShown);
      }
    }
    for (const Record& r : *records) {
      auto [it, fresh] = seen.emplace(std::make_pair(r.kind, r.id), file);
      if (!fresh) {
        return Status::InvalidArgument(
            path + ": record \"" + r.id + "\": duplicate " +
            RecordKindName(r.kind) + " id, also in " + paths[it->second]);
      }
    }
    if (out->empty()) {
      *out = std::move(*records);
    } else {
      out->insert(out->end(), std::make_move_iterator(records->begin()),
                  std::make_move_iterator(records->end()));
    }
  }
  return Status::OK();
}

/// Writes every (path, content) or none: each goes to "<path>.tmp" first
/// and is renamed only when all were written, so a failed run never
/// leaves half an output behind.
inline Status WriteFilesAtomically(
    const std::vector<std::pair<std::string, std::string>>& files) {
  std::error_code ec;
  auto drop_temps = [&]() {
    for (const auto& f : files) std::filesystem::remove(f.first + ".tmp", ec);
  };
  for (const auto& [path, content] : files) {
    const std::string tmp = path + ".tmp";
    std::FILE* out = std::fopen(tmp.c_str(), "wb");
    if (out == nullptr) {
      drop_temps();
      return Status::IOError(tmp + ": cannot create");
    }
    const bool ok = std::fwrite(content.data(), 1, content.size(), out) == content.size();
    if (std::fclose(out) != 0 || !ok) {
      drop_temps();
      return Status::IOError(tmp + ": write failed");
    }
  }
  for (const auto& f : files) {
    std::filesystem::rename(f.first + ".tmp", f.first, ec);
    if (ec) {
      drop_temps();
      return Status::IOError(f.first + ": cannot rename from " + f.first + ".tmp: " +
                             ec.message());
    }
  }
  return Status::OK();
}

}  // namespace techmatch::cli

#endif  // TECHMATCH_TOOLS_CLI_COMMON_H_

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Reading and writing records as JSON Lines (schema: docs/records.md).

#ifndef TECHMATCH_RECORD_IO_H_
#define TECHMATCH_RECORD_IO_H_

#include <cstddef>
#include <functional>
#include <iosfwd>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "techmatch/export.h"
#include "techmatch/record.h"
#include "techmatch/status.h"

namespace techmatch {

/// How JSONL lines become records. Defaults read the techmatch schema.
struct TECHMATCH_EXPORT_CLASS JsonlReadOptions {
  /// Kind given to records whose line has no "kind" field.
  RecordKind default_kind = RecordKind::kSupply;

  /// false (default): the first bad line stops reading with an error naming
  /// it. true: bad lines are skipped and reported in ReadReport.
  bool lenient = false;

  /// Lines longer than this are rejected (bytes). Default 64 MiB.
  size_t max_line_bytes = 64u << 20;

  /// Maps a techmatch field to the field(s) of the input that supply it.
  /// Key: a techmatch field name ("id", "kind", "title", "text", "keywords",
  /// "categories", "region", "maturity", "price", "budget", "org_type",
  /// "created", "attributes"). Value: one or more source field names. For
  /// the path fields ("categories", "region") several sources are joined
  /// with '/' in the given order, skipping null or empty ones, e.g.
  /// {"categories", {"category", "discipline"}} turns csl-match's
  /// {"category":"工学","discipline":"力学"} into the path "工学/力学".
  /// For other fields only one source is allowed. A mapped field's own
  /// name is no longer read. Default: empty (identity).
  std::map<std::string, std::vector<std::string>> field_map;

  /// Checks field_map names only known techmatch fields, with sources.
  Status Validate() const;

  /// Parses a mapping spec "target=src[/src...][,target=src...]", e.g.
  /// "categories=category/discipline,text=abstract", into field_map
  /// (merging with what is there). Errors name the bad entry.
  Status AddFieldMap(std::string_view spec);
};

/// What a read saw. In lenient mode, the lines that were skipped and why.
struct ReadReport {
  size_t lines = 0;    ///< lines read, blank ones included
  size_t records = 0;  ///< records produced
  size_t skipped = 0;  ///< bad lines skipped (lenient mode only)
  /// One message per skipped line ("corpus.jsonl:17: ..."), at most
  /// kMaxErrors; `skipped` still counts them all.
  std::vector<std::string> errors;
  static constexpr size_t kMaxErrors = 1000;
};

/// Parses one JSON object into a record. `where` prefixes error messages
/// (e.g. "file.jsonl:12"). Does not check id uniqueness.
TECHMATCH_EXPORT Result<Record> ParseRecordJson(std::string_view json,
                                                const JsonlReadOptions& options,
                                                std::string_view where = "");

/// Streams records from JSONL text, calling `sink` for each valid record in
/// file order. Checks: valid UTF-8, valid JSON object, required id, types,
/// maturity 1-9, and id uniqueness per kind across the stream. `source`
/// names the input in messages. A non-OK status from `sink` stops reading
/// and is returned as is. `report` may be null.
TECHMATCH_EXPORT Status ReadRecordsJsonl(
    std::istream& in, const JsonlReadOptions& options,
    const std::function<Status(Record&&)>& sink, ReadReport* report = nullptr,
    std::string_view source = "<input>");

/// Reads a whole JSONL file into memory.
TECHMATCH_EXPORT Result<std::vector<Record>> ReadRecordsJsonlFile(
    const std::string& path, const JsonlReadOptions& options = {},
    ReadReport* report = nullptr);

/// One record as a single-line JSON object in the techmatch schema (no
/// trailing newline). Unset optional fields are omitted.
TECHMATCH_EXPORT std::string RecordToJson(const Record& record);

/// Writes records as JSONL, one per line. Records are validated first.
TECHMATCH_EXPORT Status WriteRecordsJsonl(std::ostream& out,
                                          const std::vector<Record>& records);

/// Writes a JSONL file (replacing it).
TECHMATCH_EXPORT Status WriteRecordsJsonlFile(
    const std::string& path, const std::vector<Record>& records);

}  // namespace techmatch

#endif  // TECHMATCH_RECORD_IO_H_

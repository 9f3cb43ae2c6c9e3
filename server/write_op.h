// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// WriteOp: one acknowledged write as the write-ahead log stores it.

#ifndef TECHMATCH_SERVER_WRITE_OP_H_
#define TECHMATCH_SERVER_WRITE_OP_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "techmatch/record.h"
#include "techmatch/status.h"

namespace techmatch::server {

/// A write to an index directory. The payload of one log record (its type
/// is the log record's type byte); docs/format.md, "Write-ahead log".
struct WriteOp {
  enum Type : uint8_t {
    kUpsert = 1,  ///< records: add or replace each (by kind and id)
    kRemove = 2,  ///< keys: remove each
    /// aborted_seq: an earlier op of this log that was logged but could not
    /// be applied (never acknowledged); replay skips it.
    kAbort = 3,
  };
  Type type = kUpsert;
  uint64_t seq = 0;  ///< increasing within a log
  std::vector<Record> records;
  std::vector<RecordKey> keys;
  uint64_t aborted_seq = 0;

  /// payload: seq (varint64), then for kUpsert a count and each record's
  /// JSON (the techmatch schema, length-prefixed); for kRemove a count and
  /// each key as kind (1 byte) and id (length-prefixed); for kAbort the
  /// aborted seq (varint64).
  std::string EncodePayload() const;
  /// Parses a payload of log record type `type`; `where` (file and offset)
  /// prefixes errors (Corruption).
  static Result<WriteOp> Decode(uint8_t type, std::string_view payload,
                                const std::string& where);
};

}  // namespace techmatch::server

#endif  // TECHMATCH_SERVER_WRITE_OP_H_

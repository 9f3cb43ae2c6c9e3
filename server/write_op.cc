// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "server/write_op.h"

#include "io/coding.h"
#include "techmatch/record_io.h"

namespace techmatch::server {

std::string WriteOp::EncodePayload() const {
  std::string out;
  internal::PutVarint64(&out, seq);
  switch (type) {
    case kUpsert:
      internal::PutVarint64(&out, records.size());
      for (const Record& r : records) {
        internal::PutLengthPrefixedString(&out, RecordToJson(r));
      }
      break;
    case kRemove:
      internal::PutVarint64(&out, keys.size());
      for (const RecordKey& k : keys) {
        out.push_back(char(k.kind));
        internal::PutLengthPrefixedString(&out, k.id);
      }
      break;
    case kAbort:
      internal::PutVarint64(&out, aborted_seq);
      break;
  }
  return out;
}

Result<WriteOp> WriteOp::Decode(uint8_t type, std::string_view payload,
                                const std::string& where) {
  WriteOp op;
  if (type != kUpsert && type != kRemove && type != kAbort) {
    return Status::Corruption(where + ": unknown write type " + std::to_string(type));
  }
  op.type = Type(type);
  internal::Decoder d(payload);
  if (!d.ReadVarint64(&op.seq)) return d.Corruption(where + ": sequence number");
  uint64_t count = 0;
  if (op.type == kUpsert) {
    if (!d.ReadCount(&count, 2)) return d.Corruption(where + ": record count");
    JsonlReadOptions options;  // the techmatch schema, as RecordToJson wrote
    op.records.reserve(size_t(count));
    for (uint64_t i = 0; i < count; ++i) {
      std::string_view json;
      if (!d.ReadLengthPrefixed(&json)) return d.Corruption(where + ": record");
      auto r = ParseRecordJson(json, options, where + " record " + std::to_string(i));
      if (!r.ok()) return Status::Corruption(r.status().message());
      op.records.push_back(std::move(*r));
    }
  } else if (op.type == kRemove) {
    if (!d.ReadCount(&count, 2)) return d.Corruption(where + ": key count");
    op.keys.reserve(size_t(count));
    for (uint64_t i = 0; i < count; ++i) {
      uint8_t kind = 0;
      std::string_view id;
      if (!d.ReadFixed8(&kind) || !d.ReadLengthPrefixed(&id)) {
        return d.Corruption(where + ": key");
      }
      if (kind > uint8_t(RecordKind::kDemand)) {
        return Status::Corruption(where + ": unknown record kind " + std::to_string(kind));
      }
      op.keys.push_back(RecordKey{RecordKind(kind), std::string(id)});
    }
  } else if (!d.ReadVarint64(&op.aborted_seq)) {
    return d.Corruption(where + ": aborted sequence number");
  }
  TECHMATCH_RETURN_IF_ERROR(d.ExpectEnd(where));
  return op;
}

}  // namespace techmatch::server

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// A record in the snapshot's binary layout (RECS, engine_format 2).

#ifndef TECHMATCH_RECORD_RECORD_BINARY_H_
#define TECHMATCH_RECORD_RECORD_BINARY_H_

#include <string>

#include "io/coding.h"
#include "techmatch/record.h"
#include "techmatch/status.h"

namespace techmatch::internal {

/// Appends `r`: length-prefixed strings and varint counts in the order of
/// Record's fields (docs/format.md, RECS). Reading it back costs a copy of
/// each string, where the JSON of engine_format 1 cost a parse (~15 us per
/// csl-match record, most of a 1M-record load).
void PutRecordBinary(std::string* out, const Record& r);

/// Reads one record PutRecordBinary wrote into `r` and checks it with
/// Record::Validate(). Corruption (from `in`, or naming the field) on
/// truncated or invalid bytes; never crashes.
Status GetRecordBinary(Decoder* in, Record* r);

}  // namespace techmatch::internal

#endif  // TECHMATCH_RECORD_RECORD_BINARY_H_

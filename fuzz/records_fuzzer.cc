// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The JSONL record reader: any bytes, strict and lenient, with and without
// a field map; what it accepts must write back and parse again.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "techmatch/record_io.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0];
  const std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  techmatch::JsonlReadOptions options;
  options.lenient = (mode & 1) != 0;
  options.max_line_bytes = 4096;  // the limit is reached often, not only in theory
  if ((mode & 2) != 0) {
    options.field_map["categories"] = {"category", "discipline"};
    options.field_map["text"] = {"abstract"};
  }
  std::istringstream in(text);
  techmatch::ReadReport report;
  size_t records = 0;
  const techmatch::Status s = techmatch::ReadRecordsJsonl(
      in, options,
      [&](techmatch::Record&& r) {
        ++records;
        // A record the reader accepted is valid: it writes, and reads back.
        const std::string json = techmatch::RecordToJson(r);
        techmatch::JsonlReadOptions plain;
        auto again = techmatch::ParseRecordJson(json, plain, "round trip");
        if (!again.ok() || techmatch::RecordToJson(*again) != json) std::abort();
        return techmatch::Status::OK();
      },
      &report, "fuzz");
  if (s.ok() && report.records != records) std::abort();
  if (options.lenient && !s.ok()) std::abort();  // lenient skips bad lines, never fails on them
  auto one = techmatch::ParseRecordJson(text, options, "whole input");
  (void)one;
  return 0;
}

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The snapshot container reader on any bytes (the golden snapshot is the
// seed): Corruption or NotSupported, never a crash; what it accepts lists
// sections that can all be read, and writes back to the same bytes.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "io/snapshot_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using techmatch::internal::SnapshotReader;
  using techmatch::internal::SnapshotWriter;
  const std::string bytes(reinterpret_cast<const char*>(data), size);
  auto reader = SnapshotReader::Parse(bytes);
  if (!reader.ok()) return 0;
  SnapshotWriter writer(reader->format_minor());
  for (uint32_t tag : reader->tags()) {
    auto payload = reader->Section(tag);
    if (!payload.ok()) std::abort();
    writer.AddSection(tag, *payload);
  }
  // Tags may repeat in a crafted file (Section finds the first); rewriting
  // is exact only for files a writer could have made.
  auto again = writer.Finish();
  if (again.ok() && reader->format_major() == techmatch::internal::kFormatMajor) {
    auto reread = SnapshotReader::Parse(*again);
    if (!reread.ok()) std::abort();
  }
  return 0;
}

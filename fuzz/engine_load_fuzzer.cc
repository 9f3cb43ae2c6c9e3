// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Engine::Load of a directory whose snapshot holds crafted sections with
// valid checksums (the hostile trial's "crafted snapshots": type errors in
// META, huge weights, lexical_k = 2^62, bad records): the input is the
// sections in fuzz_util.h's framing, written with SnapshotWriter beside a
// CURRENT naming them. A snapshot that loads must answer a match (with
// explanations) and save again; else the error is Corruption or
// NotSupported and names the file.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "fuzz_util.h"
#include "io/snapshot_file.h"
#include "techmatch/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using techmatch::internal::Fourcc;
  using techmatch::internal::SnapshotWriter;
  const std::string dir = techmatch::fuzz::ScratchDir() + "/engine";
  static const bool made = [&] {
    std::filesystem::create_directories(dir);
    SnapshotWriter current;
    current.AddSection(Fourcc("CURR"), "engine-000001.tms");
    return current.WriteFile(dir + "/CURRENT").ok();
  }();
  if (!made) std::abort();
  SnapshotWriter file;
  for (const auto& [tag, payload] : techmatch::fuzz::SplitSections(
           std::string_view(reinterpret_cast<const char*>(data), size))) {
    file.AddSection(tag, payload);
  }
  // Finish refuses what no writer makes (a repeated tag, too many sections).
  if (!file.Finish().ok()) return 0;
  if (!file.WriteFile(dir + "/engine-000001.tms").ok()) std::abort();
  auto engine = techmatch::Engine::Load(dir);
  if (!engine.ok()) {
    const techmatch::Status& s = engine.status();
    using techmatch::StatusCode;
    if (s.code() != StatusCode::kCorruption && s.code() != StatusCode::kNotSupported) std::abort();
    if (s.message().find("engine-000001.tms") == std::string::npos) std::abort();
    return 0;
  }
  techmatch::MatchOptions options;
  options.k = 5;
  auto result = (*engine)->MatchText("全钒液流电池电解液低成本制备", options);
  // An engine saved before its first Build has nothing to match yet.
  if (!result.ok() && result.status().code() != techmatch::StatusCode::kFailedPrecondition) {
    std::abort();
  }
  if (!(*engine)->Save(techmatch::fuzz::ScratchDir() + "/saved").ok()) std::abort();
  return 0;
}

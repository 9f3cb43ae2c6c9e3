// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Shared by the libFuzzer targets: the section framing the snapshot
// fuzzers read, and a scratch directory per process.

#ifndef TECHMATCH_FUZZ_FUZZ_UTIL_H_
#define TECHMATCH_FUZZ_FUZZ_UTIL_H_

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace techmatch::fuzz {

/// The fuzzers' framing of a snapshot's sections, so that mutations reach
/// the section loaders instead of stopping at the container's checksums:
/// repeated [tag: 4 bytes][length: 4 bytes, little-endian][payload]. A
/// length past the end takes what is left. make_seeds writes the golden
/// snapshot's sections in this form.
inline std::vector<std::pair<uint32_t, std::string_view>> SplitSections(std::string_view in) {
  std::vector<std::pair<uint32_t, std::string_view>> out;
  while (in.size() >= 8) {
    uint32_t tag = 0, length = 0;
    for (int i = 0; i < 4; ++i) tag |= uint32_t(uint8_t(in[size_t(i)])) << (8 * i);
    for (int i = 0; i < 4; ++i) length |= uint32_t(uint8_t(in[size_t(4 + i)])) << (8 * i);
    in.remove_prefix(8);
    const size_t n = length < in.size() ? length : in.size();
    out.emplace_back(tag, in.substr(0, n));
    in.remove_prefix(n);
  }
  return out;
}

inline void AppendSection(uint32_t tag, std::string_view payload, std::string* out) {
  for (int i = 0; i < 4; ++i) out->push_back(char((tag >> (8 * i)) & 0xff));
  const uint32_t length = uint32_t(payload.size());
  for (int i = 0; i < 4; ++i) out->push_back(char((length >> (8 * i)) & 0xff));
  out->append(payload);
}

/// A directory of this process's own under $TMPDIR, made on first use and
/// removed at exit. (The path is never freed: the exit handler runs after
/// static objects are destroyed.)
inline const std::string& ScratchDir() {
  static const std::string* const dir = [] {
    const char* tmp = std::getenv("TMPDIR");
    auto* d = new std::string(std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") +
                              "/techmatch-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(*d);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(ScratchDir(), ec);
    });
    return d;
  }();
  return *dir;
}

}  // namespace techmatch::fuzz

#endif  // TECHMATCH_FUZZ_FUZZ_UTIL_H_

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// A user dictionary file of any bytes: the analyzer is created from it
// (or refuses it, naming the line) and segments a fixed text; the input's
// tail after a NUL byte, when there is one, is segmented too.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <string>

#include "fuzz_util.h"
#include "techmatch/analyzer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const size_t nul = input.find('\0');
  const std::string dict = input.substr(0, nul);
  const std::string path = techmatch::fuzz::ScratchDir() + "/dict.txt";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << dict;
    if (!out) std::abort();
  }
  techmatch::AnalyzerOptions options;
  options.dictionary_file = path;
  auto analyzer = techmatch::Analyzer::Create(options);
  if (!analyzer.ok()) {
    if (analyzer.status().message().find(path) == std::string::npos) std::abort();
    return 0;
  }
  auto tokens = (*analyzer)->Segment("全钒液流电池电解液的低成本制备与储能系统集成 5G 无人机");
  if (!tokens.ok()) std::abort();
  if (nul != std::string::npos) {
    auto more = (*analyzer)->Analyze(std::string_view(input).substr(nul + 1));
    (void)more;
  }
  return 0;
}

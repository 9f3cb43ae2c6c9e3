// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch segment: stdin lines -> space-separated words, as written.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "techmatch/analyzer.h"

namespace techmatch::cli {

Runner AddSegmentCommand(CLI::App& app) {
  struct Args {
    std::string dict;
    bool no_t2s = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* sub = app.add_subcommand(
      "segment",
      "Segment text: reads lines on stdin, writes each line's words separated "
      "by single spaces (original characters, punctuation kept as words).");
  sub->add_option("--dict", args->dict,
                  "User dictionary: one term per line, optional weight")
      ->check(CLI::ExistingFile);
  sub->add_flag("--no-t2s", args->no_t2s,
                "Do not map Traditional to Simplified before segmenting");
  return [args]() {
    AnalyzerOptions opt;
    opt.dictionary_file = args->dict;
    opt.traditional_to_simplified = !args->no_t2s;
    auto analyzer = Analyzer::Create(opt);
    if (!analyzer.ok()) {
      std::fprintf(stderr, "techmatch segment: %s\n",
                   analyzer.status().ToString().c_str());
      return 1;
    }
    std::ios::sync_with_stdio(false);
    std::string line, out;
    size_t lineno = 0;
    while (std::getline(std::cin, line)) {
      ++lineno;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      auto tokens = (*analyzer)->Segment(line);
      if (!tokens.ok()) {
        std::fprintf(stderr, "techmatch segment: line %zu: %s\n", lineno,
                     tokens.status().ToString().c_str());
        return 1;
      }
      out.clear();
      for (const Token& t : *tokens) {
        if (!out.empty()) out.push_back(' ');
        out.append(line, t.begin, t.end - t.begin);
      }
      out.push_back('\n');
      std::cout.write(out.data(), std::streamsize(out.size()));
    }
    std::cout.flush();
    if (!std::cout) {
      std::fprintf(stderr, "techmatch segment: write error\n");
      return 1;
    }
    return 0;
  };
}

}  // namespace techmatch::cli

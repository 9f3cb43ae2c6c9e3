// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch analyze: show the terms the analyzer makes of each input line.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "commands.h"
#include "techmatch/analyzer.h"

namespace techmatch::cli {

Runner AddAnalyzeCommand(CLI::App& app) {
  struct Args {
    std::string dict;
    bool words_only = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* sub = app.add_subcommand(
      "analyze",
      "Analyze text: reads lines on stdin, prints each line's terms as "
      "kind:term@begin-end (byte offsets in the line).");
  sub->add_option("--dict", args->dict, "User dictionary file")
      ->check(CLI::ExistingFile);
  sub->add_flag("--words-only", args->words_only,
                "Only word terms (no Han unigrams or bigrams)");
  return [args]() {
    AnalyzerOptions opt;
    opt.dictionary_file = args->dict;
    if (args->words_only) opt.emit_unigrams = opt.emit_bigrams = false;
    auto analyzer = Analyzer::Create(opt);
    if (!analyzer.ok()) {
      std::fprintf(stderr, "techmatch analyze: %s\n",
                   analyzer.status().ToString().c_str());
      return 1;
    }
    std::string line;
    size_t lineno = 0;
    while (std::getline(std::cin, line)) {
      ++lineno;
      auto terms = (*analyzer)->Analyze(line);
      if (!terms.ok()) {
        std::fprintf(stderr, "techmatch analyze: line %zu: %s\n", lineno,
                     terms.status().ToString().c_str());
        return 1;
      }
      std::string out;
      for (const Term& t : *terms) {
        if (!out.empty()) out.push_back(' ');
        out += TermKindName(t.kind)[0];
        out += ':';
        out += t.text;
        out += '@' + std::to_string(t.begin) + '-' + std::to_string(t.end);
      }
      std::cout << out << '\n';
    }
    return 0;
  };
}

}  // namespace techmatch::cli

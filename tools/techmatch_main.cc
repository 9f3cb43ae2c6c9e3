// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch: the command-line tool.

#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <utility>
#include <vector>

#include "commands.h"
#include "techmatch/version.h"

int main(int argc, char** argv) {
  CLI::App app{"techmatch: match technology supply with technology demand"};
  app.set_version_flag("--version", std::string("techmatch ") + techmatch::version());
  app.require_subcommand(1);
  std::vector<std::pair<CLI::App*, techmatch::cli::Runner>> commands;
  auto add = [&](techmatch::cli::Runner (*fn)(CLI::App&)) {
    size_t before = app.get_subcommands({}).size();
    techmatch::cli::Runner r = fn(app);
    commands.emplace_back(app.get_subcommands({})[before], std::move(r));
  };
  add(techmatch::cli::AddSegmentCommand);
  add(techmatch::cli::AddAnalyzeCommand);
  add(techmatch::cli::AddIndexCommand);
  add(techmatch::cli::AddMatchCommand);
  add(techmatch::cli::AddInfoCommand);
  add(techmatch::cli::AddFitCommand);
  add(techmatch::cli::AddEvalCommand);
  add(techmatch::cli::AddServeCommand);
  add(techmatch::cli::AddUpsertCommand);
  add(techmatch::cli::AddRemoveCommand);
  add(techmatch::cli::AddAssignCommand);
  add(techmatch::cli::AddSynonymsCommand);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    for (auto& [sub, run] : commands) {
      if (sub->parsed()) return run();
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "techmatch: %s\n", e.what());
    return 1;
  }
  return 1;
}

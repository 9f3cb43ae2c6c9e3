// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The techmatch CLI's sub-commands: each registers itself on the app and
// runs when chosen.

#ifndef TECHMATCH_TOOLS_COMMANDS_H_
#define TECHMATCH_TOOLS_COMMANDS_H_

#include <functional>

namespace CLI {
class App;
}

namespace techmatch::cli {

/// A registered sub-command's body; returns the process exit code.
using Runner = std::function<int()>;

Runner AddSegmentCommand(CLI::App& app);
Runner AddAnalyzeCommand(CLI::App& app);
Runner AddIndexCommand(CLI::App& app);
Runner AddMatchCommand(CLI::App& app);
Runner AddInfoCommand(CLI::App& app);
Runner AddFitCommand(CLI::App& app);
Runner AddEvalCommand(CLI::App& app);
Runner AddServeCommand(CLI::App& app);
Runner AddUpsertCommand(CLI::App& app);
Runner AddRemoveCommand(CLI::App& app);
Runner AddAssignCommand(CLI::App& app);
Runner AddSynonymsCommand(CLI::App& app);

}  // namespace techmatch::cli

#endif  // TECHMATCH_TOOLS_COMMANDS_H_

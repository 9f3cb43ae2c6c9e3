// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// `techmatch-bench dask`: batch matching of the csl-match dev queries on
// Dask (python3 -m techmatch.dask_match, a LocalCluster) against the
// single-process CLI. The measuring is bench/dask_match_bench.py's; this
// finds the pieces of this build (the CLI beside this executable, the Python
// module in build/python, the Python it was built for), skips with exit 77
// when one is missing, and passes the script's JSON on.

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_util.h"
#include "benches.h"
#include "serve_process.h"

namespace techmatch::bench {
namespace {

namespace fs = std::filesystem;

/// Runs argv (no shell) and returns its exit status (127: not started).
int Spawn(const std::vector<std::string>& argv, bool quiet) {
  const pid_t pid = fork();
  if (pid < 0) return 127;
  if (pid == 0) {
    if (quiet) {
      std::freopen("/dev/null", "w", stdout);
      std::freopen("/dev/null", "w", stderr);
    }
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0) return 127;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace

int RunDaskBench(const DaskBenchArgs& args) {
  const std::string corpus = DefaultCorpusPath(args.corpus);
  if (corpus.empty()) {
    std::fprintf(stderr, "dask: csl-match not found (give --corpus); skipped\n");
    return kSkipped;
  }
  const fs::path queries = fs::path(corpus).parent_path() / "queries_dev.jsonl";
  const std::string cli = TechmatchBinary();
  const fs::path script = fs::path(TECHMATCH_SOURCE_DIR) / "bench" / "dask_match_bench.py";
  const std::string python_dir = TECHMATCH_BENCH_PYTHON_DIR;
  if (cli.empty() || !fs::exists(queries)) {
    std::fprintf(stderr, "dask: the techmatch CLI beside this executable or %s not found; "
                         "skipped\n", queries.c_str());
    return kSkipped;
  }
  std::error_code ec;
  bool built = false;  // the extension itself, not only the package's .py files
  for (const auto& e : fs::directory_iterator(fs::path(python_dir) / "techmatch", ec)) {
    if (e.path().filename().string().rfind("_techmatch", 0) == 0) built = true;
  }
  if (!built) {
    std::fprintf(stderr,
                 "dask: the Python module was not built (python3-dev, python3-pybind11); "
                 "skipped\n");
    return kSkipped;
  }
  const std::string python = args.python.empty() ? TECHMATCH_BENCH_PYTHON : args.python;
  if (Spawn({python, "-c", "import dask, distributed"}, /*quiet=*/true) != 0) {
    std::fprintf(stderr, "dask: %s cannot import dask and distributed (python3-dask, "
                         "python3-distributed); skipped\n", python.c_str());
    return kSkipped;
  }
  std::fflush(stdout);
  return Spawn({python, script.string(), "--json", "--cli", cli, "--python-dir",
                python_dir, "--corpus", corpus, "--queries", queries.string(), "--workers",
                args.workers, "--records", std::to_string(args.records), "--first",
                std::to_string(args.queries), "--k", std::to_string(args.k), "--repeat",
                std::to_string(args.repeat)},
               /*quiet=*/false);
}

}  // namespace techmatch::bench

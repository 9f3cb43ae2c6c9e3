// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch-bench all: runs every benchmark, each in a child process of its
// own (so each reports its own peak memory and none inherits another's
// heap), collects their JSON and writes BENCHMARKS.md (report.cc).

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_util.h"
#include "benches.h"
#include "report.h"

namespace techmatch::bench {
namespace {

using nlohmann::json;

/// Exit status a sub-command uses for "skipped" (data or package absent).

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

struct ChildResult {
  int exit_code = -1;
  std::string stdout_text;
  double seconds = 0;
};

/// Runs this executable with `args`; stdout is captured, stderr (progress)
/// goes through.
ChildResult RunSelf(const std::vector<std::string>& args) {
  std::error_code ec;
  const std::string self = std::filesystem::read_symlink("/proc/self/exe", ec).string();
  std::string cmd = ShellQuote(self);
  for (const std::string& a : args) cmd += " " + ShellQuote(a);
  ChildResult r;
  const double t0 = NowSeconds();
  FILE* pipe = popen(cmd.c_str(), "r");
  if (pipe == nullptr) return r;
  char buf[65536];
  size_t got;
  while ((got = fread(buf, 1, sizeof(buf), pipe)) > 0) r.stdout_text.append(buf, got);
  const int status = pclose(pipe);
  r.seconds = NowSeconds() - t0;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

/// One line of a command's output ("" when it fails).
std::string CommandLine(const std::string& cmd) {
  FILE* pipe = popen((cmd + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return "";
  char buf[512];
  std::string out;
  if (fgets(buf, sizeof(buf), pipe) != nullptr) out = buf;
  pclose(pipe);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string UtcNow() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

std::string PackageVersion(const std::string& package) {
  return CommandLine("dpkg-query -W -f='${Version}' " + package);
}

}  // namespace

int RunAllBench(const AllBenchArgs& args) {
  const std::string corpus = DefaultCorpusPath(args.corpus);
  if (corpus.empty()) {
    std::fprintf(stderr, "all: csl-match not found (give --corpus); nothing measured\n");
    return kSkipped;
  }
  const double t_start = NowSeconds();
  const std::string src = TECHMATCH_SOURCE_DIR;
  std::string commit = CommandLine("git -C " + ShellQuote(src) + " rev-parse --short HEAD");
  if (!CommandLine("git -C " + ShellQuote(src) + " status --porcelain --untracked-files=no")
           .empty()) {
    commit += " (with uncommitted changes)";
  }
  json all = {{"bench", "all"},
              {"quick", args.quick},
              {"date", UtcNow()},
              {"commit", commit},
              {"command", args.command_line},
              {"machine", MachineDescription()},
              {"build_type", TECHMATCH_BENCH_BUILD_TYPE},
              {"corpus", corpus},
              {"packages",
               {{"libfaiss-dev", PackageVersion("libfaiss-dev")},
                {"libicu-dev", PackageVersion("libicu-dev")},
                {"libopenblas-dev", PackageVersion("libopenblas-dev")},
                {"libhnswlib-dev", PackageVersion("libhnswlib-dev")},
                {"libxapian-dev", PackageVersion("libxapian-dev")},
                {"libcpp-httplib-dev", PackageVersion("libcpp-httplib-dev")},
                {"wrk", PackageVersion("wrk")}}},
              {"sections", json::array()}};

  // The plan: (section key, arguments). Full runs measure at the sizes the
  // issue names; --quick is a smoke run of every path on small inputs.
  struct Step {
    std::string key;
    std::vector<std::string> argv;
  };
  std::vector<Step> plan;
  const std::vector<std::string> c = {"--corpus", corpus};
  auto with_corpus = [&](std::vector<std::string> a) {
    a.insert(a.begin() + 1, c.begin(), c.end());
    return a;
  };
  if (args.quick) {
    plan.push_back({"analyzer", with_corpus({"analyzer", "--quick"})});
    plan.push_back({"quality", with_corpus({"quality", "--records", "3000", "--queries", "60", "--curve-seeds", "1", "--cv-quick"})});
    plan.push_back({"xapian", with_corpus({"peers", "--records", "3000", "--queries", "60",
                                           "--repeat", "1"})});
    plan.push_back({"engine", with_corpus({"engine", "--n", "3000", "--queries", "60",
                                           "--repeat", "1", "--ann-peers", "--peer-m", "16",
                                           "--peer-ef", "16,64"})});
    plan.push_back({"serve", with_corpus({"serve", "--n", "2000", "--queries", "60", "--seconds",
                                          "2", "--connections", "1,8", "--kill-rounds", "2",
                                          "--bad-rounds", "1", "--quick"})});
    plan.push_back({"assign", {"assign", "--demands", "2000", "--supplies", "2000", "--k", "20",
                               "--lp"}});
    plan.push_back({"assign", with_corpus({"assign", "--csl", "--records", "3000", "--queries",
                                           "60", "--min", "1", "--max", "3", "--capacity", "3",
                                           "--capacity-min", "1", "--lp"})});
    plan.push_back({"dask", with_corpus({"dask", "--records", "2000", "--queries", "40",
                                         "--workers", "1", "--repeat", "1"})});
  } else {
    plan.push_back({"analyzer", with_corpus({"analyzer", "--repeat", "5"})});
    plan.push_back({"quality", with_corpus({"quality"})});
    plan.push_back({"quality_rrf", with_corpus({"quality", "--rrf", "--no-fit", "--cv-folds", "0"})});
    plan.push_back({"xapian", with_corpus({"peers", "--repeat", "3"})});
    for (size_t n : args.sizes) {
      std::vector<std::string> a = {"engine", "--n", std::to_string(n), "--repeat", "3"};
      if (n == 100000) a.push_back("--xapian");  // the lexical peer at scale
      for (size_t p : args.peer_sizes) {
        if (p == n) {
          a.push_back("--ann-peers");
          // hnswlib M 32 beside M 16 costs ~10 min of graph building at 1M
          // and tells little more than it does at 100k.
          if (n >= 1000000) a.insert(a.end(), {"--peer-m", "16"});
          break;
        }
      }
      plan.push_back({"engine", with_corpus(a)});
    }
    // The service at the csl-match size (with the kill -9 loop) and at 100k.
    plan.push_back({"serve", with_corpus({"serve", "--n", "16917", "--kill-seconds", "1800"})});
    plan.push_back({"serve", with_corpus({"serve", "--n", "100000", "--kill-rounds", "0"})});
    // Fair assignment: synthetic popular-skewed fairs (the solver alone, one
    // core) at 10k (with CLP's LP optimum), 100k and 1M, then csl-match.
    plan.push_back({"assign", {"assign", "--demands", "10000", "--supplies", "10000", "--k",
                               "50", "--lp"}});
    plan.push_back({"assign", {"assign", "--demands", "100000", "--supplies", "100000", "--k",
                               "50"}});
    plan.push_back({"assign", {"assign", "--demands", "1000000", "--supplies", "1000000", "--k",
                               "10", "--no-coverage-cost"}});
    plan.push_back({"assign", with_corpus({"assign", "--csl", "--min", "1", "--max", "3",
                                           "--capacity", "3", "--capacity-min", "1", "--lp"})});
    // Batch matching of the dev queries on Dask (1 and 2 workers) vs the CLI.
    plan.push_back({"dask", with_corpus({"dask"})});
  }

  if (!args.only.empty()) {
    std::vector<Step> kept;
    for (Step& step : plan) {
      if (std::find(args.only.begin(), args.only.end(), step.key) != args.only.end()) {
        kept.push_back(std::move(step));
      }
    }
    plan = std::move(kept);
  }
  // Sections carried over from an earlier run (--keep): every one whose key
  // this run does not measure, in that run's order, before this run's.
  if (!args.keep.empty()) {
    json earlier;
    try {
      std::ifstream in(args.keep);
      if (!in) throw std::runtime_error("cannot read the file");
      earlier = json::parse(in);
      if (!earlier.is_object() || !earlier["sections"].is_array()) {
        throw std::runtime_error("not the JSON of `all --json`");
      }
    } catch (const std::exception& e) {
      std::fprintf(stderr, "all: --keep %s: %s\n", args.keep.c_str(), e.what());
      return 1;
    }
    const json from = {{"commit", earlier.value("commit", "?")},
                       {"date", earlier.value("date", "?")},
                       {"machine", earlier.value("machine", "?")}};
    for (json section : earlier["sections"]) {
      const std::string key = section.value("key", "");
      const bool measured_now = std::any_of(plan.begin(), plan.end(),
                                            [&](const Step& s) { return s.key == key; });
      if (measured_now) continue;
      if (!section.contains("carried_from")) section["carried_from"] = from;
      all["sections"].push_back(section);
    }
  }
  std::vector<std::string> failures;
  for (const Step& step : plan) {
    std::string shown;
    for (const auto& a : step.argv) shown += " " + a;
    std::fprintf(stderr, "\n== techmatch-bench%s\n", shown.c_str());
    ChildResult r = RunSelf(step.argv);
    json section = {{"key", step.key}, {"args", step.argv}, {"seconds", r.seconds}};
    if (r.exit_code == kSkipped) {
      section["skipped"] = true;
    } else if (r.exit_code != 0) {
      // A smoke run stops at once; a full run records the failure (the
      // report names it) and measures the rest.
      std::fprintf(stderr, "all: `techmatch-bench%s` failed (exit %d)\n", shown.c_str(),
                   r.exit_code);
      if (args.quick) return 1;
      section["failed"] = r.exit_code;
      failures.push_back(step.key);
    } else {
      try {
        section["result"] = json::parse(r.stdout_text);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "all: `techmatch-bench%s` printed no JSON: %s\n", shown.c_str(),
                     e.what());
        return 1;
      }
    }
    all["sections"].push_back(section);
  }
  all["total_seconds"] = NowSeconds() - t_start;

  if (!args.json_out.empty()) {
    std::ofstream out(args.json_out);
    out << all.dump(2) << "\n";
    if (!out) {
      std::fprintf(stderr, "all: cannot write %s\n", args.json_out.c_str());
      return 1;
    }
  }
  const std::string markdown = RenderBenchmarksMarkdown(all);
  if (args.out.empty() || args.out == "-") {
    std::fwrite(markdown.data(), 1, markdown.size(), stdout);
  } else {
    std::ofstream out(args.out);
    out << markdown;
    if (!out) {
      std::fprintf(stderr, "all: cannot write %s\n", args.out.c_str());
      return 1;
    }
    std::fprintf(stderr, "all: wrote %s (%.0f s)\n", args.out.c_str(),
                 all["total_seconds"].get<double>());
  }
  if (!failures.empty()) {
    std::fprintf(stderr, "all: %zu section(s) failed; the report names them\n",
                 failures.size());
    return 1;
  }
  return 0;
}

int RunReport(const std::string& json_path, const std::string& out_path) {
  std::ifstream in(json_path);
  if (!in) {
    std::fprintf(stderr, "report: cannot read %s\n", json_path.c_str());
    return 1;
  }
  json all;
  try {
    all = json::parse(in);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "report: %s: %s\n", json_path.c_str(), e.what());
    return 1;
  }
  if (!all.is_object() || !all.contains("sections")) {
    std::fprintf(stderr, "report: %s is not the JSON of `all --json`\n", json_path.c_str());
    return 1;
  }
  const std::string markdown = RenderBenchmarksMarkdown(all);
  if (out_path.empty() || out_path == "-") {
    std::fwrite(markdown.data(), 1, markdown.size(), stdout);
    return 0;
  }
  std::ofstream out(out_path);
  out << markdown;
  if (!out) {
    std::fprintf(stderr, "report: cannot write %s\n", out_path.c_str());
    return 1;
  }
  return 0;
}

}  // namespace techmatch::bench

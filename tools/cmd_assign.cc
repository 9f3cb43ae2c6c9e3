// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch assign: a whole fair's demands assigned to a snapshot's
// supplies — A.jsonl (one line per demand), S.json (the figures), an
// optional CSV of the pairs and a Markdown fair report.

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "assign_json.h"
#include "assign_report.h"
#include "cli_common.h"
#include "commands.h"
#include "server/index_dir.h"
#include "techmatch/assign.h"
#include "techmatch/engine.h"
#include "techmatch/record_io.h"

namespace techmatch::cli {

namespace {

constexpr const char* kCmd = "assign";

// The fields of a list file's line: whitespace, tab or comma separated;
// blank lines and '#' comments skipped.
std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : line) {
    if (c == '#') break;
    if (c == ' ' || c == '\t' || c == ',' || c == '\r') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

// Calls fn(fields, "file:line") for each non-blank line with `want` fields.
template <typename Fn>
Status ReadListFile(const std::string& path, size_t want, const char* shape, Fn fn) {
  std::ifstream in(path);
  if (!in) return Status::IOError(path + ": cannot open");
  std::string line;
  for (size_t n = 1; std::getline(in, line); ++n) {
    const std::vector<std::string> f = Fields(line);
    if (f.empty()) continue;
    const std::string where = path + ":" + std::to_string(n);
    if (f.size() != want) {
      return Status::InvalidArgument(where + ": expected \"" + shape + "\", got " +
                                     std::to_string(f.size()) + " field(s)");
    }
    TECHMATCH_RETURN_IF_ERROR(fn(f, where));
  }
  if (in.bad()) return Status::IOError(path + ": read failed");
  return Status::OK();
}

Status ReadCapacityFile(const std::string& path, std::map<std::string, uint32_t>* out) {
  return ReadListFile(path, 2, "SUPPLY_ID CAPACITY", [&](const auto& f, const std::string& where) {
    const std::string& v = f[1];
    bool ok = !v.empty() && v.size() <= 9;
    uint32_t cap = 0;
    for (char c : v) {
      ok = ok && c >= '0' && c <= '9';
      cap = cap * 10 + uint32_t(c - '0');
    }
    if (!ok) return Status::InvalidArgument(where + ": capacity \"" + v + "\" is not an integer 0..999999999");
    if (!out->emplace(f[0], cap).second) {
      return Status::InvalidArgument(where + ": supply \"" + f[0] + "\" given twice");
    }
    return Status::OK();
  });
}

Status ReadPairFile(const std::string& path, std::vector<std::pair<std::string, std::string>>* out) {
  return ReadListFile(path, 2, "DEMAND_ID SUPPLY_ID", [&](const auto& f, const std::string&) {
    out->emplace_back(f[0], f[1]);
    return Status::OK();
  });
}

struct Args {
  std::string index;
  std::vector<std::string> demands;
  std::vector<std::string> maps;
  bool all_demands = false;
  size_t k = 50;
  uint32_t min = 1, max = 3, capacity = 2;
  std::string capacity_file, exclude_file, force_file;
  std::string min_attr = "min_answers", max_attr = "max_answers", capacity_attr = "capacity";
  std::vector<std::string> exclude_same;
  double min_score = 0;
  double weak_score = 0.3;
  double balance = 0;
  double time_limit = 0;
  std::string objective = "total", algo = "auto";
  int threads = 0;
  bool no_explain = false, no_baselines = false, no_coverage_cost = false;
  std::string out, summary, csv, report;
};

void AddOptions(CLI::App* sub, Args* a, CLI::Option** min_score) {
  sub->add_option("--index", a->index, "Snapshot directory written by `techmatch index`")->required();
  sub->add_option("--demands", a->demands,
                  "Demand records (JSONL; kind defaults to demand; they need not be in the "
                  "index; free texts as {\"id\", \"text\"}); repeatable")
      ->take_all();
  sub->add_flag("--all-demands", a->all_demands, "Serve every demand stored in the snapshot");
  sub->add_option("--map", a->maps, "Field map for --demands (as in `techmatch index`)")->take_all();
  sub->add_option("--k", a->k, "Candidates per demand (1-10000)")
      ->check(CLI::Range(size_t{1}, size_t{10000}))
      ->capture_default_str();
  sub->add_option("--min", a->min, "Answers each demand must get if possible")->capture_default_str();
  sub->add_option("--max", a->max, "Answers each demand may get")->capture_default_str();
  sub->add_option("--capacity", a->capacity, "Demands each supply can take")->capture_default_str();
  sub->add_option("--capacity-file", a->capacity_file,
                  "Per-supply capacities: lines \"SUPPLY_ID CAPACITY\" ('#' comments)");
  sub->add_option("--min-attr", a->min_attr, "Demand attribute overriding --min (\"\": none)")
      ->capture_default_str();
  sub->add_option("--max-attr", a->max_attr, "Demand attribute overriding --max (\"\": none)")
      ->capture_default_str();
  sub->add_option("--capacity-attr", a->capacity_attr,
                  "Supply attribute overriding --capacity (\"\": none)")
      ->capture_default_str();
  sub->add_option("--exclude-same", a->exclude_same,
                  "Never pair a demand and a supply with the same value of an attribute: "
                  "ATTR, or DEMAND_ATTR=SUPPLY_ATTR (e.g. company=owner); repeatable")
      ->take_all();
  sub->add_option("--exclude-file", a->exclude_file,
                  "Conflicts of interest: lines \"DEMAND_ID SUPPLY_ID\", never assigned");
  sub->add_option("--force-file", a->force_file,
                  "Pairs assigned whatever the objective: lines \"DEMAND_ID SUPPLY_ID\"");
  *min_score = sub->add_option("--min-score", a->min_score, "Drop candidate pairs scoring below");
  sub->add_option("--weak-score", a->weak_score, "A best answer below this is weak")
      ->capture_default_str();
  sub->add_option("--objective", a->objective, "total, or maxmin (raise the worst-served first)")
      ->check(CLI::IsMember({"total", "maxmin"}))
      ->capture_default_str();
  sub->add_option("--algo", a->algo, "auto, simplex, costscaling or greedy")
      ->check(CLI::IsMember({"auto", "simplex", "costscaling", "greedy"}))
      ->capture_default_str();
  sub->add_option("--balance", a->balance,
                  "Load balancing: the k-th answer of a supply costs BALANCE * (k - 1) score "
                  "units (0: off)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--time-limit", a->time_limit,
                  "Seconds; matching stops and unsolved components get the greedy answer once "
                  "it is spent (a started solve is not interrupted). 0: none")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--threads", a->threads, "Matching and component workers (0: all cores)")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--no-explain", a->no_explain, "Leave out the pairs' explanations (faster)");
  sub->add_flag("--no-baselines", a->no_baselines, "Do not run the greedy baselines");
  sub->add_flag("--no-coverage-cost", a->no_coverage_cost,
                "Do not solve a second time to measure the score given up for coverage");
  sub->add_option("--out", a->out, "A.jsonl: one line per demand")->required();
  sub->add_option("--summary", a->summary, "S.json: the figures");
  sub->add_option("--csv", a->csv, "A.csv: one row per pair");
  sub->add_option("--report", a->report, "R.md: the fair report (Markdown)");
}

Status BuildOptions(const Args& a, bool has_min_score, AssignOptions* o) {
  o->k = a.k;
  o->min_answers = a.min;
  o->max_answers = a.max;
  o->capacity = a.capacity;
  o->min_attribute = a.min_attr;
  o->max_attribute = a.max_attr;
  o->capacity_attribute = a.capacity_attr;
  if (has_min_score) o->min_score = a.min_score;
  for (const std::string& spec : a.exclude_same) {
    const size_t eq = spec.find('=');
    std::string d = spec.substr(0, eq), s = eq == std::string::npos ? spec : spec.substr(eq + 1);
    if (d.empty() || s.empty()) {
      return Status::InvalidArgument("--exclude-same \"" + spec + "\": expected ATTR or DEMAND_ATTR=SUPPLY_ATTR");
    }
    o->exclude_same.emplace_back(d, s);
  }
  if (!a.capacity_file.empty()) TECHMATCH_RETURN_IF_ERROR(ReadCapacityFile(a.capacity_file, &o->capacities));
  if (!a.exclude_file.empty()) TECHMATCH_RETURN_IF_ERROR(ReadPairFile(a.exclude_file, &o->conflicts));
  if (!a.force_file.empty()) TECHMATCH_RETURN_IF_ERROR(ReadPairFile(a.force_file, &o->forced));
  o->explain = !a.no_explain;
  o->threads = a.threads;
  auto objective = ParseAssignObjective(a.objective);
  auto algo = ParseAssignAlgorithm(a.algo);
  if (!objective.ok()) return objective.status();
  if (!algo.ok()) return algo.status();
  o->solver.objective = *objective;
  o->solver.algorithm = *algo;
  o->solver.weak_score = a.weak_score;
  o->solver.balance_weight = a.balance;
  o->solver.time_limit_seconds = a.time_limit;
  o->solver.threads = a.threads;
  o->solver.baselines = !a.no_baselines;
  o->solver.measure_coverage_cost = !a.no_coverage_cost;
  return o->Validate();
}

int Run(const Args& a, bool has_min_score) {
  if (a.demands.empty() && !a.all_demands) return Fail(kCmd, "one of --demands or --all-demands is required");
  AssignOptions options;
  if (Status s = BuildOptions(a, has_min_score, &options); !s.ok()) return Fail(kCmd, s);
  AssignDemands demands;
  demands.all_stored = a.all_demands;
  if (!a.demands.empty()) {
    JsonlReadOptions read;
    read.default_kind = RecordKind::kDemand;
    for (const std::string& spec : a.maps) {
      if (Status s = read.AddFieldMap(spec); !s.ok()) return Fail(kCmd, s.WithContext("--map"));
    }
    if (Status s = ReadRecordFiles(kCmd, a.demands, read, &demands.records); !s.ok()) return Fail(kCmd, s);
  }
  // Read-only, as `match`: the log of a running or crashed `serve` is
  // replayed in memory, so the fair sees every acknowledged write.
  auto dir = server::IndexDir::OpenReadOnly(a.index);
  if (!dir.ok()) return Fail(kCmd, dir.status());
  const auto t0 = std::chrono::steady_clock::now();
  auto result = Assign((*dir)->engine(), demands, options);
  if (!result.ok()) return Fail(kCmd, result.status());
  const double seconds = SecondsSince(t0);

  std::vector<std::pair<std::string, std::string>> files;
  files.emplace_back(a.out, AssignmentJsonl(*result));
  if (!a.summary.empty()) {
    nlohmann::ordered_json s = SummaryToJson(result->assignment);
    s["supplies_in_engine"] = result->supplies_in_engine;
    s["candidates_s"] = result->candidates_seconds;
    s["explain_s"] = result->explain_seconds;
    s["total_s"] = seconds;
    s["conflicts_ignored"] = result->conflicts_ignored;
    files.emplace_back(a.summary, s.dump(2) + "\n");
  }
  if (!a.csv.empty()) files.emplace_back(a.csv, AssignmentCsv(*result));
  if (!a.report.empty()) files.emplace_back(a.report, AssignmentMarkdown(*result));
  if (Status s = WriteFilesAtomically(files); !s.ok()) return Fail(kCmd, s);

  const AssignmentFigures& f = result->assignment.summary.ours;
  std::fprintf(stderr,
               "techmatch assign: %zu demands, %zu answered (%zu with their minimum), %zu need "
               "follow-up; total score %.3f; %.1f s -> %s\n",
               f.demands, f.covered, f.met_minimum,
               size_t(std::count_if(result->assignment.demands.begin(),
                                    result->assignment.demands.end(),
                                    [](const DemandOutcome& d) { return d.needs_follow_up; })),
               f.total_score, seconds, a.out.c_str());
  return 0;
}

}  // namespace

Runner AddAssignCommand(CLI::App& app) {
  auto args = std::make_shared<Args>();
  CLI::App* sub = app.add_subcommand(
      "assign",
      "Assign a whole fair's demands to the snapshot's supplies: every demand answered where "
      "possible, every capacity kept, optimal and explained (docs/assign.md).");
  CLI::Option* min_score = nullptr;
  AddOptions(sub, args.get(), &min_score);
  return [args, min_score]() -> int { return Run(*args, min_score->count() > 0); };
}

}  // namespace techmatch::cli

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch fit: fit the scorer weights of a snapshot on judged queries
// (operators' judgments, or csl-match queries with qrels) and save the
// engine with them.

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "csl_io.h"
#include "output_lock.h"
#include "progress.h"
#include "techmatch/calibration.h"
#include "techmatch/engine.h"
#include "techmatch/fit.h"
#include "techmatch/match.h"
#include "techmatch/scorer.h"

namespace techmatch::cli {

namespace {

constexpr const char* kCmd = "fit";

struct Args {
  std::string index;
  std::string judgments;
  std::string queries;
  std::string qrels;
  std::string out;
  double l2 = FitOptions().l2;
  size_t depth = FitOptions().depth;
  int threads = 0;
  bool dry_run = false;
  bool calibrate = false;
};

// csl-match queries with their qrels as judged queries (a query with no
// relevant judgement is left out, and said so).
Status ReadCslJudged(const Args& args, std::vector<JudgedQuery>* judged) {
  auto queries = ReadCslQueries(args.queries);
  if (!queries.ok()) return queries.status();
  auto qrels = ReadCslQrels(args.qrels);
  if (!qrels.ok()) return qrels.status();
  std::map<std::string, std::vector<std::string>> relevant;
  for (const CslQrel& q : *qrels) {
    if (q.relevance >= 1) relevant[q.query_id].push_back(q.doc_id);
  }
  size_t unjudged = 0;
  for (const CslQuery& q : *queries) {
    auto it = relevant.find(q.id);
    if (it == relevant.end()) {
      ++unjudged;
      continue;
    }
    JudgedQuery j;
    j.query.id = q.id;
    j.query.text = q.text;
    j.relevant_ids = std::move(it->second);
    relevant.erase(it);
    judged->push_back(std::move(j));
  }
  if (unjudged > 0) {
    std::fprintf(stderr,
                 "techmatch fit: %zu queries have no relevant judgement and are left out\n",
                 unjudged);
  }
  if (!relevant.empty()) {
    std::fprintf(stderr,
                 "techmatch fit: %zu judged query ids are not in %s (ignored), e.g. \"%s\"\n",
                 relevant.size(), args.queries.c_str(), relevant.begin()->first.c_str());
  }
  if (judged->empty()) {
    return Status::InvalidArgument("no query has a relevant judgement: nothing to fit (" +
                                   args.queries + ", " + args.qrels + ")");
  }
  return Status::OK();
}

// Fits on `judged`, prints the report and (unless a dry run) saves the
// engine with the fitted weights into `out`.
int FitAndSave(const Args& args, const std::string& out, double load_s,
               const std::vector<JudgedQuery>& judged, Engine& engine) {
  FitOptions fit_options;
  fit_options.l2 = args.l2;
  fit_options.depth = args.depth;
  fit_options.threads = args.threads;
  if (Status s = fit_options.Validate(); !s.ok()) return Fail(kCmd, s);
  MatchOptions match_options;
  match_options.target = RecordKind::kSupply;
  match_options.explain = false;

  const ScorerWeights before = engine.weights();
  const auto start = std::chrono::steady_clock::now();
  auto report = FitScorerWeights(engine, judged, match_options, fit_options, &before);
  if (!report.ok()) return Fail(kCmd, report.status());
  const double fit_s = SecondsSince(start);

  std::printf("loaded %s in %s; fitted in %s\n", args.index.c_str(),
              FormatSeconds(load_s).c_str(), FormatSeconds(fit_s).c_str());
  std::printf("queries: %zu given, %zu used (candidates of two grades among the top %zu)\n",
              report->queries, report->queries_used, args.depth);
  std::printf("pairs: %zu\n", report->pairs);
  std::printf("loss: %.6f -> %.6f (%d iterations)\n", report->loss_before,
              report->loss_after, report->iterations);
  std::printf("weights (old -> new):\n");
  for (size_t i = 0; i < kNumFeatures; ++i) {
    const bool fixed = fit_options.fixed[i];
    std::printf("  %-16s %9.4f -> %9.4f%s\n", FeatureName(Feature(i)), before.weight[i],
                report->weights.weight[i], fixed ? "  (fixed)" : "");
  }
  std::printf("  %-16s %9.4f -> %9.4f\n", "bias", before.bias, report->weights.bias);
  if (report->queries_used == 0) {
    if (args.dry_run) {
      std::printf("dry run: engine not changed\n");
      return 0;
    }
    return Fail(kCmd,
                "no query had candidates of two grades (a relevant record among its "
                "candidates); weights not changed");
  }
  if (Status s = engine.SetWeights(report->weights); !s.ok()) return Fail(kCmd, s);
  if (args.calibrate) {
    // Under the new weights: the top match and its raw confidence are the
    // ones the engine will answer with.
    auto cal = FitConfidenceCalibration(engine, judged, match_options, 20, args.threads);
    if (!cal.ok()) return Fail(kCmd, cal.status());
    std::printf("confidence calibration: %zu knots from %zu queries; raw %.3f..%.3f -> "
                "probability %.3f..%.3f\n",
                cal->raw.size(), cal->queries, cal->raw.front(), cal->raw.back(),
                cal->probability.front(), cal->probability.back());
    if (Status s = engine.SetConfidenceCalibration(*cal); !s.ok()) return Fail(kCmd, s);
  }
  if (args.dry_run) {
    std::printf("dry run: engine not changed\n");
    return 0;
  }
  if (Status s = engine.Save(out); !s.ok()) return Fail(kCmd, s);
  std::printf("saved with the new weights -> %s\n", out.c_str());
  std::fflush(stdout);
  return 0;
}

}  // namespace

Runner AddFitCommand(CLI::App& app) {
  auto args = std::make_shared<Args>();
  CLI::App* sub = app.add_subcommand(
      "fit",
      "Fit the scorer weights of a snapshot on judged queries (pairwise logistic loss over "
      "the engine's candidates: a record judged higher should outscore one judged lower) "
      "and save the engine with the new weights. The judgments are operators' "
      "(--judgments) or csl-match's (--queries with --qrels).");
  sub->add_option("--index", args->index, "Snapshot directory")->required();
  CLI::Option* judgments = sub->add_option(
      "--judgments", args->judgments,
      "Operators' judgments (JSONL: {\"demand\": ID | \"text\": \"...\", \"supply\": ID, "
      "\"label\": 0..3}; 0 a reject, 1 an accept or a weak fit, 3 a strong fit)");
  CLI::Option* queries = sub->add_option(
      "--queries", args->queries,
      "Queries (csl-match JSONL: id, type, text, keywords); `text` is the free-text query");
  CLI::Option* qrels = sub->add_option(
      "--qrels", args->qrels,
      "Judgements for --queries (JSONL: query_id, doc_id, relevance; relevance >= 1 is "
      "relevant)");
  queries->needs(qrels);
  qrels->needs(queries);
  judgments->excludes(queries);
  judgments->excludes(qrels);
  sub->add_option("--out", args->out,
                  "Snapshot directory to write (default: back into --index)");
  sub->add_option("--l2", args->l2, "L2 penalty on the weights (>= 0)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  sub->add_option("--depth", args->depth, "Candidates per query taken from the engine (>= 2)")
      ->check(CLI::Range(size_t{2}, size_t{100000}))
      ->capture_default_str();
  sub->add_option("--threads", args->threads,
                  "Workers for candidate generation (0 = all cores)")
      ->check(CLI::NonNegativeNumber);
  sub->add_flag("--calibrate", args->calibrate,
                "Also fit the confidence calibration (techmatch/calibration.h) on the same "
                "judged queries, under the new weights, and save it with the engine");
  sub->add_flag("--dry-run", args->dry_run,
                "Report the fit but do not change or save the engine");
  return [args]() -> int {
    if (args->judgments.empty() && args->queries.empty()) {
      return Fail(kCmd, "give --judgments, or --queries with --qrels");
    }
    std::vector<JudgedQuery> judged;
    std::vector<Judgment> lines;
    if (!args->judgments.empty()) {
      auto read = ReadJudgments(args->judgments);
      if (!read.ok()) return Fail(kCmd, read.status());
      if (read->empty()) return Fail(kCmd, args->judgments + ": no judgment in the file");
      lines = std::move(*read);
    } else if (Status s = ReadCslJudged(*args, &judged); !s.ok()) {
      return Fail(kCmd, s);
    }

    // The directory written (the index itself unless --out) is locked
    // before loading: a server or another writer on it fails this now.
    const std::string& out = args->out.empty() ? args->index : args->out;
    std::unique_ptr<OutputDirLock> out_lock;
    if (!args->dry_run) {
      auto locked = OutputDirLock::Acquire(out, "techmatch fit");
      if (!locked.ok()) return Fail(kCmd, locked.status());
      out_lock = std::move(*locked);
    }
    const auto start = std::chrono::steady_clock::now();
    auto engine = Engine::Load(args->index);
    if (!engine.ok()) return Fail(kCmd, engine.status());
    const double load_s = SecondsSince(start);

    std::deque<Record> demands;  // the judged stored demands, queried
    if (!lines.empty()) {
      Status s = GroupJudgments(lines, args->judgments, **engine, &demands, &judged);
      if (!s.ok()) return Fail(kCmd, s);
      size_t graded[4] = {0, 0, 0, 0};
      for (const Judgment& j : lines) ++graded[j.label];
      std::printf("judgments: %zu on %zu queries (labels 0/1/2/3: %zu/%zu/%zu/%zu)\n",
                  lines.size(), judged.size(), graded[0], graded[1], graded[2], graded[3]);
    }
    return FitAndSave(*args, out, load_s, judged, **engine);
  };
}

}  // namespace techmatch::cli

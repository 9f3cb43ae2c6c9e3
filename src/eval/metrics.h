// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Retrieval metrics equal to csl-match's evaluate.py (its score()).

#ifndef TECHMATCH_EVAL_METRICS_H_
#define TECHMATCH_EVAL_METRICS_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "techmatch/status.h"

namespace techmatch::internal {

/// One evaluation query and its labels (query_labels_<split>.jsonl).
struct EvalQuery {
  std::string id;
  std::string type;        ///< "title" or "keywords" in csl-match: a group
  std::string discipline;  ///< "" = unknown (the query is skipped by DiscP@10)
  std::string category;    ///< "" = unknown (skipped by CatP@10)
  std::optional<double> bigram_coverage;  ///< < 0.5: group low_overlap(<0.5)
};

/// Everything score() reads. Queries are scored in order, duplicates as
/// often as they occur (as evaluate.py does).
struct EvalData {
  std::vector<EvalQuery> queries;
  /// query id -> doc id -> grade; grade >= 2 is a positive.
  std::unordered_map<std::string, std::unordered_map<std::string, int>> qrels;
  /// doc id -> label; absent or "" = unknown (skipped by DiscP/CatP@10).
  std::unordered_map<std::string, std::string> doc_discipline;
  std::unordered_map<std::string, std::string> doc_category;
};

/// query id -> doc ids ranked best first (evaluate.py reads the top 100).
using EvalRun = std::unordered_map<std::string, std::vector<std::string>>;

/// The means over a group's queries (unrounded; FormatScoreJson rounds).
struct GroupMetrics {
  size_t n = 0;         ///< queries in the group
  double mrr10 = 0;     ///< MRR@10 on the positives (grade >= 2)
  double ndcg10 = 0;    ///< nDCG@10, gain 2^grade - 1, discount log2(rank+1)
  double r1 = 0;        ///< R@1: share of queries with a positive in the top 1
  double r10 = 0;       ///< R@10
  double r100 = 0;      ///< R@100
  /// Mean over the n_disc queries with a discipline and at least one
  /// labelled document among the first 10 non-positive results (taken from
  /// the top 11) of the share of those documents in the query's discipline.
  /// Unset when n_disc is 0.
  std::optional<double> disc_p10;
  std::optional<double> cat_p10;  ///< the same with the category
  size_t n_disc = 0;
  size_t n_cat = 0;
  /// Rank of the group's first appearance while scoring (evaluate.py
  /// prints the groups in that order).
  size_t order = 0;
};

/// The group names: "all", each query type, and this one.
inline constexpr char kLowOverlapGroup[] = "low_overlap(<0.5)";

/// Scores `run` exactly as evaluate.py's score() does: per query (queries
/// missing from the run rank nothing), MRR@10, nDCG@10 over the qrels grades
/// (0 when the ideal DCG is 0), R@1/10/100; DiscP@10 and CatP@10 over the
/// first 11 results minus the positives, truncated to 10, unlabelled
/// documents skipped. Duplicate doc ids in a ranking count at every
/// position, as in evaluate.py. Groups: "all", the query's type, and
/// kLowOverlapGroup when bigram_coverage < 0.5; only groups with a query
/// appear.
std::map<std::string, GroupMetrics> ScoreRun(const EvalData& data,
                                             const EvalRun& run);

/// Reads a csl-match directory: corpus.jsonl (id, discipline, category),
/// queries_<split>.jsonl (id, type), qrels_<split>.jsonl (query_id, doc_id,
/// relevance: an integer) and query_labels_<split>.jsonl (query_id,
/// discipline, category, bigram_coverage). Null or absent labels are
/// unknown; for a repeated id or pair the last line wins (as in
/// evaluate.py's dicts). Blank lines are skipped. Errors name the file and
/// line: NotFound for a missing file, IOError when unreadable,
/// InvalidArgument for bad JSON, a missing id or a wrongly typed field.
Result<EvalData> LoadCslEvalData(const std::string& csl_dir,
                                 const std::string& split);

/// Reads a run as evaluate.py's read_run() does: a path ending in .jsonl or
/// .json holds {"query_id": ..., "doc_ids": [...]} lines (last line per
/// query wins); anything else is TREC (`qid Q0 docid rank score tag`; lines
/// with fewer than 5 fields ignored; sorted by rank, then doc id).
Result<EvalRun> ReadEvalRun(const std::string& path);

/// One run line {"query_id": ..., "doc_ids": [...]} (no newline), for
/// writing runs evaluate.py reads.
std::string FormatRunLine(std::string_view query_id,
                          const std::vector<std::string>& doc_ids);

/// The JSON evaluate.py prints for these metrics (json.dumps(...,
/// ensure_ascii=False, indent=1); values rounded to 4 decimals, groups in
/// `order`), byte for byte, without the final newline.
std::string FormatScoreJson(const std::map<std::string, GroupMetrics>& groups);

/// Parses evaluate.py's (or FormatScoreJson's) output into group -> metric
/// name ("MRR@10", "n", "DiscP@10", ...) -> value. InvalidArgument when it
/// is not an object of objects of numbers.
Result<std::map<std::string, std::map<std::string, double>>> ParseScoreJson(
    std::string_view json);

}  // namespace techmatch::internal

#endif  // TECHMATCH_EVAL_METRICS_H_

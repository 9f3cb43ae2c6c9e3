// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Readers for the csl-match files as they are (queries, qrels, corpus):
// see ../shared/data/csl-match/README.md. Shared by `fit` and `eval`.

#ifndef TECHMATCH_TOOLS_CSL_IO_H_
#define TECHMATCH_TOOLS_CSL_IO_H_

#include <cstddef>
#include <string>
#include <vector>

#include <deque>

#include "techmatch/engine.h"
#include "techmatch/fit.h"
#include "techmatch/record.h"
#include "techmatch/record_io.h"
#include "techmatch/status.h"

namespace techmatch::cli {

/// One query line: {"id", "type", "text", "keywords"}.
struct CslQuery {
  std::string id;
  std::string type;  ///< "title" or "keywords"; "" if null or absent
  std::string text;  ///< the free-text query
  std::vector<std::string> keywords;  ///< empty if null or absent
  size_t line = 0;                    ///< 1-based line in its file
};

/// One judgement line: {"query_id", "doc_id", "relevance"}.
struct CslQrel {
  std::string query_id;
  std::string doc_id;
  int relevance = 0;  ///< >= 1 means relevant
  size_t line = 0;
};

/// Reads a queries file. Errors (InvalidArgument; NotFound / IOError for
/// the file) are "<path>:<line>: <what>". Ids must be unique; `text` is
/// required.
Result<std::vector<CslQuery>> ReadCslQueries(const std::string& path);

/// Reads a qrels file. A (query_id, doc_id) pair judged twice is an error.
Result<std::vector<CslQrel>> ReadCslQrels(const std::string& path);

/// Reads a corpus file as supply records (through ReadRecordsJsonlFile, so
/// every record check applies and errors name the line). The labels
/// `category` (门类) and `discipline` (学科) are removed from the records;
/// with `use_labels` they become the one category path
/// "<category>/<discipline>" (or "<category>" when the discipline is
/// unknown; nothing when the category is unknown).
Result<std::vector<Record>> ReadCslCorpus(const std::string& path,
                                          bool use_labels,
                                          ReadReport* report = nullptr);

/// One line of an operators' judgments file (docs/scorer.md):
/// {"demand": ID | "text": "...", "supply": ID, "label": 0..3}, label 0 =
/// not a fit (a reject) ... 3 = a strong fit (1 for an accept).
struct Judgment {
  std::string demand;  ///< a stored demand's id, or ""
  std::string text;    ///< a free-text demand, or ""
  std::string supply;
  int label = 0;
  size_t line = 0;
};

/// Reads a judgments file. Errors are "<path>:<line>: <what>": not an
/// object, neither or both of "demand" and "text", no "supply", a label
/// that is not an integer 0..3, an unknown field, or a (query, supply)
/// pair judged twice with different labels (the same label twice is
/// kept once).
Result<std::vector<Judgment>> ReadJudgments(const std::string& path);

/// Groups judgments by query (a stored demand, or the same text) into
/// JudgedQuery with `grades`, in the order each query first appears. A
/// demand or supply the engine does not hold is NotFound naming the line
/// ("<path>:<line>"). The demands are copied into *demands, which the
/// queries point to (keep it alive while they are used).
Status GroupJudgments(const std::vector<Judgment>& judgments, const std::string& path,
                      const Engine& engine, std::deque<Record>* demands,
                      std::vector<JudgedQuery>* out);

}  // namespace techmatch::cli

#endif  // TECHMATCH_TOOLS_CSL_IO_H_

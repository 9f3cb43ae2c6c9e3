// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The match pipeline's explanations (what each feature gave, which terms
// both texts share and where) and its confidence.

#ifndef TECHMATCH_ENGINE_EXPLAIN_H_
#define TECHMATCH_ENGINE_EXPLAIN_H_

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/doc_terms.h"
#include "engine/candidates.h"
#include "lexical/lexical_index.h"
#include "techmatch/match.h"
#include "techmatch/scorer.h"

namespace techmatch::internal {

/// The normalized text of every word in `fields`, by key (pointers into
/// `fields`).
std::unordered_map<uint64_t, const std::string*> WordTexts(const AnalyzedRecord& fields);

/// Explanation::found_by, bias and features of a scored candidate.
void ExplainFeatures(const Scorer& scorer, const Candidate& candidate,
                     Explanation* e);

/// The shared terms, largest contribution first (ties by key), at most
/// `max_terms`, each with its spans in the query's and the record's
/// analyzed fields (a free-text query is the `text` field). A term that
/// `synonym_of` lists (sorted by key) gets its phrase in
/// MatchedTerm::synonym_of.
std::vector<MatchedTerm> MatchedTerms(
    std::vector<LexicalTermScore> terms, size_t max_terms, const AnalyzedRecord& query_fields,
    const AnalyzedRecord& record_fields,
    const std::vector<std::pair<uint64_t, std::string>>& synonym_of = {});

/// MatchResult::raw_confidence of the best match (ScorerOptions::
/// confidence_measure). `query_terms` must be sorted by key (as
/// AnalyzeQuery leaves them); `best_terms` are the best match's
/// LexicalIndex::Explain. Unigrams count on no side (they say little
/// alone). kCoverageCosine: the mean of the share of the query's own words
/// and bigrams (not those synonyms added, `synonym_of`, sorted by key) the
/// best match contains and max(0, `best_dense`). kKeyTermCoverage: the
/// geometric mean of the query side — the larger of that share and the
/// share of its own and added words and bigrams together, so a synonym
/// never lowers it — and the share of `best_keys` (the best match's title
/// and keyword term keys) whose words and bigrams the query holds; the
/// query side alone when `best_keys` holds no word or bigram.
double MatchConfidence(ConfidenceMeasure measure, const DocTerms& query_terms,
                       const std::vector<LexicalTermScore>& best_terms, float best_dense,
                       const std::vector<uint64_t>& best_keys,
                       const std::vector<std::pair<uint64_t, std::string>>& synonym_of = {});

/// The best match's key terms for MatchConfidence: its title's and its
/// keywords' distinct term keys, sorted.
std::vector<uint64_t> KeyTerms(const std::vector<uint64_t>& title_keys,
                               const std::vector<std::vector<uint64_t>>& keyword_keys);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ENGINE_EXPLAIN_H_

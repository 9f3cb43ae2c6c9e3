// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The match pipeline's first step: the query analyzed once (terms for the
// lexical stage, keys for the features, spans for explanations) and
// embedded.

#ifndef TECHMATCH_ENGINE_MATCH_QUERY_H_
#define TECHMATCH_ENGINE_MATCH_QUERY_H_

#include <cstdint>
#include <string_view>
#include <vector>

#include "analysis/doc_terms.h"
#include "analysis/synonym_matcher.h"
#include "lexical/lexical_index.h"
#include "techmatch/analyzer.h"
#include "techmatch/embedder.h"
#include "techmatch/match.h"
#include "techmatch/record.h"
#include "techmatch/status.h"
#include "techmatch/types.h"

namespace techmatch::internal {

struct QueryView {
  const Record* record = nullptr;  ///< null for a free text
  /// The analyzed fields; a free text is the `text` field.
  AnalyzedRecord fields;
  /// Field-weighted term counts (the lexical field weights for a record;
  /// a free text weighs 1), collapsed.
  DocTerms terms;
  /// Distinct keys of `terms`, sorted, but for those synonyms added.
  std::vector<uint64_t> keys;
  std::vector<LexicalQueryTerm> lexical;
  std::vector<float> vector;  ///< normalized embedding; empty if none
  /// The keys of `terms` that synonyms added (none of the query's own),
  /// sorted, each with the normalized phrase of the query that added it.
  std::vector<std::pair<uint64_t, std::string>> synonym_of;
  /// Each phrase the synonyms brought in that adds a term the query lacks:
  /// its analyzed terms that the query lacks, the field of the query's
  /// phrase that found it (the heaviest, when several did) and the
  /// synonym weight. EmbedQuery adds them to the query's embedding.
  struct SynonymPhrase {
    std::vector<Term> terms;
    TextField field = TextField::kText;
    float weight = 0;
  };
  std::vector<SynonymPhrase> synonym_phrases;
};

/// Query-time synonyms: the rules and the weight of an added term (per
/// occurrence of its phrase, times the field's weight).
struct QuerySynonyms {
  const SynonymMatcher* matcher = nullptr;  ///< null: none
  float weight = 0;
};

/// Analyzes a record query (record != null) or a free text. With
/// synonyms, the phrases found in each field add the other phrases' terms
/// (every kind) that the query lacks, at synonyms.weight times the field's
/// weight (the largest when several add one term); their unigrams count as
/// covered (MarkCoveredUnigrams) when the phrase has bigrams. The phrases
/// that add a term are kept, analyzed, for the embedding (synonym_phrases).
Status AnalyzeQuery(const Analyzer& analyzer, const FieldWeights& weights,
                    const Record* record, std::string_view text, QueryView* q,
                    const QuerySynonyms& synonyms = {});

/// Sets q->vector: the caller's `given` vector (checked: dimension, finite,
/// not zero), else the embedder's embedding of the analyzed query and of
/// q->synonym_phrases (AnalyzedEmbedder::EmbedAnalyzed; an
/// embedder that cannot embed terms — External — leaves it empty). Then
/// normalizes it; a zero embedding (no known term) leaves it empty.
Status EmbedQuery(const Embedder& embedder, VectorView given, QueryView* q);

/// Scales v to unit length; false (v unchanged) if it is zero or not finite.
bool NormalizeVector(std::vector<float>* v);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ENGINE_MATCH_QUERY_H_

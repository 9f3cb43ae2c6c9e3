// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The match pipeline's first stage: candidates from the lexical (BM25) and
// dense indexes, merged into one list.

#ifndef TECHMATCH_ENGINE_CANDIDATES_H_
#define TECHMATCH_ENGINE_CANDIDATES_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <unordered_map>
#include <vector>

#include "engine/doc_info.h"
#include "engine/match_query.h"
#include "lexical/lexical_index.h"
#include "techmatch/dense_index.h"
#include "techmatch/scorer.h"
#include "techmatch/status.h"

namespace techmatch::internal {

/// One candidate record for a query, as it moves through the pipeline.
struct Candidate {
  uint32_t doc = 0;
  float lexical = 0;  ///< BM25 score (0 if it shares no term)
  float dense = 0;    ///< cosine with the query (0 if either has no vector)
  bool by_lexical = false;  ///< found by the lexical stage
  bool by_dense = false;    ///< found by the dense stage
  int lexical_rank = -1;    ///< 0-based rank in that stage's list, or -1
  int dense_rank = -1;
  const float* vector = nullptr;  ///< its embedding (CandidateVectors), or null
  double fused = 0;               ///< fusion score (Fuse)
  FeatureVector features{};
  double score = 0;  ///< the scorer's
};

/// The candidates found so far, with an index by doc.
struct CandidateList {
  std::vector<Candidate> items;
  std::unordered_map<uint32_t, size_t> where;  // doc -> index in items
};

/// The lexical stage's top `k` (best first) for the query, passing `allow`
/// (null = all), appended to an empty list.
void AddLexicalCandidates(const LexicalIndex& lexical, const QueryView& q,
                          size_t k, const std::function<bool(uint32_t)>* allow,
                          CandidateList* list);

/// The dense stage's top `options.k` for the query vector merged into the
/// list; a candidate only this stage found gets its BM25 score from
/// `lexical`. Dense ids are doc ids.
Status AddDenseCandidates(const DenseIndex& dense, const LexicalIndex& lexical,
                          const QueryView& q, const DenseSearchOptions& options,
                          CandidateList* list);

/// Fetches the embeddings of the candidates that have one (docs[doc]
/// .has_vector) into *storage and points Candidate::vector at them; gives
/// the candidates the dense stage did not find their cosine with the query
/// vector (when there is one).
void AttachVectors(const DenseIndex* dense, const std::vector<DocInfo>& docs,
                   const std::vector<float>& query_vector, CandidateList* list,
                   std::vector<float>* storage);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ENGINE_CANDIDATES_H_

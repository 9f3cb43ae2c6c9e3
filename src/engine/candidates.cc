// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "engine/candidates.h"

#include "index/exact_scan.h"

namespace techmatch::internal {

void AddLexicalCandidates(const LexicalIndex& lexical, const QueryView& q,
                          size_t k, const std::function<bool(uint32_t)>* allow,
                          CandidateList* list) {
  const std::vector<LexicalHit> hits = lexical.Search(q.lexical, k, allow);
  list->items.reserve(list->items.size() + hits.size());
  for (size_t r = 0; r < hits.size(); ++r) {
    Candidate c;
    c.doc = hits[r].doc;
    c.lexical = hits[r].score;
    c.by_lexical = true;
    c.lexical_rank = int(r);
    list->where.emplace(c.doc, list->items.size());
    list->items.push_back(c);
  }
}

Status AddDenseCandidates(const DenseIndex& dense, const LexicalIndex& lexical,
                          const QueryView& q, const DenseSearchOptions& options,
                          CandidateList* list) {
  auto hits = dense.Search(q.vector.data(), options);
  if (!hits.ok()) return hits.status();
  for (size_t r = 0; r < hits->size(); ++r) {
    const uint32_t doc = uint32_t((*hits)[r].id);
    auto it = list->where.find(doc);
    if (it == list->where.end()) {
      Candidate c;
      c.doc = doc;
      c.lexical = lexical.Score(q.lexical, doc);
      it = list->where.emplace(doc, list->items.size()).first;
      list->items.push_back(c);
    }
    Candidate& c = list->items[it->second];
    c.dense = (*hits)[r].score;
    c.by_dense = true;
    c.dense_rank = int(r);
  }
  return Status::OK();
}

void AttachVectors(const DenseIndex* dense, const std::vector<DocInfo>& docs,
                   const std::vector<float>& query_vector, CandidateList* list,
                   std::vector<float>* storage) {
  if (dense == nullptr || query_vector.empty()) return;
  const size_t dim = dense->dim();
  storage->assign(list->items.size() * dim, 0.0f);
  for (size_t i = 0; i < list->items.size(); ++i) {
    Candidate& c = list->items[i];
    if (!docs[c.doc].has_vector) continue;
    float* v = storage->data() + i * dim;
    if (!dense->GetVector(c.doc, v).ok()) continue;
    c.vector = v;
    if (!c.by_dense) c.dense = Dot(v, query_vector.data(), dim);
  }
}

}  // namespace techmatch::internal

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// AnalyzedEmbedder: embedding from terms already analyzed, so that a
// record (or query) is analyzed once on its way into the engine.

#ifndef TECHMATCH_EMBED_ANALYZED_EMBEDDER_H_
#define TECHMATCH_EMBED_ANALYZED_EMBEDDER_H_

#include <vector>

#include "analysis/doc_terms.h"
#include "techmatch/embedder.h"
#include "techmatch/match.h"
#include "techmatch/status.h"
#include "techmatch/term.h"

namespace techmatch::internal {

/// Terms a query gains beyond its own (the phrases synonyms bring in):
/// embedded as if they were one more occurrence of `field` (a free text's
/// field is kText, weighing 1) at `weight` times that field's weight.
struct ExtraTerms {
  const std::vector<Term>* terms = nullptr;  ///< not owned
  TextField field = TextField::kText;
  float weight = 0;
};

/// The weight of `field` in `w`.
inline float FieldWeight(const FieldWeights& w, TextField field) {
  switch (field) {
    case TextField::kTitle: return w.title;
    case TextField::kKeywords: return w.keywords;
    case TextField::kText: return w.text;
  }
  return w.text;
}

/// Implemented by the embedders that work from analyzer terms (LSA, SIF),
/// beside the public Embedder interface. The terms must come from the
/// analyzer the embedder was created with; the results are exactly those
/// of EmbedRecords / EmbedText on the same record / text.
///
/// Thread-safety: as the Embedder's const methods (concurrent after Fit).
class AnalyzedEmbedder {
 public:
  virtual ~AnalyzedEmbedder() = default;
  /// A vector (dim() floats) from a record's analyzed fields (`record` not
  /// null; `text` is then unused) or a free text's terms, with `extra`
  /// added (none for a record being indexed).
  virtual Status EmbedAnalyzed(const AnalyzedRecord* record, const std::vector<Term>& text,
                               const std::vector<ExtraTerms>& extra, float* out) const = 0;
  /// One record's vector from its analyzed fields.
  Status EmbedAnalyzedRecord(const AnalyzedRecord& record, float* out) const {
    return EmbedAnalyzed(&record, {}, {}, out);
  }
  /// A free text's vector from its terms.
  Status EmbedAnalyzedText(const std::vector<Term>& terms, float* out) const {
    return EmbedAnalyzed(nullptr, terms, {}, out);
  }
};

/// The embedder's AnalyzedEmbedder side, or null (External).
inline const AnalyzedEmbedder* AsAnalyzedEmbedder(const Embedder& embedder) {
  return dynamic_cast<const AnalyzedEmbedder*>(&embedder);
}

}  // namespace techmatch::internal

#endif  // TECHMATCH_EMBED_ANALYZED_EMBEDDER_H_

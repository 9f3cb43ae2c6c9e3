// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// LexicalOptions: how the BM25 stage weighs fields and term kinds.

#ifndef TECHMATCH_LEXICAL_OPTIONS_H_
#define TECHMATCH_LEXICAL_OPTIONS_H_

#include "techmatch/export.h"
#include "techmatch/status.h"

namespace techmatch {

/// The lexical (BM25) stage. Term frequencies are field-weighted counts (a
/// simple BM25F with one length normalization); every term kind has its
/// own weight on the query side.
struct TECHMATCH_EXPORT_CLASS LexicalOptions {
  double k1 = 1.2;  ///< tf saturation. Default 1.2; > 0.
  double b = 0.75;  ///< length normalization. Default 0.75; [0, 1].
  /// Query-side weight of each term kind; >= 0, 0 drops the kind. Defaults
  /// 3 / 1.5 / 1, tuned on csl-match dev (docs/engine.md): segmented words
  /// at 3 raise low-overlap R@1 from 0.72 (at 1) to 0.77; unigrams
  /// between 1 and 2 are a plateau.
  double word_weight = 3.0;
  double unigram_weight = 1.5;
  double bigram_weight = 1.0;
  /// Weight of one occurrence of a term in the title / keywords / text, in
  /// the documents' term frequencies and in a record query. Defaults
  /// 2 / 2 / 1; >= 0, not all 0. (Snapshots written before these fields
  /// existed take the embedder's field weights, which they used.)
  double title_weight = 2.0;
  double keywords_weight = 2.0;
  double text_weight = 1.0;
  /// A query's single Han character that one of its bigrams already
  /// contains, and that occurs in more than this share of the documents,
  /// is left out of the query: it says little the bigram does not, and its
  /// long postings list dominates the search time at scale. Applied at
  /// query time (no re-index to change it). Default 1 (never); (0, 1].
  double covered_unigram_max_df = 1.0;
  /// Deleted documents leave the postings (and df, N) once they exceed
  /// this share. Default 0.2; (0, 1].
  double max_deleted_ratio = 0.2;

  Status Validate() const;
};

}  // namespace techmatch

#endif  // TECHMATCH_LEXICAL_OPTIONS_H_

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// LexicalIndex: an in-memory BM25 inverted index with block-max MaxScore top-k.

#ifndef TECHMATCH_LEXICAL_LEXICAL_INDEX_H_
#define TECHMATCH_LEXICAL_LEXICAL_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/doc_terms.h"
#include "techmatch/lexical_options.h"
#include "techmatch/status.h"

namespace techmatch::internal {

/// One weighted query term.
struct LexicalQueryTerm {
  uint64_t key;   ///< TermKey(kind, text)
  float weight;   ///< query-side multiplicity (e.g. its count in the query)
  /// A unigram whose character is in one of the query's bigrams (see
  /// LexicalOptions::covered_unigram_max_df).
  bool covered = false;
};

struct LexicalHit {
  uint32_t doc;
  float score;
};

/// One document of LexicalIndex::AddBatch.
struct LexicalDoc {
  uint32_t doc;
  const DocTerms* terms;  ///< collapsed: sorted, distinct keys, counts > 0
};

/// What LexicalIndex::Prepare made ready for LexicalIndex::Commit (opaque;
/// movable, not copyable).
class LexicalBatch {
 public:
  LexicalBatch();
  ~LexicalBatch();
  LexicalBatch(LexicalBatch&&) noexcept;
  LexicalBatch& operator=(LexicalBatch&&) noexcept;

 private:
  friend class LexicalIndex;
  struct State;
  std::unique_ptr<State> state_;
};

/// Per-term detail of a document's score (for explanations).
struct LexicalTermScore {
  uint64_t key;
  float tf;      ///< field-weighted term frequency in the document
  float idf;
  float score;   ///< this term's contribution (kind and query weight included)
};

/// Postings keyed by TermKey over documents numbered by the caller
/// (uint32 doc ids, added in increasing order). Scores are BM25 with
/// idf = ln(1 + (N - df + 0.5) / (df + 0.5)); like Lucene, N and df count
/// deleted documents until the next compaction.
///
/// Thread-safety: const methods may run concurrently; Add/Remove/Compact
/// need exclusive access.
class LexicalIndex {
 public:
  explicit LexicalIndex(const LexicalOptions& options);
  ~LexicalIndex();
  LexicalIndex(const LexicalIndex&) = delete;
  LexicalIndex& operator=(const LexicalIndex&) = delete;

  /// Adds a document. `doc` must be greater than every doc added before
  /// (InvalidArgument otherwise); `terms` is a collapsed DocTerms (sorted,
  /// distinct keys, counts > 0). The document length is the sum of counts.
  Status Add(uint32_t doc, const DocTerms& terms);
  /// Adds documents in increasing doc order, the same as one Add each (the
  /// same index, bit for bit), with the postings of a large batch appended
  /// by `threads` workers (terms split among them; <= 1: one). Prepare,
  /// then Commit: on an error nothing is added.
  Status AddBatch(const std::vector<LexicalDoc>& docs, int threads);
  /// AddBatch's two halves, for a caller that changes other structures
  /// with the postings and must not fail half way (the engine: both kinds'
  /// indexes, then its own tables). Prepare checks every document and
  /// makes every allocation the commit needs; on an error the index's
  /// content is as it was (lists may keep extra capacity). Commit then
  /// cannot fail on a batch prepared on this index; FailedPrecondition
  /// for another index's or an already committed batch. Between the two,
  /// the index may change only by Remove(doc, /*compact=*/false), and the
  /// documents' terms must stay alive.
  Status Prepare(const std::vector<LexicalDoc>& docs, int threads, LexicalBatch* batch);
  Status Commit(LexicalBatch* batch);
  /// Marks a document deleted; NotFound if absent or already deleted.
  /// Then, if `compact`, MaybeCompact().
  Status Remove(uint32_t doc, bool compact = true);
  /// Compacts when deleted documents exceed max_deleted_ratio.
  void MaybeCompact();
  /// Drops deleted documents from the postings now.
  void Compact();
  /// Releases the spare capacity postings lists keep for growth (about a
  /// quarter of their memory after bulk adds). Costs one copy of each list.
  /// Also gives the terms in >= 1024 documents and >= 1/16 of the doc ids
  /// a doc map: a bitmap over the doc ids with a rank per 512 (~1/8 byte
  /// per doc id) that turns Search's seeks and Score's lookups in those
  /// lists into a few word reads (Compact and Load rebuild the maps; Add
  /// extends the existing ones). Results are the same with or without.
  void ShrinkToFit();

  /// The k best live documents for `query` (terms with the same key are
  /// merged, weights summed) passing `allow` (null = all), best first, ties
  /// by smaller doc. Uses block-max MaxScore dynamic pruning: exactly the
  /// scores and order of scoring every posting, without scoring most of them.
  std::vector<LexicalHit> Search(const std::vector<LexicalQueryTerm>& query,
                                 size_t k,
                                 const std::function<bool(uint32_t)>* allow =
                                     nullptr) const;
  /// The score `doc` would get for `query` (0 if it is absent or matches
  /// nothing); for candidates found by another retriever.
  float Score(const std::vector<LexicalQueryTerm>& query, uint32_t doc) const;
  /// Per-term contributions of `doc` for `query` (terms it contains only).
  std::vector<LexicalTermScore> Explain(
      const std::vector<LexicalQueryTerm>& query, uint32_t doc) const;
  /// Explain for each of `docs` (the query prepared once).
  std::vector<std::vector<LexicalTermScore>> ExplainMany(
      const std::vector<LexicalQueryTerm>& query, const std::vector<uint32_t>& docs) const;

  bool Contains(uint32_t doc) const;  ///< added and not deleted
  size_t size() const;                ///< live documents
  size_t num_terms() const;           ///< distinct keys with postings
  /// Documents with the term, deleted ones included until compaction (the
  /// df of its idf); 0 for an unknown key.
  size_t DocFrequency(uint64_t key) const;
  /// Live and not yet compacted deleted documents (the N of the idf).
  size_t num_indexed() const;
  size_t memory_bytes() const;        ///< approximate heap use
  /// Terms whose postings also keep a doc map (a bitmap with ranks that
  /// seeks and lookups use in long lists; see ShrinkToFit).
  size_t num_doc_maps() const;
  const LexicalOptions& options() const;
  /// Replaces the query-side term-kind weights (LexicalOptions::
  /// word_weight ...; each >= 0, not all 0) without re-indexing: they
  /// act at search time only. Needs exclusive access, like Add.
  void SetQueryKindWeights(double word, double unigram, double bigram);

  /// Serializes the whole index (postings, lengths, deletions) into `out`
  /// (appended) with io/coding.h; Load() checks every count and bound and
  /// returns Corruption (never crashes) on damaged bytes.
  void Save(std::string* out) const;
  /// The same bytes handed to `sink` in pieces of about `piece_bytes`
  /// (never the whole index in memory); false as soon as `sink` returns
  /// false.
  bool Save(const std::function<bool(std::string_view)>& sink,
            size_t piece_bytes = size_t{1} << 20) const;
  /// Load's smallest chunk of terms.
  static constexpr size_t kMinChunkBytes = size_t{256} << 10;
  /// Decodes on up to `threads` workers: the terms in chunks of about
  /// equal bytes (four per worker, each at least `min_chunk_bytes`; tests
  /// make them small), found by a first pass that skips over postings.
  /// threads <= 1, or an index of one chunk: the calling thread alone.
  /// The result, and the error for damaged bytes, is the same either way.
  /// `on_decoded`, if set, is handed each chunk's bytes once they are
  /// decoded (from the worker that decoded them), e.g. to drop a mapped
  /// file's pages (SnapshotReader::ReleaseBytes).
  static Result<std::unique_ptr<LexicalIndex>> Load(
      std::string_view bytes, int threads = 1, size_t min_chunk_bytes = kMinChunkBytes,
      const std::function<void(std::string_view)>& on_decoded = nullptr);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Turns analyzed query terms into weighted LexicalQueryTerms (one per
/// distinct key, weight = the summed count).
std::vector<LexicalQueryTerm> ToLexicalQuery(const DocTerms& terms);

/// Removes from `query` the covered unigrams (MarkCoveredUnigrams) whose
/// document frequency in `index` exceeds max_df * num_indexed()
/// (LexicalOptions::covered_unigram_max_df; >= 1 removes none).
void DropCoveredUnigrams(const LexicalIndex& index, double max_df,
                         std::vector<LexicalQueryTerm>* query);

/// Sets `covered` on the unigrams of `query` whose character occurs in a
/// bigram of `terms` (the query's analyzed terms, any fields).
void MarkCoveredUnigrams(const std::vector<const std::vector<Term>*>& terms,
                         std::vector<LexicalQueryTerm>* query);

}  // namespace techmatch::internal

#endif  // TECHMATCH_LEXICAL_LEXICAL_INDEX_H_

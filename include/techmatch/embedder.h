// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Embedder: records and texts -> L2-normalized dense vectors.

#ifndef TECHMATCH_EMBEDDER_H_
#define TECHMATCH_EMBEDDER_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "techmatch/analyzer.h"
#include "techmatch/export.h"
#include "techmatch/record.h"
#include "techmatch/status.h"
#include "techmatch/types.h"

namespace techmatch {

/// The embedding methods.
enum class EmbedderKind : uint8_t {
  kLsa = 0,       ///< truncated SVD of TF-IDF (fitted on the corpus)
  kSif = 1,       ///< SIF-weighted average of pretrained word vectors
  kExternal = 2,  ///< vectors supplied by the caller, from any model
};

/// "lsa" / "sif" / "external".
TECHMATCH_EXPORT const char* EmbedderKindName(EmbedderKind kind);
TECHMATCH_EXPORT Result<EmbedderKind> ParseEmbedderKind(std::string_view name);

/// How records become vectors. Plain struct; CreateEmbedder() validates it.
struct TECHMATCH_EXPORT_CLASS EmbedderOptions {
  EmbedderKind kind = EmbedderKind::kLsa;

  /// Vector dimension. LSA: the SVD rank (default 256). SIF: must be 0 or
  /// equal the vectors file's dimension. External: required.
  size_t dim = 256;

  // --- Term statistics (LSA; SIF uses the field weights) ---
  /// Weight of one occurrence in the title / keywords / text.
  /// Defaults 2 / 2 / 1.
  float title_weight = 2.0f;
  float keywords_weight = 2.0f;
  float text_weight = 1.0f;
  /// Weights of word, Han unigram and Han bigram terms. Defaults 1/1/0.5
  /// (chosen on csl-match dev, docs/embedder.md).
  float word_weight = 1.0f;
  float unigram_weight = 1.0f;
  float bigram_weight = 0.5f;
  /// Terms in fewer documents are dropped. Default 2.
  uint32_t min_df = 2;
  /// Terms in more than this share of documents are dropped. Default 0.5.
  float max_df_ratio = 0.5f;
  /// tf -> 1 + ln(tf). Default true.
  bool sublinear_tf = true;

  // --- LSA ---
  /// Power iterations of the randomized SVD. Default 0 (see docs/embedder.md:
  /// on csl-match more iterations fit the SVD better but retrieve worse).
  int power_iterations = 0;
  /// Extra random directions of the range finder. Default 20.
  int oversample = 20;
  /// Scale dimension j by sigma_j^-sigma_power (0 = classic LSA, 1 =
  /// whitened). Default 0: whitening (0.5) retrieves slightly better on
  /// csl-match dev but spreads the vectors so evenly that IVF needs many
  /// more probes for the same recall (docs/embedder.md).
  float sigma_power = 0.0f;
  /// Fit on at most this many records (a seeded sample); the rest are
  /// folded in. Default 200000.
  size_t max_fit_records = 200000;
  /// Seed of the random projections and the sample. Default 42.
  uint64_t seed = 42;

  // --- SIF ---
  /// Word vectors: word2vec/fastText text (.vec: "count dim" header, then
  /// "word v1 ... vd" lines) or word2vec binary. Required for kSif.
  std::string word_vectors_file;
  /// SIF smoothing a in a / (a + p(w)). Default 1e-3.
  double sif_a = 1e-3;
  /// Principal components removed from every vector. Default 1.
  int sif_remove_components = 1;

  /// Threads for Fit and EmbedRecords (0 = all hardware threads).
  int threads = 0;

  Status Validate() const;
};

/// Turns records and texts into L2-normalized vectors of dim() floats.
///
/// Thread-safety: Fit() needs exclusive access; after it, the const
/// methods may run concurrently.
class TECHMATCH_EXPORT_CLASS Embedder {
 public:
  virtual ~Embedder() = default;

  virtual EmbedderKind kind() const = 0;
  virtual size_t dim() const = 0;
  /// True once Fit() (or Load) has run; External is always fitted.
  virtual bool fitted() const = 0;

  /// Learns from the corpus: LSA term statistics and projection; SIF word
  /// frequencies and common components. External: nothing to learn (OK).
  virtual Status Fit(const std::vector<Record>& corpus) = 0;

  /// One vector per record into out (records.size() * dim() floats,
  /// row-major). FailedPrecondition before Fit; External: NotSupported
  /// (the caller has the vectors). Errors name the record id.
  virtual Status EmbedRecords(const std::vector<Record>& records,
                              float* out) const = 0;
  /// One vector for a free text (a query).
  virtual Status EmbedText(std::string_view text, float* out) const = 0;

  /// Serializes the fitted state (a payload for the snapshot format).
  virtual Status Save(std::string* out) const = 0;
};

/// A new, unfitted embedder. The analyzer is shared (it must be the one
/// used for the rest of the engine).
TECHMATCH_EXPORT Result<std::unique_ptr<Embedder>> CreateEmbedder(
    const EmbedderOptions& options, std::shared_ptr<const Analyzer> analyzer);

/// An embedder from what Embedder::Save wrote.
TECHMATCH_EXPORT Result<std::unique_ptr<Embedder>> LoadEmbedder(
    std::string_view bytes, std::shared_ptr<const Analyzer> analyzer);

/// Checks caller-supplied vectors (External): dimension `dim`, every
/// component finite, no all-zero vector. The error names the id (ids[i]
/// for vector i).
TECHMATCH_EXPORT Status CheckVectors(const std::vector<std::string>& ids,
                                     VectorView vectors, size_t dim);

}  // namespace techmatch

#endif  // TECHMATCH_EMBEDDER_H_

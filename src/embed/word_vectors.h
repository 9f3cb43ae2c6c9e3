// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// WordVectors: a pretrained word vector table read from word2vec/fastText
// files (text .vec or word2vec binary), words normalized by the analyzer.

#ifndef TECHMATCH_EMBED_WORD_VECTORS_H_
#define TECHMATCH_EMBED_WORD_VECTORS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "techmatch/analyzer.h"
#include "techmatch/status.h"

namespace techmatch::internal {

/// A table of word vectors, words normalized by the analyzer. Immutable once
/// read; safe to share between threads for reading.
struct WordVectors {
  size_t dim = 0;
  std::vector<std::string> words;  // normalized, distinct
  std::vector<float> vectors;      // words.size() x dim, row-major
  std::unordered_map<std::string, uint32_t> index;  // word -> row

  /// The row of `word`, or nullptr.
  const float* Find(const std::string& word) const {
    auto it = index.find(word);
    return it == index.end() ? nullptr
                             : vectors.data() + size_t(it->second) * dim;
  }
  /// Appends a word unless its normalized form is already present (the
  /// first occurrence wins: vector files list frequent words first).
  void Add(std::string word, const float* vector);
};

/// Reads a word2vec/fastText vector file, text or binary (the rule is in
/// docs/embedder.md: a ".bin" name means binary, ".vec"/".txt" text; any
/// other name is text if the first entry parses as a text line). Every word
/// goes through analyzer.Normalize. `want_dim` != 0 must equal the file's
/// dimension. Errors name the file and the line (text) or the 1-based
/// entry number (binary).
Status ReadWordVectors(const std::string& path, const Analyzer& analyzer,
                       size_t want_dim, WordVectors* out);

}  // namespace techmatch::internal

#endif  // TECHMATCH_EMBED_WORD_VECTORS_H_

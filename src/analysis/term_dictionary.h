// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// TermDictionary: a trie of normalized user-dictionary terms.

#ifndef TECHMATCH_ANALYSIS_TERM_DICTIONARY_H_
#define TECHMATCH_ANALYSIS_TERM_DICTIONARY_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "techmatch/analyzer.h"
#include "techmatch/status.h"

namespace techmatch::internal {

class Normalizer;

/// A trie over the UTF-16 units of normalized terms, answering "which terms
/// start here" in one walk. Thread-safety: const methods are safe
/// concurrently; Add() needs exclusive access.
class TermDictionary {
 public:
  TermDictionary();

  /// Adds a normalized term; a repeated term keeps the larger weight.
  void Add(std::u16string_view term, float weight);

  /// Calls fn(length, weight) for every term that is a prefix of s[0, n),
  /// shortest first.
  template <typename Fn>
  void ForEachPrefix(const char16_t* s, size_t n, Fn&& fn) const {
    uint32_t node = 0;
    for (size_t i = 0; i < n; ++i) {
      auto it = edges_.find(Key(node, s[i]));
      if (it == edges_.end()) return;
      node = it->second;
      if (weight_[node] > 0) fn(i + 1, weight_[node]);
    }
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  static uint64_t Key(uint32_t node, char16_t c) {
    return (uint64_t{node} << 16) | c;
  }
  std::unordered_map<uint64_t, uint32_t> edges_;
  std::vector<float> weight_;  // per node; 0 = not the end of a term
  size_t size_ = 0;
};

/// Adds `terms` to *dict after normalizing them; errors name the term.
Status AddDictionaryTerms(const std::vector<DictionaryTerm>& terms,
                          const Normalizer& normalizer, TermDictionary* dict);

/// Loads a dictionary file: one term per line, optionally followed by white
/// space and a positive weight (a jieba "term freq tag" line also works);
/// blank lines and '#' comments are skipped. Errors name file and line.
Status LoadDictionaryFile(const std::string& path,
                          const Normalizer& normalizer, TermDictionary* dict);

/// Reads a dictionary file (same syntax) into terms, unnormalized; errors
/// name file and line.
Status ReadDictionaryFile(const std::string& path,
                          std::vector<DictionaryTerm>* terms);

/// Reads a word-list file (stopwords): one entry per line, '#' comments.
Status ReadWordListFile(const std::string& path,
                        std::vector<std::string>* words);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ANALYSIS_TERM_DICTIONARY_H_

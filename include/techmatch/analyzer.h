// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Analyzer: Chinese (and mixed Chinese/English) technology text -> terms.

#ifndef TECHMATCH_ANALYZER_H_
#define TECHMATCH_ANALYZER_H_

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "techmatch/export.h"
#include "techmatch/status.h"
#include "techmatch/term.h"

namespace techmatch {

/// A domain term for the user dictionary.
struct DictionaryTerm {
  std::string text;     ///< the term as written; normalized on load
  double weight = 1.0;  ///< > 0; ranks overlapping dictionary terms
};

/// The built-in stopword list (Chinese and English function words).
TECHMATCH_EXPORT const std::vector<std::string>& DefaultStopwords();

/// How text becomes terms. Plain struct; Validate() before use (Create does).
struct TECHMATCH_EXPORT_CLASS AnalyzerOptions {
  /// NFKC normalization plus Unicode case folding: full-width forms become
  /// half-width ("ＡＢＣ１２" -> "abc12"), compatibility characters are
  /// expanded ("㎏" -> "kg"). Default true.
  bool normalize = true;

  /// Maps Traditional Chinese characters to Simplified ("鋰電池" -> "锂电池").
  /// Default true.
  bool traditional_to_simplified = true;

  /// Emit one term per segmented word (TermKind::kWord). Default true.
  bool emit_words = true;
  /// Emit each Han character as a TermKind::kUnigram term. Default true.
  bool emit_unigrams = true;
  /// Emit overlapping Han character pairs as TermKind::kBigram terms, so
  /// unknown technical terms still match. Default true.
  bool emit_bigrams = true;

  /// Drop stopwords from word and unigram terms (bigrams are kept: they are
  /// weighted by the index instead). Default true.
  bool remove_stopwords = true;
  /// The stopword list (any script; normalized on load). Default: the
  /// built-in list, DefaultStopwords(). Edit it or replace it.
  std::vector<std::string> stopwords = DefaultStopwords();
  /// Optional file of extra stopwords, one per line ('#' starts a comment).
  /// Default: none.
  std::string stopwords_file;

  /// User dictionary entries: domain terms that override the ICU segmenter
  /// where they apply, so "石墨烯负极材料" stays one word. Default: none.
  std::vector<DictionaryTerm> dictionary;
  /// Optional user dictionary file, one term per line with an optional
  /// weight after white space ("石墨烯负极材料 5"); '#' starts a comment.
  /// Loaded in addition to `dictionary`. Default: none.
  std::string dictionary_file;

  /// Texts longer than this are rejected with InvalidArgument (bytes); an
  /// Engine refuses a record with a longer field at Add, naming it.
  /// Default 8 MiB (a long patent is well under 1 MiB; one explained match
  /// of an 8 MiB record stays in a few hundred MB of RAM); at most 2 GiB
  /// (offsets are 32-bit).
  size_t max_text_bytes = size_t{8} << 20;

  /// OK, or InvalidArgument naming the bad field.
  Status Validate() const;
};

/// Turns text into terms: normalization, ICU word segmentation corrected by
/// the user dictionary, Han unigrams/bigrams, stopword removal, and the
/// original byte offsets of every term.
///
/// Thread-safety: an Analyzer is immutable after Create(); all const
/// methods may be called concurrently from any number of threads.
class TECHMATCH_EXPORT_CLASS Analyzer {
 public:
  /// Builds an analyzer; loads the stopword and dictionary files. Errors
  /// name the file and line.
  static Result<std::unique_ptr<Analyzer>> Create(
      const AnalyzerOptions& options = {});

  ~Analyzer();
  Analyzer(const Analyzer&) = delete;
  Analyzer& operator=(const Analyzer&) = delete;

  /// Segments `text` (valid UTF-8) into words and punctuation. Every
  /// character but white space lies in exactly one token. No stopword
  /// removal, no unigrams or bigrams.
  Result<std::vector<Token>> Segment(std::string_view text) const;

  /// Analyzes `text` (valid UTF-8) into terms, in text order (a word's
  /// unigrams and bigrams follow it). Invalid UTF-8 or an over-long text is
  /// InvalidArgument naming the byte offset.
  Result<std::vector<Term>> Analyze(std::string_view text) const;

  /// As above, appending to `*terms` (cleared first) to reuse its memory.
  Status Analyze(std::string_view text, std::vector<Term>* terms) const;

  /// Normalizes a single term as the analyzer would (for query terms,
  /// dictionary lookups and stopword checks).
  Result<std::string> Normalize(std::string_view text) const;

  /// True if `normalized` is in the effective stopword list.
  bool IsStopword(std::string_view normalized) const;

  /// Number of terms in the effective user dictionary.
  size_t dictionary_size() const;

  const AnalyzerOptions& options() const;

 private:
  struct Impl;
  explicit Analyzer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace techmatch

#endif  // TECHMATCH_ANALYZER_H_

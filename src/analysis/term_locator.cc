// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "analysis/term_locator.h"

#include <algorithm>
#include <utility>

#include "analysis/doc_terms.h"
#include "analysis/segmenter.h"
#include "util/utf8_decode.h"

namespace techmatch::internal {
namespace {

// Normalized text: ASCII letters and digits are the classes kClsAlpha and
// kClsDigit.
bool IsAsciiDigit(char16_t c) { return Normalizer::Class(c) == kClsDigit; }
bool IsAsciiAlnum(char16_t c) { return IsAsciiDigit(c) || Normalizer::Class(c) == kClsAlpha; }

// Whether a word with these kinds of characters, found in `s` at
// [at, end), would be part of a longer ASCII word or code there: a letter
// or digit right beside it, or a connector then an ASCII run such that the
// chain holds both letters and digits (as Segmenter::MergeCodes joins
// "covid-19", but not "cad-based"), or "++" / "#" after a word of one or
// two letters ("c++", "c#").
bool PartOfLonger(const char16_t* s, size_t n, size_t at, size_t end, bool check_before,
                  bool check_after, bool has_letter, bool has_digit) {
  auto run_kinds = [&](size_t from, int step, bool* letter, bool* digit) {
    for (ptrdiff_t i = ptrdiff_t(from); i >= 0 && size_t(i) < n && IsAsciiAlnum(s[i]);
         i += step) {
      (IsAsciiDigit(s[i]) ? *digit : *letter) = true;
    }
  };
  if (check_before && at > 0) {
    if (IsAsciiAlnum(s[at - 1])) return true;
    if (IsCodeConnector(s[at - 1]) && at >= 2 && IsAsciiAlnum(s[at - 2])) {
      bool letter = has_letter, digit = has_digit;
      run_kinds(at - 2, -1, &letter, &digit);
      if (letter && digit) return true;
    }
  }
  if (check_after && end < n) {
    if (IsAsciiAlnum(s[end])) return true;
    if (IsCodeConnector(s[end]) && end + 1 < n && IsAsciiAlnum(s[end + 1])) {
      bool letter = has_letter, digit = has_digit;
      run_kinds(end + 1, 1, &letter, &digit);
      if (letter && digit) return true;
    }
    if ((s[end] == u'+' || s[end] == u'#') && has_letter && !has_digit && end - at <= 2) {
      return true;
    }
  }
  return false;
}

// Where a key's bit is in TermLocator::ngram_filter_: word, mask.
std::pair<size_t, uint64_t> FilterBit(uint64_t key) {
  return {size_t((key >> 6) & 3), uint64_t{1} << (key & 63)};
}

}  // namespace

void TermLocator::WantNgram(uint64_t key) {
  auto it = std::lower_bound(ngrams_.begin(), ngrams_.end(), key);
  if (it != ngrams_.end() && *it == key) return;
  ngrams_.insert(it, key);
  const auto [word, mask] = FilterBit(key);
  ngram_filter_[word] |= mask;
}

void TermLocator::WantWord(std::string_view normalized_text) {
  Word w;
  w.utf8 = std::string(normalized_text);
  // Normalizing normalized text changes nothing: this is its UTF-16.
  NormalizedText norm;
  if (normalizer_->Append(normalized_text, 0, normalized_text.size(), &norm) !=
      std::string_view::npos) {
    return;  // not valid UTF-8: not a term of ours
  }
  w.text = std::move(norm.text);
  if (w.text.empty()) return;
  w.alnum_start = IsAsciiAlnum(w.text.front());
  w.alnum_end = IsAsciiAlnum(w.text.back());
  for (char16_t c : w.text) {
    if (IsAsciiDigit(c)) w.has_digit = true;
    else if (IsAsciiAlnum(c)) w.has_letter = true;
  }
  if (std::none_of(words_.begin(), words_.end(),
                   [&](const Word& x) { return x.text == w.text; })) {
    words_.push_back(std::move(w));
  }
}

Status TermLocator::Locate(std::string_view text, size_t max_per_term,
                           std::vector<Term>* out) const {
  if (empty() || text.empty() || max_per_term == 0) return Status::OK();
  // One normalization buffer per thread, reused: Locate runs for a few
  // fields of every returned record.
  thread_local NormalizedText norm;
  norm.clear();
  // ... but not a huge one: a long text's buffer is freed after its call.
  struct Trim {
    NormalizedText* n;
    ~Trim() {
      if (n->text.capacity() > (size_t{1} << 16)) *n = NormalizedText();
    }
  } trim{&norm};
  const size_t bad = normalizer_->Append(text, 0, text.size(), &norm);
  if (bad != std::string_view::npos) {
    return Status::InvalidArgument("text: invalid UTF-8 at byte " + std::to_string(bad));
  }
  const char16_t* s = norm.text.data();
  const size_t n = norm.size();
  const size_t first = out->size();
  auto emit = [&](size_t b, size_t e, TermKind kind, std::string utf8) {
    Term& t = out->emplace_back();
    t.text = std::move(utf8);
    t.kind = kind;
    t.begin = norm.src_begin[b];
    t.end = norm.src_end[e - 1];
  };
  if (!ngrams_.empty()) {
    // Occurrences so far, per wanted key (as ngrams_).
    thread_local std::vector<uint32_t> seen;
    seen.assign(ngrams_.size(), 0);
    auto want = [&](uint64_t key) {
      const auto [word, mask] = FilterBit(key);
      if ((ngram_filter_[word] & mask) == 0) return false;
      auto it = std::lower_bound(ngrams_.begin(), ngrams_.end(), key);
      return it != ngrams_.end() && *it == key && ++seen[size_t(it - ngrams_.begin())] <= max_per_term;
    };
    std::string gram;  // one or two characters: no allocation
    for (size_t i = 0; i < n; ++i) {
      if (!Normalizer::IsHan(s[i])) continue;
      gram.clear();
      AppendUtf16AsUtf8(s + i, 1, &gram);
      if (want(TermKey(TermKind::kUnigram, gram))) emit(i, i + 1, TermKind::kUnigram, gram);
      if (i + 1 < n && Normalizer::IsHan(s[i + 1])) {
        AppendUtf16AsUtf8(s + i + 1, 1, &gram);
        if (want(TermKey(TermKind::kBigram, gram))) emit(i, i + 2, TermKind::kBigram, gram);
      }
    }
  }
  const std::u16string_view all(s, n);
  for (const Word& w : words_) {
    size_t found = 0;
    for (size_t at = all.find(w.text); at != std::u16string_view::npos && found < max_per_term;
         at = all.find(w.text, at + 1)) {
      const size_t end = at + w.text.size();
      if (PartOfLonger(s, n, at, end, w.alnum_start, w.alnum_end, w.has_letter, w.has_digit)) {
        continue;
      }
      emit(at, end, TermKind::kWord, w.utf8);
      ++found;
    }
  }
  // Text order, a word before the n-grams at its start (as the analyzer
  // emits them).
  std::stable_sort(out->begin() + std::ptrdiff_t(first), out->end(),
                   [](const Term& a, const Term& b) {
                     return a.begin != b.begin ? a.begin < b.begin : a.kind < b.kind;
                   });
  return Status::OK();
}

}  // namespace techmatch::internal

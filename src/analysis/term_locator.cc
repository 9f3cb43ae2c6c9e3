// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "analysis/term_locator.h"

#include <algorithm>
#include <unordered_map>

#include "analysis/doc_terms.h"
#include "util/utf8_decode.h"

namespace techmatch::internal {
namespace {

bool IsAsciiAlnum(char16_t c) {
  return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z');
}

}  // namespace

void TermLocator::WantWord(std::string_view normalized_text) {
  Word w;
  w.utf8 = std::string(normalized_text);
  const auto* p = reinterpret_cast<const unsigned char*>(normalized_text.data());
  size_t i = 0;
  while (i < normalized_text.size()) {
    char32_t cp;
    size_t len = DecodeUtf8(p + i, normalized_text.size() - i, &cp);
    if (len == 0) return;  // not valid UTF-8: not a term of ours
    if (cp < 0x10000) {
      w.text.push_back(char16_t(cp));
    } else {
      cp -= 0x10000;
      w.text.push_back(char16_t(0xD800 + (cp >> 10)));
      w.text.push_back(char16_t(0xDC00 + (cp & 0x3FF)));
    }
    i += len;
  }
  if (w.text.empty()) return;
  w.ascii = std::all_of(w.text.begin(), w.text.end(), IsAsciiAlnum);
  if (std::none_of(words_.begin(), words_.end(),
                   [&](const Word& x) { return x.text == w.text; })) {
    words_.push_back(std::move(w));
  }
}

Status TermLocator::Locate(std::string_view text, size_t max_per_term,
                           std::vector<Term>* out) const {
  if (empty() || text.empty() || max_per_term == 0) return Status::OK();
  NormalizedText norm;
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
    std::unordered_map<uint64_t, size_t> seen;
    auto want = [&](uint64_t key) {
      return ngrams_.count(key) != 0 && ++seen[key] <= max_per_term;
    };
    std::string one, two;
    for (size_t i = 0; i < n; ++i) {
      if (!Normalizer::IsHan(s[i])) continue;
      one.clear();
      AppendUtf16AsUtf8(s + i, 1, &one);
      if (want(TermKey(TermKind::kUnigram, one))) emit(i, i + 1, TermKind::kUnigram, one);
      if (i + 1 < n && Normalizer::IsHan(s[i + 1])) {
        two = one;
        AppendUtf16AsUtf8(s + i + 1, 1, &two);
        if (want(TermKey(TermKind::kBigram, two))) {
          emit(i, i + 2, TermKind::kBigram, two);
        }
      }
    }
  }
  const std::u16string_view all(s, n);
  for (const Word& w : words_) {
    size_t found = 0;
    for (size_t at = all.find(w.text); at != std::u16string_view::npos && found < max_per_term;
         at = all.find(w.text, at + 1)) {
      const size_t end = at + w.text.size();
      if (w.ascii && ((at > 0 && IsAsciiAlnum(s[at - 1])) || (end < n && IsAsciiAlnum(s[end])))) {
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

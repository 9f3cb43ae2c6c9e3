// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "analysis/normalizer.h"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>

#include <memory>
#include <mutex>

#include "util/utf8_decode.h"

namespace techmatch::internal {

CharClass Normalizer::kClassTable[65536];

void Normalizer::BuildClassTable() {
  for (UChar32 c = 0; c < 0x10000; ++c) {
    CharClass cls = kClsOther;
    if (c < 0x80) {
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) cls = kClsAlpha;
      else if (c >= '0' && c <= '9') cls = kClsDigit;
      else if (u_isUWhiteSpace(c)) cls = kClsSpace;
    } else if (u_isUWhiteSpace(c)) {
      cls = kClsSpace;
    } else {
      UErrorCode err = U_ZERO_ERROR;
      if (uscript_getScript(c, &err) == USCRIPT_HAN && U_SUCCESS(err) &&
          u_isalpha(c)) {
        cls = kClsHan;
      } else if (c == 0x3007) {  // 〇 is Han but not alphabetic
        cls = kClsHan;
      }
    }
    kClassTable[c] = cls;
  }
}

Result<const Normalizer*> Normalizer::Get(bool normalize, bool t2s) {
  // Four possible configurations, each built once and kept for the life of
  // the process (the tables are ~400 KB each).
  static std::once_flag class_once;
  std::call_once(class_once, BuildClassTable);
  static std::mutex mu;
  static std::unique_ptr<Normalizer> instances[4];
  static Status errors[4];
  std::lock_guard<std::mutex> lock(mu);
  int slot = (normalize ? 2 : 0) + (t2s ? 1 : 0);
  if (!instances[slot] && errors[slot].ok()) {
    std::unique_ptr<Normalizer> n(new Normalizer(normalize, t2s));
    Status s = n->Build();
    if (s.ok()) {
      instances[slot] = std::move(n);
    } else {
      errors[slot] = s;
    }
  }
  if (!errors[slot].ok()) return errors[slot];
  return static_cast<const Normalizer*>(instances[slot].get());
}

Normalizer::Normalizer(bool normalize, bool t2s)
    : normalize_(normalize), t2s_enabled_(t2s) {}

Status Normalizer::Build() {
  kind_.assign(0x10000, kIdentity);
  single_.assign(0x10000, 0);
  const icu::Normalizer2* nfkc_cf = nullptr;
  if (normalize_) {
    UErrorCode err = U_ZERO_ERROR;
    nfkc_cf = icu::Normalizer2::getNFKCCasefoldInstance(err);
    if (U_FAILURE(err)) {
      return Status::Internal(std::string("ICU nfkc_cf normalizer: ") +
                              u_errorName(err));
    }
    nfkc_cf_ = nfkc_cf;
  }

  if (t2s_enabled_) {
    // Transliterate every Han character of the BMP in one call, each on its
    // own line, so no rule sees a neighbour: the mapping is per character.
    UErrorCode err = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> tr(icu::Transliterator::createInstance(
        "Traditional-Simplified", UTRANS_FORWARD, err));
    if (U_FAILURE(err) || !tr) {
      return Status::Internal(
          std::string("ICU Traditional-Simplified transliterator: ") +
          u_errorName(err));
    }
    icu::UnicodeString all;
    std::vector<char16_t> hans;
    for (UChar32 c = 0; c < 0x10000; ++c) {
      if (kClassTable[c] == kClsHan) {
        hans.push_back(char16_t(c));
        all.append(c).append(char16_t('\n'));
      }
    }
    tr->transliterate(all);
    t2s_.resize(0x10000);
    for (UChar32 c = 0; c < 0x10000; ++c) t2s_[c] = char16_t(c);
    int32_t pos = 0;
    for (char16_t src : hans) {
      int32_t nl = all.indexOf(char16_t('\n'), pos);
      if (nl < 0) return Status::Internal("Traditional-Simplified: lost lines");
      // Keep one-to-one mappings only; the rare multi-character outputs
      // would change text length for no matching benefit.
      if (nl - pos == 1) t2s_[src] = all.charAt(pos);
      pos = nl + 1;
    }
  }

  for (UChar32 c = 0; c < 0x10000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) {
      kind_[c] = kSlow;
      continue;
    }
    icu::UnicodeString s(c);
    if (nfkc_cf != nullptr) {
      UErrorCode err = U_ZERO_ERROR;
      s = nfkc_cf->normalize(icu::UnicodeString(c), err);
      if (U_FAILURE(err)) return Status::Internal("ICU normalize failed");
      if (!nfkc_cf->hasBoundaryBefore(c)) kind_[c] |= kNoBoundaryBefore;
    }
    if (t2s_enabled_) {
      for (int32_t i = 0; i < s.length(); ++i) {
        s.setCharAt(i, MapHan(s.charAt(i)));
      }
    }
    uint8_t kind;
    if (s.length() == 0) {
      kind = kDeleted;
    } else if (s.length() == 1 && s.charAt(0) == c) {
      kind = kIdentity;
    } else if (s.length() == 1) {
      kind = kSingle;
      single_[c] = s.charAt(0);
    } else {
      kind = kMulti;
      multi_[char16_t(c)] = std::u16string(s.getBuffer(), s.length());
    }
    kind_[c] = uint8_t((kind_[c] & kNoBoundaryBefore) | kind);
  }
  return Status::OK();
}

namespace {

inline void Push(char16_t u, uint32_t b, uint32_t e, NormalizedText* out) {
  out->text.push_back(u);
  out->src_begin.push_back(b);
  out->src_end.push_back(e);
}

}  // namespace

void Normalizer::AppendSlow(std::string_view segment, uint32_t src_begin,
                            uint32_t src_end, NormalizedText* out) const {
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(
      icu::StringPiece(segment.data(), int32_t(segment.size())));
  if (nfkc_cf_ != nullptr) {
    UErrorCode err = U_ZERO_ERROR;
    icu::UnicodeString n =
        static_cast<const icu::Normalizer2*>(nfkc_cf_)->normalize(s, err);
    if (U_SUCCESS(err)) s = n;  // on failure keep the text as it was
  }
  for (int32_t i = 0; i < s.length(); ++i) {
    Push(MapHan(s.charAt(i)), src_begin, src_end, out);
  }
}

size_t Normalizer::Append(std::string_view text, size_t begin, size_t end,
                          NormalizedText* out) const {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const size_t want = out->size() + (end - begin);
  out->text.reserve(want);
  out->src_begin.reserve(want);
  out->src_end.reserve(want);
  // The current normalization segment: where it starts in the source and
  // in the output. A character that may not start a segment (a combining
  // mark) is rare, so instead of looking ahead at every character we look
  // back when one comes: the previous segment's output is dropped and the
  // joined source is normalized again by ICU.
  size_t seg_src = begin, seg_out = out->size();
  size_t i = begin;
  while (i < end) {
    const unsigned char b0 = p[i];
    if (b0 < 0x80) {
      char16_t u = b0;
      if (normalize_ && u >= 'A' && u <= 'Z') u = char16_t(u + 32);
      seg_src = i;
      seg_out = out->size();
      Push(u, uint32_t(i), uint32_t(i + 1), out);
      ++i;
      continue;
    }
    char32_t cp;
    size_t len;
    if ((b0 & 0xF0) == 0xE0 && i + 3 <= end && (p[i + 1] & 0xC0) == 0x80 &&
        (p[i + 2] & 0xC0) == 0x80 && b0 != 0xED &&
        (b0 != 0xE0 || p[i + 1] >= 0xA0)) {  // the common CJK case
      cp = (char32_t(b0 & 0x0F) << 12) | (char32_t(p[i + 1] & 0x3F) << 6) |
           (p[i + 2] & 0x3F);
      len = 3;
    } else {
      len = DecodeUtf8(p + i, end - i, &cp);
      if (len == 0) return i;
    }
    const uint32_t b = uint32_t(i), e = uint32_t(i + len);
    const bool joins =
        cp < 0x10000
            ? (kind_[cp] & kNoBoundaryBefore) != 0
            : nfkc_cf_ != nullptr &&
                  !static_cast<const icu::Normalizer2*>(nfkc_cf_)
                       ->hasBoundaryBefore(UChar32(cp));
    if (joins && i > begin) {
      out->text.resize(seg_out);
      out->src_begin.resize(seg_out);
      out->src_end.resize(seg_out);
      AppendSlow(text.substr(seg_src, e - seg_src), uint32_t(seg_src), e, out);
      i = e;
      continue;
    }
    seg_src = i;
    seg_out = out->size();
    if (cp >= 0x10000) {
      AppendSlow(text.substr(i, len), b, e, out);
      i = e;
      continue;
    }
    switch (kind_[cp] & ~kNoBoundaryBefore) {
      case kIdentity: Push(char16_t(cp), b, e, out); break;
      case kSingle: Push(single_[cp], b, e, out); break;
      case kMulti:
        for (char16_t u : multi_.at(char16_t(cp))) Push(u, b, e, out);
        break;
      case kDeleted: break;
      default: AppendSlow(text.substr(i, len), b, e, out); break;
    }
    i = e;
  }
  return std::string_view::npos;
}

std::string Normalizer::NormalizeToUtf8(std::string_view text) const {
  NormalizedText n;
  (void)Append(text, 0, text.size(), &n);  // callers validate first
  std::string out;
  AppendUtf16AsUtf8(n.text.data(), n.text.size(), &out);
  return out;
}

}  // namespace techmatch::internal

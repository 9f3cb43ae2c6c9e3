// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "techmatch/analyzer.h"

#include <mutex>
#include <new>
#include <string>
#include <unordered_set>  // stop_long

#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include "analysis/normalizer.h"
#include "analysis/segmenter.h"
#include "analysis/term_dictionary.h"
#include "techmatch/utf8.h"
#include "util/u64_map.h"
#include "util/utf8_decode.h"

namespace techmatch {

using internal::NormalizedText;
using internal::Normalizer;
using internal::RawToken;
using internal::Segmenter;
using internal::TermDictionary;

const char* TermKindName(TermKind kind) {
  switch (kind) {
    case TermKind::kWord: return "word";
    case TermKind::kUnigram: return "unigram";
    case TermKind::kBigram: return "bigram";
  }
  return "unknown";
}

Status AnalyzerOptions::Validate() const {
  if (max_text_bytes == 0 || max_text_bytes > (size_t{1} << 31)) {
    return Status::InvalidArgument(
        "AnalyzerOptions.max_text_bytes must be in 1..2^31");
  }
  for (size_t i = 0; i < dictionary.size(); ++i) {
    if (!(dictionary[i].weight > 0) || dictionary[i].weight > 1e30) {
      return Status::InvalidArgument(
          "AnalyzerOptions.dictionary[" + std::to_string(i) + "] \"" +
          dictionary[i].text + "\": weight must be a positive finite number");
    }
  }
  return Status::OK();
}

namespace {

// Texts are analyzed in pieces of about this many bytes, cut at a line
// break or white space where there is one, so that scratch memory stays
// small and cache-resident whatever the text's size.
constexpr size_t kChunkBytes = 64 * 1024;

size_t ChunkEnd(std::string_view text, size_t begin) {
  if (text.size() - begin <= kChunkBytes) return text.size();
  size_t limit = begin + kChunkBytes;
  size_t half = begin + kChunkBytes / 2;
  size_t nl = text.rfind('\n', limit);
  if (nl != std::string_view::npos && nl >= half) return nl + 1;
  for (size_t i = limit; i > half; --i) {
    char c = text[i - 1];
    if (c == ' ' || c == '\t' || c == '\r') return i;
  }
  // "。" (E3 80 82) ends a sentence: a safe place to cut Chinese text.
  for (size_t i = limit; i >= half + 3; --i) {
    if (text.compare(i - 3, 3, "\xE3\x80\x82") == 0) return i;
  }
  size_t i = limit;  // last resort: a character boundary
  while (i > begin && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) --i;
  return i;
}


}  // namespace

struct Analyzer::Impl {
  AnalyzerOptions options;
  const Normalizer* normalizer = nullptr;
  TermDictionary dictionary;
  // Stopwords as normalized UTF-16: up to three units packed into an
  // integer (the common case, looked up without building a string).
  internal::U64Map stop_short;
  std::unordered_set<std::u16string> stop_long;
  size_t stop_max_len = 0;
  std::unique_ptr<Segmenter> prototype;

  // What one call needs besides the analyzer: an ICU iterator (not
  // thread-safe) and scratch buffers. A fresh ICU iterator clone is cheap to
  // make but slow on its first texts (it rebuilds its caches), so calls
  // borrow warm workers from a pool that grows to the number of concurrent
  // callers.
  struct Worker {
    std::unique_ptr<Segmenter> seg;
    NormalizedText norm;
    std::vector<RawToken> tokens;
    std::string u8;
    std::vector<uint32_t> u8off;
  };
  mutable std::mutex pool_mu;
  mutable std::vector<std::unique_ptr<Worker>> pool;

  std::unique_ptr<Worker> Borrow() const {
    {
      std::lock_guard<std::mutex> lock(pool_mu);
      if (!pool.empty()) {
        std::unique_ptr<Worker> w = std::move(pool.back());
        pool.pop_back();
        return w;
      }
    }
    auto w = std::make_unique<Worker>();
    w->seg = prototype->Clone();
    if (!w->seg) return nullptr;
    return w;
  }
  void Return(std::unique_ptr<Worker> w) const {
    // Huge texts leave huge buffers: do not keep them.
    if (w->norm.text.capacity() > 4 * kChunkBytes) w->norm = NormalizedText();
    std::lock_guard<std::mutex> lock(pool_mu);
    try {
      pool.push_back(std::move(w));
    } catch (const std::bad_alloc&) {
      // dropping the worker is fine
    }
  }

  // First units of the stopwords: most words are rejected by one bit test.
  std::vector<bool> stop_first = std::vector<bool>(0x10000, false);

  static uint64_t PackShort(const char16_t* s, size_t n) {
    uint64_t key = uint64_t(n) << 48;
    for (size_t i = 0; i < n; ++i) key |= uint64_t(s[i]) << (16 * i);
    return key;
  }
  void AddStopword(const std::u16string& w) {
    if (w.empty()) return;
    stop_first[w[0]] = true;
    if (w.size() <= 3) stop_short.Insert(PackShort(w.data(), w.size()), 1);
    else stop_long.insert(w);
    if (w.size() > stop_max_len) stop_max_len = w.size();
  }
  bool IsStop(const char16_t* s, size_t n) const {
    if (n == 0 || n > stop_max_len || !stop_first[s[0]]) return false;
    if (n <= 3) return stop_short.Find(PackShort(s, n), 0) != 0;
    return stop_long.count(std::u16string(s, n)) != 0;
  }

  // Calls fn(const NormalizedText&, const std::vector<RawToken>&, Worker&)
  // for each chunk of `text`.
  template <typename Fn>
  Status ForEachChunk(std::string_view text, Fn&& fn) const;
};

template <typename Fn>
Status Analyzer::Impl::ForEachChunk(std::string_view text, Fn&& fn) const {
  if (text.size() > options.max_text_bytes) {
    return Status::InvalidArgument(
        "text of " + std::to_string(text.size()) +
        " bytes exceeds AnalyzerOptions.max_text_bytes (" +
        std::to_string(options.max_text_bytes) + ")");
  }
  std::unique_ptr<Worker> worker = Borrow();
  if (!worker) return Status::Internal("cannot clone the ICU BreakIterator");
  struct Giveback {
    const Impl* impl;
    std::unique_ptr<Worker>* w;
    ~Giveback() { impl->Return(std::move(*w)); }
  } giveback{this, &worker};
  Segmenter* seg = worker->seg.get();
  NormalizedText& norm = worker->norm;
  std::vector<RawToken>& tokens = worker->tokens;
  for (size_t begin = 0; begin < text.size();) {
    size_t end = ChunkEnd(text, begin);
    norm.clear();
    tokens.clear();
    size_t bad = normalizer->Append(text, begin, end, &norm);
    if (bad != std::string_view::npos) {
      return Status::InvalidArgument("text: invalid UTF-8 at byte " +
                                     std::to_string(bad));
    }
    TECHMATCH_RETURN_IF_ERROR(
        seg->Segment(norm.text.data(), uint32_t(norm.size()), &tokens));
    // A token may not start inside the expansion of one source character
    // ("㎏" -> "kg" split into "k" "g"): such a token joins the previous one.
    size_t out = 0;
    for (size_t k = 0; k < tokens.size(); ++k) {
      const RawToken& t = tokens[k];
      if (out > 0 && t.begin > 0 &&
          norm.src_begin[t.begin] == norm.src_begin[t.begin - 1] &&
          tokens[out - 1].end == t.begin) {
        tokens[out - 1].end = t.end;
        continue;
      }
      tokens[out++] = t;
    }
    tokens.resize(out);
    fn(norm, tokens, *worker);
    begin = end;
  }
  return Status::OK();
}

Analyzer::Analyzer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Analyzer::~Analyzer() = default;

Result<std::unique_ptr<Analyzer>> Analyzer::Create(
    const AnalyzerOptions& options) {
  TECHMATCH_RETURN_IF_ERROR(options.Validate());
  try {
    auto impl = std::make_unique<Impl>();
    impl->options = options;
    Result<const Normalizer*> norm =
        Normalizer::Get(options.normalize, options.traditional_to_simplified);
    if (!norm.ok()) return norm.status();
    impl->normalizer = *norm;

    std::vector<std::string> stop = options.stopwords;
    if (!options.stopwords_file.empty()) {
      TECHMATCH_RETURN_IF_ERROR(
          internal::ReadWordListFile(options.stopwords_file, &stop));
    }
    for (const std::string& w : stop) {
      TECHMATCH_RETURN_IF_ERROR(CheckUtf8(w, "stopword \"" + w + "\""));
      NormalizedText n;
      (void)impl->normalizer->Append(w, 0, w.size(), &n);
      impl->AddStopword(n.text);
    }

    TECHMATCH_RETURN_IF_ERROR(internal::AddDictionaryTerms(
        options.dictionary, *impl->normalizer, &impl->dictionary));
    if (!options.dictionary_file.empty()) {
      TECHMATCH_RETURN_IF_ERROR(internal::LoadDictionaryFile(
          options.dictionary_file, *impl->normalizer, &impl->dictionary));
    }
    Result<std::unique_ptr<Segmenter>> seg = Segmenter::Create(&impl->dictionary);
    if (!seg.ok()) return seg.status();
    impl->prototype = std::move(*seg);
    return std::unique_ptr<Analyzer>(new Analyzer(std::move(impl)));
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory creating the analyzer");
  }
}

const AnalyzerOptions& Analyzer::options() const { return impl_->options; }

size_t Analyzer::dictionary_size() const { return impl_->dictionary.size(); }

bool Analyzer::IsStopword(std::string_view normalized) const {
  if (FindInvalidUtf8(normalized) != std::string_view::npos) {
    return false;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(normalized.data(), int32_t(normalized.size())));
  return impl_->IsStop(reinterpret_cast<const char16_t*>(u.getBuffer()),
                       size_t(u.length()));
}

Result<std::string> Analyzer::Normalize(std::string_view text) const {
  TECHMATCH_RETURN_IF_ERROR(CheckUtf8(text, "text"));
  try {
    return impl_->normalizer->NormalizeToUtf8(text);
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory normalizing text");
  }
}

Result<std::vector<Token>> Analyzer::Segment(std::string_view text) const {
  std::vector<Token> out;
  try {
    // Characters outside every token that are not white space (a zero-width
    // space that normalization deleted, say) become punctuation tokens of
    // their own, so that the segmentation covers every character.
    uint32_t covered = 0;
    auto add_gap = [&](uint32_t upto) {
      const auto* p = reinterpret_cast<const unsigned char*>(text.data());
      uint32_t i = covered, run = upto;  // run: start of a non-space run
      while (i < upto) {
        char32_t cp;
        size_t len = internal::DecodeUtf8(p + i, upto - i, &cp);
        if (len == 0) len = 1, cp = 0xFFFD;
        bool space = u_isUWhiteSpace(UChar32(cp));
        if (!space && run == upto) run = i;
        if (space && run != upto) {
          out.push_back({run, i, TokenType::kPunct, false, ""});
          run = upto;
        }
        i += uint32_t(len);
      }
      if (run != upto) out.push_back({run, upto, TokenType::kPunct, false, ""});
    };
    Status s = impl_->ForEachChunk(
        text, [&](const NormalizedText& norm, const std::vector<RawToken>& toks,
                  Impl::Worker&) {
          for (const RawToken& t : toks) {
            uint32_t b = norm.src_begin[t.begin];
            uint32_t e = norm.src_end[t.end - 1];
            add_gap(b);
            Token tok{b, e, t.type, t.from_dictionary, {}};
            internal::AppendUtf16AsUtf8(norm.text.data() + t.begin, t.end - t.begin,
                              &tok.normalized);
            out.push_back(std::move(tok));
            covered = e;
          }
        });
    if (!s.ok()) return s;
    add_gap(uint32_t(text.size()));
  } catch (const std::bad_alloc&) {
    return Status::Internal("out of memory segmenting text");
  }
  return out;
}

Result<std::vector<Term>> Analyzer::Analyze(std::string_view text) const {
  std::vector<Term> terms;
  Status s = Analyze(text, &terms);
  if (!s.ok()) return s;
  return terms;
}

Status Analyzer::Analyze(std::string_view text, std::vector<Term>* terms) const {
  terms->clear();
  const AnalyzerOptions& opt = impl_->options;
  const bool check_stop = opt.remove_stopwords && impl_->stop_max_len > 0;
  uint32_t position = 0;
  try {
    Status status = impl_->ForEachChunk(text, [&](const NormalizedText& norm,
                                         const std::vector<RawToken>& toks,
                                         Impl::Worker& w) {
      const char16_t* s = norm.text.data();
      const uint32_t n = uint32_t(norm.size());
      // The chunk's normalized text in UTF-8, with the UTF-8 offset of every
      // UTF-16 unit, so that each term's text is one copy of a slice.
      std::string& u8 = w.u8;
      std::vector<uint32_t>& u8off = w.u8off;
      u8.resize(size_t(n) * 3);  // enough: a UTF-16 unit is <= 3 bytes
      u8off.resize(n + 1);
      char* o = u8.data();
      uint32_t len = 0;
      for (uint32_t i = 0; i < n; ++i) {
        u8off[i] = len;
        char32_t c = s[i];
        if (c < 0x80) {
          o[len++] = char(c);
        } else if (c < 0x800) {
          o[len++] = char(0xC0 | (c >> 6));
          o[len++] = char(0x80 | (c & 0x3F));
        } else if (c < 0xD800 || c > 0xDFFF) {
          o[len++] = char(0xE0 | (c >> 12));
          o[len++] = char(0x80 | ((c >> 6) & 0x3F));
          o[len++] = char(0x80 | (c & 0x3F));
        } else {  // a surrogate pair: 4 bytes for 2 units
          std::string tmp;
          bool pair = c <= 0xDBFF && i + 1 < n;
          internal::AppendUtf16AsUtf8(s + i, pair ? 2 : 1, &tmp);
          for (char ch : tmp) o[len++] = ch;
          if (pair) {
            u8off[i + 1] = u8off[i];
            ++i;
          }
        }
      }
      u8off[n] = len;
      auto emit = [&](uint32_t b, uint32_t e, TermKind kind) {
        Term& t = terms->emplace_back();
        t.text.assign(u8.data() + u8off[b], u8off[e] - u8off[b]);
        t.kind = kind;
        t.begin = norm.src_begin[b];
        t.end = norm.src_end[e - 1];
        t.position = position;
      };
      for (const RawToken& t : toks) {
        if (t.type == TokenType::kPunct) continue;
        bool stop = check_stop && impl_->IsStop(s + t.begin, t.end - t.begin);
        if (opt.emit_words && !stop) emit(t.begin, t.end, TermKind::kWord);
        for (uint32_t i = t.begin; i < t.end; ++i) {
          if (!Normalizer::IsHan(s[i])) continue;
          if (opt.emit_unigrams && !stop) emit(i, i + 1, TermKind::kUnigram);
          if (opt.emit_bigrams && i + 1 < n && Normalizer::IsHan(s[i + 1])) {
            emit(i, i + 2, TermKind::kBigram);
          }
        }
        ++position;
      }
    });
    if (!status.ok()) terms->clear();
    return status;
  } catch (const std::bad_alloc&) {
    terms->clear();
    return Status::Internal("out of memory analyzing text");
  }
}

}  // namespace techmatch

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// LexicalIndex: BM25 postings with MaxScore top-k (Turtle & Flood 1995).
//
// Layout. A term id (dense, from a U64Map over term keys) owns two parallel
// arrays, doc ids (increasing; bit-packed in blocks of 64, PackedDocs) and
// field-weighted tfs (a byte each while they are integers below 256, as the
// default field weights make them; else floats), plus two numbers that
// bound every posting's BM25 term score: the largest tf and the smallest
// document length among its postings (the term score grows with tf and
// shrinks with length, so f(max_tf, min_len) bounds it). Removal only flags
// the document; the bounds may then be loose, which costs pruning, not
// correctness, until Compact() drops the postings and recomputes them.
//
// Per-document arrays (length, state) are indexed by doc id, so memory grows
// with the largest doc id: callers should number documents densely, as the
// engine does.
//
// Search. MaxScore (Turtle & Flood 1995) over windows of doc ids, as in
// Lucene's MaxScoreBulkScorer: query terms sorted by bound; the longest
// low-bound prefix whose bounds sum to at most the current k-th score is
// non-essential. In each window the essential terms are scored term at a
// time into an accumulator; candidates that all non-essential terms
// together could not lift above the k-th are dropped; then each
// non-essential term is added, term at a time if it is dense in the window
// (and the candidates the remaining terms cannot lift are dropped after
// it), else by galloping to each surviving candidate while its partial
// score plus the remaining bounds can still beat the k-th. A window with no
// essential posting is never visited.
//
// Exactness. A document's score is summed in one canonical order, the query
// terms sorted by bound (then key), from the largest down, adding only the
// terms the document contains. Search visits the essential terms (the
// high-bound suffix) and then the non-essential ones in exactly that order,
// so Search, Score and Explain produce bit-identical floats. Pruning only
// skips documents that provably cannot enter the top k: bounds and partial
// sums are compared in double with a relative slack that covers the float
// rounding of the scores, and ties go to the smaller doc id because
// documents are visited in increasing order.
//
// Measured (tests/lexical_index_test.cc "[.bench]", CPU time per query on a
// busy 2-vCPU VM, default options): on csl-match (17k abstracts), ~40-term
// title queries take ~150 us (k = 10) / ~200 us (k = 100), against ~180 /
// ~220 us for a tight exhaustive term-at-a-time pass; keyword queries ~115
// / ~175 us against ~165 / ~215 us. The bounds are within ~8% of the
// largest real term scores, but with ~40 terms of similar weight about half
// the documents stay candidates, which caps what safe pruning can skip.
// Block bounds pay at scale (`techmatch-bench lexical`, top 100 of the dev
// queries, back to back on 2 idle vCPUs): at 1M records p50 13.9 -> 7.4 ms
// and p99 38 -> 14 ms; at 100k 1.8 -> 1.35 ms. Windows of 8k or 16k doc
// ids and dense ratios of 16 or 32 measured the same; block bounds for
// the non-essential terms too (tighter per-candidate checks) did not pay
// for computing them, nor did a branch-free binary search in Seek.
// Doc maps (bitmaps with ranks) for the terms in >= 1/16 of the documents
// replace the seeks in their lists, which missed the cache at most probes:
// at 1M p50 7.9 -> 5.8 ms (0.75x, median of 3 back-to-back pairs), at
// 100k 1.34 -> 1.06 ms, for 4% more index memory. Not kept: interpolation
// search in Seek (no gain), splitting each long list into high- and
// low-impact tiers (more cursors cost more than the tighter bounds saved).
// Bit-packed doc ids (PackedDocs; the cursors walk a decoded block at a
// time) halve the 1M index (4.39 -> 2.18 GB) for 1.0-1.13x the query time
// (docs/scale.md); decoding one gap at a time had cost 1.2-1.27x.

#include "lexical/lexical_index.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>
#include <type_traits>
#include <utility>

#include "io/coding.h"
#include "lexical/packed_docs.h"
#include "util/catch_all.h"
#include "util/format_number.h"
#include "util/parallel.h"
#include "util/u64_map.h"

namespace techmatch::internal {

namespace {

// Saved layout versions: 1 wrote every tf as a float; 2 (written) adds a
// per-term byte saying how its tfs follow (kTfFloats, or kTfHalves: each
// tf times two as a varint, when all are multiples of 0.5 below 2^30 — the
// default field weights make every tf an integer).
constexpr uint32_t kFormatVersion = 2;
constexpr uint32_t kOldestFormatVersion = 1;
constexpr uint8_t kTfFloats = 0;
constexpr uint8_t kTfHalves = 1;
constexpr uint32_t kNoTerm = ~uint32_t{0};
// One past every uint32 doc id: "no more postings".
constexpr uint64_t kEnd = uint64_t{1} << 32;
// Search works over windows of doc ids: small at first, while the threshold
// is still low and every term is essential, then doubling up to kWindow.
constexpr uint32_t kFirstWindow = 128;
constexpr uint32_t kWindow = 4096;
// A non-essential term with at most this many postings per surviving
// candidate in a window is added term at a time rather than galloped to.
constexpr size_t kDenseRatio = 8;
// Postings per block: each block keeps the largest tf and the smallest
// document length among its postings, a local version of the term's bound.
constexpr size_t kBlock = 64;
static_assert(kBlock == PackedDocs::kBlock, "bound blocks are packed blocks");
// Terms in at least kMapMinDf documents and in at least one of every
// kMapDensity doc ids also keep a DocMap.
constexpr size_t kMapMinDf = 1024;
constexpr size_t kMapDensity = 16;

enum DocState : uint8_t {
  kAbsent = 0,   // never added
  kLive = 1,     // searchable
  kDeleted = 2,  // removed, postings (and N, df, total length) still kept
  kPurged = 3,   // removed and compacted away
};

std::string Hex(uint64_t key) {
  char buf[24];
  std::snprintf(buf, sizeof(buf), "0x%016llx",
                static_cast<unsigned long long>(key));
  return buf;
}

bool KnownKind(uint64_t key) { return (key >> 62) <= 2; }

// reserve() with geometric growth (a plain reserve(size + 1) per call would
// copy the vector on every append).
template <typename V>
void Grow(V* v, size_t n) {
  if (n > v->capacity()) v->reserve(std::max(n, 2 * v->capacity()));
}

// Set bits of x. Inline: for a generic x86-64 build __builtin_popcountll
// is a call into libgcc, which costs more than the arithmetic.
inline unsigned PopCount(uint64_t x) {
  x -= (x >> 1) & 0x5555555555555555ULL;
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fULL;
  return unsigned((x * 0x0101010101010101ULL) >> 56);
}

// A long postings list's documents as a bitmap with a rank per 512 doc
// ids: the position of the first posting >= any doc id costs a rank entry
// and at most eight bitmap words, where a galloping or binary search in a
// list of 10^5..10^6 postings misses the cache at most of its probes. It
// mirrors the list's docs (deleted ones included until compaction) and
// covers doc ids up to the list's last one.
struct DocMap {
  std::vector<uint64_t> bits;  // 8 words per rank entry
  std::vector<uint32_t> rank;  // rank[i]: postings with doc < 512 * i

  // Postings with doc < target (the position of the first >= target) in
  // the list of `df` postings this map mirrors.
  size_t Rank(uint32_t target, size_t df) const {
    const size_t b = target >> 9;
    if (b >= rank.size()) return df;
    size_t r = rank[b];
    const size_t w = target >> 6;
    for (size_t i = b << 3; i < w; ++i) r += PopCount(bits[i]);
    const unsigned shift = target & 63;
    if (shift != 0) r += PopCount(bits[w] << (64 - shift));
    return r;
  }
  bool Has(uint32_t doc) const {
    return (doc >> 6) < bits.size() && ((bits[doc >> 6] >> (doc & 63)) & 1) != 0;
  }
};

// A tf held in one byte: an integer in [1, 255]. The default field
// weights (2 / 2 / 1) make every tf an integer, and few reach 256.
inline bool FitsByte(float tf) {
  return tf >= 1.0f && tf <= 255.0f && tf == std::floor(tf);
}

struct Postings {
  PackedDocs docs;  // increasing
  // The tfs (finite, > 0), parallel to docs: one byte each (the tf itself)
  // while every tf of the term FitsByte, else ("wide", for good) a float
  // each, and tf8 is empty. Bytes save 3 of a posting's 8 bytes.
  std::vector<uint8_t> tf8;
  std::vector<float> tf32;
  bool wide = false;

  float tf(size_t i) const { return wide ? tf32[i] : float(tf8[i]); }
  // fn(the tfs in use: tf8 or tf32).
  template <typename Fn>
  void OnTfs(Fn&& fn) {
    if (wide) {
      fn(tf32);
    } else {
      fn(tf8);
    }
  }
  // A narrow term's tf must FitsByte.
  void PushTf(float tf) {
    OnTfs([tf](auto& v) { v.push_back(typename std::decay_t<decltype(v)>::value_type(tf)); });
  }
  void ReserveTfs(size_t n) {
    OnTfs([n](auto& v) { Grow(&v, n); });
  }
  void MoveTf(size_t to, size_t from) {
    OnTfs([to, from](auto& v) { v[to] = v[from]; });
  }
  void ResizeTfs(size_t n) {
    OnTfs([n](auto& v) { v.resize(n); });
  }
  void ShrinkTfs() {
    tf8.shrink_to_fit();
    tf32.shrink_to_fit();
  }
  size_t tf_bytes() const { return tf8.capacity() + tf32.capacity() * sizeof(float); }
  // Terms with more than kBlock postings: per block of kBlock postings
  // (the last may be shorter), the largest tf and the smallest document
  // length, interleaved. (A shorter list is one block: the term's own
  // bounds.) Derived data: kept by Add, rebuilt by Compact and Load, never
  // saved.
  std::vector<float> blocks;
  // For terms with df >= kMapMinDf and df * kMapDensity >= the doc id
  // range when ShrinkToFit, Compact or Load last ran; null otherwise.
  // Derived data like the blocks: kept by Add, rebuilt by those three.
  std::unique_ptr<DocMap> map;
};

size_t NumBlocks(size_t postings) { return (postings + kBlock - 1) / kBlock; }

// Recomputes p's block bounds, len_of(j) being the length of posting j's
// document; allocates nothing when the postings only shrank.
template <typename LenOf>
void FillBlocks(Postings* p, LenOf len_of) {
  const size_t size = p->docs.size();
  if (size <= kBlock) {
    p->blocks.clear();
    return;
  }
  p->blocks.resize(2 * NumBlocks(size));
  for (size_t b = 0; b < NumBlocks(size); ++b) {
    float mt = 0.0f;
    float ml = std::numeric_limits<float>::infinity();
    for (size_t j = b * kBlock; j < std::min(size, (b + 1) * kBlock); ++j) {
      mt = std::max(mt, p->tf(j));
      ml = std::min(ml, len_of(j));
    }
    p->blocks[2 * b] = mt;
    p->blocks[2 * b + 1] = ml;
  }
}

// FillBlocks for a list whose docs are docs[0, size).
void RebuildBlocks(const float* doc_len, const uint32_t* docs, Postings* p) {
  FillBlocks(p, [doc_len, docs](size_t j) { return doc_len[docs[j]]; });
}

// One prepared query term: `w` folds kind weight, query weight, idf and
// (k1 + 1); the term score of a posting is w * tf / (tf + norm(doc)).
struct QueryTerm {
  uint32_t term;
  uint64_t key;
  float w;
  float idf;
  double ub;  // bound of w * tf / (tf + norm) over the term's postings
};

// Builds p's doc map when the term qualifies (`slots`: the doc id range),
// drops it otherwise. Out of memory leaves p without a map: an
// accelerator, without which seeks gallop.
void RebuildMap(size_t slots, Postings* p) {
  p->map.reset();
  const size_t df = p->docs.size();
  if (df < kMapMinDf || df * kMapDensity < slots) return;
  const size_t ranks = (size_t(p->docs.back()) >> 9) + 1;
  std::unique_ptr<DocMap> map;
  try {
    map = std::make_unique<DocMap>();
    map->rank.assign(ranks, 0);
    map->bits.assign(8 * ranks, 0);
  } catch (const std::bad_alloc&) {
    return;
  }
  // One store per word (a store per posting would wait on the last one).
  uint64_t* bits = map->bits.data();
  size_t at = p->docs.front() >> 6;
  uint64_t word = 0;
  p->docs.ForEach([&](uint32_t d) {
    const size_t wi = d >> 6;
    if (wi != at) {
      bits[at] = word;
      word = 0;
      at = wi;
    }
    word |= uint64_t{1} << (d & 63);
  });
  bits[at] = word;
  uint32_t r = 0;
  for (size_t b = 0; b < ranks; ++b) {
    map->rank[b] = r;
    for (size_t i = 8 * b; i < 8 * b + 8; ++i) r += PopCount(map->bits[i]);
  }
  p->map = std::move(map);
}

// The single expression every code path uses for a term score.
inline float TermScore(float w, float tf, float norm) {
  return w * tf / (tf + norm);
}

// A term's postings during a search: positions in its list, with the
// block of doc ids last needed decoded (or pointed to, where unpacked).
struct Cursor {
  size_t pos;           // the next posting
  size_t end;           // the list's size
  const PackedDocs* docs;
  const uint8_t* tf8;   // one of the two (Postings::wide)
  const float* tf32;
  const float* blocks;  // Postings::blocks, or null: one block
  float max_tf;         // the term's bounds
  float min_len;
  float w;
  const DocMap* map;    // Postings::map
  size_t block;         // the block `ids` holds (SIZE_MAX: none)
  size_t block_size;    // its docs
  const uint32_t* ids;  // its docs: into buf, or into the unpacked suffix
  uint32_t buf[kBlock];
};

// Makes block b (< the list's blocks) c's current one.
inline void LoadBlock(Cursor& c, size_t b) {
  if (b != c.block) {
    c.ids = c.docs->Block(b, c.buf, &c.block_size);
    c.block = b;
  }
}

// The doc at position i (< c.end).
inline uint32_t DocAt(Cursor& c, size_t i) {
  LoadBlock(c, i / kBlock);
  return c.ids[i % kBlock];
}

// The tf at position i of c's list.
inline float TfAt(const Cursor& c, size_t i) {
  return c.tf32 != nullptr ? c.tf32[i] : float(c.tf8[i]);
}

// Calls fn with c's tfs (as bytes or floats, so that a loop over them is
// compiled for each).
template <typename Fn>
inline void WithTfs(const Cursor& c, Fn&& fn) {
  if (c.tf32 != nullptr) {
    fn(c.tf32);
  } else {
    fn(c.tf8);
  }
}

// Calls fn(position, doc) for c's postings from c.pos on while the
// position is below `stop` and the doc below `limit`; leaves c.pos at the
// first posting not visited.
template <typename Fn>
inline void Walk(Cursor& c, size_t stop, uint64_t limit, Fn&& fn) {
  size_t i = c.pos;
  while (i < stop) {
    const size_t b = i / kBlock;
    LoadBlock(c, b);
    const uint32_t* ids = c.ids;
    const size_t at = b * kBlock;
    const size_t n = std::min(c.block_size, stop - at);
    size_t j = i - at;
    for (; j < n && ids[j] < limit; ++j) fn(at + j, ids[j]);
    i = at + j;
    if (j < n) break;
  }
  c.pos = i;
}

// The first position in [from, end) whose doc is >= target, else end: by
// the doc map when the term has one, else in the current block or by
// galloping over the blocks' first docs.
inline size_t Seek(Cursor& c, size_t from, size_t end, uint32_t target) {
  if (from >= end) return end;
  if (c.map != nullptr) {
    const size_t at = c.map->Rank(target, c.end);
    return at < from ? from : (at > end ? end : at);
  }
  size_t b = from / kBlock;
  LoadBlock(c, b);
  if (c.ids[c.block_size - 1] < target) {
    if (b + 1 == c.docs->num_blocks()) return end;
    b = c.docs->BlockFor(b + 1, target);
    LoadBlock(c, b);
    from = b * kBlock;
  }
  size_t j = from - b * kBlock;
  while (j < c.block_size && c.ids[j] < target) ++j;
  return std::min(b * kBlock + j, end);
}

// The first position >= `limit` (a doc id bound that may exceed uint32).
inline size_t SeekLimit(Cursor& c, size_t from, size_t end, uint64_t limit) {
  return limit > UINT32_MAX ? end : Seek(c, from, end, uint32_t(limit));
}

// A bound of c's term scores over the docs in [c.pos, limit): the blocks
// holding those postings bound tf and length; 0 without such a posting;
// never above the term's bound `ub`.
inline double WindowBound(Cursor& c, uint64_t limit, float c0, float c1,
                          double ub) {
  if (c.pos == c.end) return 0.0;
  // Decoded only when the answer is not in the block's first doc.
  if (c.docs->first(c.pos / kBlock) >= limit ||
      (c.pos % kBlock != 0 && DocAt(c, c.pos) >= limit)) {
    return 0.0;
  }
  float mt = c.max_tf;
  float ml = c.min_len;
  if (c.blocks != nullptr) {
    const size_t size = c.end;
    mt = 0.0f;
    ml = std::numeric_limits<float>::infinity();
    for (size_t b = c.pos / kBlock;
         b * kBlock < size && c.docs->first(b) < limit; ++b) {
      mt = std::max(mt, c.blocks[2 * b]);
      ml = std::min(ml, c.blocks[2 * b + 1]);
    }
  }
  const double bound =
      double(c.w) * mt / (double(mt) + (double(c0) + double(c1) * ml));
  return std::min(bound, ub);
}

// Per-thread buffers so a query allocates nothing but its result. A
// reentrant call on the same thread (an `allow` callback that searches)
// gets a private Scratch instead.
struct Scratch {
  std::vector<std::pair<uint64_t, float>> merged;
  std::vector<QueryTerm> terms;
  std::vector<Cursor> cursors;
  std::vector<double> prefix;
  std::vector<double> window_prefix;
  std::vector<float> acc;      // kWindow partial scores
  std::vector<uint64_t> bits;  // kWindow bits: the window's candidates
  bool busy = false;
};

class ScratchLease {
 public:
  ScratchLease() {
    thread_local Scratch tls;
    if (!tls.busy) {
      tls.busy = true;
      s_ = &tls;
    } else {
      own_.reset(new Scratch);
      s_ = own_.get();
    }
  }
  ~ScratchLease() {
    if (!own_) s_->busy = false;
  }
  ScratchLease(const ScratchLease&) = delete;
  ScratchLease& operator=(const ScratchLease&) = delete;
  Scratch& get() { return *s_; }

 private:
  Scratch* s_ = nullptr;
  std::unique_ptr<Scratch> own_;
};

// Clears the candidate bits of the slots whose partial score plus `rest`
// cannot beat `threshold`; returns the candidates left.
size_t DropBelow(const float* acc, double rest, double threshold, size_t words,
                 uint64_t* bits) {
  size_t alive = 0;
  for (size_t wi = 0; wi < words; ++wi) {
    uint64_t word = bits[wi];
    for (uint64_t rb = word; rb != 0; rb &= rb - 1) {
      const unsigned bit = unsigned(__builtin_ctzll(rb));
      const bool drop = double(acc[wi * 64 + bit]) + rest <= threshold;
      word &= ~(uint64_t(drop) << bit);  // no branch: drops are unpredictable
    }
    bits[wi] = word;
    alive += PopCount(word);
  }
  return alive;
}

// Heap order: a is better than b (higher score, then smaller doc).
inline bool Better(const LexicalHit& a, const LexicalHit& b) {
  return a.score != b.score ? a.score > b.score : a.doc < b.doc;
}

}  // namespace

struct LexicalIndex::Impl {
  explicit Impl(const LexicalOptions& o) : options(o) {
    kind_weight[0] = o.word_weight;
    kind_weight[1] = o.unigram_weight;
    kind_weight[2] = o.bigram_weight;
    kind_weight[3] = 0;
  }

  LexicalOptions options;
  double kind_weight[4];

  U64Map term_ids;
  // AddBatch's count of each term's new postings; all zero between calls.
  std::vector<uint32_t> batch_count;
  // Indexed by term id; every term has at least one posting.
  std::vector<uint64_t> keys;
  std::vector<Postings> postings;
  std::vector<float> max_tf;
  std::vector<float> min_len;

  // Indexed by doc id; size = last added doc + 1.
  std::vector<float> doc_len;
  std::vector<uint8_t> doc_state;
  size_t num_live = 0;
  size_t num_deleted = 0;  // kDeleted: still in postings
  double total_len = 0;    // over kLive and kDeleted, summed in doc order

  size_t num_indexed() const { return num_live + num_deleted; }

  // BM25 length normalization: norm(len) = c0 + c1 * len.
  void Norm(float* c0, float* c1) const {
    const double k1 = options.k1, b = options.b;
    const double n = double(num_indexed());
    const double avg = n > 0 ? total_len / n : 0.0;
    *c0 = float(k1 * (1 - b));
    *c1 = avg > 0 ? float(k1 * b / avg) : 0.0f;
  }

  // Merges, filters and weights `query` into `s.terms`, sorted by bound
  // (then key): the canonical summation order, from the back.
  void Prepare(const std::vector<LexicalQueryTerm>& query, Scratch& s,
               float* c0, float* c1) const {
    Norm(c0, c1);
    s.merged.clear();
    s.terms.clear();
    for (const LexicalQueryTerm& q : query) {
      if (!std::isfinite(q.weight)) continue;
      if (!(kind_weight[q.key >> 62] > 0)) continue;
      s.merged.emplace_back(q.key, q.weight);
    }
    // Sorting by weight too makes the merged sums independent of the
    // query's order.
    std::sort(s.merged.begin(), s.merged.end());
    const double n = double(num_indexed());
    const double k1p1 = options.k1 + 1;
    for (size_t i = 0; i < s.merged.size();) {
      const uint64_t key = s.merged[i].first;
      double weight = 0;
      for (; i < s.merged.size() && s.merged[i].first == key; ++i) {
        weight += s.merged[i].second;
      }
      if (!(weight > 0)) continue;
      const uint32_t t = term_ids.Find(key, kNoTerm);
      if (t == kNoTerm) continue;
      const double df = double(postings[t].docs.size());
      const double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
      const float w = float(kind_weight[key >> 62] * weight * idf * k1p1);
      if (!(w > 0) || !std::isfinite(w)) continue;
      const double mt = max_tf[t];
      const double ub =
          double(w) * mt / (mt + (double(*c0) + double(*c1) * min_len[t]));
      s.terms.push_back(QueryTerm{t, key, w, float(idf), ub});
    }
    std::sort(s.terms.begin(), s.terms.end(),
              [](const QueryTerm& a, const QueryTerm& b) {
                return a.ub != b.ub ? a.ub < b.ub : a.key < b.key;
              });
  }

  // Position of doc in term t's postings, or -1.
  ptrdiff_t Find(uint32_t t, uint32_t doc) const {
    if (const DocMap* map = postings[t].map.get()) {
      return map->Has(doc) ? ptrdiff_t(map->Rank(doc, postings[t].docs.size())) : -1;
    }
    return postings[t].docs.Find(doc);
  }
};

LexicalIndex::LexicalIndex(const LexicalOptions& options)
    : impl_(new Impl(options)) {}

LexicalIndex::~LexicalIndex() = default;

const LexicalOptions& LexicalIndex::options() const { return impl_->options; }

void LexicalIndex::SetQueryKindWeights(double word, double unigram, double bigram) {
  impl_->options.word_weight = word;
  impl_->options.unigram_weight = unigram;
  impl_->options.bigram_weight = bigram;
  impl_->kind_weight[0] = word;
  impl_->kind_weight[1] = unigram;
  impl_->kind_weight[2] = bigram;
}

bool LexicalIndex::Contains(uint32_t doc) const {
  return doc < impl_->doc_state.size() && impl_->doc_state[doc] == kLive;
}

size_t LexicalIndex::size() const { return impl_->num_live; }

size_t LexicalIndex::num_terms() const { return impl_->keys.size(); }

size_t LexicalIndex::DocFrequency(uint64_t key) const {
  const uint32_t t = impl_->term_ids.Find(key, kNoTerm);
  return t == kNoTerm ? 0 : impl_->postings[t].docs.size();
}

size_t LexicalIndex::num_indexed() const { return impl_->num_indexed(); }

size_t LexicalIndex::num_doc_maps() const {
  size_t n = 0;
  for (const Postings& p : impl_->postings) n += p.map != nullptr;
  return n;
}

size_t LexicalIndex::memory_bytes() const {
  const Impl& m = *impl_;
  size_t bytes = sizeof(Impl) + m.term_ids.memory_bytes() +
                 m.keys.capacity() * sizeof(uint64_t) +
                 m.postings.capacity() * sizeof(Postings) +
                 (m.max_tf.capacity() + m.min_len.capacity()) * sizeof(float) +
                 m.doc_len.capacity() * sizeof(float) + m.doc_state.capacity() +
                 m.batch_count.capacity() * sizeof(uint32_t);
  for (const Postings& p : m.postings) {
    bytes += p.docs.memory_bytes() + p.tf_bytes() +
             p.blocks.capacity() * sizeof(float);
    if (p.map) {
      bytes += sizeof(DocMap) + p.map->bits.capacity() * sizeof(uint64_t) +
               p.map->rank.capacity() * sizeof(uint32_t);
    }
  }
  return bytes;
}

// ---------------------------------------------------------------- mutation

namespace {

// Checks one document of a batch (after `last`, the doc before it or -1)
// and sums its length.
Status CheckAdd(uint32_t doc, const DocTerms& terms, int64_t last, float* length) {
  // Built only on error: this runs once per document.
  auto where = [doc] { return "lexical index: doc " + std::to_string(doc); };
  if (int64_t(doc) <= last) {
    return Status::InvalidArgument(where() + " is not greater than the last added doc " +
                                   std::to_string(last));
  }
  double len = 0;
  for (size_t i = 0; i < terms.terms.size(); ++i) {
    const auto& [key, count] = terms.terms[i];
    if (i > 0 && key <= terms.terms[i - 1].first) {
      return Status::InvalidArgument(
          where() + ": term keys must be sorted and distinct (term " +
          std::to_string(i) + ", key " + Hex(key) + ")");
    }
    if (!KnownKind(key)) {
      return Status::InvalidArgument(where() + ": term key " + Hex(key) +
                                     " has an unknown kind");
    }
    if (!(count > 0) || !std::isfinite(count)) {
      return Status::InvalidArgument(
          where() + ": count of term key " + Hex(key) +
          " must be finite and > 0, got " + FormatNumber(count));
    }
    len += count;
  }
  *length = float(len);
  if (!std::isfinite(*length)) {
    return Status::InvalidArgument(where() + ": length overflows a float");
  }
  return Status::OK();
}

// Appends one posting to term t's list, keeping its block bounds and doc
// map; the capacity was reserved before (nothing here allocates).
void AppendPosting(uint32_t t, uint32_t doc, float count, float flen,
                   std::vector<Postings>* postings, std::vector<float>* max_tf,
                   std::vector<float>* min_len) {
  Postings& p = (*postings)[t];
  if (p.docs.size() == kBlock) {  // the first block: the term's bounds
    p.blocks.push_back((*max_tf)[t]);
    p.blocks.push_back((*min_len)[t]);
  }
  if (p.docs.size() >= kBlock) {
    if (p.docs.size() % kBlock == 0) {  // a new block
      p.blocks.push_back(count);
      p.blocks.push_back(flen);
    } else {
      float* last = &p.blocks[p.blocks.size() - 2];
      last[0] = std::max(last[0], count);
      last[1] = std::min(last[1], flen);
    }
  }
  if (DocMap* map = p.map.get()) {
    const size_t ranks = (size_t(doc) >> 9) + 1;
    if (map->rank.size() < ranks) {  // every posting so far is before
      map->rank.resize(ranks, uint32_t(p.docs.size()));
      map->bits.resize(8 * ranks, 0);
    }
    map->bits[doc >> 6] |= uint64_t{1} << (doc & 63);
  }
  p.docs.push_back(doc);
  p.PushTf(count);
  (*max_tf)[t] = std::max((*max_tf)[t], count);
  (*min_len)[t] = std::min((*min_len)[t], flen);
}

// Batches below this many postings are applied on the calling thread.
constexpr size_t kParallelPostings = 1 << 15;

// A new term's posting in LexicalBatch::State::tids: the index among the
// batch's new terms, flagged.
constexpr uint32_t kFresh = uint32_t{1} << 31;

}  // namespace

struct LexicalBatch::State {
  const void* index = nullptr;  // the Impl prepared on; null once committed
  std::vector<LexicalDoc> docs;
  std::vector<float> lens;
  std::vector<uint32_t> tids;  // per posting in batch order: id, or kFresh | j
  std::vector<uint64_t> fresh_keys;
  std::vector<Postings> fresh;  // new terms' lists, capacity reserved
  // Existing terms whose tfs become floats (a new tf does not fit a byte):
  // their tfs so far, with room for the batch's.
  std::vector<std::pair<uint32_t, std::vector<float>>> widened;
  std::vector<uint32_t> touched;  // existing terms with new postings
  WorkerTeam team;
};

LexicalBatch::LexicalBatch() = default;
LexicalBatch::~LexicalBatch() = default;
LexicalBatch::LexicalBatch(LexicalBatch&&) noexcept = default;
LexicalBatch& LexicalBatch::operator=(LexicalBatch&&) noexcept = default;

Status LexicalIndex::Add(uint32_t doc, const DocTerms& terms) {
  return CatchAll("lexical index: Add", [&] {
    return AddBatch({LexicalDoc{doc, &terms}}, 1);
  });
}

Status LexicalIndex::AddBatch(const std::vector<LexicalDoc>& docs, int threads) {
  LexicalBatch batch;
  TECHMATCH_RETURN_IF_ERROR(Prepare(docs, threads, &batch));
  return Commit(&batch);
}

Status LexicalIndex::Prepare(const std::vector<LexicalDoc>& docs, int threads,
                             LexicalBatch* batch) {
  return CatchAll("lexical index: Add", [&]() -> Status {
    Impl& m = *impl_;
    auto st = std::make_unique<LexicalBatch::State>();
    st->docs = docs;
    st->lens.resize(docs.size());
    int64_t last = int64_t(m.doc_state.size()) - 1;
    size_t total = 0;
    for (size_t i = 0; i < docs.size(); ++i) {
      if (docs[i].terms == nullptr) {
        return Status::InvalidArgument("lexical index: doc " +
                                       std::to_string(docs[i].doc) + " has no terms");
      }
      TECHMATCH_RETURN_IF_ERROR(CheckAdd(docs[i].doc, *docs[i].terms, last, &st->lens[i]));
      last = docs[i].doc;
      total += docs[i].terms->terms.size();
    }

    // 1. Every posting's term: an existing id, or a new term numbered in
    // order of first appearance (as one Add per document would number
    // them). Existing terms count their new postings in m.batch_count
    // (not for one document, whose keys are distinct: one each, and a
    // server's single upserts need no table the size of the vocabulary).
    std::vector<uint32_t>& tids = st->tids;
    tids.resize(total);
    std::vector<uint32_t> touched;
    touched.reserve(total);  // so that a push_back below cannot fail
    U64Map fresh_ids;
    std::vector<uint32_t> fresh_count;
    std::vector<uint8_t> fresh_wide;
    std::vector<uint32_t> widen;  // terms to widen (repeats possible)
    const bool single = docs.size() == 1;
    if (!single && m.batch_count.size() < m.keys.size()) {
      m.batch_count.resize(m.keys.size(), 0);
    }
    // Zeroes the counts however this scope is left.
    struct ResetCounts {
      std::vector<uint32_t>* counts;  // null: not counted (one document)
      const std::vector<uint32_t>* touched;
      ~ResetCounts() {
        if (counts == nullptr) return;
        for (uint32_t t : *touched) (*counts)[t] = 0;
      }
    } reset{single ? nullptr : &m.batch_count, &touched};
    size_t at = 0;
    for (const LexicalDoc& d : docs) {
      for (const auto& [key, count] : d.terms->terms) {
        const uint32_t t = m.term_ids.Find(key, kNoTerm);
        if (t != kNoTerm) {
          if (single || m.batch_count[t]++ == 0) touched.push_back(t);
          if (!m.postings[t].wide && !FitsByte(count)) widen.push_back(t);
          tids[at++] = t;
          continue;
        }
        // Room first, so that a failure cannot leave the map pointing past
        // the lists.
        Grow(&st->fresh_keys, st->fresh_keys.size() + 1);
        Grow(&fresh_count, fresh_count.size() + 1);
        Grow(&fresh_wide, fresh_wide.size() + 1);
        const uint32_t j = fresh_ids.Insert(key, uint32_t(st->fresh_keys.size()));
        if (j == st->fresh_keys.size()) {
          st->fresh_keys.push_back(key);
          fresh_count.push_back(0);
          fresh_wide.push_back(0);
        }
        ++fresh_count[j];
        if (!FitsByte(count)) fresh_wide[j] = 1;
        tids[at++] = kFresh | j;
      }
    }
    if (m.keys.size() + st->fresh_keys.size() >= kFresh) {
      return Status::InvalidArgument("lexical index: more than 2^31 terms");
    }

    // 2. Every allocation Commit needs: the lists' room and the new terms'
    // lists, the tables' room, the worker threads' slots.
    if (!docs.empty()) {
      const uint32_t last_doc = docs.back().doc;
      Grow(&m.doc_state, size_t(last_doc) + 1);
      Grow(&m.doc_len, size_t(last_doc) + 1);
      const size_t ranks = (size_t(last_doc) >> 9) + 1;
      for (uint32_t t : touched) {
        Postings& p = m.postings[t];
        const size_t size = p.docs.size() + (single ? 1 : m.batch_count[t]);
        p.docs.ReserveRaw(size - p.docs.size());
        p.ReserveTfs(size);
        if (size > kBlock) Grow(&p.blocks, 2 * NumBlocks(size));
        if (p.map) {
          Grow(&p.map->rank, ranks);
          Grow(&p.map->bits, 8 * ranks);
        }
      }
    }
    std::sort(widen.begin(), widen.end());
    widen.erase(std::unique(widen.begin(), widen.end()), widen.end());
    st->widened.resize(widen.size());
    for (size_t i = 0; i < widen.size(); ++i) {
      const Postings& p = m.postings[widen[i]];
      std::vector<float>& tfs = st->widened[i].second;
      st->widened[i].first = widen[i];
      tfs.reserve(p.docs.size() + (single ? 1 : m.batch_count[widen[i]]));
      for (size_t j = 0; j < p.docs.size(); ++j) tfs.push_back(p.tf(j));
    }
    const size_t most = m.keys.size() + st->fresh_keys.size();
    m.term_ids.Reserve(most);  // no rehash (allocation) in Commit's inserts
    Grow(&m.keys, most);
    Grow(&m.postings, most);
    Grow(&m.max_tf, most);
    Grow(&m.min_len, most);
    st->fresh.resize(st->fresh_keys.size());
    for (size_t j = 0; j < st->fresh.size(); ++j) {
      st->fresh[j].docs.ReserveRaw(fresh_count[j]);
      st->fresh[j].wide = fresh_wide[j] != 0;
      st->fresh[j].ReserveTfs(fresh_count[j]);
      if (fresh_count[j] > kBlock) st->fresh[j].blocks.reserve(2 * NumBlocks(fresh_count[j]));
    }
    st->touched = touched;
    st->team = WorkerTeam(total < kParallelPostings ? 1 : threads);
    st->index = impl_.get();
    batch->state_ = std::move(st);
    return Status::OK();
  });
}

Status LexicalIndex::Commit(LexicalBatch* batch) {
  LexicalBatch::State* st = batch == nullptr ? nullptr : batch->state_.get();
  if (st == nullptr || st->index != impl_.get()) {
    return Status::FailedPrecondition(
        "lexical index: Commit of a batch not prepared on this index or committed");
  }
  Impl& m = *impl_;
  // The new terms, then each posting appended to its term's list. Terms
  // are split among the workers in runs of 16 ids (a cache line of max_tf /
  // min_len each): every worker reads the whole batch in doc order and
  // appends to its own terms only, so each list is built in doc order
  // exactly as one Add per document builds it. Nothing here allocates.
  for (auto& [t, tfs] : st->widened) {
    Postings& p = m.postings[t];
    p.tf32.swap(tfs);
    p.tf8 = std::vector<uint8_t>();
    p.wide = true;
  }
  st->widened.clear();
  const uint32_t first_fresh = uint32_t(m.keys.size());
  for (size_t j = 0; j < st->fresh.size(); ++j) {
    m.term_ids.Insert(st->fresh_keys[j], first_fresh + uint32_t(j));
    m.keys.push_back(st->fresh_keys[j]);
    m.postings.push_back(std::move(st->fresh[j]));
    m.max_tf.push_back(0.0f);
    m.min_len.push_back(std::numeric_limits<float>::infinity());
  }
  for (uint32_t& t : st->tids) {
    if ((t & kFresh) != 0) t = first_fresh + (t & ~kFresh);
  }
  const uint32_t workers = uint32_t(st->team.workers());
  st->team.Run([&](int w) {
    size_t pos = 0;
    for (size_t i = 0; i < st->docs.size(); ++i) {
      for (const auto& [key, count] : st->docs[i].terms->terms) {
        const uint32_t t = st->tids[pos++];
        if ((t >> 4) % workers != uint32_t(w)) continue;
        AppendPosting(t, st->docs[i].doc, count, st->lens[i], &m.postings, &m.max_tf,
                      &m.min_len);
      }
    }
    // The full blocks of doc ids appended are packed (out of memory leaves
    // them unpacked: the same list).
    auto pack = [&](uint32_t t) {
      if ((t >> 4) % workers == uint32_t(w)) m.postings[t].docs.Pack();
    };
    for (uint32_t t : st->touched) pack(t);
    for (uint32_t t = first_fresh; t < uint32_t(m.keys.size()); ++t) pack(t);
  });
  for (size_t i = 0; i < st->docs.size(); ++i) {
    const uint32_t doc = st->docs[i].doc;
    m.doc_state.resize(size_t(doc) + 1, kAbsent);  // capacity reserved
    m.doc_len.resize(size_t(doc) + 1, 0.0f);
    m.doc_state[doc] = kLive;
    m.doc_len[doc] = st->lens[i];
    ++m.num_live;
    m.total_len += double(st->lens[i]);
  }
  st->index = nullptr;
  return Status::OK();
}

Status LexicalIndex::Remove(uint32_t doc, bool compact) {
  Impl& m = *impl_;
  if (size_t(doc) >= m.doc_state.size() || m.doc_state[doc] == kAbsent) {
    return Status::NotFound("lexical index: doc " + std::to_string(doc) +
                            " not found");
  }
  if (m.doc_state[doc] != kLive) {
    return Status::NotFound("lexical index: doc " + std::to_string(doc) +
                            " is already deleted");
  }
  m.doc_state[doc] = kDeleted;
  --m.num_live;
  ++m.num_deleted;
  if (compact) MaybeCompact();
  return Status::OK();
}

void LexicalIndex::MaybeCompact() {
  const Impl& m = *impl_;
  if (double(m.num_deleted) > m.options.max_deleted_ratio * double(m.num_indexed())) {
    Compact();
  }
}

void LexicalIndex::ShrinkToFit() {
  Impl& m = *impl_;
  for (Postings& p : m.postings) {
    p.docs.Pack();
    p.docs.ShrinkToFit();
    p.ShrinkTfs();
    p.blocks.shrink_to_fit();
    RebuildMap(m.doc_state.size(), &p);
  }
  m.keys.shrink_to_fit();
  m.postings.shrink_to_fit();
  m.max_tf.shrink_to_fit();
  m.min_len.shrink_to_fit();
  m.batch_count = std::vector<uint32_t>();  // all zero: the next AddBatch sizes it
}

void LexicalIndex::Compact() {
  Impl& m = *impl_;
  if (m.num_deleted == 0) return;
  const uint8_t* state = m.doc_state.data();
  // Every allocation first: the new term map, each surviving list's
  // packed doc ids (a second copy of them, briefly) and a buffer for the
  // longest list. If one fails, nothing changes (deleted postings stay
  // until the next attempt).
  U64Map ids;
  std::vector<PackedDocs> packed;
  std::vector<uint32_t> docs;  // one list's, unpacked
  // The live docs of p, into docs[0, return).
  auto live_docs = [&](const Postings& p) {
    p.docs.CopyTo(&docs);  // reserved: no allocation
    size_t j = 0;
    for (uint32_t d : docs) {
      if (state[d] == kLive) docs[j++] = d;
    }
    return j;
  };
  try {
    size_t longest = 0;
    for (const Postings& p : m.postings) longest = std::max(longest, p.docs.size());
    docs.reserve(longest);
    packed.resize(m.postings.size());
    size_t survivors = 0;
    for (size_t t = 0; t < m.postings.size(); ++t) {
      const size_t j = live_docs(m.postings[t]);
      if (j == 0) continue;
      packed[t].Assign(docs.data(), j);
      ++survivors;
    }
    ids.Reserve(survivors);
  } catch (const std::bad_alloc&) {
    return;
  }
  size_t out = 0;
  for (size_t t = 0; t < m.postings.size(); ++t) {
    Postings& p = m.postings[t];
    p.docs.CopyTo(&docs);
    size_t j = 0;
    float mt = 0.0f;
    float ml = std::numeric_limits<float>::infinity();
    for (size_t i = 0; i < docs.size(); ++i) {
      const uint32_t d = docs[i];
      if (state[d] != kLive) continue;
      docs[j] = d;
      p.MoveTf(j, i);
      mt = std::max(mt, p.tf(j));
      ml = std::min(ml, m.doc_len[d]);
      ++j;
    }
    if (j == 0) continue;
    p.docs = std::move(packed[t]);
    p.ResizeTfs(j);
    RebuildBlocks(m.doc_len.data(), docs.data(), &p);  // fewer blocks: no allocation
    RebuildMap(m.doc_state.size(), &p);
    if (j < (p.wide ? p.tf32.capacity() : p.tf8.capacity()) / 2) {
      try {  // a request; failing to shrink is harmless
        p.ShrinkTfs();
        p.blocks.shrink_to_fit();
      } catch (const std::bad_alloc&) {
      }
    }
    if (out != t) {
      m.postings[out] = std::move(p);
      m.keys[out] = m.keys[t];
    }
    m.max_tf[out] = mt;
    m.min_len[out] = ml;
    ids.Insert(m.keys[out], uint32_t(out));  // reserved: no rehash
    ++out;
  }
  m.postings.resize(out);
  m.keys.resize(out);
  m.max_tf.resize(out);
  m.min_len.resize(out);
  m.term_ids = std::move(ids);
  m.total_len = 0;
  for (size_t d = 0; d < m.doc_state.size(); ++d) {
    if (m.doc_state[d] == kDeleted) {
      m.doc_state[d] = kPurged;
      m.doc_len[d] = 0.0f;
    } else if (m.doc_state[d] == kLive) {
      m.total_len += double(m.doc_len[d]);
    }
  }
  m.num_deleted = 0;
}

// ---------------------------------------------------------------- queries

std::vector<LexicalHit> LexicalIndex::Search(
    const std::vector<LexicalQueryTerm>& query, size_t k,
    const std::function<bool(uint32_t)>* allow) const {
  const Impl& m = *impl_;
  std::vector<LexicalHit> heap;
  if (k == 0 || m.num_live == 0 || query.empty()) return heap;
  if (allow != nullptr && !*allow) allow = nullptr;  // empty function: all
  ScratchLease lease;
  Scratch& s = lease.get();
  float c0, c1;
  m.Prepare(query, s, &c0, &c1);
  const size_t n = s.terms.size();
  if (n == 0) return heap;

  // prefix[i] bounds the summed scores of terms [0, i). The bounds are
  // exact reals; scores are float sums of n float term scores, each within
  // a few ulps of its real value. The slack (> 16x the worst case) keeps
  // every comparison with the threshold conservative.
  const double slack = 1.0 + double(n + 8) * 1e-6;
  s.prefix.assign(n + 1, 0.0);
  for (size_t i = 0; i < n; ++i) s.prefix[i + 1] = s.prefix[i] + s.terms[i].ub;
  for (double& p : s.prefix) p *= slack;
  const double* prefix = s.prefix.data();
  // rest[i] bounds terms [0, i) in the current window: prefix[i] up to
  // the global split e, then the window's block bounds.
  s.window_prefix.assign(n + 1, 0.0);
  double* rest = s.window_prefix.data();

  s.cursors.resize(n);
  Cursor* cur = s.cursors.data();
  for (size_t i = 0; i < n; ++i) {
    const uint32_t t = s.terms[i].term;
    const Postings& p = m.postings[t];
    Cursor& c = cur[i];
    c.pos = 0;
    c.end = p.docs.size();
    c.docs = &p.docs;
    c.tf8 = p.wide ? nullptr : p.tf8.data();
    c.tf32 = p.wide ? p.tf32.data() : nullptr;
    c.blocks = p.blocks.empty() ? nullptr : p.blocks.data();
    c.max_tf = m.max_tf[t];
    c.min_len = m.min_len[t];
    c.w = s.terms[i].w;
    c.map = p.map.get();
    c.block = SIZE_MAX;
  }
  // Zeroed here, not kept zero between calls: an `allow` that throws would
  // otherwise leave them dirty for this thread's next query.
  s.acc.assign(kWindow, 0.0f);
  s.bits.assign(kWindow / 64, 0);
  float* acc = s.acc.data();
  uint64_t* bits = s.bits.data();

  const float* len = m.doc_len.data();
  const uint8_t* state = m.doc_state.data();
  const size_t cap = std::min(k, m.num_live);
  heap.reserve(std::min<size_t>(cap, 4096));
  // The k-th score once the heap is full. Terms [0, e) are non-essential:
  // together they cannot lift a document above it.
  double threshold = -std::numeric_limits<double>::infinity();
  size_t e = 0;

  for (uint64_t window = kFirstWindow;;
       window = std::min<uint64_t>(window * 2, kWindow)) {
    // The next window starts at the smallest essential posting: a document
    // without one cannot beat the k-th.
    uint64_t base = kEnd;
    for (size_t i = e; i < n; ++i) {
      if (cur[i].pos != cur[i].end)
        base = std::min(base, uint64_t(DocAt(cur[i], cur[i].pos)));
    }
    if (base == kEnd) break;
    const uint64_t limit = base + window;
    const size_t words = size_t((window + 63) / 64);

    // 0. The window's split ew >= e: terms [e, ew) whose block bounds in
    // the window, added to the bounds of [0, e), cannot lift a document
    // above the k-th are non-essential here too. When that holds for
    // every term, no document of the window can enter the top k.
    std::copy(prefix, prefix + e + 1, rest);
    size_t ew = e;
    if (threshold > -std::numeric_limits<double>::infinity()) {
      for (; ew < n; ++ew) {
        const double wb =
            WindowBound(cur[ew], limit, c0, c1, s.terms[ew].ub) * slack;
        if (rest[ew] + wb > threshold) break;
        rest[ew + 1] = rest[ew] + wb;
      }
    }
    if (ew == n) {
      for (size_t i = e; i < n; ++i) {
        cur[i].pos = SeekLimit(cur[i], cur[i].pos, cur[i].end, limit);
      }
      continue;
    }

    // 1. Essential terms, term at a time over the window, from the largest
    // bound down; `bits` marks the candidates.
    for (size_t i = n; i-- > ew;) {
      Cursor& c = cur[i];
      const float w = c.w;
      WithTfs(c, [&](const auto* tfs) {
        Walk(c, c.end, limit, [&](size_t at, uint32_t doc) {
          const size_t slot = size_t(doc - base);
          acc[slot] += TermScore(w, float(tfs[at]), c0 + c1 * len[doc]);
          bits[slot >> 6] |= uint64_t{1} << (slot & 63);
        });
      });
    }

    // 2. Drop deleted candidates and those that all the non-essential terms
    // together cannot lift above the k-th.
    size_t alive = 0;
    const double all_ne = rest[ew];
    for (size_t wi = 0; wi < words; ++wi) {
      uint64_t word = bits[wi];
      for (uint64_t rb = word; rb != 0; rb &= rb - 1) {
        const unsigned bit = unsigned(__builtin_ctzll(rb));
        const size_t slot = wi * 64 + bit;
        const bool keep = (double(acc[slot]) + all_ne > threshold) &
                          (state[base + slot] == kLive);
        word &= ~(uint64_t(!keep) << bit);
      }
      bits[wi] = word;
      alive += PopCount(word);
    }

    // 3. Non-essential terms, from the largest bound down (the canonical
    // order continues). A term dense in the window is added term at a time
    // to every document (non-candidates' sums are never read); a sparse one
    // gallops to each candidate, dropping those that can no longer beat the
    // k-th. (On csl-match titles, ~40 terms of which many are common Han
    // characters, per-candidate pruning of dense terms costs more in
    // mispredicted branches than the postings it saves.)
    for (size_t i = ew; i-- > 0 && alive > 0;) {
      Cursor& c = cur[i];
      const float w = c.w;
      c.pos = Seek(c, c.pos, c.end, uint32_t(base));  // these cursors lag
      const size_t seg = SeekLimit(c, c.pos, c.end, limit);
      if (seg - c.pos <= kDenseRatio * alive) {
        WithTfs(c, [&](const auto* tfs) {
          Walk(c, seg, kEnd, [&](size_t at, uint32_t doc) {
            acc[doc - base] += TermScore(w, float(tfs[at]), c0 + c1 * len[doc]);
          });
        });
        // Drop the candidates the remaining terms cannot lift above the
        // k-th, so that later terms meet fewer and can be galloped.
        if (threshold > -std::numeric_limits<double>::infinity()) {
          alive = DropBelow(acc, rest[i], threshold, words, bits);
        }
      } else {
        const double rest_i = rest[i + 1];
        for (size_t wi = 0; wi < words; ++wi) {
          uint64_t word = bits[wi];
          for (uint64_t rb = word; rb != 0; rb &= rb - 1) {
            const unsigned bit = unsigned(__builtin_ctzll(rb));
            const size_t slot = wi * 64 + bit;
            if (double(acc[slot]) + rest_i <= threshold) {
              word &= ~(uint64_t{1} << bit);
              --alive;
              continue;
            }
            const uint32_t doc = uint32_t(base + slot);
            if (c.map != nullptr) {  // the bit says; the rank finds the tf
              if (c.map->Has(doc)) {
                acc[slot] += TermScore(w, TfAt(c, c.map->Rank(doc, c.end)),
                                       c0 + c1 * len[doc]);
              }
              continue;
            }
            c.pos = Seek(c, c.pos, seg, doc);
            if (c.pos != seg && DocAt(c, c.pos) == doc) {
              acc[slot] += TermScore(w, TfAt(c, c.pos), c0 + c1 * len[doc]);
              ++c.pos;
            }
          }
          bits[wi] = word;
        }
      }
      c.pos = seg;
    }
    // Terms essential overall but not in this window may have stopped
    // short (no candidate left): the next window starts past this one.
    for (size_t i = e; i < ew; ++i) {
      cur[i].pos = SeekLimit(cur[i], cur[i].pos, cur[i].end, limit);
    }

    // 4. Into the heap in doc order: later docs lose ties, so a full heap
    // only takes strictly better ones; `allow` is asked last.
    for (size_t wi = 0; wi < words; ++wi) {
      uint64_t word = bits[wi];
      bits[wi] = 0;
      for (; word != 0; word &= word - 1) {
        const size_t slot = wi * 64 + size_t(__builtin_ctzll(word));
        const uint32_t doc = uint32_t(base + slot);
        const float score = acc[slot];
        if (heap.size() == cap && !(score > heap.front().score)) continue;
        if (allow != nullptr && !(*allow)(doc)) continue;
        if (heap.size() == cap) {
          std::pop_heap(heap.begin(), heap.end(), Better);
          heap.back() = LexicalHit{doc, score};
        } else {
          heap.push_back(LexicalHit{doc, score});
        }
        std::push_heap(heap.begin(), heap.end(), Better);
        if (heap.size() == cap) threshold = heap.front().score;
      }
    }
    std::memset(acc, 0, size_t(window) * sizeof(float));
    while (e < n && prefix[e + 1] <= threshold) ++e;
    if (e == n) break;  // no document can beat the k-th any more
  }
  std::sort_heap(heap.begin(), heap.end(), Better);
  return heap;
}

float LexicalIndex::Score(const std::vector<LexicalQueryTerm>& query,
                          uint32_t doc) const {
  const Impl& m = *impl_;
  if (!Contains(doc) || query.empty()) return 0.0f;
  ScratchLease lease;
  Scratch& s = lease.get();
  float c0, c1;
  m.Prepare(query, s, &c0, &c1);
  const float norm = c0 + c1 * m.doc_len[doc];
  float score = 0.0f;
  for (size_t i = s.terms.size(); i-- > 0;) {
    const QueryTerm& q = s.terms[i];
    const ptrdiff_t j = m.Find(q.term, doc);
    if (j >= 0) score += TermScore(q.w, m.postings[q.term].tf(size_t(j)), norm);
  }
  return score;
}

std::vector<LexicalTermScore> LexicalIndex::Explain(
    const std::vector<LexicalQueryTerm>& query, uint32_t doc) const {
  auto all = ExplainMany(query, {doc});
  return std::move(all.front());
}

std::vector<std::vector<LexicalTermScore>> LexicalIndex::ExplainMany(
    const std::vector<LexicalQueryTerm>& query, const std::vector<uint32_t>& docs) const {
  const Impl& m = *impl_;
  std::vector<std::vector<LexicalTermScore>> all(docs.size());
  if (query.empty()) return all;
  ScratchLease lease;
  Scratch& s = lease.get();
  float c0, c1;
  m.Prepare(query, s, &c0, &c1);
  for (size_t d = 0; d < docs.size(); ++d) {
    const uint32_t doc = docs[d];
    if (!Contains(doc)) continue;
    std::vector<LexicalTermScore>& out = all[d];
    const float norm = c0 + c1 * m.doc_len[doc];
    for (size_t i = s.terms.size(); i-- > 0;) {
      const QueryTerm& q = s.terms[i];
      const ptrdiff_t j = m.Find(q.term, doc);
      if (j < 0) continue;
      const float tf = m.postings[q.term].tf(size_t(j));
      out.push_back(LexicalTermScore{q.key, tf, q.idf, TermScore(q.w, tf, norm)});
    }
    // Largest contribution first.
    std::sort(out.begin(), out.end(),
              [](const LexicalTermScore& a, const LexicalTermScore& b) {
                return a.score != b.score ? a.score > b.score : a.key < b.key;
              });
  }
  return all;
}

// ---------------------------------------------------------------- Save/Load
//
//   fixed32 version (1)
//   double  k1, b, word_weight, unigram_weight, bigram_weight,
//           max_deleted_ratio
//   varint64 S = last doc + 1 (0: empty)
//   S x { u8 state (0 absent, 1 live, 2 deleted, 3 purged);
//         float length if live or deleted }
//   varint64 T, then T terms in increasing key order:
//     fixed64 key; float max_tf; float min_len; varint64 df (>= 1);
//     df x varint32 doc delta (the first is the doc id; then >= 1);
//     df x float tf
//
// The bounds are stored, not recomputed, so that a loaded index sorts query
// terms (and so sums scores) exactly as the saved one did.

void LexicalIndex::Save(std::string* out) const {
  Save([out](std::string_view piece) {
    out->append(piece);
    return true;
  });
}

bool LexicalIndex::Save(const std::function<bool(std::string_view)>& sink,
                        size_t piece_bytes) const {
  const Impl& m = *impl_;
  const LexicalOptions& o = m.options;
  std::string buf;  // the next piece
  buf.reserve(std::min(piece_bytes, size_t{64} << 20) + 64);
  auto flush = [&](bool last) {
    if (buf.size() < piece_bytes && !(last && !buf.empty())) return true;
    const bool ok = sink(buf);
    buf.clear();
    return ok;
  };
  PutFixed32(&buf, kFormatVersion);
  for (double v : {o.k1, o.b, o.word_weight, o.unigram_weight, o.bigram_weight,
                   o.max_deleted_ratio}) {
    PutDouble(&buf, v);
  }
  PutVarint64(&buf, m.doc_state.size());
  for (size_t d = 0; d < m.doc_state.size(); ++d) {
    buf.push_back(char(m.doc_state[d]));
    if (m.doc_state[d] == kLive || m.doc_state[d] == kDeleted) {
      PutFloat(&buf, m.doc_len[d]);
    }
    if (!flush(false)) return false;
  }
  std::vector<uint32_t> order(m.keys.size());
  for (size_t t = 0; t < order.size(); ++t) order[t] = uint32_t(t);
  std::sort(order.begin(), order.end(),
            [&](uint32_t a, uint32_t b) { return m.keys[a] < m.keys[b]; });
  PutVarint64(&buf, order.size());
  for (uint32_t t : order) {
    const Postings& p = m.postings[t];
    PutFixed64(&buf, m.keys[t]);
    PutFloat(&buf, m.max_tf[t]);
    PutFloat(&buf, m.min_len[t]);
    PutVarint64(&buf, p.docs.size());
    uint32_t prev = 0;
    uint32_t ids[kBlock];
    for (size_t b = 0; b < p.docs.num_blocks(); ++b) {
      size_t n = 0;
      const uint32_t* d = p.docs.Block(b, ids, &n);
      for (size_t j = 0; j < n; ++j) {
        PutVarint32(&buf, d[j] - prev);
        prev = d[j];
      }
      if ((b & 63) == 63 && !flush(false)) return false;
    }
    // The tfs of a long list go out in slices, so a piece stays near
    // piece_bytes whatever the list's length.
    const bool halves = !p.wide || std::all_of(p.tf32.begin(), p.tf32.end(), [](float tf) {
      const float twice = tf * 2.0f;
      return twice > 0 && twice < float(1 << 30) && twice == std::floor(twice);
    });
    buf.push_back(char(halves ? kTfHalves : kTfFloats));
    for (size_t i = 0; i < p.docs.size(); i += 4096) {
      const size_t n = std::min<size_t>(4096, p.docs.size() - i);
      if (halves) {
        for (size_t j = i; j < i + n; ++j) PutVarint32(&buf, uint32_t(p.tf(j) * 2.0f));
      } else {
        PutFloats(&buf, p.tf32.data() + i, n);
      }
      if (!flush(false)) return false;
    }
    if (!flush(false)) return false;
  }
  return flush(true);
}

namespace {

// Terms [first, first + count) of a saved index, starting at byte `offset`
// of it; the last chunk runs to the end of the bytes.
struct TermChunk {
  size_t offset = 0;
  uint64_t first = 0;
  uint64_t count = 0;
  bool last = false;
  bool has_previous = false;  // then the key of the term before `first`
  uint64_t previous_key = 0;
};

// A chunk's terms as decoded, in key order.
struct DecodedTerms {
  std::vector<uint64_t> keys;
  std::vector<Postings> postings;
  std::vector<float> max_tf;
  std::vector<float> min_len;
};

// Moves `in` past one saved term without decoding it, reading its key;
// false where the bytes end or cannot be a term (decoding then says why).
bool SkipSavedTerm(Decoder* in, uint32_t version, uint64_t* key) {
  uint64_t df = 0;
  float bound = 0;
  if (!in->ReadFixed64(key) || !in->ReadFloat(&bound) || !in->ReadFloat(&bound) ||
      !in->ReadCount(&df, version == 1 ? 5 : 2) || df == 0 || !in->SkipVarints(df)) {
    return false;
  }
  uint8_t encoding = kTfFloats;
  if (version >= 2 && !in->ReadFixed8(&encoding)) return false;
  if (encoding == kTfFloats) return df <= in->remaining() / 4 && in->Skip(df * 4);
  return encoding == kTfHalves && in->SkipVarints(df);
}

// Splits the `num_terms` terms that begin at byte `at` into chunks of about
// equal bytes: four per thread, of at least min_chunk_bytes; one for a
// single thread.
std::vector<TermChunk> SplitTerms(std::string_view bytes, size_t at, uint64_t num_terms,
                                  uint32_t version, int threads, size_t min_chunk_bytes) {
  const size_t want = threads > 1 ? size_t(threads) * 4 : 1;
  const size_t target = std::max(min_chunk_bytes, (bytes.size() - at) / want + 1);
  std::vector<TermChunk> chunks;
  TermChunk c;
  c.offset = at;
  if (want > 1 && bytes.size() - at > min_chunk_bytes) {
    Decoder in(bytes.substr(at), at);
    for (uint64_t t = 0; t < num_terms; ++t) {
      uint64_t key = 0;
      if (!SkipSavedTerm(&in, version, &key)) break;
      const size_t pos = bytes.size() - in.remaining();
      if (pos - c.offset >= target && t + 1 < num_terms) {
        c.count = t + 1 - c.first;
        chunks.push_back(c);
        c = TermChunk{};
        c.offset = pos;
        c.first = t + 1;
        c.has_previous = true;
        c.previous_key = key;
      }
    }
  }
  c.count = num_terms - c.first;
  c.last = true;
  chunks.push_back(c);
  return chunks;
}

// Decodes and checks a chunk's terms against the indexed documents (a bit
// per doc id) and their lengths, adding each posting's tf to sums[doc];
// the blocks are built from the lengths read for the check.
Status DecodeTerms(const std::vector<uint64_t>& indexed, const std::vector<float>& doc_len,
                   std::string_view bytes, const TermChunk& chunk, uint32_t version,
                   DecodedTerms* out, double* sums) {
  const size_t num_slots = doc_len.size();
  Decoder in(bytes.substr(chunk.offset), chunk.offset);
  out->keys.reserve(chunk.count);
  out->postings.reserve(chunk.count);
  out->max_tf.reserve(chunk.count);
  out->min_len.reserve(chunk.count);
  std::vector<uint32_t> docs;  // one term's, as read
  std::vector<float> tfs;
  std::vector<float> lens;  // the length of each posting's document
  for (uint64_t t = 0; t < chunk.count; ++t) {
    uint64_t key = 0, df = 0;
    float mt = 0, ml = 0;
    if (!in.ReadFixed64(&key) || !in.ReadFloat(&mt) ||
        !in.ReadFloat(&ml) || !in.ReadCount(&df, version == 1 ? 5 : 2)) {
      return in.Corruption("lexical index terms");
    }
    auto where = [key] { return "lexical index: term " + Hex(key); };
    if (!KnownKind(key)) {
      return Status::Corruption(where() + " has an unknown kind");
    }
    if (t > 0 ? key <= out->keys.back() : chunk.has_previous && key <= chunk.previous_key) {
      return Status::Corruption(where() + " is out of order");
    }
    if (!(mt > 0) || !std::isfinite(mt) || !(ml >= 0) || !std::isfinite(ml)) {
      return Status::Corruption(where() + " has bad bounds");
    }
    if (df == 0) return Status::Corruption(where() + " has no postings");
    Postings p;
    docs.clear();
    docs.reserve(df);  // each written once (no zero-filling first)
    tfs.resize(df);
    uint64_t doc = 0;
    for (uint64_t j = 0; j < df; ++j) {
      uint32_t delta = 0;
      if (!in.ReadVarint32(&delta)) return in.Corruption(where());
      if (j > 0 && delta == 0) {
        return Status::Corruption(where() + ": doc ids not increasing");
      }
      doc += delta;
      if (doc >= num_slots || ((indexed[doc >> 6] >> (doc & 63)) & 1) == 0) {
        return Status::Corruption(where() + ": posting for doc " + std::to_string(doc) +
                                  ", which is not indexed");
      }
      docs.push_back(uint32_t(doc));
    }
    uint8_t encoding = kTfFloats;
    if (version >= 2 && !in.ReadFixed8(&encoding)) return in.Corruption(where());
    if (encoding == kTfFloats) {
      if (!in.ReadFloats(tfs.data(), df)) return in.Corruption(where());
    } else if (encoding == kTfHalves) {
      for (uint64_t j = 0; j < df; ++j) {
        uint32_t twice = 0;
        if (!in.ReadVarint32(&twice)) return in.Corruption(where());
        tfs[j] = float(twice) * 0.5f;
      }
    } else {
      return Status::Corruption(where() + " has tf encoding " + std::to_string(encoding));
    }
    // One pass over the documents' lengths and sums, which are read out of
    // order: fetched ahead.
    constexpr size_t kAhead = 16;
    lens.resize(df);
    bool narrow = true;
    for (uint64_t j = 0; j < df; ++j) {
      if (j + kAhead < df) {
        __builtin_prefetch(&doc_len[docs[j + kAhead]]);
        __builtin_prefetch(&sums[docs[j + kAhead]], 1);
      }
      const float tf = tfs[j];
      narrow = narrow && FitsByte(tf);
      const uint32_t d = docs[j];
      const float len = doc_len[d];
      if (!(tf > 0) || !std::isfinite(tf) || tf > mt || len < ml) {
        return Status::Corruption(where() + ": bad posting for doc " + std::to_string(d));
      }
      sums[d] += tf;
      lens[j] = len;
    }
    if (narrow) {
      p.tf8.assign(tfs.begin(), tfs.end());  // exact: integers below 256
    } else {
      p.wide = true;
      p.tf32.swap(tfs);
    }
    p.docs.Assign(docs.data(), docs.size());
    FillBlocks(&p, [&lens](size_t j) { return lens[j]; });
    RebuildMap(num_slots, &p);
    out->keys.push_back(key);
    out->postings.push_back(std::move(p));
    out->max_tf.push_back(mt);
    out->min_len.push_back(ml);
  }
  if (chunk.last) return in.ExpectEnd("lexical index");
  return Status::OK();
}

}  // namespace

Result<std::unique_ptr<LexicalIndex>> LexicalIndex::Load(
    std::string_view bytes, int threads, size_t min_chunk_bytes,
    const std::function<void(std::string_view)>& on_decoded) {
  return CatchAll(
      "lexical index: Load", [&]() -> Result<std::unique_ptr<LexicalIndex>> {
        Decoder in(bytes);
        uint32_t version = 0;
        if (!in.ReadFixed32(&version)) return in.Corruption("lexical index");
        if (version < kOldestFormatVersion || version > kFormatVersion) {
          return Status::NotSupported(
              "lexical index: format version " + std::to_string(version) +
              " (this build reads " + std::to_string(kOldestFormatVersion) + " to " +
              std::to_string(kFormatVersion) + ")");
        }
        LexicalOptions o;
        if (!in.ReadDouble(&o.k1) || !in.ReadDouble(&o.b) ||
            !in.ReadDouble(&o.word_weight) ||
            !in.ReadDouble(&o.unigram_weight) ||
            !in.ReadDouble(&o.bigram_weight) ||
            !in.ReadDouble(&o.max_deleted_ratio)) {
          return in.Corruption("lexical index options");
        }
        if (Status st = o.Validate(); !st.ok()) {
          return Status::Corruption("lexical index: bad options: " +
                                    st.message());
        }
        std::unique_ptr<LexicalIndex> index(new LexicalIndex(o));
        Impl& m = *index->impl_;

        uint64_t num_slots = 0;
        if (!in.ReadCount(&num_slots, 1))
          return in.Corruption("lexical index docs");
        if (num_slots > kEnd) {
          return Status::Corruption(
              "lexical index: " + std::to_string(num_slots) + " doc slots");
        }
        m.doc_state.assign(num_slots, kAbsent);
        m.doc_len.assign(num_slots, 0.0f);
        for (uint64_t d = 0; d < num_slots; ++d) {
          uint8_t st = 0;
          if (!in.ReadFixed8(&st)) return in.Corruption("lexical index docs");
          if (st > kPurged) {
            return Status::Corruption("lexical index: doc " +
                                      std::to_string(d) + " has state " +
                                      std::to_string(st));
          }
          m.doc_state[d] = st;
          if (st == kLive || st == kDeleted) {
            float len = 0;
            if (!in.ReadFloat(&len)) return in.Corruption("lexical index docs");
            if (!(len >= 0) || !std::isfinite(len)) {
              return Status::Corruption("lexical index: doc " +
                                        std::to_string(d) + " has length " +
                                        FormatNumber(len));
            }
            m.doc_len[d] = len;
            ++(st == kLive ? m.num_live : m.num_deleted);
          }
        }
        if (num_slots > 0 && m.doc_state[num_slots - 1] == kAbsent) {
          return Status::Corruption(
              "lexical index: the last doc slot is empty");
        }

        // Smallest term: key, bounds, df, and one posting (version 2: the
        // tf encoding byte and a one-byte tf).
        const size_t min_term_bytes =
            version == 1 ? 8 + 4 + 4 + 1 + 1 + 4 : 8 + 4 + 4 + 1 + 1 + 1 + 1;
        uint64_t num_terms = 0;
        if (!in.ReadCount(&num_terms, min_term_bytes)) {
          return in.Corruption("lexical index terms");
        }
        // The terms are decoded in chunks of about equal bytes, on up to
        // `threads` workers; where they begin is found by a pass that
        // skips over the postings, reading what decoding reads (so each
        // chunk begins where decoding in one piece would be; the last
        // runs on from where skipping met bytes it could not read). The
        // first failed chunk's error is the one decoding in one piece
        // would have met.
        const size_t terms_at = bytes.size() - in.remaining();
        std::vector<uint64_t> indexed((num_slots + 63) / 64, 0);  // live or deleted
        for (size_t d = 0; d < num_slots; ++d) {
          if (m.doc_state[d] == kLive || m.doc_state[d] == kDeleted) {
            indexed[d >> 6] |= uint64_t{1} << (d & 63);
          }
        }
        std::vector<TermChunk> chunks =
            SplitTerms(bytes, terms_at, num_terms, version, threads, min_chunk_bytes);
        // Each worker sums its chunks' tfs per document (the length check).
        const int workers = int(std::min<size_t>(size_t(std::max(threads, 1)), chunks.size()));
        std::vector<std::vector<double>> sums(static_cast<size_t>(workers));
        std::vector<DecodedTerms> decoded(chunks.size());
        std::vector<Status> chunk_status(chunks.size());
        std::atomic<size_t> next{0};
        std::atomic<bool> failed{false};
        TECHMATCH_RETURN_IF_ERROR(ParallelFor(
            size_t(workers), workers, [&](int w, size_t, size_t) -> Status {
              std::vector<double>& own = sums[size_t(w)];
              own.assign(num_slots, 0.0);
              // Chunks are taken in order and a worker stops after a
              // failure: every chunk before a failed one is decoded.
              while (!failed.load(std::memory_order_relaxed)) {
                const size_t c = next.fetch_add(1);
                if (c >= chunks.size()) break;
                chunk_status[c] = DecodeTerms(indexed, m.doc_len, bytes, chunks[c],
                                              version, &decoded[c], own.data());
                if (!chunk_status[c].ok()) {
                  failed = true;
                } else if (on_decoded) {
                  const size_t end = c + 1 < chunks.size() ? chunks[c + 1].offset : bytes.size();
                  on_decoded(bytes.substr(chunks[c].offset, end - chunks[c].offset));
                }
              }
              return Status::OK();
            }));
        for (const Status& st : chunk_status) {
          if (!st.ok()) return st;
        }
        m.term_ids.Reserve(num_terms);
        m.keys.reserve(num_terms);
        m.postings.reserve(num_terms);
        m.max_tf.reserve(num_terms);
        m.min_len.reserve(num_terms);
        for (DecodedTerms& d : decoded) {
          for (size_t i = 0; i < d.keys.size(); ++i) {
            m.term_ids.Insert(d.keys[i], uint32_t(m.keys.size()));
            m.keys.push_back(d.keys[i]);
            m.postings.push_back(std::move(d.postings[i]));
            m.max_tf.push_back(d.max_tf[i]);
            m.min_len.push_back(d.min_len[i]);
          }
          d = DecodedTerms{};
        }
        // Every document's length must be the sum of its tfs, added in key
        // order as Add did. Summed by chunk, a sum is the same but for
        // rounding; a document whose sum differs is summed again in key
        // order before it counts as damaged.
        std::vector<double> total = std::move(sums[0]);
        for (size_t w = 1; w < sums.size(); ++w) {
          for (size_t d = 0; d < num_slots; ++d) total[d] += sums[w][d];
        }
        sums.clear();
        auto length_ok = [&](size_t d) { return float(total[d]) == m.doc_len[d]; };
        std::vector<uint8_t> recheck;
        for (size_t d = 0; d < num_slots && workers > 1; ++d) {
          if (m.doc_state[d] != kLive && m.doc_state[d] != kDeleted) continue;
          if (length_ok(d)) continue;
          if (recheck.empty()) recheck.assign(num_slots, 0);
          recheck[d] = 1;
          total[d] = 0;
        }
        if (!recheck.empty()) {
          for (const Postings& p : m.postings) {
            size_t j = 0;
            p.docs.ForEach([&](uint32_t d) {
              if (recheck[d]) total[d] += p.tf(j);
              ++j;
            });
          }
        }
        for (size_t d = 0; d < num_slots; ++d) {
          if (m.doc_state[d] != kLive && m.doc_state[d] != kDeleted) continue;
          if (!length_ok(d)) {
            return Status::Corruption(
                "lexical index: doc " + std::to_string(d) + " has length " +
                FormatNumber(m.doc_len[d]) + " but its postings sum to " + FormatNumber(total[d]));
          }
          m.total_len += double(m.doc_len[d]);
        }
        return index;
      });
}

// ---------------------------------------------------------------- queries

std::vector<LexicalQueryTerm> ToLexicalQuery(const DocTerms& terms) {
  std::vector<std::pair<uint64_t, float>> sorted = terms.terms;
  std::stable_sort(
      sorted.begin(), sorted.end(),
      [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<LexicalQueryTerm> out;
  out.reserve(sorted.size());
  for (size_t i = 0; i < sorted.size();) {
    const uint64_t key = sorted[i].first;
    double weight = 0;
    for (; i < sorted.size() && sorted[i].first == key; ++i) {
      weight += sorted[i].second;
    }
    out.push_back(LexicalQueryTerm{key, float(weight), false});
  }
  return out;
}

}  // namespace techmatch::internal

namespace techmatch::internal {

void MarkCoveredUnigrams(const std::vector<const std::vector<Term>*>& terms,
                         std::vector<LexicalQueryTerm>* query) {
  std::vector<uint64_t> covered;  // unigram keys of the bigrams' characters
  for (const auto* list : terms) {
    for (const Term& t : *list) {
      if (t.kind != TermKind::kBigram) continue;
      size_t first = 1;  // the first character's length in UTF-8
      while (first < t.text.size() && (uint8_t(t.text[first]) & 0xC0) == 0x80) ++first;
      covered.push_back(TermKey(TermKind::kUnigram, std::string_view(t.text).substr(0, first)));
      covered.push_back(TermKey(TermKind::kUnigram, std::string_view(t.text).substr(first)));
    }
  }
  std::sort(covered.begin(), covered.end());
  for (LexicalQueryTerm& q : *query) {
    q.covered = TermKeyKind(q.key) == TermKind::kUnigram &&
                std::binary_search(covered.begin(), covered.end(), q.key);
  }
}

}  // namespace techmatch::internal

namespace techmatch::internal {

void DropCoveredUnigrams(const LexicalIndex& index, double max_df,
                         std::vector<LexicalQueryTerm>* query) {
  if (max_df >= 1.0) return;
  const double limit = max_df * double(index.num_indexed());
  query->erase(std::remove_if(query->begin(), query->end(),
                              [&](const LexicalQueryTerm& q) {
                                return q.covered &&
                                       double(index.DocFrequency(q.key)) > limit;
                              }),
               query->end());
}

}  // namespace techmatch::internal

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "lexical/packed_docs.h"

#include <algorithm>
#include <array>
#include <new>
#include <utility>

#include "util/reserve.h"

namespace techmatch::internal {

namespace {

constexpr size_t kBlock = PackedDocs::kBlock;

// Layout of a packed block ("vertical", as in Lemire and Boytsov's
// SIMD-BP128, for 4 lanes of 32 bits): the gaps gap[i] = doc[i] -
// doc[i - 1] - 1 (gap[0] = 0) in `width` bits each, gap 4k + l being the
// k-th value of lane l; each lane's 16 values are a little-endian bit
// stream of ceil(width / 2) 32-bit words, word j of lane l stored at 4 j + l.
// Decoding then takes 4 gaps per step with the same shifts in every lane
// (SSE2, through GCC's and clang's vector extensions) and a 4-lane prefix sum.
constexpr size_t kLanes = 4;
constexpr size_t kSteps = kBlock / kLanes;  // values per lane

typedef uint32_t V4 __attribute__((vector_size(16), aligned(4)));

// 32-bit words of a block packed at `width` bits per gap.
constexpr size_t BlockWords(unsigned width) { return kLanes * ((width + 1) / 2); }

// Bits of the widest gap of docs[0, kBlock).
unsigned GapWidth(const uint32_t* docs) {
  uint32_t all = 0;
  for (size_t i = 1; i < kBlock; ++i) all |= docs[i] - docs[i - 1] - 1;
  return all == 0 ? 0 : 32 - unsigned(__builtin_clz(all));
}

// Writes the gaps of docs[0, kBlock) into out[0, BlockWords(width)),
// which must be zero.
void PackBlock(const uint32_t* docs, unsigned width, uint32_t* out) {
  if (width == 0) return;
  for (size_t i = 1; i < kBlock; ++i) {
    const uint32_t gap = docs[i] - docs[i - 1] - 1;
    const size_t lane = i % kLanes;
    const size_t bit = (i / kLanes) * width;
    const size_t word = bit / 32;
    const unsigned shift = unsigned(bit % 32);
    out[kLanes * word + lane] |= gap << shift;
    if (shift + width > 32) out[kLanes * (word + 1) + lane] |= gap >> (32 - shift);
  }
}

inline V4 LoadV4(const uint32_t* p) {
  V4 v;
  __builtin_memcpy(&v, p, sizeof(v));
  return v;
}

// The inverse of PackBlock for a width known at compile time: the shifts
// and word indexes are constants once the loop is unrolled.
template <unsigned W>
void UnpackBlock(const uint32_t* in, uint32_t first, uint32_t* out) {
  if constexpr (W == 0) {
    for (size_t i = 0; i < kBlock; ++i) out[i] = first + uint32_t(i);
  } else {
    constexpr uint32_t kMask = uint32_t((uint64_t{1} << W) - 1);
    const V4 zero = {0, 0, 0, 0};
    V4 carry = zero + (first - 1);  // the doc before the block, in each lane
#pragma GCC unroll 16
    for (size_t k = 0; k < kSteps; ++k) {
      const size_t bit = k * W;
      const size_t word = bit / 32;
      const unsigned shift = unsigned(bit % 32);
      V4 v = LoadV4(in + kLanes * word) >> shift;
      if (shift + W > 32) v |= LoadV4(in + kLanes * (word + 1)) << (32 - shift);
      v = (v & kMask) + 1;
      // Inclusive prefix sum over the 4 lanes, then the docs before.
      // (__builtin_shufflevector: GCC >= 12 and clang; lanes 4-7 are v's.)
      v += __builtin_shufflevector(zero, v, 0, 4, 5, 6);  // lane i += v[i - 1]
      v += __builtin_shufflevector(zero, v, 0, 1, 4, 5);  // lane i += v[i - 2]
      v += carry;
      __builtin_memcpy(out + kLanes * k, &v, sizeof(v));
      carry = __builtin_shufflevector(v, v, 3, 3, 3, 3);
    }
  }
}

using Unpacker = void (*)(const uint32_t*, uint32_t, uint32_t*);

template <size_t... W>
constexpr auto MakeUnpackers(std::index_sequence<W...>) {
  return std::array<Unpacker, sizeof...(W)>{&UnpackBlock<unsigned(W)>...};
}

constexpr auto kUnpackers = MakeUnpackers(std::make_index_sequence<33>());

}  // namespace

uint32_t PackedDocs::back() const {
  if (!raw_.empty()) return raw_.back();
  uint32_t buf[kBlock];
  size_t n = 0;
  return Block(first_.size() - 1, buf, &n)[n - 1];
}

const uint32_t* PackedDocs::Block(size_t b, uint32_t* buf, size_t* n) const {
  if (b >= first_.size()) {
    const size_t at = kBlock * (b - first_.size());
    *n = std::min(kBlock, raw_.size() - at);
    return raw_.data() + at;
  }
  kUnpackers[width_[b]](words_.data() + offset_[b], first_[b], buf);
  *n = kBlock;
  return buf;
}

uint32_t PackedDocs::At(size_t i) const {
  uint32_t buf[kBlock];
  size_t n = 0;
  return Block(i / kBlock, buf, &n)[i % kBlock];
}

ptrdiff_t PackedDocs::Find(uint32_t doc) const {
  if (empty()) return -1;
  const size_t b = BlockFor(0, doc);
  if (b + 1 < num_blocks() && first(b + 1) == doc) return ptrdiff_t(kBlock * (b + 1));
  uint32_t buf[kBlock];
  size_t n = 0;
  const uint32_t* d = Block(b, buf, &n);
  const uint32_t* at = std::lower_bound(d, d + n, doc);
  return at != d + n && *at == doc ? ptrdiff_t(kBlock * b + size_t(at - d)) : -1;
}

size_t PackedDocs::BlockFor(size_t from, uint32_t target) const {
  const size_t blocks = num_blocks();
  size_t lo = from;
  if (first(lo) >= target) return lo;
  // first(lo) < target; hi: a block whose first doc is >= target, or the end.
  size_t step = 1;
  size_t hi = lo + 1;
  while (hi < blocks && first(hi) < target) {
    lo = hi;
    step <<= 1;
    hi = lo + step;
  }
  hi = std::min(hi, blocks);
  while (hi - lo > 1) {
    const size_t mid = lo + (hi - lo) / 2;
    (first(mid) < target ? lo : hi) = mid;
  }
  return lo;
}

void PackedDocs::CopyTo(std::vector<uint32_t>* out) const {
  out->resize(size());
  uint32_t* o = out->data();
  for (size_t b = 0; b < first_.size(); ++b, o += kBlock) {
    kUnpackers[width_[b]](words_.data() + offset_[b], first_[b], o);
  }
  std::copy(raw_.begin(), raw_.end(), o);
}

void PackedDocs::ReserveRaw(size_t n) { ReserveGrowing(raw_, raw_.size() + n); }

void PackedDocs::AppendBlock(const uint32_t* docs, unsigned width) {
  first_.push_back(docs[0]);
  offset_.push_back(uint32_t(words_.size()));
  width_.push_back(uint8_t(width));
  words_.resize(words_.size() + BlockWords(width), 0);
  PackBlock(docs, width, words_.data() + offset_.back());
}

void PackedDocs::Pack() noexcept {
  const size_t full = raw_.size() / kBlock;
  if (full == 0) return;
  size_t words = 0;
  uint8_t widths[64];
  // In runs of up to 64 blocks, so the widths need no allocation.
  size_t done = 0;
  while (done < full) {
    const size_t run = std::min<size_t>(64, full - done);
    words = 0;
    for (size_t b = 0; b < run; ++b) {
      widths[b] = uint8_t(GapWidth(raw_.data() + kBlock * (done + b)));
      words += BlockWords(widths[b]);
    }
    try {
      ReserveGrowing(first_, first_.size() + run);
      ReserveGrowing(offset_, offset_.size() + run);
      ReserveGrowing(width_, width_.size() + run);
      ReserveGrowing(words_, words_.size() + words);
    } catch (const std::bad_alloc&) {
      break;  // the rest stays raw
    }
    for (size_t b = 0; b < run; ++b) {  // reserved: nothing allocates
      AppendBlock(raw_.data() + kBlock * (done + b), widths[b]);
    }
    done += run;
  }
  raw_.erase(raw_.begin(), raw_.begin() + ptrdiff_t(kBlock * done));
}

void PackedDocs::Assign(const uint32_t* docs, size_t n) {
  clear();
  const size_t full = n / kBlock;
  // The widths first, so every array is allocated once at its size.
  std::vector<uint8_t> widths(full);
  size_t words = 0;
  for (size_t b = 0; b < full; ++b) {
    widths[b] = uint8_t(GapWidth(docs + kBlock * b));
    words += BlockWords(widths[b]);
  }
  first_.reserve(full);
  offset_.reserve(full);
  width_.reserve(full);
  words_.reserve(words);
  for (size_t b = 0; b < full; ++b) AppendBlock(docs + kBlock * b, widths[b]);
  raw_.assign(docs + kBlock * full, docs + n);
}

void PackedDocs::clear() {
  first_.clear();
  offset_.clear();
  width_.clear();
  words_.clear();
  raw_.clear();
}

void PackedDocs::ShrinkToFit() {
  first_.shrink_to_fit();
  offset_.shrink_to_fit();
  width_.shrink_to_fit();
  words_.shrink_to_fit();
  raw_.shrink_to_fit();
}

size_t PackedDocs::memory_bytes() const {
  return (first_.capacity() + offset_.capacity() + raw_.capacity() + words_.capacity()) *
             sizeof(uint32_t) +
         width_.capacity();
}

}  // namespace techmatch::internal

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// PackedDocs: a postings list's doc ids, bit-packed in blocks of 64.

#ifndef TECHMATCH_LEXICAL_PACKED_DOCS_H_
#define TECHMATCH_LEXICAL_PACKED_DOCS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace techmatch::internal {

/// Increasing uint32 doc ids in blocks of kBlock. Full blocks are packed:
/// the block's first doc id, then the 63 gaps (doc - previous - 1) in
/// `width` bits each, width being the widest gap's (0..32), in 4 lanes
/// decoded 4 at a time (packed_docs.cc), so a block of 64 takes
/// 16 * ceil(width / 2) bytes plus 9 bytes of header. The docs after the
/// last packed block are kept as plain uint32s (the "raw" suffix: appends
/// land there; Pack() moves its full blocks into the packed part, and a
/// failed allocation there only leaves them raw). Block b's docs are those
/// at positions [64 b, 64 b + 64).
///
/// On the 1M-record benchmark corpus the gaps of most postings fit 2-8
/// bits: about 1 byte per posting against 4 unpacked.
///
/// Thread-safety: const methods may run concurrently; the others need
/// exclusive access.
class PackedDocs {
 public:
  static constexpr size_t kBlock = 64;

  size_t size() const { return kBlock * first_.size() + raw_.size(); }
  bool empty() const { return size() == 0; }
  size_t num_blocks() const { return (size() + kBlock - 1) / kBlock; }
  /// The first doc of block b (b < num_blocks()).
  uint32_t first(size_t b) const {
    return b < first_.size() ? first_[b] : raw_[kBlock * (b - first_.size())];
  }
  uint32_t front() const { return first(0); }
  uint32_t back() const;  ///< the last doc (non-empty)
  /// The docs of block b: a pointer to `size_t n` of them, either into the
  /// raw suffix or into `buf` (kBlock entries), decoded there.
  const uint32_t* Block(size_t b, uint32_t* buf, size_t* n) const;
  /// The doc at position i (decodes its block: for occasional use).
  uint32_t At(size_t i) const;
  /// The position of `doc`, or -1.
  ptrdiff_t Find(uint32_t doc) const;
  /// The last block b >= from whose first doc is < target, or `from`
  /// when first(from) >= target (from < num_blocks()): a doc >= target
  /// after position 64 b is in block b or is the next block's first.
  /// Gallops, then bisects, over the blocks' first docs.
  size_t BlockFor(size_t from, uint32_t target) const;

  /// Calls fn(doc) for every doc in order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    uint32_t buf[kBlock];
    for (size_t b = 0; b < num_blocks(); ++b) {
      size_t n = 0;
      const uint32_t* d = Block(b, buf, &n);
      for (size_t j = 0; j < n; ++j) fn(d[j]);
    }
  }
  /// All docs, in order, into `out` (resized).
  void CopyTo(std::vector<uint32_t>* out) const;

  /// Appends a doc greater than back() to the raw suffix; allocates only
  /// beyond the room ReserveRaw made.
  void push_back(uint32_t doc) { raw_.push_back(doc); }
  /// Room for `n` more raw docs (geometric growth).
  void ReserveRaw(size_t n);
  /// Packs the raw suffix's full blocks. Out of memory leaves them raw
  /// (never throws); the content is the same either way.
  void Pack() noexcept;
  /// Replaces the content with docs[0, n) (increasing), packed.
  void Assign(const uint32_t* docs, size_t n);
  void clear();
  /// Releases spare capacity.
  void ShrinkToFit();
  size_t memory_bytes() const;

 private:
  // Packs docs[0, kBlock) at `width` bits per gap after the last block.
  void AppendBlock(const uint32_t* docs, unsigned width);

  std::vector<uint32_t> first_;   // per packed block: its first doc
  std::vector<uint32_t> offset_;  // per packed block: its first word in words_
  std::vector<uint8_t> width_;    // per packed block: bits per gap (0..32)
  std::vector<uint32_t> words_;
  std::vector<uint32_t> raw_;     // the docs after the packed blocks
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_LEXICAL_PACKED_DOCS_H_

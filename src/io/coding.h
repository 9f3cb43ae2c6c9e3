// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Little-endian encoding of numbers and strings, and a bounds-checked Decoder.

#ifndef TECHMATCH_IO_CODING_H_
#define TECHMATCH_IO_CODING_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "techmatch/status.h"

namespace techmatch::internal {

// Every number techmatch persists goes through these functions: fixed-width
// integers are little-endian whatever the host, floats are their IEEE-754 bit
// patterns (bit-exact, NaN payloads included), and varints are the LEB128 /
// protobuf encoding (7 bits per byte, low group first). Never write raw
// structs: their layout depends on the compiler and the CPU.

inline constexpr int kMaxVarint32Bytes = 5;
inline constexpr int kMaxVarint64Bytes = 10;

// ---- encoding into a caller's buffer (which must be large enough) ----

inline void EncodeFixed16(char* dst, uint16_t value) {
  auto* p = reinterpret_cast<unsigned char*>(dst);
  p[0] = static_cast<unsigned char>(value);
  p[1] = static_cast<unsigned char>(value >> 8);
}

inline void EncodeFixed32(char* dst, uint32_t value) {
  auto* p = reinterpret_cast<unsigned char*>(dst);
  for (int i = 0; i < 4; ++i)
    p[i] = static_cast<unsigned char>(value >> (8 * i));
}

inline void EncodeFixed64(char* dst, uint64_t value) {
  auto* p = reinterpret_cast<unsigned char*>(dst);
  for (int i = 0; i < 8; ++i)
    p[i] = static_cast<unsigned char>(value >> (8 * i));
}

/// Writes value as a varint at dst; returns the byte after the last written.
char* EncodeVarint32(char* dst, uint32_t value);
char* EncodeVarint64(char* dst, uint64_t value);

/// Number of bytes the varint encoding of value takes (1..10).
int VarintLength(uint64_t value);

// ---- decoding from a buffer the caller has bounds-checked ----
// (Compilers turn these byte loops into single loads on little-endian CPUs.)

inline uint16_t DecodeFixed16(const char* src) {
  const auto* p = reinterpret_cast<const unsigned char*>(src);
  return static_cast<uint16_t>(p[0] | (p[1] << 8));
}

inline uint32_t DecodeFixed32(const char* src) {
  const auto* p = reinterpret_cast<const unsigned char*>(src);
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) |
         (uint32_t{p[3]} << 24);
}

inline uint64_t DecodeFixed64(const char* src) {
  return uint64_t{DecodeFixed32(src)} |
         (uint64_t{DecodeFixed32(src + 4)} << 32);
}

// ---- appending to a std::string ----

void PutFixed16(std::string* dst, uint16_t value);
void PutFixed32(std::string* dst, uint32_t value);
void PutFixed64(std::string* dst, uint64_t value);
void PutFloat(std::string* dst, float value);
void PutDouble(std::string* dst, double value);
void PutVarint32(std::string* dst, uint32_t value);
void PutVarint64(std::string* dst, uint64_t value);
/// Appends varint64(value.size()) followed by the bytes of value.
void PutLengthPrefixedString(std::string* dst, std::string_view value);

/// Appends n floats / uint64s, little-endian, in bulk (a memcpy on
/// little-endian hosts).
void PutFloats(std::string* dst, const float* values, size_t n);
void PutFixed64s(std::string* dst, const uint64_t* values, size_t n);

/// Reads the encodings above from a byte string without ever reading outside
/// it, however corrupt or hostile the bytes are.
///
/// Every Read* returns false, consumes nothing and stores nothing on
/// failure. Failure is sticky: once a read has failed, every later read fails
/// too, so a sequence of reads can be checked once at the end:
///
///   Decoder d(payload);
///   uint32_t n;  std::string_view name;
///   if (!d.ReadVarint32(&n) || !d.ReadLengthPrefixed(&name))
///     return d.Corruption("vocabulary header");
///
/// Returned string_views point into the input, which must outlive them.
/// Thread-safety: a Decoder is a cursor; use one per thread.
class Decoder {
 public:
  /// `base_offset` is added to offsets in error messages, so a Decoder over
  /// one section can report positions within the whole file.
  explicit Decoder(std::string_view input, uint64_t base_offset = 0)
      : input_(input), base_offset_(base_offset) {}

  bool ReadFixed8(uint8_t* value);
  bool ReadFixed16(uint16_t* value);
  bool ReadFixed32(uint32_t* value);
  bool ReadFixed64(uint64_t* value);
  bool ReadFloat(float* value);
  bool ReadDouble(double* value);
  /// Reads n floats / uint64s written by PutFloats / PutFixed64s into out.
  bool ReadFloats(float* out, size_t n);
  bool ReadFixed64s(uint64_t* out, size_t n);

  /// Fails on truncation, on more than 5 (10) bytes, and on a final byte
  /// whose bits do not fit in 32 (64) bits.
  bool ReadVarint32(uint32_t* value) {
    // Inline for the common one-byte varint (postings' doc gaps and tfs).
    if (failure_ == Failure::kNone && pos_ < input_.size()) {
      const auto byte = static_cast<unsigned char>(input_[pos_]);
      if (byte < 0x80) {
        *value = byte;
        ++pos_;
        return true;
      }
    }
    return ReadVarint32Slow(value);
  }
  bool ReadVarint64(uint64_t* value);

  /// Reads a varint64 length and that many bytes; fails, without
  /// allocating, when the length exceeds what remains.
  bool ReadLengthPrefixed(std::string_view* value);

  /// Reads exactly n bytes.
  bool ReadBytes(size_t n, std::string_view* value);

  /// Skips exactly n bytes.
  bool Skip(size_t n);

  /// Skips n varints: n bytes below 0x80 and the bytes before each; fails
  /// (truncated) if the input ends first. Lengths are not checked (a
  /// Read would reject an over-long varint): this is for finding where
  /// records begin, not for decoding them.
  bool SkipVarints(size_t n);

  /// Reads a varint64 element count and fails unless count elements of at
  /// least min_element_bytes each could fit in what remains. Use it before
  /// reserve()/resize() so a corrupted count cannot trigger a huge
  /// allocation. min_element_bytes == 0 is treated as 1.
  bool ReadCount(uint64_t* count, size_t min_element_bytes);

  /// Bytes not yet consumed.
  size_t remaining() const { return input_.size() - pos_; }
  /// Position of the next read, including base_offset.
  uint64_t offset() const { return base_offset_ + pos_; }
  /// False once a read has failed.
  bool ok() const { return failure_ == Failure::kNone; }
  /// True when no read has failed and all input has been consumed.
  bool done() const { return ok() && remaining() == 0; }

  /// A Corruption status for the first failed read, e.g.
  /// "vocabulary: truncated at offset 1234". Called when no read failed (a
  /// caller rejecting a decoded value), it reports "<what>: invalid data at
  /// offset N" at the current position.
  Status Corruption(std::string_view what) const;

  /// OK when all input was consumed; otherwise the Corruption() of the
  /// failed read or "<what>: N unexpected trailing bytes at offset M".
  Status ExpectEnd(std::string_view what) const;

 private:
  enum class Failure {
    kNone,
    kTruncated,
    kVarintTooLong,
    kLengthTooLarge,
    kCountTooLarge
  };

  bool Fail(Failure failure, uint64_t detail = 0);
  bool ReadVarint32Slow(uint32_t* value);
  template <typename T>
  bool ReadVarint(int max_bytes, T* value);

  std::string_view input_;
  size_t pos_ = 0;
  uint64_t base_offset_;
  Failure failure_ = Failure::kNone;
  size_t failure_pos_ = 0;       // where the failed read started
  uint64_t failure_detail_ = 0;  // the offending length or count
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_IO_CODING_H_

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Little-endian encoding helpers and the bounds-checked Decoder.

#include "io/coding.h"

#include <cstring>
#include <limits>

namespace techmatch::internal {

// The on-disk format stores IEEE-754 bit patterns; a platform with another
// float representation would need a conversion, so refuse to build there.
static_assert(std::numeric_limits<float>::is_iec559 && sizeof(float) == 4,
              "techmatch persists IEEE-754 binary32 floats");
static_assert(std::numeric_limits<double>::is_iec559 && sizeof(double) == 8,
              "techmatch persists IEEE-754 binary64 doubles");

char* EncodeVarint32(char* dst, uint32_t value) {
  return EncodeVarint64(dst, value);
}

char* EncodeVarint64(char* dst, uint64_t value) {
  auto* p = reinterpret_cast<unsigned char*>(dst);
  while (value >= 0x80) {
    *p++ = static_cast<unsigned char>(value | 0x80);
    value >>= 7;
  }
  *p++ = static_cast<unsigned char>(value);
  return reinterpret_cast<char*>(p);
}

int VarintLength(uint64_t value) {
  int len = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++len;
  }
  return len;
}

void PutFixed16(std::string* dst, uint16_t value) {
  char buf[2];
  EncodeFixed16(buf, value);
  dst->append(buf, sizeof(buf));
}

void PutFixed32(std::string* dst, uint32_t value) {
  char buf[4];
  EncodeFixed32(buf, value);
  dst->append(buf, sizeof(buf));
}

void PutFixed64(std::string* dst, uint64_t value) {
  char buf[8];
  EncodeFixed64(buf, value);
  dst->append(buf, sizeof(buf));
}

void PutFloat(std::string* dst, float value) {
  uint32_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  PutFixed32(dst, bits);
}

void PutDouble(std::string* dst, double value) {
  uint64_t bits;
  std::memcpy(&bits, &value, sizeof(bits));
  PutFixed64(dst, bits);
}

void PutVarint32(std::string* dst, uint32_t value) {
  char buf[kMaxVarint32Bytes];
  dst->append(buf, EncodeVarint32(buf, value) - buf);
}

void PutVarint64(std::string* dst, uint64_t value) {
  char buf[kMaxVarint64Bytes];
  dst->append(buf, EncodeVarint64(buf, value) - buf);
}

void PutLengthPrefixedString(std::string* dst, std::string_view value) {
  PutVarint64(dst, value.size());
  dst->append(value.data(), value.size());
}

bool Decoder::Fail(Failure failure, uint64_t detail) {
  if (ok()) {
    failure_ = failure;
    failure_pos_ = pos_;
    failure_detail_ = detail;
  }
  return false;
}

bool Decoder::ReadFixed8(uint8_t* value) {
  if (!ok() || remaining() < 1) return Fail(Failure::kTruncated);
  *value = static_cast<uint8_t>(input_[pos_]);
  pos_ += 1;
  return true;
}

bool Decoder::ReadFixed16(uint16_t* value) {
  if (!ok() || remaining() < 2) return Fail(Failure::kTruncated);
  *value = DecodeFixed16(input_.data() + pos_);
  pos_ += 2;
  return true;
}

bool Decoder::ReadFixed32(uint32_t* value) {
  if (!ok() || remaining() < 4) return Fail(Failure::kTruncated);
  *value = DecodeFixed32(input_.data() + pos_);
  pos_ += 4;
  return true;
}

bool Decoder::ReadFixed64(uint64_t* value) {
  if (!ok() || remaining() < 8) return Fail(Failure::kTruncated);
  *value = DecodeFixed64(input_.data() + pos_);
  pos_ += 8;
  return true;
}

namespace {
constexpr bool kLittleEndian = __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
}  // namespace

void PutFloats(std::string* dst, const float* values, size_t n) {
  if (kLittleEndian) {
    dst->append(reinterpret_cast<const char*>(values), n * sizeof(float));
  } else {
    for (size_t i = 0; i < n; ++i) PutFloat(dst, values[i]);
  }
}

void PutFixed64s(std::string* dst, const uint64_t* values, size_t n) {
  if (kLittleEndian) {
    dst->append(reinterpret_cast<const char*>(values), n * sizeof(uint64_t));
  } else {
    for (size_t i = 0; i < n; ++i) PutFixed64(dst, values[i]);
  }
}

bool Decoder::ReadFloats(float* out, size_t n) {
  if (n == 0) return ok();
  if (n > remaining() / sizeof(float)) return Skip(remaining() + 1);  // fails: truncated
  if (kLittleEndian) {
    std::string_view bytes;
    if (!ReadBytes(n * sizeof(float), &bytes)) return false;
    std::memcpy(out, bytes.data(), bytes.size());
    return true;
  }
  for (size_t i = 0; i < n; ++i) {
    if (!ReadFloat(&out[i])) return false;
  }
  return true;
}

bool Decoder::ReadFixed64s(uint64_t* out, size_t n) {
  if (n == 0) return ok();
  if (n > remaining() / sizeof(uint64_t)) {
    return Skip(remaining() + 1);  // fails: truncated
  }
  if (kLittleEndian) {
    std::string_view bytes;
    if (!ReadBytes(n * sizeof(uint64_t), &bytes)) return false;
    std::memcpy(out, bytes.data(), bytes.size());
    return true;
  }
  for (size_t i = 0; i < n; ++i) {
    if (!ReadFixed64(&out[i])) return false;
  }
  return true;
}

bool Decoder::ReadFloat(float* value) {
  uint32_t bits;
  if (!ReadFixed32(&bits)) return false;
  std::memcpy(value, &bits, sizeof(bits));
  return true;
}

bool Decoder::ReadDouble(double* value) {
  uint64_t bits;
  if (!ReadFixed64(&bits)) return false;
  std::memcpy(value, &bits, sizeof(bits));
  return true;
}

template <typename T>
bool Decoder::ReadVarint(int max_bytes, T* value) {
  if (!ok()) return false;
  constexpr int kBits = std::numeric_limits<T>::digits;
  T result = 0;
  for (int i = 0; i < max_bytes; ++i) {
    if (pos_ + i >= input_.size()) return Fail(Failure::kTruncated);
    const auto byte = static_cast<unsigned char>(input_[pos_ + i]);
    const int shift = 7 * i;
    // The last allowed byte may only carry the bits left over (4 for 32-bit,
    // 1 for 64-bit) and must end the varint; anything else would silently
    // drop bits, so it is corruption.
    if (i == max_bytes - 1 && (byte >> (kBits - shift)) != 0) {
      return Fail(Failure::kVarintTooLong);
    }
    result |= static_cast<T>(byte & 0x7Fu) << shift;
    if ((byte & 0x80u) == 0) {
      pos_ += static_cast<size_t>(i) + 1;
      *value = result;
      return true;
    }
  }
  return Fail(Failure::kVarintTooLong);
}

bool Decoder::ReadVarint32Slow(uint32_t* value) {
  return ReadVarint(kMaxVarint32Bytes, value);
}

bool Decoder::ReadVarint64(uint64_t* value) {
  return ReadVarint(kMaxVarint64Bytes, value);
}

bool Decoder::ReadLengthPrefixed(std::string_view* value) {
  const size_t start = pos_;
  uint64_t length;
  if (!ReadVarint64(&length)) return false;
  if (length > remaining()) {
    pos_ = start;  // report the failure at the length, consume nothing
    return Fail(Failure::kLengthTooLarge, length);
  }
  *value = input_.substr(pos_, static_cast<size_t>(length));
  pos_ += static_cast<size_t>(length);
  return true;
}

bool Decoder::ReadBytes(size_t n, std::string_view* value) {
  if (!ok() || n > remaining()) return Fail(Failure::kTruncated);
  *value = input_.substr(pos_, n);
  pos_ += n;
  return true;
}

bool Decoder::Skip(size_t n) {
  if (!ok() || n > remaining()) return Fail(Failure::kTruncated);
  pos_ += n;
  return true;
}

bool Decoder::SkipVarints(size_t n) {
  if (!ok()) return false;
  const unsigned char* p = reinterpret_cast<const unsigned char*>(input_.data());
  const size_t size = input_.size();
  size_t pos = pos_;
  // Eight bytes at a time while more than eight varints remain: each byte
  // below 0x80 ends one.
  while (n >= 8 && size - pos >= 8) {
    uint64_t word;
    std::memcpy(&word, p + pos, 8);
    n -= size_t(__builtin_popcountll(~word & 0x8080808080808080ULL));
    pos += 8;
  }
  for (; n > 0 && pos < size; ++pos) {
    if (p[pos] < 0x80) --n;
  }
  if (n > 0) return Fail(Failure::kTruncated);
  pos_ = pos;
  return true;
}

bool Decoder::ReadCount(uint64_t* count, size_t min_element_bytes) {
  const size_t start = pos_;
  uint64_t n;
  if (!ReadVarint64(&n)) return false;
  const uint64_t each = min_element_bytes == 0 ? 1 : min_element_bytes;
  // Division instead of n * each, which could overflow.
  if (n > remaining() / each) {
    pos_ = start;
    return Fail(Failure::kCountTooLarge, n);
  }
  *count = n;
  return true;
}

Status Decoder::Corruption(std::string_view what) const {
  std::string msg(what);
  const uint64_t at = base_offset_ + (ok() ? pos_ : failure_pos_);
  switch (failure_) {
    case Failure::kNone:
      msg += ": invalid data at offset ";
      break;
    case Failure::kTruncated:
      msg += ": truncated at offset ";
      break;
    case Failure::kVarintTooLong:
      msg += ": malformed varint at offset ";
      break;
    case Failure::kLengthTooLarge:
      msg += ": truncated at offset " + std::to_string(at) + " (length " +
             std::to_string(failure_detail_) + " exceeds the " +
             std::to_string(input_.size() - failure_pos_) + " bytes remaining)";
      return Status::Corruption(msg);
    case Failure::kCountTooLarge:
      msg += ": truncated at offset " + std::to_string(at) + " (count " +
             std::to_string(failure_detail_) + " is too large for the " +
             std::to_string(input_.size() - failure_pos_) + " bytes remaining)";
      return Status::Corruption(msg);
  }
  msg += std::to_string(at);
  return Status::Corruption(msg);
}

Status Decoder::ExpectEnd(std::string_view what) const {
  if (!ok()) return Corruption(what);
  if (remaining() == 0) return Status::OK();
  return Status::Corruption(
      std::string(what) + ": " + std::to_string(remaining()) +
      " unexpected trailing bytes at offset " + std::to_string(offset()));
}

}  // namespace techmatch::internal

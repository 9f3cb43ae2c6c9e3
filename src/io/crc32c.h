// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// CRC-32C (Castagnoli), the checksum of every snapshot section (leveldb's).

#ifndef TECHMATCH_IO_CRC32C_H_
#define TECHMATCH_IO_CRC32C_H_

#include <cstddef>
#include <cstdint>

namespace techmatch::internal::crc32c {

// All functions are pure and safe to call concurrently from any thread.
//
// The CRC is the standard one (reflected polynomial 0x82F63B78, initial value
// and final xor 0xFFFFFFFF), so Value("123456789", 9) == 0xE3069283 and the
// results match leveldb, RocksDB, iSCSI and ext4.

/// Returns the crc32c of concat(A, data[0, n)), where init_crc is the crc32c
/// of some string A. Extend(0, data, n) == Value(data, n). Uses the SSE4.2
/// crc32 instruction when the CPU has it, else a portable table method; both
/// give identical results.
uint32_t Extend(uint32_t init_crc, const char* data, size_t n);

/// Returns the crc32c of data[0, n).
inline uint32_t Value(const char* data, size_t n) { return Extend(0, data, n); }

/// Extends two CRCs over the same bytes in one pass: *a = Extend(*a, data,
/// n) and *b = Extend(*b, data, n) (a section's own CRC and the whole
/// file's, read once).
void ExtendBoth(uint32_t* a, uint32_t* b, const char* data, size_t n);

/// The portable slicing-by-8 implementation, whatever the CPU. Exposed so
/// tests can compare it with the hardware path.
uint32_t ExtendPortable(uint32_t init_crc, const char* data, size_t n);

/// True when this build and CPU can use the SSE4.2 crc32 instruction.
bool HardwareAvailable();

/// The SSE4.2 implementation when HardwareAvailable(); otherwise it falls
/// back to ExtendPortable() rather than execute an illegal instruction.
uint32_t ExtendHardware(uint32_t init_crc, const char* data, size_t n);

// Why mask: computing the CRC of a string that itself contains embedded CRCs
// (a section checksum inside the whole-file checksum, a snapshot stored as a
// payload inside another snapshot) is weak, so stored CRCs are rotated and
// offset first, exactly as leveldb does.
inline constexpr uint32_t kMaskDelta = 0xa282ead8u;

/// Returns the masked representation of crc: rotate right by 15, add delta.
inline constexpr uint32_t Mask(uint32_t crc) {
  return ((crc >> 15) | (crc << 17)) + kMaskDelta;
}

/// Returns the crc whose masked representation is masked_crc.
inline constexpr uint32_t Unmask(uint32_t masked_crc) {
  const uint32_t rot = masked_crc - kMaskDelta;
  return (rot >> 17) | (rot << 15);
}

}  // namespace techmatch::internal::crc32c

#endif  // TECHMATCH_IO_CRC32C_H_

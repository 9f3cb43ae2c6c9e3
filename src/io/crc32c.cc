// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// CRC-32C: portable slicing-by-8 plus an SSE4.2 path chosen at run time.

#include "io/crc32c.h"

#include <cstring>

#include "io/coding.h"

#if (defined(__x86_64__) || defined(_M_X64)) && \
    (defined(__GNUC__) || defined(__clang__))
#define TECHMATCH_CRC32C_HAVE_SSE42 1
#else
#define TECHMATCH_CRC32C_HAVE_SSE42 0
#endif

namespace techmatch::internal::crc32c {
namespace {

// Reflected Castagnoli polynomial.
constexpr uint32_t kPoly = 0x82F63B78u;

// Table k maps a byte b to the CRC register contribution of b followed by k
// zero bytes, which lets the portable loop fold 8 input bytes per step with
// 8 independent lookups (slicing-by-8, ~4x the byte-at-a-time speed).
struct Tables {
  uint32_t t[8][256];
};

constexpr Tables MakeTables() {
  Tables tables{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (kPoly & (0u - (c & 1u)));
    tables.t[0][i] = c;
  }
  for (int s = 1; s < 8; ++s) {
    for (uint32_t i = 0; i < 256; ++i) {
      const uint32_t prev = tables.t[s - 1][i];
      tables.t[s][i] = (prev >> 8) ^ tables.t[0][prev & 0xFFu];
    }
  }
  return tables;
}

// Computed by the compiler: no start-up cost and no initialisation race.
constexpr Tables kTables = MakeTables();
// Spot checks against the published byte-wise table.
static_assert(kTables.t[0][1] == 0xF26B8303u && kTables.t[0][128] == kPoly,
              "table 0 is the standard byte-wise crc32c table");

#if TECHMATCH_CRC32C_HAVE_SSE42

__attribute__((target("sse4.2"))) uint32_t ExtendSse42(uint32_t init_crc,
                                                       const char* data,
                                                       size_t n) {
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  uint64_t l = ~init_crc & 0xFFFFFFFFu;
  // Byte steps up to an 8-byte boundary so the wide loads below are aligned
  // (faster on older cores; memcpy keeps them well-defined either way).
  while (n > 0 && (reinterpret_cast<uintptr_t>(p) & 7u) != 0) {
    l = __builtin_ia32_crc32qi(static_cast<uint32_t>(l), *p++);
    --n;
  }
  while (n >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);  // x86 is little-endian, as the CRC expects
    l = __builtin_ia32_crc32di(l, word);
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    l = __builtin_ia32_crc32qi(static_cast<uint32_t>(l), *p++);
    --n;
  }
  return ~static_cast<uint32_t>(l);
}

// Two CRCs over the same bytes: two independent chains, so each word's
// second crc32 instruction runs in the first one's latency.
__attribute__((target("sse4.2"))) void ExtendBothSse42(uint32_t* a, uint32_t* b,
                                                       const char* data, size_t n) {
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  uint64_t la = ~*a & 0xFFFFFFFFu;
  uint64_t lb = ~*b & 0xFFFFFFFFu;
  while (n >= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    la = __builtin_ia32_crc32di(la, word);
    lb = __builtin_ia32_crc32di(lb, word);
    p += 8;
    n -= 8;
  }
  while (n > 0) {
    la = __builtin_ia32_crc32qi(static_cast<uint32_t>(la), *p);
    lb = __builtin_ia32_crc32qi(static_cast<uint32_t>(lb), *p++);
    --n;
  }
  *a = ~static_cast<uint32_t>(la);
  *b = ~static_cast<uint32_t>(lb);
}

bool DetectSse42() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2");
}

#endif  // TECHMATCH_CRC32C_HAVE_SSE42

}  // namespace

uint32_t ExtendPortable(uint32_t init_crc, const char* data, size_t n) {
  const auto& t = kTables.t;
  uint32_t l = ~init_crc;
  while (n >= 8) {
    // DecodeFixed32 reads little-endian whatever the host, so the result
    // does not depend on the CPU's byte order.
    const uint32_t lo = DecodeFixed32(data) ^ l;
    const uint32_t hi = DecodeFixed32(data + 4);
    l = t[7][lo & 0xFFu] ^ t[6][(lo >> 8) & 0xFFu] ^ t[5][(lo >> 16) & 0xFFu] ^
        t[4][lo >> 24] ^ t[3][hi & 0xFFu] ^ t[2][(hi >> 8) & 0xFFu] ^
        t[1][(hi >> 16) & 0xFFu] ^ t[0][hi >> 24];
    data += 8;
    n -= 8;
  }
  while (n > 0) {
    l = t[0][(l ^ static_cast<unsigned char>(*data++)) & 0xFFu] ^ (l >> 8);
    --n;
  }
  return ~l;
}

bool HardwareAvailable() {
#if TECHMATCH_CRC32C_HAVE_SSE42
  // A function-local static: thread-safe one-time detection.
  static const bool available = DetectSse42();
  return available;
#else
  return false;
#endif
}

uint32_t ExtendHardware(uint32_t init_crc, const char* data, size_t n) {
#if TECHMATCH_CRC32C_HAVE_SSE42
  if (HardwareAvailable()) return ExtendSse42(init_crc, data, n);
#endif
  return ExtendPortable(init_crc, data, n);
}

uint32_t Extend(uint32_t init_crc, const char* data, size_t n) {
  return ExtendHardware(init_crc, data, n);
}

void ExtendBoth(uint32_t* a, uint32_t* b, const char* data, size_t n) {
#if TECHMATCH_CRC32C_HAVE_SSE42
  if (HardwareAvailable()) return ExtendBothSse42(a, b, data, n);
#endif
  *a = ExtendPortable(*a, data, n);
  *b = ExtendPortable(*b, data, n);
}

}  // namespace techmatch::internal::crc32c

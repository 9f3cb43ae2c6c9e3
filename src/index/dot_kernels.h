// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Inner-product kernels for the dense index, chosen at run time by CPU.

#ifndef TECHMATCH_INDEX_DOT_KERNELS_H_
#define TECHMATCH_INDEX_DOT_KERNELS_H_

#include <cstddef>

namespace techmatch::internal {

/// sum a[i] * b[i] over `dim` floats (any alignment).
using DotFn = float (*)(const float* a, const float* b, size_t dim);

/// The kernels this build has. Debian's hnswlib headers pick their SIMD
/// code at compile time, and a package is compiled for generic x86-64
/// (SSE2), so the graph's distances would never use AVX2 or FMA: these
/// kernels are chosen by the CPU the program runs on.
enum class DotLevel {
  kGeneric,  ///< portable C++ (four accumulators; SSE2 on x86-64)
  kAvx2Fma,  ///< x86-64 with AVX2 and FMA (dot_kernels_avx2.cc)
};

/// The best level this CPU supports, unless the environment variable
/// TECHMATCH_SIMD is "generic" (to test or compare the portable path).
/// Decided once per process.
DotLevel BestDotLevel();
/// Whether this CPU can run `level`.
bool DotLevelSupported(DotLevel level);
/// The kernel of `level`; a level the CPU lacks must not be called.
DotFn DotKernel(DotLevel level);
/// "generic" or "avx2+fma".
const char* DotLevelName(DotLevel level);

/// The portable kernel.
float DotGeneric(const float* a, const float* b, size_t dim);
/// The AVX2/FMA kernel (its own translation unit; a plain loop on other
/// architectures). Call only where DotLevelSupported(kAvx2Fma).
float DotAvx2Fma(const float* a, const float* b, size_t dim);

}  // namespace techmatch::internal

#endif  // TECHMATCH_INDEX_DOT_KERNELS_H_

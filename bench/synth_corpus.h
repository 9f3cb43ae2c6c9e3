// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Synthesizes large corpora from real text for the scale benchmarks.

#ifndef TECHMATCH_BENCH_SYNTH_CORPUS_H_
#define TECHMATCH_BENCH_SYNTH_CORPUS_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "techmatch/record.h"

namespace techmatch::bench {

/// Returns `n` records: first the real ones (up to n), then new records
/// made by recombining sentences of real abstracts. A new record takes 3-7
/// sentences drawn from one discipline's pool (so it stays on one topic)
/// and that discipline's category path; ids are "X<number>". Deterministic
/// for a seed. Unlabelled sentences form one pool of their own.
std::vector<Record> SynthesizeCorpus(const std::vector<Record>& real, size_t n,
                                     uint64_t seed);

}  // namespace techmatch::bench

#endif  // TECHMATCH_BENCH_SYNTH_CORPUS_H_

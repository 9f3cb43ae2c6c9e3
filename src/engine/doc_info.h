// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// DocInfo: what the engine keeps of each stored record.

#ifndef TECHMATCH_ENGINE_DOC_INFO_H_
#define TECHMATCH_ENGINE_DOC_INFO_H_

#include <cstddef>
#include <cstdint>
#include <vector>

#include "analysis/doc_terms.h"
#include "techmatch/record.h"

namespace techmatch::internal {

/// A stored record and what matching needs of it without re-analysis.
/// Documents are numbered by the engine (doc ids, never reused).
struct DocInfo {
  Record record;
  bool live = false;
  bool has_vector = false;  ///< in the dense index
  /// Distinct term keys of the title, sorted (title-overlap feature).
  std::vector<uint64_t> title_keys;
  /// Per keyword, its distinct term keys, sorted (keyword-overlap feature).
  std::vector<std::vector<uint64_t>> keyword_keys;
};

inline size_t KindIndex(RecordKind kind) { return size_t(kind); }

/// Sorted distinct keys of a term list.
std::vector<uint64_t> DistinctKeys(const std::vector<Term>& terms);

}  // namespace techmatch::internal

#endif  // TECHMATCH_ENGINE_DOC_INFO_H_

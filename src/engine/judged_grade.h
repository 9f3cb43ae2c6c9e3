// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The grade a judged query gives a record (fit and calibration share it).

#ifndef TECHMATCH_ENGINE_JUDGED_GRADE_H_
#define TECHMATCH_ENGINE_JUDGED_GRADE_H_

#include <algorithm>
#include <string>

#include "techmatch/fit.h"

namespace techmatch::internal {

/// JudgedQuery::grades' grade of `id`, else 1 if it is among
/// relevant_ids, else 0 (not judged: not a fit).
inline int JudgedGrade(const JudgedQuery& j, const std::string& id) {
  auto g = j.grades.find(id);
  if (g != j.grades.end()) return g->second;
  return std::find(j.relevant_ids.begin(), j.relevant_ids.end(), id) != j.relevant_ids.end()
             ? 1
             : 0;
}

}  // namespace techmatch::internal

#endif  // TECHMATCH_ENGINE_JUDGED_GRADE_H_

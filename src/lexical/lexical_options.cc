// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// LexicalOptions::Validate.

#include <cmath>
#include <cstdio>
#include <string>

#include "techmatch/engine_options.h"

namespace techmatch {

namespace {

// "%g" prints -1 as "-1" and 0.75 as "0.75" (std::to_string would print
// "-1.000000"), and NaN / infinity as "nan" / "inf".
std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

Status Bad(const char* field, const char* rule, double value) {
  return Status::InvalidArgument(std::string("lexical.") + field +
                                 ": must be " + rule + ", got " + Num(value));
}

}  // namespace

Status LexicalOptions::Validate() const {
  // Written as !(good) so that NaN fails every check.
  if (!(k1 > 0) || !std::isfinite(k1)) return Bad("k1", "> 0", k1);
  if (!(b >= 0 && b <= 1)) return Bad("b", "in [0, 1]", b);
  const struct {
    const char* name;
    double value;
  } weights[] = {{"word_weight", word_weight},
                 {"unigram_weight", unigram_weight},
                 {"bigram_weight", bigram_weight}};
  for (const auto& w : weights) {
    if (!(w.value >= 0) || !std::isfinite(w.value)) {
      return Bad(w.name, "finite and >= 0", w.value);
    }
  }
  if (!(max_deleted_ratio > 0 && max_deleted_ratio <= 1)) {
    return Bad("max_deleted_ratio", "in (0, 1]", max_deleted_ratio);
  }
  return Status::OK();
}

}  // namespace techmatch

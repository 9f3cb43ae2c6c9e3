// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// LexicalOptions::Validate.

#include <cmath>
#include <cstdio>
#include <string>

#include "techmatch/lexical_options.h"
#include "util/format_number.h"

namespace techmatch {

namespace {

Status Bad(const char* field, const char* rule, double value) {
  return Status::InvalidArgument(std::string("lexical.") + field +
                                 ": must be " + rule + ", got " + internal::FormatNumber(value));
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
                 {"bigram_weight", bigram_weight},
                 {"title_weight", title_weight},
                 {"keywords_weight", keywords_weight},
                 {"text_weight", text_weight}};
  for (const auto& w : weights) {
    if (!(w.value >= 0) || !std::isfinite(w.value)) {
      return Bad(w.name, "finite and >= 0", w.value);
    }
  }
  if (title_weight == 0 && keywords_weight == 0 && text_weight == 0) {
    return Status::InvalidArgument(
        "lexical.title_weight / keywords_weight / text_weight: at least one "
        "must be > 0");
  }
  if (!(covered_unigram_max_df > 0 && covered_unigram_max_df <= 1)) {
    return Bad("covered_unigram_max_df", "in (0, 1]", covered_unigram_max_df);
  }
  if (!(max_deleted_ratio > 0 && max_deleted_ratio <= 1)) {
    return Bad("max_deleted_ratio", "in (0, 1]", max_deleted_ratio);
  }
  return Status::OK();
}

}  // namespace techmatch

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Each section loader of an engine snapshot on bytes that passed no
// checksum: the first byte picks the loader (0 lexical index, 1 dense
// index, 2 embedder, 3 META options JSON, 4 scorer), the rest is the
// payload. Seeds: the golden snapshot's sections (make_seeds). A loader
// returns an error or an object that answers; it never crashes.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/options_json.h"
#include "analysis/doc_terms.h"
#include "lexical/lexical_index.h"
#include "techmatch/analyzer.h"
#include "techmatch/dense_index.h"
#include "techmatch/embedder.h"
#include "techmatch/scorer.h"

namespace {

std::shared_ptr<const techmatch::Analyzer> TheAnalyzer() {
  static const std::shared_ptr<const techmatch::Analyzer> analyzer = [] {
    auto a = techmatch::Analyzer::Create();
    if (!a.ok()) std::abort();
    return std::shared_ptr<const techmatch::Analyzer>(std::move(*a));
  }();
  return analyzer;
}

void Lexical(std::string_view bytes) {
  auto index = techmatch::internal::LexicalIndex::Load(bytes);
  if (!index.ok()) return;
  using techmatch::TermKind;
  using techmatch::internal::TermKey;
  const std::vector<techmatch::internal::LexicalQueryTerm> query = {
      {TermKey(TermKind::kWord, "电池"), 1.0f, false},
      {TermKey(TermKind::kUnigram, "电"), 1.0f, true},
      {TermKey(TermKind::kBigram, "储能"), 2.0f, false}};
  (void)(*index)->Search(query, 10);
}

void Dense(std::string_view bytes) {
  auto index = techmatch::DenseIndex::Load(bytes);
  if (!index.ok()) return;
  const size_t dim = (*index)->dim();
  if (dim == 0 || dim > 4096) return;
  std::vector<float> q(dim, 0.0f);
  q[0] = 1.0f;
  techmatch::DenseSearchOptions options;
  options.k = 5;
  (void)(*index)->Search(q.data(), options);
}

void Embedder(std::string_view bytes) {
  auto embedder = techmatch::LoadEmbedder(bytes, TheAnalyzer());
  if (!embedder.ok()) return;
  const size_t dim = (*embedder)->dim();
  if (dim == 0 || dim > 4096 || !(*embedder)->fitted()) return;
  std::vector<float> out(dim);
  (void)(*embedder)->EmbedText("全钒液流电池电解液制备", out.data());
}

void Options(std::string_view bytes) {
  const nlohmann::json j = nlohmann::json::parse(bytes, nullptr, false);
  if (j.is_discarded()) return;
  auto options = techmatch::internal::OptionsFromJson(j.is_object() && j.contains("options")
                                                          ? j["options"]
                                                          : j);
  if (options.ok() && !options->Validate().ok()) std::abort();  // loaded = valid
}

void Scorer(std::string_view bytes) {
  auto scorer = techmatch::LoadScorer("linear", bytes);
  (void)scorer;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view payload(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0] % 5) {
    case 0: Lexical(payload); break;
    case 1: Dense(payload); break;
    case 2: Embedder(payload); break;
    case 3: Options(payload); break;
    default: Scorer(payload); break;
  }
  return 0;
}

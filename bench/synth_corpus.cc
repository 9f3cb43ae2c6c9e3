// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "synth_corpus.h"

#include <map>
#include <random>
#include <string>
#include <string_view>

namespace techmatch::bench {
namespace {

// Splits after "。", "；", "！", "？" and ". " (abstracts mix both styles).
std::vector<std::string> Sentences(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  auto cut = [&](size_t end) {
    if (end > start + 6) out.push_back(text.substr(start, end - start));
    start = end;
  };
  for (size_t i = 0; i < text.size();) {
    std::string_view rest(text.data() + i, text.size() - i);
    size_t len = 0;
    for (std::string_view mark : {"。", "；", "！", "？"}) {
      if (rest.substr(0, mark.size()) == mark) len = mark.size();
    }
    if (len == 0 && rest.size() >= 2 && rest[0] == '.' && rest[1] == ' ') len = 2;
    if (len > 0) {
      cut(i + len);
      i += len;
    } else {
      ++i;
    }
  }
  cut(text.size());
  return out;
}

}  // namespace

std::vector<Record> SynthesizeCorpus(const std::vector<Record>& real, size_t n,
                                     uint64_t seed) {
  std::vector<Record> out(real.begin(),
                          real.begin() + long(std::min(n, real.size())));
  if (n <= real.size()) return out;
  std::map<std::string, std::vector<std::string>> pools;  // category -> sentences
  for (const Record& r : real) {
    std::string key = r.categories.empty() ? std::string() : r.categories[0];
    auto& pool = pools[key];
    for (std::string& s : Sentences(r.text)) pool.push_back(std::move(s));
  }
  std::vector<const std::pair<const std::string, std::vector<std::string>>*> keys;
  std::vector<double> weights;
  for (const auto& kv : pools) {
    if (kv.second.size() < 8) continue;
    keys.push_back(&kv);
    weights.push_back(double(kv.second.size()));
  }
  std::mt19937_64 rng(seed);
  std::discrete_distribution<size_t> pick_pool(weights.begin(), weights.end());
  std::uniform_int_distribution<int> pick_len(3, 7);
  out.reserve(n);
  for (size_t i = real.size(); i < n; ++i) {
    const auto& [category, pool] = *keys[pick_pool(rng)];
    Record r;
    r.id = "X" + std::to_string(i);
    if (!category.empty()) r.categories.push_back(category);
    int len = pick_len(rng);
    std::uniform_int_distribution<size_t> pick(0, pool.size() - 1);
    for (int k = 0; k < len; ++k) r.text += pool[pick(rng)];
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace techmatch::bench

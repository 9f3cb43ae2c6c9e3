// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch-demo: indexes the bundled supply and demand records with the
// bundled domain dictionary, answers every demand with its best supplies
// and explains each match, then checks the answers against the
// hand-labelled matches in examples/data/README.md.
//
//   techmatch-demo [DATA_DIR] [K]     (defaults: examples/data, 3)

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "techmatch/techmatch.h"

namespace {

using namespace techmatch;

int Fail(const Status& s) {
  std::fprintf(stderr, "techmatch-demo: %s\n", s.ToString().c_str());
  return 1;
}

/// "fits" column of the README's hand-labelled table: demand id -> ids.
std::map<std::string, std::set<std::string>> ReadIntendedMatches(
    const std::string& readme) {
  std::map<std::string, std::set<std::string>> out;
  std::ifstream in(readme);
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("| D", 0) != 0) continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, '|')) cells.push_back(cell);
    if (cells.size() < 3) continue;
    std::stringstream id(cells[1]), fits(cells[2]);
    std::string demand, s;
    id >> demand;
    while (fits >> s) out[demand].insert(s);
  }
  return out;
}

/// The record's text around a byte span, cut on UTF-8 boundaries.
std::string Snippet(const std::string& text, uint32_t begin, uint32_t end) {
  auto back = [&](size_t p, size_t n) {
    while (n > 0 && p > 0) {
      --p;
      if ((text[p] & 0xC0) != 0x80) --n;
    }
    return p;
  };
  auto fwd = [&](size_t p, size_t n) {
    while (n > 0 && p < text.size()) {
      ++p;
      while (p < text.size() && (text[p] & 0xC0) == 0x80) ++p;
      --n;
    }
    return p;
  };
  const size_t a = back(begin, 8), b = fwd(end, 8);
  return (a > 0 ? "…" : "") + text.substr(a, begin - a) + "【" +
         text.substr(begin, end - begin) + "】" + text.substr(end, b - end) +
         (b < text.size() ? "…" : "");
}

void PrintMatch(const Engine& engine, const Match& m, bool intended) {
  auto rec = engine.Get(m.key);
  if (!rec.ok()) return;
  std::printf("  %zu. %s %s  score %.3f%s\n", m.rank, m.key.id.c_str(),
              rec->title.c_str(), m.score, intended ? "  ✓ hand-labelled fit" : "");
  // The three largest contributions.
  std::vector<FeatureContribution> f = m.explanation.features;
  std::sort(f.begin(), f.end(), [](const auto& a, const auto& b) {
    return std::abs(a.contribution) > std::abs(b.contribution);
  });
  std::printf("     why:");
  for (size_t i = 0; i < f.size() && i < 4; ++i) {
    if (f[i].contribution == 0) break;
    std::printf(" %s %.2f×%.2f=%+.3f;", FeatureName(f[i].feature), f[i].value,
                f[i].weight, f[i].contribution);
  }
  std::printf(" found by %s\n", m.explanation.found_by.c_str());
  std::string words;
  const MatchedTerm* shown = nullptr;
  std::set<std::string> seen;
  for (const auto& t : m.explanation.matched_terms) {
    if (t.kind == TermKind::kUnigram) continue;  // words and bigrams read better
    if (!seen.insert(t.text).second) continue;   // a word and its bigram
    if (seen.size() > 6) break;
    words += (words.empty() ? "" : " ") + t.text;
    if (shown == nullptr) {
      for (const auto& s : t.record_spans) {
        if (s.field == TextField::kText) shown = &t;
      }
    }
  }
  if (!words.empty()) std::printf("     shared terms: %s\n", words.c_str());
  if (shown != nullptr) {
    for (const auto& s : shown->record_spans) {
      if (s.field != TextField::kText) continue;
      std::printf("     in its text: %s\n", Snippet(rec->text, s.begin, s.end).c_str());
      break;
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  const std::string dir = argc > 1 ? argv[1] : "examples/data";
  const size_t k = argc > 2 ? size_t(std::max(1, std::atoi(argv[2]))) : 3;

  auto supply = ReadRecordsJsonlFile(dir + "/supply.jsonl");
  if (!supply.ok()) return Fail(supply.status());
  JsonlReadOptions demand_opt;
  demand_opt.default_kind = RecordKind::kDemand;
  auto demand = ReadRecordsJsonlFile(dir + "/demand.jsonl", demand_opt);
  if (!demand.ok()) return Fail(demand.status());

  EngineOptions options;
  options.analyzer.dictionary_file = dir + "/tech_terms.txt";
  options.embedder.dim = 64;  // a few hundred records: a small space
  auto opened = Engine::Open(options);
  if (!opened.ok()) return Fail(opened.status());
  Engine& engine = **opened;
  const auto t0 = std::chrono::steady_clock::now();
  Status s = engine.Add(*supply);
  if (s.ok()) s = engine.Add(*demand);
  if (s.ok()) s = engine.Build();
  if (!s.ok()) return Fail(s);
  const double build_ms = std::chrono::duration<double, std::milli>(
                              std::chrono::steady_clock::now() - t0)
                              .count();
  const EngineStats st = engine.stats();
  std::printf("techmatch %s demo: %zu supplies and %zu demands indexed in %.0f ms "
              "(%zu index terms, %s %zu-d, %s)\n\n",
              version(), st.supplies, st.demands, build_ms, st.lexical_terms,
              st.embedder.c_str(), st.embedding_dim, st.dense_index.c_str());

  const auto intended = ReadIntendedMatches(dir + "/README.md");
  size_t hits = 0, labelled = 0;
  for (const Record& d : *demand) {
    MatchOptions mo;
    mo.k = k;
    auto r = engine.Match(d, mo);
    if (!r.ok()) return Fail(r.status());
    std::printf("%s %s  [%s, TRL ≥ %d, budget %s]\n", d.id.c_str(), d.title.c_str(),
                d.region.c_str(), d.maturity.value_or(0),
                d.price ? (std::to_string(int64_t(*d.price / 10000)) + "万").c_str()
                        : "面议");
    if (!r->category.empty()) {
      std::printf("  category %s%s\n", r->category.c_str(),
                  r->category_inferred ? " (inferred from its best candidates)" : "");
    }
    std::printf("  confidence %.2f%s\n", r->confidence,
                r->needs_follow_up ? " ⚠ needs follow-up: no strong candidate" : "");
    const auto it = intended.find(d.id);
    for (const Match& m : r->matches) {
      const bool fit = it != intended.end() && it->second.count(m.key.id) > 0;
      hits += fit;
      PrintMatch(engine, m, fit);
    }
    if (it != intended.end()) labelled += std::min(k, it->second.size());
    std::printf("\n");
  }
  if (labelled > 0) {
    std::printf("hand-labelled fits among the top %zu: %zu of %zu possible (%.0f%%)\n",
                k, hits, labelled, 100.0 * double(hits) / double(labelled));
  }

  // Coverage: a need nothing in the catalogue answers is flagged, with its
  // best (weak) candidates still listed.
  const char* odd = "寻求高原牦牛乳冻干粉加工与区块链溯源合作";
  MatchOptions few;
  few.k = 2;
  few.explain = false;
  auto weak = engine.MatchText(odd, few);
  if (!weak.ok()) return Fail(weak.status());
  std::printf("\nfree text \"%s\": confidence %.2f%s; best:", odd,
              weak->confidence, weak->needs_follow_up ? " → needs follow-up" : "");
  for (const Match& m : weak->matches) std::printf(" %s", m.key.id.c_str());
  std::printf("\n");

  // The other direction: which enterprises need the first supply?
  MatchOptions reverse;
  reverse.k = 2;
  reverse.explain = false;
  auto back = engine.Match((*supply)[7], reverse);
  if (!back.ok()) return Fail(back.status());
  std::printf("\nsupply %s %s is needed by:", (*supply)[7].id.c_str(),
              (*supply)[7].title.c_str());
  for (const Match& m : back->matches) {
    std::printf(" %s (%.3f)", m.key.id.c_str(), m.score);
  }
  std::printf("\n");
  return 0;
}

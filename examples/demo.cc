// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch-demo: reads the bundled supply and demand records, analyzes them
// with the bundled domain dictionary and prints what the engine will index.
//
//   techmatch-demo [DATA_DIR]     (default: examples/data)

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "techmatch/techmatch.h"

namespace {

int Fail(const techmatch::Status& s) {
  std::fprintf(stderr, "techmatch-demo: %s\n", s.ToString().c_str());
  return 1;
}

std::string Join(const std::vector<std::string>& v, const char* sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace techmatch;
  const std::string dir = argc > 1 ? argv[1] : "examples/data";

  ReadReport supply_report, demand_report;
  auto supply = ReadRecordsJsonlFile(dir + "/supply.jsonl", {}, &supply_report);
  if (!supply.ok()) return Fail(supply.status());
  JsonlReadOptions demand_opt;
  demand_opt.default_kind = RecordKind::kDemand;
  auto demand = ReadRecordsJsonlFile(dir + "/demand.jsonl", demand_opt, &demand_report);
  if (!demand.ok()) return Fail(demand.status());

  AnalyzerOptions opt;
  opt.dictionary_file = dir + "/tech_terms.txt";
  auto analyzer = Analyzer::Create(opt);
  if (!analyzer.ok()) return Fail(analyzer.status());

  std::printf("techmatch %s demo: %zu supply and %zu demand records, "
              "%zu dictionary terms\n\n",
              version(), supply->size(), demand->size(),
              (*analyzer)->dictionary_size());

  // Analyze every record (title + text), count terms by kind.
  std::map<TermKind, size_t> kinds;
  size_t bytes = 0;
  std::vector<Term> terms;
  for (const auto* side : {&*supply, &*demand}) {
    for (const Record& r : *side) {
      std::string text = r.title + "\n" + r.text;
      Status s = (*analyzer)->Analyze(text, &terms);
      if (!s.ok()) return Fail(s.WithContext("record " + r.id));
      for (const Term& t : terms) ++kinds[t.kind];
      bytes += text.size();
    }
  }
  std::printf("analyzed %zu bytes: %zu words, %zu unigrams, %zu bigrams\n\n",
              bytes, kinds[TermKind::kWord], kinds[TermKind::kUnigram],
              kinds[TermKind::kBigram]);

  // Show the demands the way the engine sees them: segmented words, with
  // the domain terms the user dictionary kept whole marked by [brackets].
  std::printf("demands, as segmented (dictionary terms in [brackets]):\n");
  for (const Record& r : *demand) {
    auto tokens = (*analyzer)->Segment(r.title);
    if (!tokens.ok()) return Fail(tokens.status().WithContext("record " + r.id));
    std::vector<std::string> words;
    for (const Token& t : *tokens) {
      if (t.type == TokenType::kPunct) continue;
      std::string w = r.title.substr(t.begin, t.end - t.begin);
      words.push_back(t.from_dictionary ? "[" + w + "]" : w);
    }
    std::printf("  %-5s %s  (%s, TRL>=%s)\n        %s\n", r.id.c_str(),
                r.title.c_str(), r.region.c_str(),
                r.maturity ? std::to_string(*r.maturity).c_str() : "any",
                Join(words, " | ").c_str());
  }

  // One supply record in full: every term with its offsets.
  if (!supply->empty()) {
    const Record& r = supply->front();
    std::printf("\nsupply %s \"%s\": terms with byte offsets in the title\n  ",
                r.id.c_str(), r.title.c_str());
    auto t = (*analyzer)->Analyze(r.title);
    if (!t.ok()) return Fail(t.status());
    for (const Term& term : *t) {
      std::printf("%s:%s@%u-%u ", TermKindName(term.kind), term.text.c_str(),
                  term.begin, term.end);
    }
    std::printf("\n");
  }
  // The dense stage: an LSA embedder fitted on the supply side, then every
  // demand's nearest supplies (cosine), restricted to supplies that meet
  // the demand's minimum maturity.
  DenseRetrieverOptions dopt;
  dopt.embedder.dim = 64;  // small corpus: the rank stays well below its size
  auto dense = DenseRetriever::Create(
      dopt, std::shared_ptr<const Analyzer>(std::move(*analyzer)));
  if (!dense.ok()) return Fail(dense.status());
  Status s = (*dense)->Fit(*supply);
  if (s.ok()) s = (*dense)->Add(*supply);
  if (s.ok()) s = (*dense)->Build();
  if (!s.ok()) return Fail(s);
  std::printf("\ndense matches (LSA, %zu-d, index %s), supplies with TRL >= the "
              "demand's minimum:\n",
              (*dense)->embedder().dim(), (*dense)->index().description().c_str());
  for (const Record& r : *demand) {
    RecordFilter filter;
    filter.kind = RecordKind::kSupply;
    filter.min_maturity = r.maturity;
    auto hits = (*dense)->SearchRecord(r, 3, &filter);
    if (!hits.ok()) return Fail(hits.status().WithContext("demand " + r.id));
    std::printf("  %-5s %s\n", r.id.c_str(), r.title.c_str());
    for (const DenseMatch& m : *hits) {
      const Record* sup = nullptr;
      for (const Record& c : *supply) {
        if (c.id == m.key.id) sup = &c;
      }
      std::printf("        %.3f  %-6s %s (TRL %d)\n", m.score, m.key.id.c_str(),
                  sup ? sup->title.c_str() : "?",
                  sup && sup->maturity ? *sup->maturity : 0);
    }
  }
  std::printf("\nLexical retrieval, the scorer and explanations arrive with "
              "the engine; see README.md.\n");
  return 0;
}

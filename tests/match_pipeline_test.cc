// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Tests for the match pipeline's stages, each alone: query analysis
// (src/engine/match_query.h), candidates (candidates.h), fusion
// (fusion.h), ranking (rerank.h), explanations and confidence (explain.h).

#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "analysis/synonym_matcher.h"
#include "engine/candidates.h"
#include "engine/explain.h"
#include "engine/fusion.h"
#include "engine/match_query.h"
#include "engine/rerank.h"
#include "techmatch/analyzer.h"
#include "techmatch/dense_index.h"
#include "techmatch/synonyms.h"

namespace techmatch::internal {
namespace {


Candidate Cand(uint32_t doc, float lexical, float dense, int lrank, int drank) {
  Candidate c;
  c.doc = doc;
  c.lexical = lexical;
  c.dense = dense;
  c.lexical_rank = lrank;
  c.dense_rank = drank;
  c.by_lexical = lrank >= 0;
  c.by_dense = drank >= 0;
  return c;
}

std::shared_ptr<const Analyzer> MakeAnalyzer() {
  auto a = Analyzer::Create();
  REQUIRE(a.ok());
  return std::shared_ptr<const Analyzer>(std::move(*a));
}

TEST_CASE("fusion: score blend, ties by doc, depth", "[fusion]") {
  std::vector<Candidate> c = {Cand(7, 10, 0.0f, 0, -1), Cand(3, 5, 0.9f, 1, 0),
                              Cand(5, 0, 0.5f, -1, 1), Cand(2, 5, 0.9f, 2, 2)};
  FusionOptions o;
  o.dense_weight = 0.5;
  auto order = Fuse(o, 10, &c);
  CHECK(c[0].fused == Approx(1.0));
  CHECK(c[1].fused == Approx(0.5 + 0.45));
  CHECK(c[2].fused == Approx(0.25));
  // Docs 3 and 2 tie: the smaller doc first.
  REQUIRE(order.size() == 4);
  CHECK(c[order[0]].doc == 7);
  CHECK(c[order[1]].doc == 2);
  CHECK(c[order[2]].doc == 3);
  CHECK(c[order[3]].doc == 5);
  CHECK(Fuse(o, 2, &c).size() == 2);
}

TEST_CASE("fusion: reciprocal rank fusion sums over the lists", "[fusion]") {
  std::vector<Candidate> c = {Cand(1, 10, 0, 0, -1), Cand(2, 1, 0.9f, 1, 0)};
  FusionOptions o;
  o.method = FusionMethod::kRrf;
  o.rrf_k = 60;
  auto order = Fuse(o, 10, &c);
  CHECK(c[0].fused == Approx(1.0 / 61));
  CHECK(c[1].fused == Approx(1.0 / 62 + 1.0 / 61));
  CHECK(c[order[0]].doc == 2);
}

TEST_CASE("fusion: no lexical score at all", "[fusion]") {
  std::vector<Candidate> c = {Cand(1, 0, 0.2f, -1, 1), Cand(2, 0, 0.4f, -1, 0)};
  auto order = Fuse(FusionOptions{}, 10, &c);
  CHECK(c[order[0]].doc == 2);
  CHECK(std::isfinite(c[0].fused));
}

TEST_CASE("rerank: by score, ties in fusion order, best k", "[rerank]") {
  std::vector<Candidate> c = {Cand(1, 0, 0, -1, -1), Cand(2, 0, 0, -1, -1),
                              Cand(3, 0, 0, -1, -1)};
  c[0].score = 1;
  c[1].score = 2;
  c[2].score = 2;
  c[1].fused = 0.1;
  c[2].fused = 0.9;
  std::vector<size_t> order = {0, 1, 2};
  RankByScore(c, 2, &order);
  REQUIRE(order.size() == 2);
  CHECK(order[0] == 2);
  CHECK(order[1] == 1);
}

TEST_CASE("match query: a record analyzed once, field-weighted", "[match_query]") {
  auto analyzer = MakeAnalyzer();
  Record r;
  r.kind = RecordKind::kDemand;
  r.id = "D";
  r.title = "钒电池";
  r.keywords = {"电解液", ""};
  r.text = "钒电池电解液低成本制备";
  FieldWeights w;
  w.title = 2;
  w.keywords = 3;
  w.text = 1;
  QueryView q;
  REQUIRE(AnalyzeQuery(*analyzer, w, &r, {}, &q).ok());
  CHECK(q.fields.keywords.size() == 2);
  CHECK(q.fields.keywords[1].empty());
  CHECK(std::is_sorted(q.keys.begin(), q.keys.end()));
  CHECK(q.keys.size() == q.terms.terms.size());
  // A term's count is the sum of its field weights: the bigram 钒电 is in
  // the title (2) and the text (1).
  const uint64_t key = TermKey(TermKind::kBigram, "钒电");
  float count = 0;
  for (const auto& [k, v] : q.terms.terms) {
    if (k == key) count = v;
  }
  CHECK(count == Approx(3.0));
  // A free text weighs 1, whatever the field weights.
  QueryView t;
  REQUIRE(AnalyzeQuery(*analyzer, w, nullptr, "钒电池", &t).ok());
  for (const auto& [k, v] : t.terms.terms) CHECK(v == Approx(1.0));
  CHECK(t.fields.title.empty());
  CHECK(!t.fields.text.empty());
}

TEST_CASE("match query: synonyms keep, for the embedding, the phrases' terms the query lacks",
          "[match_query]") {
  auto analyzer = MakeAnalyzer();
  auto list = ParseSynonyms("5G, 第五代移动通信, 第五代移动通信技术\n涤纶 => 聚酯纤维\n", "s.txt");
  REQUIRE(list.ok());
  auto matcher = SynonymMatcher::Compile(*list, *analyzer);
  REQUIRE(matcher.ok());
  const QuerySynonyms syn{matcher->get(), 0.5f};
  auto texts = [](const QueryView::SynonymPhrase& p) {
    std::vector<std::string> out;
    for (const Term& t : p.terms) out.push_back(t.text);
    return out;
  };
  auto own = [](const QueryView& q, const Term& t) {
    return std::binary_search(q.keys.begin(), q.keys.end(), TermKey(t.kind, t.text));
  };
  QueryView q;
  REQUIRE(AnalyzeQuery(*analyzer, FieldWeights{}, nullptr, "第五代移动通信", &q, syn).ok());
  // Two phrases add terms: 5G, and the longer phrase's 技术 part.
  REQUIRE(q.synonym_phrases.size() == 2);
  bool five_g = false;
  for (const auto& p : q.synonym_phrases) {
    CHECK(p.weight == 0.5f);
    CHECK(p.field == TextField::kText);
    REQUIRE(!p.terms.empty());
    for (const Term& t : p.terms) CHECK(!own(q, t));  // none of the query's own
    five_g = five_g || texts(p) == std::vector<std::string>{"5g"};
  }
  CHECK(five_g);

  // The longest phrase is found whole: only 5G adds a term.
  REQUIRE(AnalyzeQuery(*analyzer, FieldWeights{}, nullptr, "第五代移动通信技术", &q, syn).ok());
  REQUIRE(q.synonym_phrases.size() == 1);
  CHECK(texts(q.synonym_phrases[0]) == std::vector<std::string>{"5g"});

  // A record's phrase keeps the field it was found in.
  Record r;
  r.kind = RecordKind::kDemand;
  r.id = "D";
  r.title = "涤纶";
  r.text = "回收";
  REQUIRE(AnalyzeQuery(*analyzer, FieldWeights{}, &r, {}, &q, syn).ok());
  REQUIRE(q.synonym_phrases.size() == 1);
  CHECK(q.synonym_phrases[0].field == TextField::kTitle);
  // None without synonyms, or at weight 0.
  REQUIRE(AnalyzeQuery(*analyzer, FieldWeights{}, &r, {}, &q).ok());
  CHECK(q.synonym_phrases.empty());
  REQUIRE(AnalyzeQuery(*analyzer, FieldWeights{}, &r, {}, &q, QuerySynonyms{matcher->get(), 0})
              .ok());
  CHECK(q.synonym_phrases.empty());
}

TEST_CASE("match query: a caller's vector is checked and normalized",
          "[match_query]") {
  auto analyzer = MakeAnalyzer();
  EmbedderOptions eo;
  eo.kind = EmbedderKind::kExternal;
  eo.dim = 3;
  auto embedder = CreateEmbedder(eo, analyzer);
  REQUIRE(embedder.ok());
  QueryView q;
  const float v[3] = {3, 0, 4};
  REQUIRE(EmbedQuery(**embedder, VectorView{v, 1, 3}, &q).ok());
  REQUIRE(q.vector.size() == 3);
  CHECK(q.vector[0] == Approx(0.6));
  CHECK(q.vector[2] == Approx(0.8));
  const float bad[3] = {1, NAN, 0};
  CHECK(EmbedQuery(**embedder, VectorView{bad, 1, 3}, &q).code() ==
        StatusCode::kInvalidArgument);
  CHECK(EmbedQuery(**embedder, VectorView{v, 1, 2}, &q).code() ==
        StatusCode::kInvalidArgument);
  const float zero[3] = {0, 0, 0};
  CHECK(EmbedQuery(**embedder, VectorView{zero, 1, 3}, &q).code() ==
        StatusCode::kInvalidArgument);
  // No vector, and an embedder that cannot embed terms: none.
  REQUIRE(EmbedQuery(**embedder, VectorView{}, &q).ok());
  CHECK(q.vector.empty());
}

TEST_CASE("candidates: lexical then dense, merged by doc", "[candidates]") {
  auto analyzer = MakeAnalyzer();
  LexicalIndex lexical{LexicalOptions{}};
  const char* texts[] = {"钒电池电解液", "锂电池隔膜", "钒电池储能系统"};
  for (uint32_t d = 0; d < 3; ++d) {
    DocTerms t;
    REQUIRE(AnalyzeText(*analyzer, texts[d], &t).ok());
    REQUIRE(lexical.Add(d, t).ok());
  }
  DenseIndexOptions dopt;
  dopt.dim = 2;
  dopt.spec = "Flat";
  auto dense = DenseIndex::Create(dopt);
  REQUIRE(dense.ok());
  const float vecs[] = {1, 0, 0, 1, 0.6f, 0.8f};
  REQUIRE((*dense)->Add({0, 1, 2}, VectorView{vecs, 3, 2}).ok());
  REQUIRE((*dense)->Build().ok());

  QueryView q;
  REQUIRE(AnalyzeQuery(*analyzer, FieldWeights{}, nullptr, "钒电池", &q).ok());
  q.vector = {0, 1};
  CandidateList list;
  AddLexicalCandidates(lexical, q, 10, nullptr, &list);
  REQUIRE(list.items.size() == 3);  // 电池 is shared by all three
  for (const Candidate& c : list.items) CHECK(c.by_lexical);
  DenseSearchOptions so;
  so.k = 1;
  REQUIRE(AddDenseCandidates(**dense, lexical, q, so, &list).ok());
  REQUIRE(list.items.size() == 3);  // doc 1 was there already: merged
  const Candidate& one = list.items[list.where.at(1)];
  CHECK(one.by_dense);
  CHECK(one.by_lexical);
  CHECK(one.dense_rank == 0);
  CHECK(one.dense == Approx(1.0));

  SECTION("a filter keeps docs out of the lexical list") {
    CandidateList only;
    std::function<bool(uint32_t)> allow = [](uint32_t d) { return d != 0; };
    AddLexicalCandidates(lexical, q, 10, &allow, &only);
    for (const Candidate& c : only.items) CHECK(c.doc != 0);
  }
  SECTION("a candidate only the dense stage found gets its BM25 score") {
    CandidateList dense_only;
    QueryView q2 = q;
    so.k = 3;
    REQUIRE(AddDenseCandidates(**dense, lexical, q2, so, &dense_only).ok());
    REQUIRE(dense_only.items.size() == 3);
    for (const Candidate& c : dense_only.items) {
      CHECK(!c.by_lexical);
      CHECK(c.lexical == Approx(lexical.Score(q.lexical, c.doc)));
    }
  }
  SECTION("vectors are attached and lexical-only candidates get a cosine") {
    std::vector<DocInfo> docs(3);
    for (auto& d : docs) d.has_vector = true;
    docs[2].has_vector = false;
    std::vector<float> storage;
    CandidateList lex_only;
    AddLexicalCandidates(lexical, q, 10, nullptr, &lex_only);
    AttachVectors(dense->get(), docs, q.vector, &lex_only, &storage);
    for (const Candidate& c : lex_only.items) {
      if (c.doc == 2) {
        CHECK(c.vector == nullptr);
        CHECK(c.dense == 0);
      } else {
        REQUIRE(c.vector != nullptr);
        CHECK(c.dense == Approx(c.doc == 1 ? 1.0 : 0.0).margin(1e-6));
      }
    }
  }
}

TEST_CASE("explain: matched terms with spans in both texts", "[explain]") {
  auto analyzer = MakeAnalyzer();
  Record rec;
  rec.kind = RecordKind::kSupply;
  rec.id = "S";
  rec.title = "钒电池";
  rec.keywords = {"储能", "钒电池"};
  rec.text = "全钒液流电池";
  AnalyzedRecord rf;
  REQUIRE(AnalyzeFields(*analyzer, rec, &rf).ok());
  AnalyzedRecord qf;
  REQUIRE(analyzer->Analyze("钒电池储能", &qf.text).ok());
  const uint64_t battery = TermKey(TermKind::kBigram, "电池");
  const uint64_t storage = TermKey(TermKind::kBigram, "储能");
  std::vector<LexicalTermScore> scores = {{storage, 1, 1, 0.5f}, {battery, 1, 1, 2.0f}};

  auto terms = MatchedTerms(scores, 10, qf, rf);
  REQUIRE(terms.size() == 2);
  CHECK(terms[0].text == "电池");  // largest contribution first
  CHECK(terms[0].kind == TermKind::kBigram);
  CHECK(terms[0].contribution == Approx(2.0));
  REQUIRE(terms[0].query_spans.size() == 1);
  CHECK(terms[0].query_spans[0].field == TextField::kText);
  // In the record: title, second keyword, text — in field order.
  REQUIRE(terms[0].record_spans.size() == 3);
  CHECK(terms[0].record_spans[0].field == TextField::kTitle);
  CHECK(terms[0].record_spans[1].field == TextField::kKeywords);
  CHECK(terms[0].record_spans[1].index == 1);
  CHECK(terms[0].record_spans[2].field == TextField::kText);
  for (const TextSpan& s : terms[0].record_spans) {
    const std::string& f = s.field == TextField::kTitle      ? rec.title
                           : s.field == TextField::kKeywords ? rec.keywords[s.index]
                                                             : rec.text;
    CHECK(f.substr(s.begin, s.end - s.begin) == "电池");
  }
  CHECK(MatchedTerms(scores, 1, qf, rf).size() == 1);
  CHECK(MatchedTerms({}, 10, qf, rf).empty());
}

TEST_CASE("explain: features and their contributions", "[explain]") {
  Candidate c = Cand(1, 5, 0.5f, 0, 2);
  for (size_t i = 0; i < kNumFeatures; ++i) c.features[i] = 0.5;
  ScorerWeights w = ScorerWeights::Defaults();
  w.bias = 0.1;
  LinearScorer s(w);
  Explanation e;
  ExplainFeatures(s, c, &e);
  CHECK(e.found_by == "both");
  CHECK(e.bias == Approx(0.1));
  REQUIRE(e.features.size() == kNumFeatures);
  double sum = e.bias;
  for (const auto& f : e.features) {
    CHECK(f.contribution == Approx(f.weight * f.value));
    sum += f.contribution;
  }
  CHECK(sum == Approx(s.Score(c.features)));
  c.by_dense = false;
  ExplainFeatures(s, c, &e);
  CHECK(e.found_by == "lexical");
  CHECK(e.features.size() == kNumFeatures);  // replaced, not appended
}

TEST_CASE("explain: coverage_cosine confidence = half coverage of words and bigrams, half cosine",
          "[explain]") {
  DocTerms q;
  q.terms = {{TermKey(TermKind::kWord, "钒电池"), 1},
             {TermKey(TermKind::kBigram, "电池"), 1},
             {TermKey(TermKind::kUnigram, "钒"), 1}};
  std::sort(q.terms.begin(), q.terms.end());
  std::vector<LexicalTermScore> best = {{TermKey(TermKind::kBigram, "电池"), 1, 1, 1},
                                        {TermKey(TermKind::kUnigram, "钒"), 1, 1, 1}};
  const auto m = ConfidenceMeasure::kCoverageCosine;
  CHECK(MatchConfidence(m, q, best, 0.4f, {}) == Approx(0.5 * 0.5 + 0.5 * 0.4));
  CHECK(MatchConfidence(m, q, best, -0.3f, {}) == Approx(0.25));  // cosine floored at 0
  CHECK(MatchConfidence(m, DocTerms{}, {}, 0.8f, {}) == Approx(0.4));
}

TEST_CASE("explain: key_terms confidence = geometric mean of both sides' coverage, no cosine",
          "[explain]") {
  const uint64_t vanadium_battery = TermKey(TermKind::kWord, "钒电池");
  const uint64_t battery = TermKey(TermKind::kBigram, "电池");
  const uint64_t vanadium = TermKey(TermKind::kUnigram, "钒");
  const uint64_t electrolyte = TermKey(TermKind::kWord, "电解液");
  const uint64_t flow = TermKey(TermKind::kWord, "液流");
  DocTerms q;
  q.terms = {{vanadium_battery, 1}, {battery, 1}, {vanadium, 1}, {electrolyte, 1}};
  std::sort(q.terms.begin(), q.terms.end());
  // The best match holds 2 of the query's 3 words and bigrams.
  std::vector<LexicalTermScore> best = {{battery, 1, 1, 1}, {electrolyte, 1, 1, 1},
                                        {vanadium, 1, 1, 1}};
  const auto m = ConfidenceMeasure::kKeyTermCoverage;
  // Its key terms: 电池, 电解液, 液流 (and a unigram, not counted): the
  // query holds 2 of 3.
  std::vector<uint64_t> keys =
      KeyTerms({battery, flow, vanadium}, {{electrolyte}, {battery}});
  REQUIRE(keys.size() == 4);
  CHECK(std::is_sorted(keys.begin(), keys.end()));
  CHECK(MatchConfidence(m, q, best, 0.9f, keys) == Approx(std::sqrt(2.0 / 3 * 2.0 / 3)));
  // The cosine plays no part (it moves with the embedding dimension).
  CHECK(MatchConfidence(m, q, best, 0.1f, keys) == MatchConfidence(m, q, best, 0.9f, keys));
  // No title or keyword terms: the query side alone.
  CHECK(MatchConfidence(m, q, best, 0.9f, {}) == Approx(2.0 / 3));
  CHECK(MatchConfidence(m, q, best, 0.9f, {vanadium}) == Approx(2.0 / 3));
  // A synonym-added term (电解液, brought in by 电解质) counts where the best
  // match holds it: the query side is the larger of 1 of its 2 own terms
  // and 2 of all 3; the best match's 电解液 is held by the query.
  const std::vector<std::pair<uint64_t, std::string>> syn = {{electrolyte, "电解质"}};
  CHECK(MatchConfidence(m, q, best, 0.9f, keys, syn) == Approx(std::sqrt(2.0 / 3 * 2.0 / 3)));
  // ... and never lowers it where the best match lacks it.
  const std::vector<LexicalTermScore> no_added = {{battery, 1, 1, 1}, {vanadium, 1, 1, 1}};
  CHECK(MatchConfidence(m, q, no_added, 0.9f, {}, syn) == Approx(1.0 / 2));
  // The former measure counts the query's own terms only.
  CHECK(MatchConfidence(ConfidenceMeasure::kCoverageCosine, q, best, 0.4f, keys, syn) ==
        Approx(0.5 * 1.0 / 2 + 0.5 * 0.4));
  // Nothing shared: 0.
  CHECK(MatchConfidence(m, q, {}, 0.9f, keys) == 0.0);
}

}  // namespace
}  // namespace techmatch::internal

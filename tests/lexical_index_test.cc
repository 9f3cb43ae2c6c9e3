// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Tests for src/lexical/lexical_index.h (BM25 + MaxScore) and LexicalOptions.

#include "lexical/lexical_index.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <functional>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analysis/doc_terms.h"
#include "techmatch/analyzer.h"
#include "techmatch/engine_options.h"
#include "techmatch/record_io.h"
#include "test_util.h"

namespace techmatch::internal {
namespace {

using Catch::Matchers::Contains;

// ---------------------------------------------------------------- helpers

uint64_t W(const std::string& s) { return TermKey(TermKind::kWord, s); }
uint64_t U(const std::string& s) { return TermKey(TermKind::kUnigram, s); }
uint64_t B(const std::string& s) { return TermKey(TermKind::kBigram, s); }

/// Collapses (key, count) pairs into a DocTerms (sorted, distinct, summed).
DocTerms Terms(std::vector<std::pair<uint64_t, float>> v) {
  std::sort(v.begin(), v.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  DocTerms d;
  for (const auto& [key, count] : v) {
    if (!d.terms.empty() && d.terms.back().first == key) {
      d.terms.back().second += count;
    } else {
      d.terms.emplace_back(key, count);
    }
  }
  return d;
}

bool Better(const LexicalHit& a, const LexicalHit& b) {
  return a.score != b.score ? a.score > b.score : a.doc < b.doc;
}

bool Close(double a, double b, double rel = 1e-5) {
  return std::fabs(a - b) <= rel * std::max(std::fabs(a), std::fabs(b)) + 1e-12;
}

std::string Saved(const LexicalIndex& index) {
  std::string s;
  index.Save(&s);
  return s;
}

// ---------------------------------------------------------------- model

/// An exhaustive, double-precision BM25 over the documents as the test
/// added them: the specification the index is checked against.
class Model {
 public:
  explicit Model(const LexicalOptions& o) : o_(o) {}

  void Add(uint32_t doc, const DocTerms& t) {
    docs_[doc] = t;
    live_.insert(doc);
    indexed_.insert(doc);
    dirty_ = true;
  }
  void Remove(uint32_t doc) {
    live_.erase(doc);
    const double deleted = double(indexed_.size() - live_.size());
    if (deleted > o_.max_deleted_ratio * double(indexed_.size())) Compact();
    dirty_ = true;
  }
  void Compact() {
    indexed_ = live_;
    dirty_ = true;
  }
  const std::set<uint32_t>& live() const { return live_; }
  size_t num_indexed() const { return indexed_.size(); }

  double KindWeight(uint64_t key) const {
    switch (TermKeyKind(key)) {
      case TermKind::kWord:
        return o_.word_weight;
      case TermKind::kUnigram:
        return o_.unigram_weight;
      case TermKind::kBigram:
        return o_.bigram_weight;
    }
    return 0;
  }

  /// Exhaustive term-at-a-time scores of every live document matching a
  /// query term (unsorted).
  std::unordered_map<uint32_t, double> ScoreAll(
      const std::vector<LexicalQueryTerm>& q) {
    Rebuild();
    std::map<uint64_t, double> merged;
    for (const auto& t : q) merged[t.key] += t.weight;
    const double n = double(indexed_.size());
    const double avg = n > 0 ? total_len_ / n : 0;
    std::unordered_map<uint32_t, double> acc;
    for (const auto& [key, weight] : merged) {
      if (!(weight > 0) || !(KindWeight(key) > 0)) continue;
      auto it = inverted_.find(key);
      if (it == inverted_.end()) continue;
      const double df = double(it->second.size());
      const double idf = std::log(1 + (n - df + 0.5) / (df + 0.5));
      for (const auto& [doc, tf] : it->second) {
        if (!live_.count(doc)) continue;
        const double len = len_.at(doc);
        const double k =
            o_.k1 * (1 - o_.b + (avg > 0 ? o_.b * len / avg : 0.0));
        acc[doc] +=
            KindWeight(key) * weight * idf * tf * (o_.k1 + 1) / (tf + k);
      }
    }
    return acc;
  }

 private:
  void Rebuild() {
    if (!dirty_) return;
    inverted_.clear();
    len_.clear();
    total_len_ = 0;
    for (uint32_t doc : indexed_) {
      double len = 0;
      for (const auto& [key, count] : docs_.at(doc).terms) {
        inverted_[key].emplace_back(doc, count);
        len += count;
      }
      len_[doc] = len;
      total_len_ += len;
    }
    dirty_ = false;
  }

  LexicalOptions o_;
  std::map<uint32_t, DocTerms> docs_;
  std::set<uint32_t> live_, indexed_;
  bool dirty_ = true;
  std::unordered_map<uint64_t, std::vector<std::pair<uint32_t, double>>>
      inverted_;
  std::unordered_map<uint32_t, double> len_;
  double total_len_ = 0;
};

/// A Zipf-distributed vocabulary of words, unigrams and bigrams.
struct Vocab {
  std::vector<uint64_t> keys;
  std::discrete_distribution<size_t> zipf;

  Vocab(size_t n, double s) {
    std::vector<double> w(n);
    for (size_t i = 0; i < n; ++i) {
      keys.push_back(TermKey(TermKind(i % 3), "t" + std::to_string(i)));
      w[i] = 1.0 / std::pow(double(i + 1), s);
    }
    zipf = std::discrete_distribution<size_t>(w.begin(), w.end());
  }
  uint64_t Draw(std::mt19937_64& rng) { return keys[zipf(rng)]; }
};

/// With `odd`, about one occurrence in 40 weighs 0.5 or 300: tfs that do
/// not fit a byte, which turn their term's tfs into floats.
DocTerms RandomDoc(Vocab& v, std::mt19937_64& rng, bool odd = false) {
  std::vector<std::pair<uint64_t, float>> occ;
  const size_t len = rng() % 16 == 0 ? 0 : 1 + rng() % 60;
  for (size_t i = 0; i < len; ++i) {
    // Mostly body text (1), some title/keyword occurrences (2).
    float weight = rng() % 5 == 0 ? 2.0f : 1.0f;
    if (odd && rng() % 40 == 0) weight = rng() % 2 == 0 ? 0.5f : 300.0f;
    occ.emplace_back(v.Draw(rng), weight);
  }
  return Terms(std::move(occ));
}

std::vector<LexicalQueryTerm> RandomQuery(Vocab& v, std::mt19937_64& rng) {
  std::vector<LexicalQueryTerm> q;
  const size_t n = 1 + rng() % 40;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t key =
        rng() % 25 == 0
            ? TermKey(TermKind::kBigram, "unknown" + std::to_string(rng() % 5))
            : v.Draw(rng);
    const float weight = rng() % 30 == 0 ? 0.0f : float(1 + rng() % 3);
    q.push_back({key, weight});
  }
  return q;
}

/// Checks Search against the exhaustive model (scores within 1e-5, the
/// same ranking up to floating-point near-ties) and against an exhaustive
/// ranking by Score() (bit-identical docs, order and scores), for several k
/// and allow predicates.
void CheckQuery(const LexicalIndex& index, Model& model,
                const std::vector<LexicalQueryTerm>& q) {
  const auto ref = model.ScoreAll(q);
  // Exhaustive with the index's own arithmetic.
  std::vector<LexicalHit> exact;
  for (const auto& [doc, s] : ref) {
    exact.push_back({doc, index.Score(q, doc)});
    REQUIRE(Close(exact.back().score, s));
  }
  std::sort(exact.begin(), exact.end(), Better);
  // Live documents that match nothing score 0.
  size_t unmatched = 0;
  for (uint32_t doc : model.live()) {
    if (ref.count(doc)) continue;
    REQUIRE(index.Score(q, doc) == 0.0f);
    if (++unmatched == 20) break;
  }

  using Allow = std::function<bool(uint32_t)>;
  const std::vector<std::pair<const char*, Allow>> allows = {
      {"all", nullptr},
      {"doc % 3 != 0", [](uint32_t d) { return d % 3 != 0; }},
      {"doc % 23 == 0", [](uint32_t d) { return d % 23 == 0; }}};
  for (const auto& [name, allow] : allows) {
    std::vector<LexicalHit> want;
    std::vector<double> want_ref;
    for (const LexicalHit& h : exact) {
      if (!allow || allow(h.doc)) want.push_back(h);
    }
    for (const auto& [doc, s] : ref) {
      if (!allow || allow(doc)) want_ref.push_back(s);
    }
    std::sort(want_ref.rbegin(), want_ref.rend());
    for (size_t k :
         {size_t(1), size_t(3), size_t(10), size_t(50), size_t(1) << 20}) {
      INFO("allow " << name << ", k " << k << ", " << q.size() << " terms");
      const auto got = index.Search(q, k, allow ? &allow : nullptr);
      const size_t expect = std::min(k, want.size());
      REQUIRE(got.size() == expect);
      for (size_t i = 0; i < expect; ++i) {
        INFO("rank " << i);
        REQUIRE(got[i].doc == want[i].doc);
        REQUIRE(got[i].score == want[i].score);  // bit-identical
        REQUIRE(Close(got[i].score, ref.at(got[i].doc)));
        REQUIRE(Close(got[i].score, want_ref[i]));
        REQUIRE(index.Contains(got[i].doc));
        if (i > 0) REQUIRE(Better(got[i - 1], got[i]));
      }
    }
  }
}

// ---------------------------------------------------------------- options

TEST_CASE("lexical: options are validated, naming the field", "[lexical]") {
  LexicalOptions ok;
  REQUIRE(ok.Validate().ok());
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  struct Case {
    std::function<void(LexicalOptions&)> set;
    const char* message;
  };
  const Case cases[] = {
      {[](LexicalOptions& o) { o.k1 = -1; }, "lexical.k1: must be > 0, got -1"},
      {[](LexicalOptions& o) { o.k1 = 0; }, "lexical.k1: must be > 0, got 0"},
      {[&](LexicalOptions& o) { o.k1 = nan; }, "lexical.k1"},
      {[&](LexicalOptions& o) { o.k1 = inf; }, "lexical.k1"},
      {[](LexicalOptions& o) { o.b = -0.1; },
       "lexical.b: must be in [0, 1], got -0.1"},
      {[](LexicalOptions& o) { o.b = 1.5; }, "lexical.b"},
      {[&](LexicalOptions& o) { o.b = nan; }, "lexical.b"},
      {[](LexicalOptions& o) { o.word_weight = -1; }, "lexical.word_weight"},
      {[&](LexicalOptions& o) { o.unigram_weight = inf; },
       "lexical.unigram_weight"},
      {[&](LexicalOptions& o) { o.bigram_weight = nan; },
       "lexical.bigram_weight"},
      {[](LexicalOptions& o) { o.max_deleted_ratio = 0; },
       "lexical.max_deleted_ratio: must be in (0, 1], got 0"},
      {[](LexicalOptions& o) { o.max_deleted_ratio = 1.01; },
       "lexical.max_deleted_ratio"},
  };
  for (const Case& c : cases) {
    LexicalOptions o;
    c.set(o);
    const Status st = o.Validate();
    INFO(st.ToString());
    REQUIRE(st.code() == StatusCode::kInvalidArgument);
    REQUIRE_THAT(st.message(), Contains(c.message));
  }
  LexicalOptions edge;
  edge.b = 0;
  edge.word_weight = 0;
  edge.max_deleted_ratio = 1;
  REQUIRE(edge.Validate().ok());
  edge.b = 1;
  REQUIRE(edge.Validate().ok());
}

// ---------------------------------------------------------------- BM25

TEST_CASE("lexical: BM25 on a 3-document corpus, computed by hand",
          "[lexical]") {
  LexicalOptions o;  // explicit: the test must not follow the defaults
  o.k1 = 1.2;
  o.b = 0.75;
  o.word_weight = 1;
  o.unigram_weight = 2.5;
  o.bigram_weight = 1;
  LexicalIndex index(o);
  // Lengths 3, 4, 2: avgdl 3.
  REQUIRE(index.Add(0, Terms({{W("a"), 2}, {U("x"), 1}})).ok());
  REQUIRE(index.Add(1, Terms({{W("a"), 1}, {B("y"), 3}})).ok());
  REQUIRE(index.Add(2, Terms({{U("x"), 2}})).ok());
  REQUIRE(index.size() == 3);
  REQUIRE(index.num_terms() == 3);

  // df(a) = df(x) = 2: idf = ln(1 + 1.5 / 2.5) = ln 1.6.
  const double idf2 = std::log(1.6);
  // doc 0: a: tf 2, K = 1.2 (len = avgdl) -> 2 * 2.2 / 3.2 = 1.375;
  //        x: 2.5 * 1 * 2.2 / 2.2 = 2.5.
  const double s0 = (1.375 + 2.5) * idf2;
  // doc 1: a: tf 1, K = 1.2 * (0.25 + 0.75 * 4/3) = 1.5 -> 2.2 / 2.5.
  const double s1 = 0.88 * idf2;
  // doc 2: x: tf 2, K = 1.2 * (0.25 + 0.75 * 2/3) = 0.9 -> 2.5 * 4.4 / 2.9.
  const double s2 = 2.5 * 4.4 / 2.9 * idf2;

  const std::vector<LexicalQueryTerm> q = {{W("a"), 1}, {U("x"), 1}};
  const auto hits = index.Search(q, 10);
  REQUIRE(hits.size() == 3);
  CHECK(hits[0].doc == 0);
  CHECK(hits[1].doc == 2);
  CHECK(hits[2].doc == 1);
  CHECK(Close(hits[0].score, s0, 1e-6));
  CHECK(Close(hits[1].score, s2, 1e-6));
  CHECK(Close(hits[2].score, s1, 1e-6));
  CHECK(index.Score(q, 0) == hits[0].score);
  CHECK(index.Score(q, 1) == hits[2].score);
  CHECK(index.Score(q, 2) == hits[1].score);
  CHECK(index.Search(q, 1).size() == 1);
  CHECK(index.Search(q, 0).empty());

  // Duplicate query terms merge (weights summed); df(y) = 1:
  // idf = ln(1 + 2.5 / 1.5); doc 1: 3 * 3 * 2.2 / (3 + 1.5) = 4.4.
  const std::vector<LexicalQueryTerm> qy = {{B("y"), 1}, {B("y"), 2}};
  const auto hy = index.Search(qy, 5);
  REQUIRE(hy.size() == 1);
  CHECK(hy[0].doc == 1);
  CHECK(Close(hy[0].score, 4.4 * std::log(1 + 2.5 / 1.5), 1e-6));

  // Unknown keys, zero weights and the kind-0 / kind-unknown terms drop out.
  CHECK(index.Search({{W("nothing"), 1}}, 5).empty());
  CHECK(index.Search({{W("a"), 0}}, 5).empty());
  CHECK(index.Search({}, 5).empty());
  CHECK(index.Score({{W("a"), 1}}, 2) == 0.0f);  // doc 2 has no "a"
  CHECK(index.Score(q, 7) == 0.0f);              // absent doc

  // Explain: per-term contributions, largest first.
  const auto ex = index.Explain(q, 0);
  REQUIRE(ex.size() == 2);
  CHECK(ex[0].key == U("x"));
  CHECK(ex[0].tf == 1.0f);
  CHECK(Close(ex[0].idf, idf2, 1e-6));
  CHECK(Close(ex[0].score, 2.5 * idf2, 1e-6));
  CHECK(ex[1].key == W("a"));
  CHECK(ex[1].tf == 2.0f);
  CHECK(Close(ex[1].score, 1.375 * idf2, 1e-6));
  CHECK(Close(ex[0].score + ex[1].score, hits[0].score, 1e-6));
  CHECK(index.Explain(q, 9).empty());

  // A zero kind weight drops the kind.
  LexicalOptions no_uni = o;
  no_uni.unigram_weight = 0;
  LexicalIndex index2(no_uni);
  REQUIRE(index2.Add(0, Terms({{W("a"), 2}, {U("x"), 1}})).ok());
  REQUIRE(index2.Add(1, Terms({{W("a"), 1}, {B("y"), 3}})).ok());
  REQUIRE(index2.Add(2, Terms({{U("x"), 2}})).ok());
  const auto h2 = index2.Search(q, 10);
  REQUIRE(h2.size() == 2);
  CHECK(h2[0].doc == 0);
  CHECK(Close(h2[0].score, 1.375 * idf2, 1e-6));
}

TEST_CASE("lexical: sparse doc ids, empty documents, ties by doc id",
          "[lexical]") {
  LexicalIndex index(LexicalOptions{});
  REQUIRE(index.Add(0, Terms({{W("a"), 1}})).ok());
  REQUIRE(index.Add(5, Terms({})).ok());  // empty document: length 0
  REQUIRE(index.Add(9, Terms({{W("a"), 1}})).ok());
  REQUIRE(index.Add(12, Terms({{W("a"), 1}})).ok());
  REQUIRE(index.size() == 4);
  REQUIRE(index.Contains(5));
  REQUIRE_FALSE(index.Contains(3));
  const auto hits = index.Search({{W("a"), 1}}, 2);
  REQUIRE(hits.size() == 2);
  CHECK(hits[0].doc == 0);
  CHECK(hits[1].doc == 9);
  CHECK(hits[0].score == hits[1].score);
  REQUIRE(index.Remove(0).ok());
  const auto after = index.Search({{W("a"), 1}}, 2);
  REQUIRE(after.size() == 2);
  CHECK(after[0].doc == 9);
  CHECK(after[1].doc == 12);
}

// ---------------------------------------------------------------- property

TEST_CASE("lexical: MaxScore equals exhaustive scoring on random corpora",
          "[lexical][slow]") {
  struct Config {
    const char* name;
    LexicalOptions options;
    double zipf;
    bool odd = false;  // some tfs that do not fit a byte
  };
  LexicalOptions tuned;
  tuned.k1 = 0.9;
  tuned.b = 0.4;
  tuned.word_weight = 1.3;
  tuned.bigram_weight = 0;  // a dropped kind
  tuned.max_deleted_ratio = 0.5;
  LexicalOptions flat;
  flat.b = 0;
  flat.k1 = 2.0;
  const Config configs[] = {{"defaults", LexicalOptions{}, 1.0},
                            {"tuned", tuned, 0.8},
                            {"b=0", flat, 1.2},
                            {"odd tfs", LexicalOptions{}, 1.0, true}};
  uint64_t seed = 1;
  for (const Config& c : configs) {
    INFO("config " << c.name);
    std::mt19937_64 rng(seed++);
    Vocab vocab(500, c.zipf);
    LexicalIndex index(c.options);
    Model model(c.options);
    uint32_t doc = 0;
    auto add_docs = [&](size_t n) {
      for (size_t i = 0; i < n; ++i) {
        doc += 1 + uint32_t(rng() % 3);  // sparse ids
        const DocTerms t = RandomDoc(vocab, rng, c.odd);
        REQUIRE(index.Add(doc, t).ok());
        model.Add(doc, t);
      }
    };
    auto run_queries = [&](const char* phase, size_t n) {
      INFO("phase " << phase);
      REQUIRE(index.size() == model.live().size());
      for (size_t i = 0; i < n; ++i)
        CheckQuery(index, model, RandomQuery(vocab, rng));
    };

    add_docs(2500);
    run_queries("fresh", 60);

    // Remove ~15% (below every config's compaction ratio).
    std::vector<uint32_t> live(model.live().begin(), model.live().end());
    std::shuffle(live.begin(), live.end(), rng);
    for (size_t i = 0; i < live.size() * 15 / 100; ++i) {
      REQUIRE(index.Remove(live[i]).ok());
      model.Remove(live[i]);
    }
    REQUIRE(model.num_indexed() == 2500);  // not compacted yet
    run_queries("after removals", 60);

    index.Compact();
    model.Compact();
    run_queries("after compaction", 40);

    add_docs(500);
    run_queries("added after compaction", 40);
  }
}

TEST_CASE("lexical: block bounds skip windows and stay exact",
          "[lexical]") {
  // "hot" is in every document, with a large tf in the first 300 only;
  // "mid" in every 5th, "rare" in every 97th. Past the first 300 documents
  // the blocks bound hot's scores far below its overall bound, so most
  // windows of a top-10 query cannot hold a result and are skipped (the
  // exhaustive model says whether the skips were right). Checked fresh,
  // after removals (stale bounds), after compaction (rebuilt bounds) and
  // after a save/load (bounds rebuilt from the postings).
  LexicalOptions o;
  LexicalIndex index(o);
  Model model(o);
  std::mt19937_64 rng(7);
  for (uint32_t d = 0; d < 20000; ++d) {
    std::vector<std::pair<uint64_t, float>> occ = {
        {W("hot"), d < 300 ? float(4 + d % 5) : 1.0f},
        {U("filler"), float(1 + rng() % 30)}};
    if (d % 5 == 0) occ.push_back({B("mid"), 1.0f + float(d % 3)});
    if (d % 97 == 0) occ.push_back({W("rare"), 1.0f});
    const DocTerms t = Terms(std::move(occ));
    REQUIRE(index.Add(d, t).ok());
    model.Add(d, t);
  }
  const std::vector<std::vector<LexicalQueryTerm>> queries = {
      {{W("hot"), 1}},
      {{W("hot"), 1}, {B("mid"), 1}},
      {{W("hot"), 2}, {B("mid"), 1}, {W("rare"), 1}},
      {{W("rare"), 1}, {U("filler"), 1}, {W("hot"), 1}}};
  auto check_all = [&](const LexicalIndex& ix, const char* phase) {
    INFO("phase " << phase);
    for (const auto& q : queries) CheckQuery(ix, model, q);
  };
  check_all(index, "fresh");
  for (uint32_t d = 0; d < 300; d += 2) {  // half the hot documents
    REQUIRE(index.Remove(d).ok());
    model.Remove(d);
  }
  check_all(index, "after removals");
  index.Compact();
  model.Compact();
  check_all(index, "after compaction");
  auto loaded = LexicalIndex::Load(Saved(index));
  REQUIRE(loaded.ok());
  check_all(**loaded, "loaded");
  // Adds after a compaction and after a load extend the rebuilt blocks
  // (partial last blocks, then new ones); both indexes stay exact.
  for (uint32_t d = 20000; d < 20300; ++d) {
    const DocTerms t = Terms({{W("hot"), d % 50 == 0 ? 9.0f : 1.0f},
                              {B("mid"), 2.0f},
                              {U("filler"), float(1 + d % 7)}});
    REQUIRE(index.Add(d, t).ok());
    REQUIRE((*loaded)->Add(d, t).ok());
    model.Add(d, t);
  }
  check_all(index, "added after compaction");
  check_all(**loaded, "added after the load");
  REQUIRE(Saved(index) == Saved(**loaded));
}

TEST_CASE("lexical: AddBatch on two threads builds what one Add per document builds",
          "[lexical][threads]") {
  // Batches large enough for the parallel path (terms split among the
  // workers), with new and known terms, long lists that get blocks and doc
  // maps (ShrinkToFit between batches), gaps in the doc ids, and a batch
  // refused whole for one bad document.
  LexicalOptions o;
  LexicalIndex one(o), batched(o);
  Model model(o);
  std::mt19937_64 rng(21);
  uint32_t doc = 0;
  auto make_batch = [&](size_t n, uint32_t max_gap, size_t vocab) {
    std::vector<std::pair<uint32_t, DocTerms>> docs;
    for (size_t i = 0; i < n; ++i) {
      doc += 1 + uint32_t(rng() % max_gap);
      std::vector<std::pair<uint64_t, float>> occ;
      const size_t terms = 5 + rng() % 30;
      for (size_t j = 0; j < terms; ++j) {
        // Skewed: low ranks are in most documents.
        const double u = double(rng() % 1000000) / 1e6;
        const size_t rank = size_t(double(vocab) * u * u * u);
        const uint64_t key = rank % 3 == 0   ? W("w" + std::to_string(rank))
                             : rank % 3 == 1 ? U("u" + std::to_string(rank))
                                             : B("b" + std::to_string(rank));
        occ.emplace_back(key, float(1 + rng() % 4) * 0.5f);
      }
      docs.emplace_back(doc, Terms(std::move(occ)));
    }
    return docs;
  };
  uint32_t last_added = 0;
  auto add_both = [&](const std::vector<std::pair<uint32_t, DocTerms>>& docs) {
    last_added = docs.back().first;
    std::vector<LexicalDoc> batch;
    for (const auto& [d, t] : docs) {
      REQUIRE(one.Add(d, t).ok());
      model.Add(d, t);
      batch.push_back(LexicalDoc{d, &t});
    }
    REQUIRE(batched.AddBatch(batch, 2).ok());
  };
  const std::vector<std::vector<LexicalQueryTerm>> queries = {
      {{W("w0"), 1}, {U("u1"), 1}, {B("b2"), 1}},
      {{W("w3"), 2}, {U("u400"), 1}, {B("b5000"), 1}},
      {{U("u7"), 1}, {B("b38"), 1}, {W("w300"), 1}, {U("u1000"), 1}}};
  auto check = [&](const char* phase) {
    INFO("phase " << phase);
    REQUIRE(Saved(one) == Saved(batched));
    REQUIRE(one.num_doc_maps() == batched.num_doc_maps());
    for (const auto& q : queries) {
      CheckQuery(batched, model, q);
      const auto a = one.Search(q, 30), b = batched.Search(q, 30);
      REQUIRE(a.size() == b.size());
      for (size_t r = 0; r < a.size(); ++r) {
        REQUIRE(a[r].doc == b[r].doc);
        REQUIRE(a[r].score == b[r].score);
      }
    }
  };
  add_both(make_batch(4000, 2, 20000));  // ~80k postings: parallel
  check("first batch");
  one.ShrinkToFit();
  batched.ShrinkToFit();
  REQUIRE(batched.num_doc_maps() > 0);
  check("maps built");
  add_both(make_batch(3000, 700, 40000));  // gaps: new rank entries
  check("second batch, maps extended");
  add_both(make_batch(10, 3, 50000));  // small: one worker
  check("small batch");

  // One bad document (keys out of order) refuses the whole batch.
  const std::string before = Saved(batched);
  const size_t maps = batched.num_doc_maps();
  auto docs = make_batch(3000, 2, 20000);
  std::swap(docs[1500].second.terms.front(), docs[1500].second.terms.back());
  std::vector<LexicalDoc> bad;
  for (const auto& [d, t] : docs) bad.push_back(LexicalDoc{d, &t});
  const Status s = batched.AddBatch(bad, 2);
  REQUIRE(s.code() == StatusCode::kInvalidArgument);
  REQUIRE_THAT(s.message(), Catch::Matchers::Contains(std::to_string(docs[1500].first)));
  REQUIRE(Saved(batched) == before);
  REQUIRE(batched.num_doc_maps() == maps);
  // A doc id not after the last added refuses it too.
  std::vector<LexicalDoc> stale = {LexicalDoc{last_added, &docs[0].second}};
  REQUIRE(batched.AddBatch(stale, 2).code() == StatusCode::kInvalidArgument);
  REQUIRE(Saved(batched) == before);

  // Prepare and Commit apart, with a removal (not compacting) between them,
  // as the engine's upserts do; a batch commits once, on its own index.
  const auto next = make_batch(3000, 2, 60000);
  std::vector<LexicalDoc> prepared;
  for (const auto& [d, t] : next) prepared.push_back(LexicalDoc{d, &t});
  LexicalBatch batch;
  REQUIRE(batched.Prepare(prepared, 2, &batch).ok());
  REQUIRE(Saved(batched) == before);  // nothing added yet
  REQUIRE(one.Commit(&batch).code() == StatusCode::kFailedPrecondition);
  REQUIRE(batched.Remove(last_added, /*compact=*/false).ok());
  REQUIRE(one.Remove(last_added).ok());
  model.Remove(last_added);
  REQUIRE(batched.Commit(&batch).ok());
  REQUIRE(batched.Commit(&batch).code() == StatusCode::kFailedPrecondition);
  for (const auto& [d, t] : next) {
    REQUIRE(one.Add(d, t).ok());
    model.Add(d, t);
  }
  check("prepared, a removal, committed");
}

TEST_CASE("lexical: doc maps of long lists give the same results",
          "[lexical]") {
  // Terms in >= 1024 documents and >= 1/16 of the doc ids get a bitmap
  // with ranks (ShrinkToFit, Compact, Load build it; Add extends it) that
  // Search's seeks and Score's lookups use instead of searching the list.
  // "all" is in every document, "half" in every 2nd, "third" in every 3rd
  // with gaps of more than 512 ids (new rank entries on Add), "few" in
  // every 40th (too short for a map), "noise" in 1/7: every phase is checked against the
  // exhaustive model, and results are identical with and without maps.
  LexicalOptions o;
  LexicalIndex index(o);
  Model model(o);
  std::mt19937_64 rng(11);
  uint32_t doc = 0;
  auto add = [&](size_t n, uint32_t max_gap) {
    for (size_t i = 0; i < n; ++i) {
      doc += 1 + uint32_t(rng() % max_gap);
      std::vector<std::pair<uint64_t, float>> occ = {{W("all"), float(1 + rng() % 4)}};
      if (doc % 2 == 0) occ.push_back({U("half"), float(1 + rng() % 3)});
      if (doc % 3 == 0) occ.push_back({B("third"), 1.0f});
      if (doc % 40 == 0) occ.push_back({W("few"), 2.0f});
      if (rng() % 7 == 0) occ.push_back({U("noise"), float(1 + rng() % 9)});
      const DocTerms t = Terms(std::move(occ));
      REQUIRE(index.Add(doc, t).ok());
      model.Add(doc, t);
    }
  };
  const std::vector<std::vector<LexicalQueryTerm>> queries = {
      {{W("all"), 1}},
      {{U("half"), 1}, {B("third"), 1}},
      {{W("all"), 1}, {U("half"), 2}, {B("third"), 1}, {W("few"), 1}},
      {{W("few"), 3}, {U("noise"), 1}, {W("all"), 1}, {U("half"), 1}}};
  auto results = [&](const LexicalIndex& ix) {
    std::vector<std::vector<LexicalHit>> out;
    for (const auto& q : queries) out.push_back(ix.Search(q, 25));
    return out;
  };
  auto same = [](const std::vector<std::vector<LexicalHit>>& a,
                 const std::vector<std::vector<LexicalHit>>& b) {
    REQUIRE(a.size() == b.size());
    for (size_t i = 0; i < a.size(); ++i) {
      REQUIRE(a[i].size() == b[i].size());
      for (size_t r = 0; r < a[i].size(); ++r) {
        REQUIRE(a[i][r].doc == b[i][r].doc);
        REQUIRE(a[i][r].score == b[i][r].score);
      }
    }
  };
  auto check_all = [&](const LexicalIndex& ix, const char* phase) {
    INFO("phase " << phase);
    for (const auto& q : queries) CheckQuery(ix, model, q);
  };
  add(6000, 3);
  REQUIRE(index.num_doc_maps() == 0);
  check_all(index, "no maps yet");
  const auto before = results(index);
  index.ShrinkToFit();
  REQUIRE(index.num_doc_maps() == 3);  // all, half, third
  check_all(index, "maps built");
  same(before, results(index));
  add(40, 600);  // sparse: many adds start new rank entries
  check_all(index, "maps extended by Add");
  std::vector<uint32_t> live(model.live().begin(), model.live().end());
  std::shuffle(live.begin(), live.end(), rng);
  for (size_t i = 0; i < live.size() / 10; ++i) {
    REQUIRE(index.Remove(live[i]).ok());
    model.Remove(live[i]);
  }
  check_all(index, "after removals");
  index.Compact();
  model.Compact();
  REQUIRE(index.num_doc_maps() == 3);
  check_all(index, "after compaction");
  auto loaded = LexicalIndex::Load(Saved(index));
  REQUIRE(loaded.ok());
  REQUIRE((*loaded)->num_doc_maps() == 3);
  check_all(**loaded, "loaded");
  same(results(index), results(**loaded));
  add(300, 2);
  check_all(index, "added after compaction");
}

TEST_CASE("lexical: Score and Explain agree with Search", "[lexical]") {
  std::mt19937_64 rng(42);
  Vocab vocab(300, 1.0);
  LexicalOptions o;
  LexicalIndex index(o);
  for (uint32_t d = 0; d < 800; ++d)
    REQUIRE(index.Add(d, RandomDoc(vocab, rng)).ok());
  for (uint32_t d = 0; d < 800; d += 7) REQUIRE(index.Remove(d).ok());
  for (int i = 0; i < 50; ++i) {
    const auto q = RandomQuery(vocab, rng);
    for (const LexicalHit& h : index.Search(q, 20)) {
      REQUIRE(index.Score(q, h.doc) == h.score);
      const auto ex = index.Explain(q, h.doc);
      REQUIRE_FALSE(ex.empty());
      double sum = 0;
      for (size_t j = 0; j < ex.size(); ++j) {
        sum += ex[j].score;
        REQUIRE(ex[j].tf > 0);
        REQUIRE(ex[j].idf > 0);
        if (j > 0) REQUIRE(ex[j - 1].score >= ex[j].score);
      }
      REQUIRE(Close(sum, h.score));
    }
  }
  // Deleted documents score 0 and explain nothing.
  const std::vector<LexicalQueryTerm> q = {{vocab.keys[0], 1},
                                           {vocab.keys[1], 1}};
  REQUIRE(index.Score(q, 7) == 0.0f);
  REQUIRE(index.Explain(q, 7).empty());
}

TEST_CASE("lexical: ExplainMany agrees with Score for many documents at once", "[lexical]") {
  std::mt19937_64 rng(11);
  Vocab vocab(400, 1.0);
  LexicalIndex index{LexicalOptions{}};
  for (uint32_t d = 0; d < 3000; d += 1 + uint32_t(rng() % 2)) {
    REQUIRE(index.Add(d, RandomDoc(vocab, rng)).ok());
  }
  for (uint32_t d = 0; d < 3000; d += 11) (void)index.Remove(d);
  size_t nonempty = 0;
  for (int i = 0; i < 30; ++i) {
    const auto q = RandomQuery(vocab, rng);
    std::vector<uint32_t> docs;
    for (const LexicalHit& h : index.Search(q, 15)) docs.push_back(h.doc);
    for (int j = 0; j < 10; ++j) docs.push_back(uint32_t(rng() % 3100));  // any: absent, deleted
    const auto all = index.ExplainMany(q, docs);
    REQUIRE(all.size() == docs.size());
    for (size_t d = 0; d < docs.size(); ++d) {
      INFO("doc " << docs[d]);
      const float score = index.Score(q, docs[d]);
      double sum = 0;
      for (const auto& t : all[d]) sum += t.score;
      REQUIRE(all[d].empty() == (score == 0.0f));
      REQUIRE(Close(sum, score));
      nonempty += !all[d].empty();
    }
  }
  REQUIRE(nonempty > 300);
  REQUIRE(index.ExplainMany({}, {1, 2}).size() == 2);
}

TEST_CASE("lexical: SetQueryKindWeights equals an index built with them", "[lexical]") {
  std::mt19937_64 rng(7);
  Vocab vocab(300, 1.0);
  LexicalOptions tuned;
  tuned.word_weight = 0.5;
  tuned.unigram_weight = 2.5;
  tuned.bigram_weight = 0;  // a dropped kind
  LexicalIndex changed{LexicalOptions{}};
  LexicalIndex built(tuned);
  for (uint32_t d = 0; d < 600; ++d) {
    const DocTerms t = RandomDoc(vocab, rng);
    REQUIRE(changed.Add(d, t).ok());
    REQUIRE(built.Add(d, t).ok());
  }
  changed.SetQueryKindWeights(tuned.word_weight, tuned.unigram_weight, tuned.bigram_weight);
  REQUIRE(changed.options().unigram_weight == 2.5);
  size_t differs_from_defaults = 0;
  for (int i = 0; i < 40; ++i) {
    const auto q = RandomQuery(vocab, rng);
    const auto a = changed.Search(q, 10);
    const auto b = built.Search(q, 10);
    REQUIRE(a.size() == b.size());
    for (size_t j = 0; j < a.size(); ++j) {
      REQUIRE(a[j].doc == b[j].doc);
      REQUIRE(a[j].score == b[j].score);
    }
    for (const auto& t : q) differs_from_defaults += (t.key >> 62) == 2;  // a bigram: now 0
  }
  REQUIRE(differs_from_defaults > 0);  // the queries hold a kind whose weight changed
}

// ---------------------------------------------------------------- mutation

TEST_CASE("lexical: bad Add calls are rejected and change nothing",
          "[lexical]") {
  LexicalIndex index(LexicalOptions{});
  REQUIRE(index.Add(0, Terms({{W("a"), 1}})).ok());  // doc 0 may come first
  REQUIRE(index.Add(4, Terms({{W("a"), 1}, {U("b"), 2}})).ok());
  const std::string before = Saved(index);
  const size_t mem = index.memory_bytes();

  auto expect_invalid = [&](uint32_t doc, const DocTerms& t, const char* what) {
    const Status st = index.Add(doc, t);
    INFO(st.ToString());
    REQUIRE(st.code() == StatusCode::kInvalidArgument);
    REQUIRE_THAT(st.message(), Contains(what));
    REQUIRE(Saved(index) == before);
    REQUIRE(index.size() == 2);
    REQUIRE(index.num_terms() == 2);
  };
  expect_invalid(4, Terms({{W("c"), 1}}),
                 "doc 4 is not greater than the last added doc 4");
  expect_invalid(2, Terms({{W("c"), 1}}), "doc 2");
  expect_invalid(0, Terms({{W("c"), 1}}), "doc 0");

  DocTerms unsorted = Terms({{W("c"), 1}, {W("d"), 1}});
  std::swap(unsorted.terms[0], unsorted.terms[1]);
  expect_invalid(5, unsorted, "sorted and distinct");
  DocTerms dup;
  dup.terms = {{W("c"), 1}, {W("c"), 1}};
  expect_invalid(5, dup, "sorted and distinct");
  for (float bad : {0.0f, -1.0f, std::numeric_limits<float>::quiet_NaN(),
                    std::numeric_limits<float>::infinity()}) {
    expect_invalid(5, Terms({{W("c"), 1}, {W("e"), bad}}),
                   "must be finite and > 0");
  }
  DocTerms unknown_kind;
  unknown_kind.terms = {{~uint64_t{0}, 1.0f}};
  expect_invalid(5, unknown_kind, "unknown kind");
  DocTerms overflow;
  overflow.terms = {{W("c"), 3e38f}, {W("d"), 3e38f}};
  std::sort(overflow.terms.begin(), overflow.terms.end());
  expect_invalid(5, overflow, "overflows");
  REQUIRE(index.memory_bytes() == mem);

  // A removed doc's id is still taken.
  REQUIRE(index.Remove(4).ok());
  REQUIRE(index.Add(4, Terms({{W("c"), 1}})).code() ==
          StatusCode::kInvalidArgument);
  REQUIRE(index.Add(5, Terms({{W("c"), 1}})).ok());
}

TEST_CASE("lexical: Remove of absent or deleted docs is NotFound",
          "[lexical]") {
  LexicalOptions o;
  o.max_deleted_ratio = 1.0;
  LexicalIndex index(o);
  REQUIRE(index.Add(3, Terms({{W("a"), 1}})).ok());
  REQUIRE(index.Add(8, Terms({{W("a"), 1}})).ok());
  for (uint32_t doc : {0u, 5u, 9u, 1000000u}) {
    const Status st = index.Remove(doc);
    REQUIRE(st.code() == StatusCode::kNotFound);
    REQUIRE_THAT(st.message(), Contains("doc " + std::to_string(doc)));
  }
  REQUIRE(index.Remove(3).ok());
  const Status again = index.Remove(3);
  REQUIRE(again.code() == StatusCode::kNotFound);
  REQUIRE_THAT(again.message(), Contains("doc 3"));
  REQUIRE(index.size() == 1);
  REQUIRE_FALSE(index.Contains(3));
  REQUIRE(index.Contains(8));
  index.Compact();
  REQUIRE(index.Remove(3).code() == StatusCode::kNotFound);
  REQUIRE(index.Remove(8).ok());
  REQUIRE(index.size() == 0);
  REQUIRE(index.Search({{W("a"), 1}}, 10).empty());
}

TEST_CASE("lexical: compaction happens past max_deleted_ratio", "[lexical]") {
  LexicalOptions o;
  o.max_deleted_ratio = 0.3;
  LexicalIndex index(o);
  Model model(o);
  const std::vector<DocTerms> docs = {
      Terms({{W("only0"), 1}, {W("common"), 1}}),
      Terms({{W("only1"), 2}, {W("common"), 1}}),
      Terms({{W("common"), 3}, {U("x"), 1}}),
      Terms({{W("common"), 1}, {U("x"), 2}, {B("yy"), 1}})};
  for (uint32_t d = 0; d < docs.size(); ++d) {
    REQUIRE(index.Add(d, docs[d]).ok());
    model.Add(d, docs[d]);
  }
  const std::vector<LexicalQueryTerm> q = {{W("common"), 1}, {U("x"), 1}};
  REQUIRE(index.num_terms() == 5);
  const size_t mem_full = index.memory_bytes();

  // 1 of 4 deleted (0.25 <= 0.3): postings, N and df keep doc 0.
  REQUIRE(index.Remove(0).ok());
  model.Remove(0);
  REQUIRE(model.num_indexed() == 4);
  REQUIRE(index.num_terms() == 5);
  CheckQuery(index, model, q);
  const float kept = index.Score(q, 2);

  // 2 of 4 (0.5 > 0.3): compacted, N = 2, "only0" and "only1" are gone.
  REQUIRE(index.Remove(1).ok());
  model.Remove(1);
  REQUIRE(model.num_indexed() == 2);
  REQUIRE(index.num_terms() == 3);
  REQUIRE(index.memory_bytes() <= mem_full);
  CheckQuery(index, model, q);
  REQUIRE(index.Score(q, 2) != kept);  // idf and avgdl changed
  REQUIRE(index.Search({{W("only1"), 1}}, 5).empty());

  // Ids go on increasing after compaction; an old term comes back.
  const DocTerms d9 = Terms({{W("only0"), 1}, {W("common"), 1}});
  REQUIRE(index.Add(9, d9).ok());
  model.Add(9, d9);
  REQUIRE(index.num_terms() == 4);
  CheckQuery(index, model, {{W("only0"), 2}, {W("common"), 1}});
}

TEST_CASE("lexical: concurrent searches agree with serial ones", "[lexical][threads]") {
  std::mt19937_64 rng(7);
  Vocab vocab(400, 1.0);
  LexicalIndex index(LexicalOptions{});
  for (uint32_t d = 0; d < 2000; ++d)
    REQUIRE(index.Add(d, RandomDoc(vocab, rng)).ok());
  std::vector<std::vector<LexicalQueryTerm>> queries;
  for (int i = 0; i < 64; ++i) queries.push_back(RandomQuery(vocab, rng));
  std::vector<std::vector<LexicalHit>> serial;
  for (const auto& q : queries) serial.push_back(index.Search(q, 10));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      const std::function<bool(uint32_t)> allow = [](uint32_t) { return true; };
      for (int rep = 0; rep < 5; ++rep) {
        for (size_t i = 0; i < queries.size(); ++i) {
          const auto got =
              index.Search(queries[i], 10, t % 2 ? &allow : nullptr);
          bool same = got.size() == serial[i].size();
          for (size_t j = 0; same && j < got.size(); ++j) {
            same = got[j].doc == serial[i][j].doc &&
                   got[j].score == serial[i][j].score;
          }
          if (!same) ++mismatches[t];
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int m : mismatches) REQUIRE(m == 0);

  // An allow callback that itself searches (reentrancy on one thread).
  const auto& q0 = queries[0];
  const std::function<bool(uint32_t)> nested = [&](uint32_t d) {
    return !index.Search(queries[1], 3).empty() && d % 2 == 0;
  };
  const auto got = index.Search(q0, 10, &nested);
  for (const auto& h : got) REQUIRE(h.doc % 2 == 0);
}

// ---------------------------------------------------------------- Save/Load

TEST_CASE("lexical: Save/Load round trip gives identical results",
          "[lexical]") {
  std::mt19937_64 rng(99);
  Vocab vocab(400, 1.0);
  LexicalOptions o;
  o.k1 = 1.5;
  o.b = 0.6;
  o.unigram_weight = 2.0;
  o.max_deleted_ratio = 0.4;
  LexicalIndex index(o);
  uint32_t doc = 0;
  for (int i = 0; i < 1200; ++i) {
    doc += 1 + uint32_t(rng() % 2);
    REQUIRE(index.Add(doc, RandomDoc(vocab, rng)).ok());
  }
  // Some deletions compacted away, some still in the postings.
  for (uint32_t d = 0; d < doc / 2; d += 5) (void)index.Remove(d);
  index.Compact();
  for (uint32_t d = doc / 2; d <= doc; d += 6) (void)index.Remove(d);

  std::string bytes = "prefix";
  index.Save(&bytes);
  REQUIRE(bytes.compare(0, 6, "prefix") == 0);
  // In pieces: the same bytes, each piece near its size.
  for (size_t piece : {size_t{1}, size_t{100}, size_t{4096}}) {
    CAPTURE(piece);
    std::string joined;
    size_t pieces = 0, largest = 0;
    REQUIRE(index.Save(
        [&](std::string_view p) {
          joined.append(p);
          ++pieces;
          largest = std::max(largest, p.size());
          return true;
        },
        piece));
    CHECK(joined == bytes.substr(6));
    CHECK(pieces > 1);
    CHECK(largest < piece + 4096 * 5 + 64);  // one slice of varints or floats over
  }
  // A sink that refuses stops the save.
  size_t calls = 0;
  CHECK_FALSE(index.Save(
      [&](std::string_view) {
        ++calls;
        return false;
      },
      100));
  CHECK(calls == 1);
  auto loaded = LexicalIndex::Load(std::string_view(bytes).substr(6));
  REQUIRE(loaded.ok());
  LexicalIndex& copy = **loaded;
  REQUIRE(Saved(copy) == bytes.substr(6));
  REQUIRE(copy.size() == index.size());
  REQUIRE(copy.num_terms() == index.num_terms());
  REQUIRE(copy.options().k1 == o.k1);
  REQUIRE(copy.options().max_deleted_ratio == o.max_deleted_ratio);
  for (uint32_t d = 0; d <= doc + 1; ++d)
    REQUIRE(copy.Contains(d) == index.Contains(d));
  for (int i = 0; i < 100; ++i) {
    const auto q = RandomQuery(vocab, rng);
    const auto a = index.Search(q, 25);
    const auto b = copy.Search(q, 25);
    REQUIRE(a.size() == b.size());
    for (size_t j = 0; j < a.size(); ++j) {
      REQUIRE(a[j].doc == b[j].doc);
      REQUIRE(a[j].score == b[j].score);
    }
  }
  // Both go on the same way.
  for (uint32_t d = 1; d < doc; d += 4) {
    if (index.Contains(d)) {
      REQUIRE(index.Remove(d).ok());
      REQUIRE(copy.Remove(d).ok());
    }
  }
  const DocTerms extra = RandomDoc(vocab, rng);
  REQUIRE(index.Add(doc + 3, extra).ok());
  REQUIRE(copy.Add(doc + 3, extra).ok());
  REQUIRE(Saved(copy) == Saved(index));

  // Empty index.
  LexicalIndex empty(LexicalOptions{});
  auto e = LexicalIndex::Load(Saved(empty));
  REQUIRE(e.ok());
  REQUIRE((*e)->size() == 0);
  REQUIRE((*e)->Search({{W("a"), 1}}, 3).empty());
  REQUIRE((*e)->Add(0, Terms({{W("a"), 1}})).ok());
}

TEST_CASE("lexical: Load in chunks on several threads gives the same index and errors",
          "[lexical][threads]") {
  std::mt19937_64 rng(17);
  Vocab vocab(300, 1.0);
  LexicalIndex index(LexicalOptions{});
  uint32_t doc = 0;
  for (int i = 0; i < 400; ++i) {
    doc += 1 + uint32_t(rng() % 3);
    DocTerms d = RandomDoc(vocab, rng);
    // Some tfs that are not halves (stored as floats), to test the
    // document-length check whatever the summation order.
    if (i % 7 == 0 && !d.terms.empty()) d.terms.front().second = 0.3f + float(i % 5) * 0.1f;
    REQUIRE(index.Add(doc, d).ok());
  }
  for (uint32_t d = 0; d <= doc; d += 9) (void)index.Remove(d);
  const std::string bytes = Saved(index);
  auto one = LexicalIndex::Load(bytes);
  REQUIRE(one.ok());
  for (int threads : {2, 3, 8}) {
    for (size_t chunk : {size_t{1}, size_t{64}, size_t{1024}, size_t{1} << 20}) {
      CAPTURE(threads, chunk);
      auto many = LexicalIndex::Load(bytes, threads, chunk);
      REQUIRE(many.ok());
      REQUIRE(Saved(**many) == bytes);
      REQUIRE((*many)->num_doc_maps() == (*one)->num_doc_maps());
      for (int i = 0; i < 20; ++i) {
        const auto q = RandomQuery(vocab, rng);
        const auto a = (*one)->Search(q, 10);
        const auto b = (*many)->Search(q, 10);
        REQUIRE(a.size() == b.size());
        for (size_t j = 0; j < a.size(); ++j) {
          REQUIRE(a[j].doc == b[j].doc);
          REQUIRE(a[j].score == b[j].score);
        }
      }
    }
  }
  // Each chunk's bytes are handed over once decoded: together, every byte
  // from the first term to the end, once.
  {
    std::mutex mu;
    std::vector<std::pair<size_t, size_t>> done;  // offset, length
    auto many = LexicalIndex::Load(bytes, 3, 64, [&](std::string_view piece) {
      std::lock_guard<std::mutex> lock(mu);
      done.emplace_back(size_t(piece.data() - bytes.data()), piece.size());
    });
    REQUIRE(many.ok());
    REQUIRE(done.size() > 3);
    std::sort(done.begin(), done.end());
    for (size_t i = 1; i < done.size(); ++i) {
      CHECK(done[i].first == done[i - 1].first + done[i - 1].second);
    }
    CHECK(done.back().first + done.back().second == bytes.size());
  }
  // Damaged bytes: the same status, whichever chunk meets the damage
  // (truncations, and a flipped bit at every third byte).
  auto same = [&](std::string_view damaged, const std::string& what) {
    auto a = LexicalIndex::Load(damaged);
    auto b = LexicalIndex::Load(damaged, 2, 1);
    INFO(what << ": " << a.status().ToString() << " / " << b.status().ToString());
    REQUIRE(a.ok() == b.ok());
    if (a.ok()) {
      REQUIRE(Saved(**a) == Saved(**b));
    } else {
      REQUIRE(a.status().ToString() == b.status().ToString());
    }
  };
  INFO(bytes.size() << " bytes");
  for (size_t len = 0; len < bytes.size(); len += 1 + len / 64) {
    same(std::string_view(bytes.data(), len), "truncated to " + std::to_string(len));
  }
  std::string damaged = bytes;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    const int mask = i % 2 == 0 ? 0x01 : 0x80;
    damaged[i] = char(damaged[i] ^ mask);
    same(damaged, "byte " + std::to_string(i) + " ^ " + std::to_string(mask));
    damaged[i] = bytes[i];
  }
}

TEST_CASE("lexical: tfs are saved compactly when they are halves, exactly otherwise",
          "[lexical]") {
  LexicalIndex index(LexicalOptions{});
  // "a": integral tfs; "b": halves; "c": one tf that is no half (floats).
  REQUIRE(index.Add(0, Terms({{W("a"), 1}, {W("b"), 1.5f}, {W("c"), 2}})).ok());
  REQUIRE(index.Add(1, Terms({{W("a"), 3}, {W("b"), 0.5f}, {W("c"), 0.3f}})).ok());
  REQUIRE(index.Add(2, Terms({{W("a"), 200}, {W("c"), 1e7f}})).ok());
  const std::string bytes = Saved(index);
  auto loaded = LexicalIndex::Load(bytes);
  REQUIRE(loaded.ok());
  CHECK(Saved(**loaded) == bytes);
  const std::vector<LexicalQueryTerm> q = {{W("a"), 1}, {W("b"), 1}, {W("c"), 1}};
  for (uint32_t d = 0; d < 3; ++d) CHECK((*loaded)->Score(q, d) == index.Score(q, d));
  const auto tfs = [](const LexicalIndex& ix, uint32_t doc) {
    std::vector<float> out;
    for (const auto& t : ix.Explain({{W("a"), 1}, {W("b"), 1}, {W("c"), 1}}, doc)) {
      out.push_back(t.tf);
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  CHECK(tfs(**loaded, 1) == std::vector<float>{0.3f, 0.5f, 3});
  CHECK(tfs(**loaded, 2) == std::vector<float>{200, 1e7f});
  // The same shape with no halves: "a"'s three tfs took 4 bytes (400, twice
  // 200, takes two) and "b"'s two took 2, against 4 bytes each as floats.
  LexicalIndex floats(LexicalOptions{});
  REQUIRE(floats.Add(0, Terms({{W("a"), 1.1f}, {W("b"), 1.7f}, {W("c"), 2.2f}})).ok());
  REQUIRE(floats.Add(1, Terms({{W("a"), 3.1f}, {W("b"), 0.7f}, {W("c"), 0.3f}})).ok());
  REQUIRE(floats.Add(2, Terms({{W("a"), 200.1f}, {W("c"), 1e7f}})).ok());
  CHECK(Saved(floats).size() == bytes.size() + (12 - 4) + (8 - 2));
}

TEST_CASE("lexical: tfs held in bytes turn into floats when one does not fit",
          "[lexical]") {
  // Integral tfs below 256 take a byte each in memory; a term that meets
  // another tf (0.5, 300) holds floats from then on. Either way the index
  // answers as one that never held bytes would: the same scores, bit for
  // bit, in one Add per document or batches on two threads.
  auto docs = [](uint32_t n) {
    std::vector<DocTerms> out;
    for (uint32_t d = 0; d < n; ++d) {
      std::vector<std::pair<uint64_t, float>> occ = {
          {W("a"), float(1 + d % 200)}, {W("b"), 2}, {W("c" + std::to_string(d % 7)), 1}};
      if (d == 150) occ.push_back({W("a"), 100});  // 251: still a byte
      if (d == 300) occ.push_back({W("b"), 298});  // 300: "b" widens
      if (d == 400) occ.push_back({W("c1"), -0.5f});  // 0.5: "c1" widens
      if (d == 500) occ.push_back({W("fresh"), 256});  // a new term, wide at once
      out.push_back(Terms(std::move(occ)));
    }
    return out;
  };
  const std::vector<DocTerms> all = docs(600);
  LexicalIndex one(LexicalOptions{});
  for (uint32_t d = 0; d < all.size(); ++d) REQUIRE(one.Add(d, all[d]).ok());
  LexicalIndex batched(LexicalOptions{});
  std::vector<LexicalDoc> first, second;
  for (uint32_t d = 0; d < all.size(); ++d) {
    (d < 350 ? first : second).push_back(LexicalDoc{d, &all[d]});
  }
  REQUIRE(batched.AddBatch(first, 2).ok());
  REQUIRE(batched.AddBatch(second, 2).ok());
  CHECK(Saved(one) == Saved(batched));
  const std::vector<LexicalQueryTerm> q = {
      {W("a"), 1}, {W("b"), 1}, {W("c1"), 1}, {W("fresh"), 1}, {W("c3"), 2}};
  auto tf_of = [&](const LexicalIndex& ix, uint32_t doc, const char* word) {
    for (const auto& t : ix.Explain(q, doc)) {
      if (t.key == W(word)) return t.tf;
    }
    return -1.0f;
  };
  for (const LexicalIndex* ix : {&one, &batched}) {
    CHECK(tf_of(*ix, 150, "a") == 251);
    CHECK(tf_of(*ix, 300, "b") == 300);
    CHECK(tf_of(*ix, 299, "b") == 2);
    CHECK(tf_of(*ix, 400, "c1") == 0.5f);
    CHECK(tf_of(*ix, 1, "c1") == 1);
    CHECK(tf_of(*ix, 500, "fresh") == 256);
  }
  auto loaded = LexicalIndex::Load(Saved(one));
  REQUIRE(loaded.ok());
  CHECK(Saved(**loaded) == Saved(one));
  const auto hits = one.Search(q, 1000);
  REQUIRE(hits.size() == all.size());
  for (const LexicalHit& h : hits) {
    CHECK(batched.Score(q, h.doc) == h.score);
    CHECK((*loaded)->Score(q, h.doc) == h.score);
  }
  const auto top = (*loaded)->Search(q, 10);
  REQUIRE(top.size() == 10);
  for (size_t i = 0; i < 10; ++i) {
    CHECK(top[i].doc == hits[i].doc);
    CHECK(top[i].score == hits[i].score);
  }
  // Compaction keeps both kinds.
  for (uint32_t d = 0; d < 600; d += 2) REQUIRE(one.Remove(d, false).ok());
  one.Compact();
  CHECK(tf_of(one, 151, "a") == 152);
  CHECK(tf_of(one, 15, "c1") == 1);
  CHECK(tf_of(one, 301, "b") == 2);
}

TEST_CASE("lexical: Load of truncated or damaged bytes never crashes",
          "[lexical]") {
  LexicalIndex index(LexicalOptions{});
  REQUIRE(
      index.Add(0, Terms({{W("alpha"), 2}, {U("x"), 1}, {B("xy"), 1}})).ok());
  REQUIRE(index.Add(2, Terms({{W("alpha"), 1}, {U("y"), 3}})).ok());
  REQUIRE(index.Add(3, Terms({})).ok());
  REQUIRE(
      index.Add(5, Terms({{U("x"), 1.5f}, {B("xy"), 2}, {U("y"), 1}})).ok());
  REQUIRE(index.Add(6, Terms({{W("beta"), 1}})).ok());
  REQUIRE(index.Remove(6).ok());  // deleted, still in postings
  const std::string bytes = Saved(index);
  REQUIRE(LexicalIndex::Load(bytes).ok());

  const std::vector<LexicalQueryTerm> q = {
      {W("alpha"), 1}, {U("x"), 1}, {U("y"), 2}, {B("xy"), 1}, {W("beta"), 1}};
  auto exercise = [&](LexicalIndex& ix) {
    for (size_t k : {1, 3, 10}) {
      const auto hits = ix.Search(q, k);
      for (const auto& h : hits) {
        REQUIRE(ix.Contains(h.doc));
        REQUIRE(ix.Score(q, h.doc) == h.score);
        (void)ix.Explain(q, h.doc);
      }
    }
    std::string again;
    ix.Save(&again);
    (void)ix.memory_bytes();
    (void)ix.Add(1000, Terms({{W("alpha"), 1}}));
    for (uint32_t d = 0; d < 8; ++d) (void)ix.Remove(d);
  };

  for (size_t len = 0; len < bytes.size(); ++len) {
    auto r = LexicalIndex::Load(std::string_view(bytes.data(), len));
    INFO("truncated to " << len);
    REQUIRE(r.status().code() == StatusCode::kCorruption);
  }
  {
    auto r = LexicalIndex::Load(bytes + "x");
    REQUIRE(r.status().code() == StatusCode::kCorruption);
    REQUIRE_THAT(r.status().message(), Contains("trailing"));
  }
  size_t loaded = 0, rejected = 0;
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int mask : {0x01, 0x10, 0x80, 0xff}) {
      std::string damaged = bytes;
      damaged[i] = char(damaged[i] ^ mask);
      auto r = LexicalIndex::Load(damaged);
      INFO("byte " << i << " ^ " << mask << ": " << r.status().ToString());
      if (r.ok()) {
        ++loaded;
        exercise(**r);
      } else {
        ++rejected;
        // Bytes 0-3: the format version.
        REQUIRE(r.status().code() == (i < 4 ? StatusCode::kNotSupported
                                            : StatusCode::kCorruption));
        REQUIRE(!r.status().message().empty());
      }
    }
  }
  // Damage that leaves a term's bounds valid bounds (a larger max tf, a
  // smaller min length: pruning stays exact) loads by design; with the
  // compact tfs of format 2 those bytes are a larger share of the file.
  INFO(loaded << " damaged copies loaded, " << rejected << " rejected");
  REQUIRE(rejected * 2 > loaded);

  // Random garbage of every small size.
  std::mt19937_64 rng(5);
  for (int i = 0; i < 3000; ++i) {
    std::string junk(rng() % 64, '\0');
    for (char& c : junk) c = char(rng());
    if (i % 2 == 0 && junk.size() >= 4) junk.replace(0, 4, bytes.substr(0, 4));
    auto r = LexicalIndex::Load(junk);
    if (r.ok()) exercise(**r);
  }
  // A huge declared count is refused before allocating.
  std::string big = bytes.substr(0, 4 + 6 * 8);
  for (int i = 0; i < 9; ++i) big.push_back(char(0xff));
  big.push_back(char(0x01));
  auto r = LexicalIndex::Load(big);
  REQUIRE(r.status().code() == StatusCode::kCorruption);
}

TEST_CASE("lexical: ToLexicalQuery keeps one term per key", "[lexical]") {
  DocTerms t;
  t.terms = {{W("b"), 1}, {W("a"), 2}, {W("b"), 3}};
  const auto q = ToLexicalQuery(t);
  REQUIRE(q.size() == 2);
  const auto a = std::find_if(q.begin(), q.end(),
                              [](const auto& x) { return x.key == W("a"); });
  const auto b = std::find_if(q.begin(), q.end(),
                              [](const auto& x) { return x.key == W("b"); });
  REQUIRE(a != q.end());
  REQUIRE(b != q.end());
  REQUIRE(a->weight == 2.0f);
  REQUIRE(b->weight == 4.0f);
  const auto c = ToLexicalQuery(Terms({{U("x"), 1}, {B("xy"), 2.5f}}));
  REQUIRE(c.size() == 2);
  REQUIRE(ToLexicalQuery(DocTerms{}).empty());
}

TEST_CASE("lexical: frequent unigrams the query's bigrams cover can be left out",
          "[lexical]") {
  auto analyzer = Analyzer::Create();
  REQUIRE(analyzer.ok());
  std::vector<Term> terms;
  REQUIRE((*analyzer)->Analyze("钒电池 钠", &terms).ok());
  DocTerms dt;
  AccumulateTerms(terms, 1.0f, &dt.terms);
  CollapseTerms(&dt.terms);
  auto q = ToLexicalQuery(dt);
  MarkCoveredUnigrams({&terms}, &q);
  std::map<uint64_t, bool> covered;
  for (const auto& t : q) covered[t.key] = t.covered;
  CHECK(covered.at(U("钒")));
  CHECK(covered.at(U("电")));
  CHECK(covered.at(U("池")));
  CHECK(!covered.at(U("钠")));  // alone: no bigram holds it
  CHECK(!covered.at(B("钒电")));

  // 钒 in 1 of 4 documents, 电 and 池 in all four, 钠 in every one too.
  LexicalIndex index{LexicalOptions{}};
  for (uint32_t d = 0; d < 4; ++d) {
    DocTerms doc = Terms({{U("电"), 1}, {U("池"), 1}, {U("钠"), 1}});
    if (d == 0) doc = Terms({{U("钒"), 1}, {U("电"), 1}, {U("池"), 1}, {U("钠"), 1}});
    REQUIRE(index.Add(d, doc).ok());
  }
  CHECK(index.DocFrequency(U("电")) == 4);
  CHECK(index.DocFrequency(U("无")) == 0);
  CHECK(index.num_indexed() == 4);
  auto kept = q;
  DropCoveredUnigrams(index, 1.0, &kept);  // off
  CHECK(kept.size() == q.size());
  DropCoveredUnigrams(index, 0.5, &kept);  // in more than half the docs
  std::set<uint64_t> left;
  for (const auto& t : kept) left.insert(t.key);
  CHECK(left.count(U("钒")) == 1);  // covered, but rare
  CHECK(left.count(U("电")) == 0);
  CHECK(left.count(U("池")) == 0);
  CHECK(left.count(U("钠")) == 1);  // frequent, but not covered
  CHECK(left.count(B("钒电")) == 1);
}

// ---------------------------------------------------------------- bench

/// CPU time of the calling thread, in microseconds (wall time is noisy on a
/// shared machine).
double CpuMicros() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) * 1e6 + double(ts.tv_nsec) / 1e3;
}

/// A corpus added both to a LexicalIndex and to flat per-term arrays, for
/// a tight exhaustive baseline: term at a time into a dense accumulator,
/// then a heap over the documents.
class BenchCorpus {
 public:
  BenchCorpus() : index_(options_) {}

  void Add(const DocTerms& t) {
    const uint32_t doc = uint32_t(lens_.size());
    REQUIRE(index_.Add(doc, t).ok());
    float len = 0;
    for (const auto& [key, count] : t.terms) {
      Flat& f = flat_[key];
      f.docs.push_back(doc);
      f.tfs.push_back(count);
      len += count;
    }
    lens_.push_back(len);
    total_ += len;
  }

  const LexicalIndex& index() const { return index_; }

  std::vector<LexicalHit> Exhaustive(const std::vector<LexicalQueryTerm>& q,
                                     size_t k) {
    const LexicalOptions& o = options_;
    const double n = double(lens_.size()), avg = total_ / n;
    const float c0 = float(o.k1 * (1 - o.b)), c1 = float(o.k1 * o.b / avg);
    acc_.resize(lens_.size(), 0.0f);
    for (const auto& t : q) {
      auto it = flat_.find(t.key);
      if (it == flat_.end()) continue;
      const int kind = int(t.key >> 62);
      const double kw = kind == 0   ? o.word_weight
                        : kind == 1 ? o.unigram_weight
                                    : o.bigram_weight;
      const Flat& f = it->second;
      const double df = double(f.docs.size());
      const float w =
          float(kw * t.weight * std::log(1 + (n - df + 0.5) / (df + 0.5)) *
                (o.k1 + 1));
      for (size_t i = 0; i < f.docs.size(); ++i) {
        const uint32_t d = f.docs[i];
        acc_[d] += w * f.tfs[i] / (f.tfs[i] + (c0 + c1 * lens_[d]));
      }
    }
    std::vector<LexicalHit> heap;
    heap.reserve(k);
    for (uint32_t d = 0; d < acc_.size(); ++d) {
      if (acc_[d] == 0) continue;
      const LexicalHit h{d, acc_[d]};
      acc_[d] = 0;
      if (heap.size() < k) {
        heap.push_back(h);
        std::push_heap(heap.begin(), heap.end(), Better);
      } else if (Better(h, heap.front())) {
        std::pop_heap(heap.begin(), heap.end(), Better);
        heap.back() = h;
        std::push_heap(heap.begin(), heap.end(), Better);
      }
    }
    std::sort_heap(heap.begin(), heap.end(), Better);
    return heap;
  }

  /// Prints CPU time per query (best of 5 passes) of Search, Search with a
  /// 50% allow predicate, and the exhaustive baseline, and checks that
  /// Search and the baseline agree.
  void Time(const char* name,
            const std::vector<std::vector<LexicalQueryTerm>>& queries) {
    double terms = 0, postings = 0;
    for (const auto& q : queries) {
      terms += double(q.size());
      for (const auto& t : q) {
        auto it = flat_.find(t.key);
        if (it != flat_.end()) postings += double(it->second.docs.size());
      }
    }
    const double nq = double(queries.size());
    std::printf("%s: %zu queries, %.1f terms and %.0f postings per query\n",
                name, queries.size(), terms / nq, postings / nq);
    const std::function<bool(uint32_t)> half = [](uint32_t d) {
      return d % 2 == 0;
    };
    for (size_t k : {10, 100}) {
      double best[3] = {1e300, 1e300, 1e300};
      size_t sink = 0;
      for (int rep = 0; rep < 5; ++rep) {
        double t = CpuMicros();
        for (const auto& q : queries) sink += index_.Search(q, k).size();
        best[0] = std::min(best[0], CpuMicros() - t);
        t = CpuMicros();
        for (const auto& q : queries) sink += index_.Search(q, k, &half).size();
        best[1] = std::min(best[1], CpuMicros() - t);
        t = CpuMicros();
        for (const auto& q : queries) sink += Exhaustive(q, k).size();
        best[2] = std::min(best[2], CpuMicros() - t);
      }
      size_t agree = 0;
      for (const auto& q : queries) {
        const auto a = index_.Search(q, k);
        const auto b = Exhaustive(q, k);
        bool same = a.size() == b.size();
        for (size_t i = 0; same && i < a.size(); ++i) {
          same = Close(a[i].score, b[i].score, 1e-5);
        }
        agree += same;
      }
      std::printf(
          "  k=%3zu: MaxScore %.1f us/query (CPU), with allow(50%%) %.1f, "
          "exhaustive %.1f; top-k scores agree on %zu/%zu (%zu)\n",
          k, best[0] / nq, best[1] / nq, best[2] / nq, agree, queries.size(),
          sink);
      CHECK(agree == queries.size());
    }
  }

 private:
  struct Flat {
    std::vector<uint32_t> docs;
    std::vector<float> tfs;
  };
  LexicalOptions options_;
  LexicalIndex index_;
  std::unordered_map<uint64_t, Flat> flat_;
  std::vector<float> lens_;
  std::vector<float> acc_;
  double total_ = 0;
};

/// A synthetic Chinese-like corpus: documents are sequences of words from a
/// Zipf vocabulary; each word is 1-4 characters from a Zipf alphabet. Terms
/// are the words, the characters (unigrams) and adjacent character pairs
/// (bigrams), counted like the analyzer's output.
struct Synthetic {
  std::vector<std::vector<uint32_t>> words;  // word -> chars
  std::vector<std::vector<uint32_t>> docs;   // doc -> words
};

DocTerms TermsOfWords(const Synthetic& s, const uint32_t* w, size_t n) {
  std::vector<std::pair<uint64_t, float>> occ;
  std::vector<uint32_t> chars;
  for (size_t i = 0; i < n; ++i) {
    occ.emplace_back(W("w" + std::to_string(w[i])), 1.0f);
    for (uint32_t c : s.words[w[i]]) chars.push_back(c);
  }
  for (size_t i = 0; i < chars.size(); ++i) {
    occ.emplace_back(U("c" + std::to_string(chars[i])), 1.0f);
    if (i + 1 < chars.size()) {
      occ.emplace_back(B("c" + std::to_string(chars[i]) + "_" +
                         std::to_string(chars[i + 1])),
                       1.0f);
    }
  }
  return Terms(std::move(occ));
}

TEST_CASE("lexical: MaxScore vs exhaustive on 17k synthetic documents",
          "[.bench][lexical]") {
  std::mt19937_64 rng(2026);
  const size_t kChars = 3500, kWords = 40000, kDocs = 17000;
  std::vector<double> cw(kChars), ww(kWords);
  for (size_t i = 0; i < kChars; ++i)
    cw[i] = 1.0 / std::pow(double(i + 1), 0.9);
  for (size_t i = 0; i < kWords; ++i)
    ww[i] = 1.0 / std::pow(double(i + 1), 1.0);
  std::discrete_distribution<uint32_t> char_dist(cw.begin(), cw.end());
  std::discrete_distribution<uint32_t> word_dist(ww.begin(), ww.end());
  Synthetic s;
  s.words.resize(kWords);
  for (auto& w : s.words) {
    const size_t len = 1 + rng() % 4;
    for (size_t i = 0; i < len; ++i) w.push_back(char_dist(rng));
  }
  s.docs.resize(kDocs);
  BenchCorpus corpus;
  double distinct = 0;
  const double t0 = CpuMicros();
  for (uint32_t d = 0; d < kDocs; ++d) {
    size_t chars = 0;
    while (chars < 221) {
      const uint32_t w = word_dist(rng);
      s.docs[d].push_back(w);
      chars += s.words[w].size();
    }
    const DocTerms t = TermsOfWords(s, s.docs[d].data(), s.docs[d].size());
    corpus.Add(t);
    distinct += double(t.terms.size());
  }
  const double build_ms = (CpuMicros() - t0) / 1e3;
  const LexicalIndex& index = corpus.index();
  std::printf(
      "17k synthetic docs (221 chars): %.0f distinct terms/doc, %zu "
      "terms, %.1f MB; generated and added in %.0f ms\n",
      distinct / kDocs, index.num_terms(), double(index.memory_bytes()) / 1e6,
      build_ms);

  // Queries: ~20- and ~6-character snippets of documents.
  for (size_t qchars : {20, 6}) {
    std::vector<std::vector<LexicalQueryTerm>> queries;
    for (int i = 0; i < 500; ++i) {
      const auto& doc = s.docs[rng() % kDocs];
      size_t start = rng() % (doc.size() / 2), end = start, chars = 0;
      while (end < doc.size() && chars < qchars)
        chars += s.words[doc[end++]].size();
      queries.push_back(
          ToLexicalQuery(TermsOfWords(s, doc.data() + start, end - start)));
    }
    corpus.Time(qchars == 20 ? "synthetic, 20-char queries"
                             : "synthetic, 6-char queries",
                queries);
  }
}

TEST_CASE("lexical: MaxScore vs exhaustive on csl-match", "[.bench][lexical]") {
  const std::string corpus_file = testing::SharedFile("csl-match/corpus.jsonl");
  const std::string query_file =
      testing::SharedFile("csl-match/queries_dev.jsonl");
  if (corpus_file.empty() || query_file.empty()) {
    TECHMATCH_SKIP(testing::Absent("csl-match"));
  }
  auto records = ReadRecordsJsonlFile(corpus_file);
  REQUIRE(records.ok());
  auto analyzer = Analyzer::Create(AnalyzerOptions{});
  REQUIRE(analyzer.ok());
  BenchCorpus corpus;
  for (const Record& r : *records) {
    DocTerms t;
    REQUIRE(AnalyzeRecord(**analyzer, r, FieldWeights{}, &t).ok());
    corpus.Add(t);
  }
  std::printf("csl-match: %zu docs, %zu terms, %.1f MB\n",
              corpus.index().size(), corpus.index().num_terms(),
              double(corpus.index().memory_bytes()) / 1e6);
  std::vector<std::vector<LexicalQueryTerm>> titles, keywords;
  std::istringstream in(testing::ReadFile(query_file));
  std::string line;
  while (std::getline(in, line)) {
    const auto j = nlohmann::json::parse(line);
    DocTerms t;
    REQUIRE(AnalyzeText(**analyzer, j["text"].get<std::string>(), &t).ok());
    (j["type"] == "title" ? titles : keywords).push_back(ToLexicalQuery(t));
  }
  corpus.Time("csl-match title queries", titles);
  corpus.Time("csl-match keyword queries", keywords);
}

}  // namespace
}  // namespace techmatch::internal

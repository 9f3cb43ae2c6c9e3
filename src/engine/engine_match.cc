// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Engine matching: both first stages, fusion, features, scoring,
// explanations.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "engine/engine_impl.h"
#include "engine/features.h"
#include "index/exact_scan.h"
#include "util/catch_all.h"
#include "util/parallel.h"

namespace techmatch {
namespace {

using internal::DocInfo;
using internal::LexicalQueryTerm;

/// The query, analyzed.
struct QueryView {
  internal::DocTerms terms;        // field-weighted, collapsed
  std::vector<uint64_t> keys;      // distinct keys of every query term
  std::vector<LexicalQueryTerm> lexical;
  std::vector<float> vector;       // normalized; empty if none
};

struct Candidate {
  uint32_t doc = 0;
  float lexical = 0;
  float dense = 0;
  bool by_lexical = false;
  bool by_dense = false;
  int lexical_rank = -1;
  int dense_rank = -1;
  double fused = 0;
  std::array<double, kNumFeatures> features{};
  double score = 0;
};

bool Normalize(std::vector<float>* v) {
  double s = 0;
  for (float x : *v) s += double(x) * x;
  if (!(s > 0) || !std::isfinite(s)) return false;
  const float inv = float(1.0 / std::sqrt(s));
  for (float& x : *v) x *= inv;
  return true;
}

/// Every term of the query with its field, for explanation spans.
struct FieldTerms {
  TextField field;
  uint32_t index;
  std::vector<Term> terms;
};

Status AnalyzeFields(const Analyzer& analyzer, const Record* record,
                     std::string_view text, std::vector<FieldTerms>* out) {
  out->clear();
  auto add = [&](TextField f, uint32_t index, std::string_view s) -> Status {
    if (s.empty()) return Status::OK();
    FieldTerms ft{f, index, {}};
    TECHMATCH_RETURN_IF_ERROR(analyzer.Analyze(s, &ft.terms));
    out->push_back(std::move(ft));
    return Status::OK();
  };
  if (record == nullptr) return add(TextField::kText, 0, text);
  TECHMATCH_RETURN_IF_ERROR(add(TextField::kTitle, 0, record->title));
  for (size_t i = 0; i < record->keywords.size(); ++i) {
    TECHMATCH_RETURN_IF_ERROR(
        add(TextField::kKeywords, uint32_t(i), record->keywords[i]));
  }
  return add(TextField::kText, 0, record->text);
}

void CollectSpans(const std::vector<FieldTerms>& fields, uint64_t key,
                  std::vector<TextSpan>* spans, std::string* text,
                  TermKind* kind) {
  for (const FieldTerms& ft : fields) {
    for (const Term& t : ft.terms) {
      if (internal::TermKey(t.kind, t.text) != key) continue;
      spans->push_back(TextSpan{ft.field, ft.index, t.begin, t.end});
      if (text->empty()) {
        *text = t.text;
        *kind = t.kind;
      }
    }
  }
}

}  // namespace

Status Engine::Impl::MatchOne(const Record* query, std::string_view text,
                              const MatchOptions& mo, MatchResult* out) const {
  TECHMATCH_RETURN_IF_ERROR(mo.Validate());
  if (!built) {
    return Status::FailedPrecondition("engine: Build() has not run");
  }
  if (query != nullptr) {
    TECHMATCH_RETURN_IF_ERROR(query->Validate());
  }
  // Per-stage clock, read only when profiling.
  using Clock = std::chrono::steady_clock;
  const Clock::time_point start = mo.profile ? Clock::now() : Clock::time_point();
  Clock::time_point lap = start;
  auto stage = [&](double* ms) {
    if (!mo.profile) return;
    const Clock::time_point now = Clock::now();
    *ms += std::chrono::duration<double, std::milli>(now - lap).count();
    lap = now;
  };
  MatchTimings& tm = out->timings;
  tm = MatchTimings{};
  out->query_id = query != nullptr ? query->id : std::string();
  out->matches.clear();
  out->needs_follow_up = true;
  out->confidence = 0;
  out->category.clear();
  out->category_inferred = false;

  const RecordKind target =
      mo.target ? *mo.target
                : (query != nullptr && query->kind == RecordKind::kSupply
                       ? RecordKind::kDemand
                       : RecordKind::kSupply);
  if (query != nullptr && !query->categories.empty()) {
    out->category = query->categories.front();
  }
  if (mo.filter.kind && *mo.filter.kind != target) return Status::OK();
  const size_t tk = internal::KindIndex(target);

  // ---- analyze and embed the query
  QueryView q;
  std::vector<FieldTerms> qfields;
  TECHMATCH_RETURN_IF_ERROR(AnalyzeFields(*analyzer, query, text, &qfields));
  // Field-weighted like AnalyzeRecord (a free text weighs 1), from the
  // field terms kept for the explanation spans.
  for (const FieldTerms& ft : qfields) {
    const float w = query == nullptr                   ? 1.0f
                    : ft.field == TextField::kTitle    ? field_weights.title
                    : ft.field == TextField::kKeywords ? field_weights.keywords
                                                       : field_weights.text;
    if (w > 0) internal::AccumulateTerms(ft.terms, w, &q.terms.terms);
  }
  internal::CollapseTerms(&q.terms.terms);
  for (const auto& kv : q.terms.terms) q.keys.push_back(kv.first);
  q.lexical = internal::ToLexicalQuery(q.terms);
  stage(&tm.analyze_ms);
  const size_t dim = embedder->dim();
  q.vector.assign(dim, 0.0f);
  if (query != nullptr) {
    TECHMATCH_RETURN_IF_ERROR(embedder->EmbedRecords({*query}, q.vector.data()));
  } else {
    TECHMATCH_RETURN_IF_ERROR(embedder->EmbedText(text, q.vector.data()));
  }
  if (!Normalize(&q.vector)) q.vector.clear();
  stage(&tm.embed_ms);

  // ---- which records may come back
  const bool self_possible = query != nullptr && query->kind == target;
  const int64_t self = self_possible ? Find(RecordKey{query->kind, query->id}) : -1;
  const bool filtered = !mo.filter.empty();
  auto allowed = [&](uint32_t doc) {
    if (int64_t(doc) == self) return false;
    if (!filtered) return true;
    return mo.filter.Matches(docs[doc].record);
  };
  std::function<bool(uint32_t)> allow_fn = allowed;
  const bool need_allow = filtered || self >= 0;

  // ---- first stage
  // Depths grow with k, so that k candidates can come back.
  size_t lexical_k = mo.lexical_k.value_or(options.fusion.lexical_k);
  if (lexical_k > 0) lexical_k = std::max(lexical_k, mo.k);
  size_t dense_k = mo.dense_k.value_or(options.fusion.dense_k);
  if (dense_k > 0 && lexical_k == 0) dense_k = std::max(dense_k, mo.k);
  const size_t rerank_depth = std::max(options.fusion.rerank_depth, mo.k);
  std::vector<Candidate> cands;
  std::unordered_map<uint32_t, size_t> where;
  where.reserve(lexical_k + dense_k);
  if (lexical_k == 0 && dense_k == 0) {
    return Status::InvalidArgument(
        "match: lexical_k and dense_k are both 0 (per call or by default)");
  }
  if (lexical_k > 0) {
    auto hits = lexical[tk]->Search(q.lexical, lexical_k,
                                    need_allow ? &allow_fn : nullptr);
    for (size_t r = 0; r < hits.size(); ++r) {
      Candidate c;
      c.doc = hits[r].doc;
      c.lexical = hits[r].score;
      c.by_lexical = true;
      c.lexical_rank = int(r);
      where.emplace(c.doc, cands.size());
      cands.push_back(c);
    }
  }
  stage(&tm.lexical_ms);
  if (dense_k > 0 && !q.vector.empty() && dense->size() > 0) {
    const size_t other = 1 - tk;
    std::unique_ptr<DenseFilter> dfilter;
    if (need_allow || live[other] > 0) {
      dfilter = MakePredicateFilter([&](uint64_t id) {
        const DocInfo& d = docs[size_t(id)];
        return d.live && d.record.kind == target && allowed(uint32_t(id));
      });
    }
    DenseSearchOptions so;
    so.k = dense_k;
    so.nprobe = mo.nprobe;
    so.ef_search = mo.ef_search;
    so.filter = dfilter.get();
    auto hits = dense->Search(q.vector.data(), so);
    if (!hits.ok()) return hits.status();
    for (size_t r = 0; r < hits->size(); ++r) {
      const uint32_t doc = uint32_t((*hits)[r].id);
      auto it = where.find(doc);
      if (it == where.end()) {
        Candidate c;
        c.doc = doc;
        c.lexical = lexical[tk]->Score(q.lexical, doc);
        where.emplace(doc, cands.size());
        cands.push_back(c);
        it = where.find(doc);
      }
      Candidate& c = cands[it->second];
      c.dense = (*hits)[r].score;
      c.by_dense = true;
      c.dense_rank = int(r);
    }
  }
  stage(&tm.dense_ms);
  if (cands.empty()) {
    if (mo.profile) {
      tm.total_ms = std::chrono::duration<double, std::milli>(lap - start).count();
    }
    return Status::OK();
  }

  // Dense similarity of lexical-only candidates; vectors for the centroid.
  std::vector<float> vecs(cands.size() * dim, 0.0f);
  std::vector<bool> has_vec(cands.size(), false);
  for (size_t i = 0; i < cands.size(); ++i) {
    if (!docs[cands[i].doc].has_vector || q.vector.empty()) continue;
    if (dense->GetVector(cands[i].doc, vecs.data() + i * dim).ok()) {
      has_vec[i] = true;
      if (!cands[i].by_dense) {
        cands[i].dense = internal::Dot(vecs.data() + i * dim, q.vector.data(), dim);
      }
    }
  }

  // ---- fusion
  float max_lexical = 0;
  for (const Candidate& c : cands) max_lexical = std::max(max_lexical, c.lexical);
  const FusionOptions& fo = options.fusion;
  for (Candidate& c : cands) {
    if (fo.method == FusionMethod::kRrf) {
      c.fused = (c.lexical_rank >= 0 ? 1.0 / (fo.rrf_k + c.lexical_rank + 1) : 0) +
                (c.dense_rank >= 0 ? 1.0 / (fo.rrf_k + c.dense_rank + 1) : 0);
    } else {
      c.fused = (max_lexical > 0 ? c.lexical / max_lexical : 0.0) +
                fo.dense_weight * c.dense;
    }
  }
  std::vector<size_t> order(cands.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  auto by_fused = [&](size_t a, size_t b) {
    if (cands[a].fused != cands[b].fused) return cands[a].fused > cands[b].fused;
    return cands[a].doc < cands[b].doc;
  };
  std::sort(order.begin(), order.end(), by_fused);
  if (order.size() > rerank_depth) order.resize(rerank_depth);

  // ---- centroid of the top candidates; category
  const ScorerOptions& so = options.scorer;
  std::vector<float> centroid(dim, 0.0f);
  std::vector<const std::vector<std::string>*> votes;
  for (size_t r = 0; r < order.size() && r < so.centroid_depth; ++r) {
    const size_t i = order[r];
    if (has_vec[i]) {
      const float* v = vecs.data() + i * dim;
      for (size_t j = 0; j < dim; ++j) centroid[j] += v[j];
    }
    votes.push_back(&docs[cands[i].doc].record.categories);
  }
  const bool have_centroid = Normalize(&centroid);
  std::vector<std::string> qcats;
  if (query != nullptr) qcats = query->categories;
  if (qcats.empty() && so.infer_category) {
    if (auto inferred = internal::InferCategory(votes, 0.4)) {
      out->category = *inferred;
      out->category_inferred = true;
      qcats.push_back(*inferred);
    }
  }

  // ---- features and scores
  const int64_t today = internal::TodayDays();
  const ScorerWeights& w = mo.weights ? *mo.weights : weights;
  for (size_t i : order) {
    Candidate& c = cands[i];
    const DocInfo& d = docs[c.doc];
    auto& f = c.features;
    f[size_t(Feature::kLexical)] =
        max_lexical > 0 ? std::pow(double(c.lexical) / max_lexical, so.lexical_power)
                        : 0.0;
    f[size_t(Feature::kDense)] = c.dense;
    f[size_t(Feature::kCentroid)] =
        have_centroid && has_vec[i]
            ? internal::Dot(vecs.data() + i * dim, centroid.data(), dim)
            : 0.0;
    f[size_t(Feature::kTitleOverlap)] = internal::OverlapShare(q.keys, d.title_keys);
    f[size_t(Feature::kKeywordOverlap)] =
        internal::KeywordShare(q.keys, d.keyword_keys);
    f[size_t(Feature::kCategory)] =
        internal::CategoryFeature(qcats, d.record.categories);
    if (query != nullptr) {
      const Record& demand = target == RecordKind::kSupply ? *query : d.record;
      const Record& supply = target == RecordKind::kSupply ? d.record : *query;
      f[size_t(Feature::kRegion)] =
          internal::RegionFeature(query->region, d.record.region);
      if (demand.kind == RecordKind::kDemand &&
          supply.kind == RecordKind::kSupply) {
        f[size_t(Feature::kMaturity)] =
            internal::MaturityFeature(demand.maturity, supply.maturity);
        f[size_t(Feature::kPrice)] =
            internal::PriceFeature(demand.price, supply.price);
      }
    }
    f[size_t(Feature::kRecency)] = internal::RecencyFeature(
        d.record.created, today, so.recency_half_life_days);
    double s = w.bias;
    for (size_t j = 0; j < kNumFeatures; ++j) s += w.weight[j] * f[j];
    c.score = s;
  }
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (cands[a].score != cands[b].score) return cands[a].score > cands[b].score;
    return by_fused(a, b);
  });
  if (order.size() > mo.k) order.resize(mo.k);
  stage(&tm.rerank_ms);

  // ---- results and explanations
  std::vector<FieldTerms> rfields;
  out->matches.reserve(order.size());
  for (size_t r = 0; r < order.size(); ++r) {
    const Candidate& c = cands[order[r]];
    const DocInfo& d = docs[c.doc];
    techmatch::Match m;
    m.key = RecordKey{d.record.kind, d.record.id};
    m.score = c.score;
    m.rank = r + 1;
    m.lexical_score = c.lexical;
    m.dense_score = c.dense;
    if (mo.explain) {
      Explanation& e = m.explanation;
      e.bias = w.bias;
      e.found_by = c.by_lexical && c.by_dense ? "both"
                   : c.by_lexical             ? "lexical"
                                              : "dense";
      for (size_t j = 0; j < kNumFeatures; ++j) {
        e.features.push_back(FeatureContribution{
            Feature(j), c.features[j], w.weight[j], w.weight[j] * c.features[j]});
      }
      auto terms = mo.max_explained_terms > 0
                       ? lexical[tk]->Explain(q.lexical, c.doc)
                       : std::vector<internal::LexicalTermScore>{};
      std::sort(terms.begin(), terms.end(), [](const auto& a, const auto& b) {
        return a.score != b.score ? a.score > b.score : a.key < b.key;
      });
      if (terms.size() > mo.max_explained_terms) {
        terms.resize(mo.max_explained_terms);
      }
      if (!terms.empty()) {
        TECHMATCH_RETURN_IF_ERROR(
            AnalyzeFields(*analyzer, &d.record, {}, &rfields));
      }
      for (const auto& t : terms) {
        MatchedTerm mt;
        mt.contribution = t.score;
        CollectSpans(qfields, t.key, &mt.query_spans, &mt.text, &mt.kind);
        CollectSpans(rfields, t.key, &mt.record_spans, &mt.text, &mt.kind);
        e.matched_terms.push_back(std::move(mt));
      }
    }
    out->matches.push_back(std::move(m));
  }
  // Confidence of the best match: its share of the query's words and
  // bigrams (unigrams say little alone) and its cosine similarity.
  out->confidence = 0;
  if (!order.empty()) {
    const Candidate& best = cands[order.front()];
    size_t wanted = 0, found = 0;
    for (const auto& [key, w] : q.terms.terms) {
      (void)w;
      wanted += internal::TermKeyKind(key) != TermKind::kUnigram;
    }
    for (const auto& t : lexical[tk]->Explain(q.lexical, best.doc)) {
      found += internal::TermKeyKind(t.key) != TermKind::kUnigram;
    }
    const double coverage = wanted > 0 ? double(found) / double(wanted) : 0.0;
    out->confidence = 0.5 * coverage + 0.5 * std::max(0.0, double(best.dense));
  }
  out->needs_follow_up =
      out->matches.empty() || out->confidence < so.follow_up_floor;
  stage(&tm.explain_ms);
  if (mo.profile) {
    tm.total_ms = std::chrono::duration<double, std::milli>(lap - start).count();
  }
  return Status::OK();
}

Result<MatchResult> Engine::Match(const Record& query,
                                  const MatchOptions& options) const {
  return internal::CatchAll("engine match", [&]() -> Result<MatchResult> {
    std::shared_lock<internal::FairSharedMutex> lock(impl_->mu);
    MatchResult out;
    TECHMATCH_RETURN_IF_ERROR(
        impl_->MatchOne(&query, {}, options, &out)
            .WithContext("query " + std::string(RecordKindName(query.kind)) +
                         " \"" + query.id + "\""));
    return out;
  });
}

Result<MatchResult> Engine::MatchText(std::string_view text,
                                      const MatchOptions& options) const {
  return internal::CatchAll("engine match", [&]() -> Result<MatchResult> {
    std::shared_lock<internal::FairSharedMutex> lock(impl_->mu);
    MatchResult out;
    TECHMATCH_RETURN_IF_ERROR(impl_->MatchOne(nullptr, text, options, &out));
    return out;
  });
}

Result<std::vector<MatchResult>> Engine::MatchBatch(
    const std::vector<MatchQuery>& queries, const MatchOptions& options,
    int threads) const {
  return internal::CatchAll(
      "engine match", [&]() -> Result<std::vector<MatchResult>> {
        std::vector<MatchResult> out(queries.size());
        const int t = internal::ResolveThreads(
            threads > 0 ? threads : impl_->options.threads);
        TECHMATCH_RETURN_IF_ERROR(internal::ParallelFor(
            queries.size(), t, [&](int, size_t b, size_t e) -> Status {
              for (size_t i = b; i < e; ++i) {
                const MatchQuery& mq = queries[i];
                std::shared_lock<internal::FairSharedMutex> lock(impl_->mu);
                Status s = impl_->MatchOne(mq.record, mq.text, options, &out[i]);
                if (!s.ok()) {
                  const std::string& id =
                      mq.id.empty() && mq.record != nullptr ? mq.record->id : mq.id;
                  return s.WithContext("query " + std::to_string(i) + " \"" + id +
                                       "\"");
                }
                if (!mq.id.empty() || mq.record == nullptr) {
                  out[i].query_id = mq.id;
                }
              }
              return Status::OK();
            }));
        return out;
      });
}

}  // namespace techmatch

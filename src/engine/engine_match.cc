// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Engine matching: the pipeline's stages in order — analyze and embed the
// query (match_query), candidates (candidates), fusion (fusion), features
// and scores (rerank), explanations and confidence (explain).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <utility>

#include "analysis/normalizer.h"
#include "analysis/term_locator.h"
#include "engine/candidates.h"
#include "engine/engine_impl.h"
#include "engine/explain.h"
#include "engine/fusion.h"
#include "engine/match_query.h"
#include "engine/rerank.h"
#include "scoring/features.h"
#include "util/catch_all.h"
#include "util/parallel.h"

namespace techmatch {
namespace internal {
namespace {

/// Adds the time since the last lap to a MatchTimings field; reads the
/// clock only when profiling.
class StageClock {
 public:
  using Clock = std::chrono::steady_clock;
  StageClock(bool on, MatchTimings* timings) : on_(on), timings_(timings) {
    *timings_ = MatchTimings{};
    if (on_) start_ = lap_ = Clock::now();
  }
  void Lap(double MatchTimings::*field) {
    if (!on_) return;
    const Clock::time_point now = Clock::now();
    timings_->*field += std::chrono::duration<double, std::milli>(now - lap_).count();
    lap_ = now;
  }
  /// Sets total_ms; returns OK for the caller to return.
  Status Done() {
    if (on_) {
      timings_->total_ms =
          std::chrono::duration<double, std::milli>(lap_ - start_).count();
    }
    return Status::OK();
  }

 private:
  bool on_;
  MatchTimings* timings_;
  Clock::time_point start_, lap_;
};

/// Where a query searches and what may come back.
struct MatchPlan {
  RecordKind target = RecordKind::kSupply;
  size_t tk = 0;      // KindIndex(target)
  int64_t self = -1;  // the query's own doc when it is of the target kind
  size_t lexical_k = 0, dense_k = 0, rerank_depth = 0;
  std::function<bool(uint32_t)> allow;  // null = every doc of the target kind
  std::unique_ptr<DenseFilter> dense_filter;
};

void ResetResult(const MatchQuery& mq, MatchResult* out) {
  out->query_id = !mq.id.empty() ? mq.id
                  : mq.record != nullptr ? mq.record->id
                                         : std::string();
  out->matches.clear();
  out->needs_follow_up = true;
  out->confidence = 0;
  out->raw_confidence = 0;
  out->category.clear();
  out->category_inferred = false;
  if (mq.record != nullptr && !mq.record->categories.empty()) {
    out->category = mq.record->categories.front();
  }
}

/// The plan for one query: target kind, depths (which grow with k, so that
/// k candidates can come back), and the filters of both first stages.
MatchPlan PlanMatch(const EngineImpl& e, const MatchQuery& mq,
                    const MatchOptions& mo) {
  MatchPlan p;
  const Record* query = mq.record;
  p.target = mo.target ? *mo.target
                       : (query != nullptr && query->kind == RecordKind::kSupply
                              ? RecordKind::kDemand
                              : RecordKind::kSupply);
  p.tk = KindIndex(p.target);
  if (query != nullptr && query->kind == p.target) {
    p.self = e.Find(RecordKey{query->kind, query->id});
  }
  const FusionOptions& fo = e.options_.fusion;
  p.lexical_k = mo.lexical_k.value_or(fo.lexical_k);
  if (p.lexical_k > 0) p.lexical_k = std::max(p.lexical_k, mo.k);
  p.dense_k = mo.dense_k.value_or(fo.dense_k);
  if (p.dense_k > 0 && p.lexical_k == 0) p.dense_k = std::max(p.dense_k, mo.k);
  p.rerank_depth = std::max(fo.rerank_depth, mo.k);
  const bool filtered = !mo.filter.empty();
  const int64_t self = p.self;
  const std::vector<DocInfo>* docs = &e.docs_;
  const RecordFilter* filter = &mo.filter;
  if (filtered || self >= 0) {
    p.allow = [=](uint32_t doc) {
      return int64_t(doc) != self && (!filtered || filter->Matches((*docs)[doc].record));
    };
  }
  // The dense index holds both kinds: filter by kind when the other is
  // present, and by `allow`.
  if (p.allow || e.live_[1 - p.tk] > 0) {
    const RecordKind target = p.target;
    std::function<bool(uint32_t)> allow = p.allow;
    p.dense_filter = MakePredicateFilter([=](uint64_t id) {
      const DocInfo& d = (*docs)[size_t(id)];
      return d.live && d.record.kind == target && (!allow || allow(uint32_t(id)));
    });
  }
  return p;
}

/// The query's vector when the caller gave none and the engine cannot
/// embed (External): a stored record query's own vector.
Status StoredQueryVector(const EngineImpl& e, const MatchQuery& mq, QueryView* q) {
  if (mq.record != nullptr) {
    const int64_t doc = e.Find(RecordKey{mq.record->kind, mq.record->id});
    if (doc >= 0 && e.docs_[size_t(doc)].has_vector) {
      q->vector.assign(e.dense_->dim(), 0.0f);
      TECHMATCH_RETURN_IF_ERROR(e.dense_->GetVector(uint64_t(doc), q->vector.data()));
      NormalizeVector(&q->vector);
      return Status::OK();
    }
  }
  return Status::InvalidArgument(
      "match: the engine's vectors are External: give the query's vector "
      "(MatchQuery::vector), query a stored record, or set dense_k = 0");
}

/// What locating the shared terms needs, made once per query.
struct LocateContext {
  const Normalizer* normalizer = nullptr;
  std::unordered_map<uint64_t, const std::string*> query_words;  // WordTexts
};

/// Keeps the `max_terms` largest of `terms` (sorted largest first) and
/// fills `fields` with where they occur in `record`: found by a
/// TermLocator (the record's fields normalized and scanned for these keys,
/// no word breaking), or by analyzing the record when a word's text is
/// unknown (a word that a synonym added: the query's fields do not hold
/// it).
Status LocateMatchedTerms(const EngineImpl& e, const LocateContext& ctx, const Record& record,
                          size_t max_terms, std::vector<LexicalTermScore>* terms,
                          AnalyzedRecord* fields) {
  if (terms->size() > max_terms) terms->resize(max_terms);  // sorted by ExplainMany
  TermLocator locator(ctx.normalizer);
  for (const LexicalTermScore& t : *terms) {
    if (TermKeyKind(t.key) != TermKind::kWord) {
      locator.WantNgram(t.key);
      continue;
    }
    auto it = ctx.query_words.find(t.key);
    if (it == ctx.query_words.end()) return AnalyzeFields(*e.analyzer_, record, fields);
    locator.WantWord(*it->second);
  }
  // Enough occurrences for each term's spans in any one field.
  const size_t cap = MatchedTerm::kMaxSpans;
  fields->title.clear();
  fields->text.clear();
  fields->keywords.assign(record.keywords.size(), {});
  TECHMATCH_RETURN_IF_ERROR(locator.Locate(record.title, cap, &fields->title));
  for (size_t i = 0; i < record.keywords.size(); ++i) {
    TECHMATCH_RETURN_IF_ERROR(locator.Locate(record.keywords[i], cap, &fields->keywords[i]));
  }
  return locator.Locate(record.text, cap, &fields->text);
}

/// The matches in `order` (best first), explained when asked, and the
/// query's confidence.
Status FillMatches(const EngineImpl& e, const QueryView& q, size_t tk,
                   const std::vector<Candidate>& cands,
                   const std::vector<size_t>& order, const Scorer& scorer,
                   const MatchOptions& mo, MatchResult* out) {
  const LexicalIndex& lexical = *e.lexical_[tk];
  AnalyzedRecord rfields;
  out->matches.reserve(order.size());
  // The shared terms of every returned record (the best one's give the
  // confidence), the query prepared once.
  std::vector<uint32_t> docs;
  const bool explain_terms = mo.explain && mo.max_explained_terms > 0;
  for (size_t r = 0; r < order.size() && (explain_terms || r == 0); ++r) {
    docs.push_back(cands[order[r]].doc);
  }
  std::vector<std::vector<LexicalTermScore>> shared = lexical.ExplainMany(q.lexical, docs);
  LocateContext ctx;
  if (explain_terms && !order.empty()) {
    const AnalyzerOptions& ao = e.analyzer_->options();
    Result<const Normalizer*> normalizer =
        Normalizer::Get(ao.normalize, ao.traditional_to_simplified);
    if (!normalizer.ok()) return normalizer.status();
    ctx.normalizer = *normalizer;
    ctx.query_words = WordTexts(q.fields);
  }
  for (size_t r = 0; r < order.size(); ++r) {
    const Candidate& c = cands[order[r]];
    const DocInfo& d = e.docs_[c.doc];
    techmatch::Match m;
    m.key = RecordKey{d.record.kind, d.record.id};
    m.score = c.score;
    m.rank = r + 1;
    m.lexical_score = c.lexical;
    m.dense_score = c.dense;
    if (mo.explain) {
      ExplainFeatures(scorer, c, &m.explanation);
      if (mo.max_explained_terms > 0) {
        // The best match's terms also give the confidence (below).
        std::vector<LexicalTermScore> terms = r == 0 ? shared[r] : std::move(shared[r]);
        if (!terms.empty()) {
          TECHMATCH_RETURN_IF_ERROR(
              LocateMatchedTerms(e, ctx, d.record, mo.max_explained_terms, &terms, &rfields));
          m.explanation.matched_terms = MatchedTerms(
              std::move(terms), mo.max_explained_terms, q.fields, rfields, q.synonym_of);
        }
      }
    }
    out->matches.push_back(std::move(m));
  }
  if (!order.empty()) {
    const Candidate& best = cands[order.front()];
    const DocInfo& bd = e.docs_[best.doc];
    out->raw_confidence = MatchConfidence(
        e.options_.scorer.confidence_measure, q.terms, shared.front(), best.dense,
        KeyTerms(bd.title_keys, bd.keyword_keys), q.synonym_of);
    out->confidence = e.calibration_.Apply(out->raw_confidence);
    const double best_score = out->matches.front().score;
    for (size_t r = 0; r < out->matches.size(); ++r) {
      techmatch::Match& m = out->matches[r];
      m.probability =
          r == 0 ? out->confidence
                 : std::min(out->matches[r - 1].probability,
                            e.calibration_.ApplyMatch(MatchRawProbability(
                                out->raw_confidence, m.score, best_score)));
    }
  }
  // A calibrated confidence is a probability, the raw one is not: each
  // has its floor.
  const ScorerOptions& so = e.options_.scorer;
  out->needs_follow_up =
      out->matches.empty() ||
      (e.calibration_.empty() ? out->raw_confidence < so.raw_follow_up_floor
                              : out->confidence < so.follow_up_floor);
  return Status::OK();
}

/// Fusion, features, scores and ranking; then the matches.
Status RerankAndExplain(const EngineImpl& e, const QueryView& q,
                        const MatchPlan& plan, const MatchOptions& mo,
                        CandidateList* list, StageClock* clock, MatchResult* out) {
  std::vector<Candidate>& cands = list->items;
  std::vector<float> vectors;
  AttachVectors(e.dense_.get(), e.docs_, q.vector, list, &vectors);
  std::vector<size_t> order = Fuse(e.options_.fusion, plan.rerank_depth, &cands);
  std::vector<float> centroid;
  std::optional<std::string> inferred;
  const FeatureQuery fq =
      MakeFeatureQuery(q, cands, order, e.docs_, e.options_.scorer, DaysOf(mo.today),
                       e.embedder_->dim(), &centroid, &inferred);
  if (inferred) {
    out->category = *inferred;
    out->category_inferred = true;
  }
  std::optional<LinearScorer> call_linear;  // MatchOptions::weights
  const Scorer* scorer = mo.scorer != nullptr ? mo.scorer
                         : mo.weights         ? &call_linear.emplace(*mo.weights)
                                              : e.scorer_.get();
  ScoreCandidates(fq, *scorer, e.docs_, order, &cands);
  RankByScore(cands, mo.k, &order);
  clock->Lap(&MatchTimings::rerank_ms);
  TECHMATCH_RETURN_IF_ERROR(FillMatches(e, q, plan.tk, cands, order, *scorer, mo, out));
  clock->Lap(&MatchTimings::explain_ms);
  return clock->Done();
}

}  // namespace

Status EngineImpl::MatchOne(const MatchQuery& mq, const MatchOptions& mo,
                            MatchResult* out) const {
  TECHMATCH_RETURN_IF_ERROR(mo.Validate());
  if (!built_) return Status::FailedPrecondition("engine: Build() has not run");
  if (mq.record != nullptr) TECHMATCH_RETURN_IF_ERROR(mq.record->Validate());
  StageClock clock(mo.profile, &out->timings);
  ResetResult(mq, out);
  MatchPlan plan = PlanMatch(*this, mq, mo);
  if (plan.lexical_k == 0 && plan.dense_k == 0) {
    return Status::InvalidArgument(
        "match: lexical_k and dense_k are both 0 (per call or by default)");
  }
  if (mo.filter.kind && *mo.filter.kind != plan.target) return clock.Done();

  QueryView q;
  TECHMATCH_RETURN_IF_ERROR(
      AnalyzeQuery(*analyzer_, field_weights_, mq.record, mq.text, &q,
                   QuerySynonyms{synonyms_.get(), mo.synonym_weight}));
  DropCoveredUnigrams(*lexical_[plan.tk], options_.lexical.covered_unigram_max_df,
                      &q.lexical);
  clock.Lap(&MatchTimings::analyze_ms);
  TECHMATCH_RETURN_IF_ERROR(EmbedQuery(*embedder_, mq.vector, &q));
  if (external() && mq.vector.data == nullptr && plan.dense_k > 0) {
    TECHMATCH_RETURN_IF_ERROR(StoredQueryVector(*this, mq, &q));
  }
  clock.Lap(&MatchTimings::embed_ms);

  CandidateList list;
  list.where.reserve(plan.lexical_k + plan.dense_k);
  const LexicalIndex& lexical = *lexical_[plan.tk];
  if (plan.lexical_k > 0) {
    AddLexicalCandidates(lexical, q, plan.lexical_k, plan.allow ? &plan.allow : nullptr,
                         &list);
  }
  clock.Lap(&MatchTimings::lexical_ms);
  if (plan.dense_k > 0 && !q.vector.empty() && dense_->size() > 0) {
    DenseSearchOptions so;
    so.k = plan.dense_k;
    so.nprobe = mo.nprobe;
    so.ef_search = mo.ef_search;
    so.filter = plan.dense_filter.get();
    TECHMATCH_RETURN_IF_ERROR(AddDenseCandidates(*dense_, lexical, q, so, &list));
  }
  clock.Lap(&MatchTimings::dense_ms);
  if (list.items.empty()) return clock.Done();
  return RerankAndExplain(*this, q, plan, mo, &list, &clock, out);
}

Result<MatchResult> EngineImpl::Match(const MatchQuery& query,
                                      const MatchOptions& options) const {
  return CatchAll("engine match", [&]() -> Result<MatchResult> {
    std::shared_lock<FairSharedMutex> lock(mu_);
    MatchResult out;
    Status s = MatchOne(query, options, &out);
    if (!s.ok() && query.record != nullptr) {
      return s.WithContext("query " + std::string(RecordKindName(query.record->kind)) +
                           " \"" + query.record->id + "\"");
    }
    if (!s.ok()) return s;
    return out;
  });
}

Result<std::vector<MatchResult>> EngineImpl::MatchBatch(
    const std::vector<MatchQuery>& queries, const MatchOptions& options,
    int threads) const {
  return CatchAll("engine match", [&]() -> Result<std::vector<MatchResult>> {
    std::vector<MatchResult> out(queries.size());
    const int t = ResolveThreads(threads > 0 ? threads : options_.threads);
    TECHMATCH_RETURN_IF_ERROR(ParallelFor(
        queries.size(), t, [&](int, size_t b, size_t e) -> Status {
          for (size_t i = b; i < e; ++i) {
            const MatchQuery& mq = queries[i];
            std::shared_lock<FairSharedMutex> lock(mu_);
            Status s = MatchOne(mq, options, &out[i]);
            if (!s.ok()) {
              const std::string& id =
                  mq.id.empty() && mq.record != nullptr ? mq.record->id : mq.id;
              return s.WithContext("query " + std::to_string(i) + " \"" + id + "\"");
            }
          }
          return Status::OK();
        }));
    return out;
  });
}

}  // namespace internal

Result<MatchResult> Engine::Match(const Record& query,
                                  const MatchOptions& options) const {
  MatchQuery mq;
  mq.record = &query;
  return Match(mq, options);
}

Result<MatchResult> Engine::MatchText(std::string_view text,
                                      const MatchOptions& options) const {
  MatchQuery mq;
  mq.text = std::string(text);
  return Match(mq, options);
}

}  // namespace techmatch

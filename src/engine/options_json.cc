// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "engine/options_json.h"

#include <cmath>
#include <functional>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

namespace techmatch::internal {
namespace {

using nlohmann::json;

Status TypeError(const std::string& path, const char* want) {
  return Status::Corruption(path + ": expected " + want);
}

// Typed reads that never convert silently (nlohmann would turn -1 into a
// huge size_t, or 1.5 into 1).
Status Read(const json& v, const std::string& path, bool* out) {
  if (!v.is_boolean()) return TypeError(path, "true or false");
  *out = v.get<bool>();
  return Status::OK();
}
Status Read(const json& v, const std::string& path, std::string* out) {
  if (!v.is_string()) return TypeError(path, "a string");
  *out = v.get<std::string>();
  return Status::OK();
}
template <typename T>
std::enable_if_t<std::is_floating_point_v<T>, Status> Read(const json& v,
                                                           const std::string& path,
                                                           T* out) {
  if (!v.is_number()) return TypeError(path, "a number");
  *out = v.get<T>();
  return Status::OK();
}
template <typename T>
std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, Status> Read(
    const json& v, const std::string& path, T* out) {
  if (v.is_number_unsigned()) {
    const uint64_t u = v.get<uint64_t>();
    if (u > uint64_t(std::numeric_limits<T>::max())) return TypeError(path, "a smaller integer");
    *out = T(u);
    return Status::OK();
  }
  if (v.is_number_integer() && std::is_signed_v<T>) {
    const int64_t i = v.get<int64_t>();
    if (i < int64_t(std::numeric_limits<T>::min()) ||
        i > int64_t(std::numeric_limits<T>::max())) {
      return TypeError(path, "an integer in range");
    }
    *out = T(i);
    return Status::OK();
  }
  return TypeError(path, std::is_signed_v<T> ? "an integer" : "a non-negative integer");
}
Status Read(const json& v, const std::string& path, std::vector<std::string>* out) {
  if (!v.is_array()) return TypeError(path, "an array of strings");
  out->clear();
  for (const json& e : v) {
    if (!e.is_string()) return TypeError(path, "an array of strings");
    out->push_back(e.get<std::string>());
  }
  return Status::OK();
}
Status Read(const json& v, const std::string& path, std::vector<DictionaryTerm>* out) {
  if (!v.is_array()) return TypeError(path, "an array of [term, weight]");
  out->clear();
  for (const json& e : v) {
    if (!e.is_array() || e.size() != 2 || !e[0].is_string() || !e[1].is_number()) {
      return TypeError(path, "an array of [term, weight]");
    }
    out->push_back(DictionaryTerm{e[0].get<std::string>(), e[1].get<double>()});
  }
  return Status::OK();
}

template <typename T>
json ToJson(const T& v) {
  return json(v);
}
json ToJson(const std::vector<DictionaryTerm>& dictionary) {
  json a = json::array();
  for (const auto& t : dictionary) a.push_back({t.text, t.weight});
  return a;
}

/// One saved option: where it lives in the JSON and how to get and set it.
struct Field {
  const char* section;
  const char* key;
  std::function<json(const EngineOptions&)> get;
  std::function<Status(const json&, const std::string& path, EngineOptions*)> set;
};

/// A plain field: section member `S EngineOptions::*` and its member `T S::*`.
template <typename S, typename T>
Field Plain(const char* section, const char* key, S EngineOptions::*part, T S::*member) {
  return Field{section, key,
               [=](const EngineOptions& o) { return ToJson((o.*part).*member); },
               [=](const json& v, const std::string& path, EngineOptions* o) {
                 return Read(v, path, &((o->*part).*member));
               }};
}

/// A field saved as a name (an enum).
template <typename S, typename E>
Field Named(const char* section, const char* key, S EngineOptions::*part, E S::*member,
            std::vector<std::pair<const char*, E>> names) {
  return Field{section, key,
               [=](const EngineOptions& o) {
                 for (const auto& [n, e] : names) {
                   if ((o.*part).*member == e) return json(n);
                 }
                 return json(nullptr);
               },
               [=](const json& v, const std::string& path, EngineOptions* o) {
                 for (const auto& [n, e] : names) {
                   if (v.is_string() && v.get<std::string>() == n) {
                     (o->*part).*member = e;
                     return Status::OK();
                   }
                 }
                 return Status::Corruption(path + ": unknown value " + v.dump());
               }};
}

Field Weights() {
  return Field{"scorer", "weights",
               [](const EngineOptions& o) { return WeightsToJson(o.scorer.weights); },
               [](const json& v, const std::string& path, EngineOptions* o) -> Status {
                 auto w = WeightsFromJson(v, path);
                 if (!w.ok()) return w.status();
                 o->scorer.weights = *w;
                 return Status::OK();
               }};
}

/// Every saved option. New options are appended to their section; an
/// option is never renamed (rename = add the new one, keep reading the old).
const std::vector<Field>& Fields() {
  using E = EngineOptions;
  static const std::vector<Field>* fields = new std::vector<Field>{
      Plain("analyzer", "normalize", &E::analyzer, &AnalyzerOptions::normalize),
      Plain("analyzer", "traditional_to_simplified", &E::analyzer,
            &AnalyzerOptions::traditional_to_simplified),
      Plain("analyzer", "emit_words", &E::analyzer, &AnalyzerOptions::emit_words),
      Plain("analyzer", "emit_unigrams", &E::analyzer, &AnalyzerOptions::emit_unigrams),
      Plain("analyzer", "emit_bigrams", &E::analyzer, &AnalyzerOptions::emit_bigrams),
      Plain("analyzer", "remove_stopwords", &E::analyzer, &AnalyzerOptions::remove_stopwords),
      Plain("analyzer", "stopwords", &E::analyzer, &AnalyzerOptions::stopwords),
      Plain("analyzer", "max_text_bytes", &E::analyzer, &AnalyzerOptions::max_text_bytes),
      Plain("analyzer", "dictionary", &E::analyzer, &AnalyzerOptions::dictionary),
      Named("embedder", "kind", &E::embedder, &EmbedderOptions::kind,
            {{"lsa", EmbedderKind::kLsa},
             {"sif", EmbedderKind::kSif},
             {"external", EmbedderKind::kExternal}}),
      Plain("embedder", "dim", &E::embedder, &EmbedderOptions::dim),
      Plain("embedder", "title_weight", &E::embedder, &EmbedderOptions::title_weight),
      Plain("embedder", "keywords_weight", &E::embedder, &EmbedderOptions::keywords_weight),
      Plain("embedder", "text_weight", &E::embedder, &EmbedderOptions::text_weight),
      Plain("embedder", "word_weight", &E::embedder, &EmbedderOptions::word_weight),
      Plain("embedder", "unigram_weight", &E::embedder, &EmbedderOptions::unigram_weight),
      Plain("embedder", "bigram_weight", &E::embedder, &EmbedderOptions::bigram_weight),
      Plain("embedder", "min_df", &E::embedder, &EmbedderOptions::min_df),
      Plain("embedder", "max_df_ratio", &E::embedder, &EmbedderOptions::max_df_ratio),
      Plain("embedder", "sublinear_tf", &E::embedder, &EmbedderOptions::sublinear_tf),
      Plain("embedder", "power_iterations", &E::embedder, &EmbedderOptions::power_iterations),
      Plain("embedder", "oversample", &E::embedder, &EmbedderOptions::oversample),
      Plain("embedder", "sigma_power", &E::embedder, &EmbedderOptions::sigma_power),
      Plain("embedder", "max_fit_records", &E::embedder, &EmbedderOptions::max_fit_records),
      Plain("embedder", "seed", &E::embedder, &EmbedderOptions::seed),
      Plain("embedder", "word_vectors_file", &E::embedder,
            &EmbedderOptions::word_vectors_file),
      Plain("embedder", "sif_a", &E::embedder, &EmbedderOptions::sif_a),
      Plain("embedder", "sif_remove_components", &E::embedder,
            &EmbedderOptions::sif_remove_components),
      Plain("dense", "spec", &E::dense, &DenseIndexOptions::spec),
      Plain("dense", "max_tombstone_ratio", &E::dense, &DenseIndexOptions::max_tombstone_ratio),
      Plain("dense", "exact_filter_max", &E::dense, &DenseIndexOptions::exact_filter_max),
      Plain("dense", "seed", &E::dense, &DenseIndexOptions::seed),
      Plain("lexical", "k1", &E::lexical, &LexicalOptions::k1),
      Plain("lexical", "b", &E::lexical, &LexicalOptions::b),
      Plain("lexical", "word_weight", &E::lexical, &LexicalOptions::word_weight),
      Plain("lexical", "unigram_weight", &E::lexical, &LexicalOptions::unigram_weight),
      Plain("lexical", "bigram_weight", &E::lexical, &LexicalOptions::bigram_weight),
      Plain("lexical", "max_deleted_ratio", &E::lexical, &LexicalOptions::max_deleted_ratio),
      Plain("lexical", "title_weight", &E::lexical, &LexicalOptions::title_weight),
      Plain("lexical", "keywords_weight", &E::lexical, &LexicalOptions::keywords_weight),
      Plain("lexical", "text_weight", &E::lexical, &LexicalOptions::text_weight),
      Plain("lexical", "covered_unigram_max_df", &E::lexical,
            &LexicalOptions::covered_unigram_max_df),
      Named("fusion", "method", &E::fusion, &FusionOptions::method,
            {{"blend", FusionMethod::kScoreBlend}, {"rrf", FusionMethod::kRrf}}),
      Plain("fusion", "dense_weight", &E::fusion, &FusionOptions::dense_weight),
      Plain("fusion", "rrf_k", &E::fusion, &FusionOptions::rrf_k),
      Plain("fusion", "lexical_k", &E::fusion, &FusionOptions::lexical_k),
      Plain("fusion", "dense_k", &E::fusion, &FusionOptions::dense_k),
      Plain("fusion", "rerank_depth", &E::fusion, &FusionOptions::rerank_depth),
      Weights(),
      Plain("scorer", "centroid_depth", &E::scorer, &ScorerOptions::centroid_depth),
      Plain("scorer", "lexical_power", &E::scorer, &ScorerOptions::lexical_power),
      Plain("scorer", "recency_half_life_days", &E::scorer,
            &ScorerOptions::recency_half_life_days),
      Named("scorer", "confidence_measure", &E::scorer, &ScorerOptions::confidence_measure,
            {{"coverage_cosine", ConfidenceMeasure::kCoverageCosine},
             {"key_terms", ConfidenceMeasure::kKeyTermCoverage}}),
      Plain("scorer", "follow_up_floor", &E::scorer, &ScorerOptions::follow_up_floor),
      Plain("scorer", "raw_follow_up_floor", &E::scorer, &ScorerOptions::raw_follow_up_floor),
      Plain("scorer", "infer_category", &E::scorer, &ScorerOptions::infer_category),
  };
  return *fields;
}

}  // namespace

json WeightsToJson(const ScorerWeights& w) {
  json j = json::object();
  for (size_t i = 0; i < kNumFeatures; ++i) j[FeatureName(Feature(i))] = w.weight[i];
  j["bias"] = w.bias;
  return j;
}

Result<ScorerWeights> WeightsFromJson(const json& v, const std::string& path) {
  if (!v.is_object()) return TypeError(path, "an object");
  ScorerWeights w;  // an absent feature weighs 0
  for (const auto& [name, value] : v.items()) {
    const std::string p = path + "." + name;
    if (name == "bias") {
      TECHMATCH_RETURN_IF_ERROR(Read(value, p, &w.bias));
      continue;
    }
    auto f = ParseFeature(name);
    if (!f.ok()) continue;  // a newer build's feature
    TECHMATCH_RETURN_IF_ERROR(Read(value, p, &w[*f]));
  }
  return w;
}

json OptionsToJson(const EngineOptions& o) {
  json j = json::object();
  for (const Field& f : Fields()) j[f.section][f.key] = f.get(o);
  return j;
}

Result<EngineOptions> OptionsFromJson(const json& j) {
  if (!j.is_object()) return Status::Corruption("options: expected an object");
  EngineOptions o;
  bool lexical_fields_saved = false;
  bool confidence_measure_saved = false;
  for (const Field& f : Fields()) {
    auto section = j.find(f.section);
    if (section == j.end()) continue;
    const std::string path = std::string(f.section) + "." + f.key;
    if (!section->is_object()) return TypeError(f.section, "an object");
    auto value = section->find(f.key);
    if (value == section->end()) continue;  // added later: its default
    TECHMATCH_RETURN_IF_ERROR(f.set(*value, path, &o));
    if (path == "lexical.title_weight") lexical_fields_saved = true;
    if (path == "scorer.confidence_measure") confidence_measure_saved = true;
  }
  // Snapshots from before LexicalOptions had field weights indexed with
  // the embedder's.
  if (!lexical_fields_saved) {
    o.lexical.title_weight = o.embedder.title_weight;
    o.lexical.keywords_weight = o.embedder.keywords_weight;
    o.lexical.text_weight = o.embedder.text_weight;
  }
  // Snapshots from before ScorerOptions::confidence_measure measured the
  // raw confidence with the cosine (a saved calibration was fitted on it)
  // and flagged it under follow_up_floor.
  if (!confidence_measure_saved) {
    o.scorer.confidence_measure = ConfidenceMeasure::kCoverageCosine;
    o.scorer.raw_follow_up_floor = o.scorer.follow_up_floor;
  }
  if (Status v = o.Validate(); !v.ok()) {
    return Status::Corruption("options: " + v.message());
  }
  return o;
}

}  // namespace techmatch::internal

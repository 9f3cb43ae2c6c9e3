// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch info: what a snapshot holds and how its engine is configured.

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "cli_common.h"
#include "commands.h"
#include "server/index_dir.h"
#include "server/match_json.h"
#include "techmatch/engine.h"
#include "techmatch/engine_options.h"
#include "techmatch/scorer.h"

namespace techmatch::cli {

namespace {

using json = nlohmann::ordered_json;

const char* FusionMethodName(FusionMethod m) {
  switch (m) {
    case FusionMethod::kScoreBlend:
      return "score_blend";
    case FusionMethod::kRrf:
      return "rrf";
  }
  return "?";
}

json InfoJson(const Engine& engine) {
  const EngineOptions o = engine.options();
  ScorerWeights w = engine.weights();
  json weights = json::object();
  for (size_t i = 0; i < kNumFeatures; ++i) {
    weights[FeatureName(Feature(i))] = w.weight[i];
  }
  weights["bias"] = w.bias;
  return json{
      {"stats", server::EngineStatsToJson(engine)},
      {"options",
       {{"analyzer",
         {{"normalize", o.analyzer.normalize},
          {"traditional_to_simplified", o.analyzer.traditional_to_simplified},
          {"emit_words", o.analyzer.emit_words},
          {"emit_unigrams", o.analyzer.emit_unigrams},
          {"emit_bigrams", o.analyzer.emit_bigrams},
          {"remove_stopwords", o.analyzer.remove_stopwords},
          {"stopwords", o.analyzer.stopwords.size()},
          {"stopwords_file", o.analyzer.stopwords_file},
          {"dictionary_terms", o.analyzer.dictionary.size()},
          {"dictionary_file", o.analyzer.dictionary_file}}},
        {"embedder",
         {{"kind", EmbedderKindName(o.embedder.kind)},
          {"dim", o.embedder.dim},
          {"min_df", o.embedder.min_df},
          {"max_df_ratio", o.embedder.max_df_ratio},
          {"seed", o.embedder.seed}}},
        {"dense", {{"spec", o.dense.spec}}},
        {"lexical",
         {{"k1", o.lexical.k1},
          {"b", o.lexical.b},
          {"word_weight", o.lexical.word_weight},
          {"unigram_weight", o.lexical.unigram_weight},
          {"bigram_weight", o.lexical.bigram_weight}}},
        {"fusion",
         {{"method", FusionMethodName(o.fusion.method)},
          {"dense_weight", o.fusion.dense_weight},
          {"rrf_k", o.fusion.rrf_k},
          {"lexical_k", o.fusion.lexical_k},
          {"dense_k", o.fusion.dense_k},
          {"rerank_depth", o.fusion.rerank_depth}}},
        {"scorer",
         {{"weights", weights},
          {"centroid_depth", o.scorer.centroid_depth},
          {"recency_half_life_days", o.scorer.recency_half_life_days},
          {"confidence_measure",
           o.scorer.confidence_measure == ConfidenceMeasure::kCoverageCosine ? "coverage_cosine"
                                                                             : "key_terms"},
          {"follow_up_floor", o.scorer.follow_up_floor},
          {"raw_follow_up_floor", o.scorer.raw_follow_up_floor},
          {"infer_category", o.scorer.infer_category}}},
        {"threads", o.threads}}}};
}

std::string HumanBytes(size_t bytes) {
  char buf[64];
  if (bytes < 1024) {
    std::snprintf(buf, sizeof buf, "%zu B", bytes);
  } else if (bytes < (size_t{1} << 20)) {
    std::snprintf(buf, sizeof buf, "%.1f KiB", bytes / 1024.0);
  } else if (bytes < (size_t{1} << 30)) {
    std::snprintf(buf, sizeof buf, "%.1f MiB", bytes / 1048576.0);
  } else {
    std::snprintf(buf, sizeof buf, "%.2f GiB", bytes / 1073741824.0);
  }
  return buf;
}

// The JSON as an indented "key: value" listing; scalars on one line.
void PrintListing(const json& j, int depth, std::string* out) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    out->append(size_t(depth) * 2, ' ');
    out->append(it.key());
    if (it->is_object()) {
      out->append(":\n");
      PrintListing(*it, depth + 1, out);
      continue;
    }
    out->append(": ");
    if (it->is_string()) {
      const std::string& s = it->get_ref<const std::string&>();
      out->append(s.empty() ? "(none)" : s);
    } else if (it.key() == "memory_bytes") {
      out->append(HumanBytes(it->get<size_t>()));
    } else if (it->is_number_float()) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%g", it->get<double>());
      out->append(buf);
    } else {
      out->append(it->dump());
    }
    out->push_back('\n');
  }
}

}  // namespace

Runner AddInfoCommand(CLI::App& app) {
  struct Args {
    std::string dir;
    bool json = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* sub = app.add_subcommand(
      "info",
      "Show what a snapshot holds (records, terms, embedder, dense index, "
      "memory) and its engine's key options and scorer weights.");
  sub->add_option("DIR", args->dir, "Snapshot directory")->required();
  sub->add_flag("--json", args->json, "Print one JSON object instead");
  return [args]() -> int {
    // Read-only, as `match`: with the writes a running server has logged.
    auto dir = server::IndexDir::OpenReadOnly(args->dir);
    if (!dir.ok()) return Fail("info", dir.status());
    json info = InfoJson((*dir)->engine());
    std::string out;
    if (args->json) {
      out = info.dump(2, ' ', false, json::error_handler_t::replace);
      out += '\n';
    } else {
      out = "snapshot: " + args->dir + "\n";
      PrintListing(info, 0, &out);
    }
    if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() ||
        std::fflush(stdout) != 0) {
      return Fail("info", "write error");
    }
    return 0;
  };
}

}  // namespace techmatch::cli

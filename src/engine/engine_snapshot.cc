// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Engine snapshots: a directory with a CURRENT pointer and one snapshot
// file per generation (docs/format.md, "Engine snapshots").

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>

#include "analysis/term_dictionary.h"
#include "engine/engine_impl.h"
#include "io/coding.h"
#include "io/snapshot_file.h"
#include "techmatch/record_io.h"
#include "util/catch_all.h"

namespace techmatch {
namespace {

using nlohmann::json;
using internal::Fourcc;

/// The engine's own layout version inside the container (META
/// "engine_format"). Bump it when a section's encoding changes; readers of
/// another version refuse the snapshot with NotSupported.
constexpr int kEngineFormat = 1;

constexpr uint32_t kTagCurrent = Fourcc("CURR");
constexpr uint32_t kTagMeta = Fourcc("META");
constexpr uint32_t kTagRecords = Fourcc("RECS");
constexpr uint32_t kTagLexSupply = Fourcc("LEXS");
constexpr uint32_t kTagLexDemand = Fourcc("LEXD");
constexpr uint32_t kTagEmbedder = Fourcc("EMBD");
constexpr uint32_t kTagDense = Fourcc("DIDX");

const char kCurrentName[] = "CURRENT";
const char kFilePrefix[] = "engine-";
const char kFileSuffix[] = ".tms";

// ---------------------------------------------------------------- options

json WeightsToJson(const ScorerWeights& w) {
  json j = json::object();
  for (size_t i = 0; i < kNumFeatures; ++i) j[FeatureName(Feature(i))] = w.weight[i];
  j["bias"] = w.bias;
  return j;
}

ScorerWeights WeightsFromJson(const json& j) {
  ScorerWeights w;
  for (size_t i = 0; i < kNumFeatures; ++i) {
    w.weight[i] = j.at(FeatureName(Feature(i))).get<double>();
  }
  w.bias = j.at("bias").get<double>();
  return w;
}

json OptionsToJson(const EngineOptions& o) {
  json a = {
      {"normalize", o.analyzer.normalize},
      {"traditional_to_simplified", o.analyzer.traditional_to_simplified},
      {"emit_words", o.analyzer.emit_words},
      {"emit_unigrams", o.analyzer.emit_unigrams},
      {"emit_bigrams", o.analyzer.emit_bigrams},
      {"remove_stopwords", o.analyzer.remove_stopwords},
      {"stopwords", o.analyzer.stopwords},
      {"max_text_bytes", o.analyzer.max_text_bytes},
  };
  json dict = json::array();
  for (const auto& t : o.analyzer.dictionary) dict.push_back({t.text, t.weight});
  a["dictionary"] = std::move(dict);
  const EmbedderOptions& e = o.embedder;
  json em = {
      {"kind", EmbedderKindName(e.kind)}, {"dim", e.dim},
      {"title_weight", e.title_weight}, {"keywords_weight", e.keywords_weight},
      {"text_weight", e.text_weight}, {"word_weight", e.word_weight},
      {"unigram_weight", e.unigram_weight}, {"bigram_weight", e.bigram_weight},
      {"min_df", e.min_df}, {"max_df_ratio", e.max_df_ratio},
      {"sublinear_tf", e.sublinear_tf}, {"power_iterations", e.power_iterations},
      {"oversample", e.oversample}, {"sigma_power", e.sigma_power},
      {"max_fit_records", e.max_fit_records}, {"seed", e.seed},
      {"word_vectors_file", e.word_vectors_file}, {"sif_a", e.sif_a},
      {"sif_remove_components", e.sif_remove_components}, {"threads", e.threads},
  };
  json d = {{"spec", o.dense.spec},
            {"max_tombstone_ratio", o.dense.max_tombstone_ratio},
            {"exact_filter_max", o.dense.exact_filter_max},
            {"threads", o.dense.threads},
            {"seed", o.dense.seed}};
  json l = {{"k1", o.lexical.k1},
            {"b", o.lexical.b},
            {"word_weight", o.lexical.word_weight},
            {"unigram_weight", o.lexical.unigram_weight},
            {"bigram_weight", o.lexical.bigram_weight},
            {"max_deleted_ratio", o.lexical.max_deleted_ratio}};
  json f = {{"method", o.fusion.method == FusionMethod::kRrf ? "rrf" : "blend"},
            {"dense_weight", o.fusion.dense_weight},
            {"rrf_k", o.fusion.rrf_k},
            {"lexical_k", o.fusion.lexical_k},
            {"dense_k", o.fusion.dense_k},
            {"rerank_depth", o.fusion.rerank_depth}};
  json s = {{"weights", WeightsToJson(o.scorer.weights)},
            {"centroid_depth", o.scorer.centroid_depth},
            {"lexical_power", o.scorer.lexical_power},
            {"recency_half_life_days", o.scorer.recency_half_life_days},
            {"follow_up_floor", o.scorer.follow_up_floor},
            {"infer_category", o.scorer.infer_category}};
  return json{{"analyzer", a}, {"embedder", em}, {"dense", d}, {"lexical", l},
              {"fusion", f},   {"scorer", s},    {"threads", o.threads}};
}

Result<EngineOptions> OptionsFromJson(const json& j) {
  EngineOptions o;
  const json& a = j.at("analyzer");
  a.at("normalize").get_to(o.analyzer.normalize);
  a.at("traditional_to_simplified").get_to(o.analyzer.traditional_to_simplified);
  a.at("emit_words").get_to(o.analyzer.emit_words);
  a.at("emit_unigrams").get_to(o.analyzer.emit_unigrams);
  a.at("emit_bigrams").get_to(o.analyzer.emit_bigrams);
  a.at("remove_stopwords").get_to(o.analyzer.remove_stopwords);
  a.at("stopwords").get_to(o.analyzer.stopwords);
  a.at("max_text_bytes").get_to(o.analyzer.max_text_bytes);
  for (const json& t : a.at("dictionary")) {
    o.analyzer.dictionary.push_back(
        DictionaryTerm{t.at(0).get<std::string>(), t.at(1).get<double>()});
  }
  const json& em = j.at("embedder");
  EmbedderOptions& e = o.embedder;
  const std::string kind = em.at("kind").get<std::string>();
  if (kind == EmbedderKindName(EmbedderKind::kLsa)) {
    e.kind = EmbedderKind::kLsa;
  } else if (kind == EmbedderKindName(EmbedderKind::kSif)) {
    e.kind = EmbedderKind::kSif;
  } else {
    return Status::Corruption("engine snapshot: unknown embedder \"" + kind + "\"");
  }
  em.at("dim").get_to(e.dim);
  em.at("title_weight").get_to(e.title_weight);
  em.at("keywords_weight").get_to(e.keywords_weight);
  em.at("text_weight").get_to(e.text_weight);
  em.at("word_weight").get_to(e.word_weight);
  em.at("unigram_weight").get_to(e.unigram_weight);
  em.at("bigram_weight").get_to(e.bigram_weight);
  em.at("min_df").get_to(e.min_df);
  em.at("max_df_ratio").get_to(e.max_df_ratio);
  em.at("sublinear_tf").get_to(e.sublinear_tf);
  em.at("power_iterations").get_to(e.power_iterations);
  em.at("oversample").get_to(e.oversample);
  em.at("sigma_power").get_to(e.sigma_power);
  em.at("max_fit_records").get_to(e.max_fit_records);
  em.at("seed").get_to(e.seed);
  em.at("word_vectors_file").get_to(e.word_vectors_file);
  em.at("sif_a").get_to(e.sif_a);
  em.at("sif_remove_components").get_to(e.sif_remove_components);
  em.at("threads").get_to(e.threads);
  const json& d = j.at("dense");
  d.at("spec").get_to(o.dense.spec);
  d.at("max_tombstone_ratio").get_to(o.dense.max_tombstone_ratio);
  d.at("exact_filter_max").get_to(o.dense.exact_filter_max);
  d.at("threads").get_to(o.dense.threads);
  d.at("seed").get_to(o.dense.seed);
  const json& l = j.at("lexical");
  l.at("k1").get_to(o.lexical.k1);
  l.at("b").get_to(o.lexical.b);
  l.at("word_weight").get_to(o.lexical.word_weight);
  l.at("unigram_weight").get_to(o.lexical.unigram_weight);
  l.at("bigram_weight").get_to(o.lexical.bigram_weight);
  l.at("max_deleted_ratio").get_to(o.lexical.max_deleted_ratio);
  const json& f = j.at("fusion");
  const std::string method = f.at("method").get<std::string>();
  if (method != "rrf" && method != "blend") {
    return Status::Corruption("engine snapshot: unknown fusion method \"" +
                              method + "\"");
  }
  o.fusion.method = method == "rrf" ? FusionMethod::kRrf : FusionMethod::kScoreBlend;
  f.at("dense_weight").get_to(o.fusion.dense_weight);
  f.at("rrf_k").get_to(o.fusion.rrf_k);
  f.at("lexical_k").get_to(o.fusion.lexical_k);
  f.at("dense_k").get_to(o.fusion.dense_k);
  f.at("rerank_depth").get_to(o.fusion.rerank_depth);
  const json& s = j.at("scorer");
  o.scorer.weights = WeightsFromJson(s.at("weights"));
  s.at("centroid_depth").get_to(o.scorer.centroid_depth);
  s.at("lexical_power").get_to(o.scorer.lexical_power);
  s.at("recency_half_life_days").get_to(o.scorer.recency_half_life_days);
  s.at("follow_up_floor").get_to(o.scorer.follow_up_floor);
  s.at("infer_category").get_to(o.scorer.infer_category);
  j.at("threads").get_to(o.threads);
  Status v = o.Validate();
  if (!v.ok()) return Status::Corruption("engine snapshot options: " + v.message());
  return o;
}

// ---------------------------------------------------------------- records

void PutKeys(std::string* out, const std::vector<uint64_t>& keys) {
  internal::PutVarint64(out, keys.size());
  internal::PutFixed64s(out, keys.data(), keys.size());
}

bool ReadKeys(internal::Decoder* in, std::vector<uint64_t>* keys) {
  uint64_t n;
  if (!in->ReadCount(&n, 8)) return false;
  keys->resize(size_t(n));
  return in->ReadFixed64s(keys->data(), size_t(n));
}

// ---------------------------------------------------------------- files

Status SyncDir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IOError("cannot open directory '" + dir + "': " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0 && err != EINVAL) {
    return Status::IOError("cannot fsync directory '" + dir + "': " + std::strerror(err));
  }
  return Status::OK();
}

/// The generation named by a snapshot file name, or -1.
long long GenerationOf(const std::string& name) {
  const size_t p = sizeof(kFilePrefix) - 1, s = sizeof(kFileSuffix) - 1;
  if (name.size() <= p + s || name.compare(0, p, kFilePrefix) != 0 ||
      name.compare(name.size() - s, s, kFileSuffix) != 0) {
    return -1;
  }
  long long g = 0;
  for (size_t i = p; i < name.size() - s; ++i) {
    if (name[i] < '0' || name[i] > '9' || g > (1LL << 50)) return -1;
    g = g * 10 + (name[i] - '0');
  }
  return g;
}

std::vector<std::string> ListSnapshotFiles(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return out;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (GenerationOf(name) >= 0) out.push_back(name);
  }
  ::closedir(d);
  return out;
}

Result<std::string> ReadCurrent(const std::string& dir) {
  auto current = internal::SnapshotReader::ReadFile(dir + "/" + kCurrentName);
  if (!current.ok()) return current.status();
  auto name = current->Section(kTagCurrent);
  if (!name.ok()) return name.status();
  std::string n(*name);
  if (GenerationOf(n) < 0) {
    return Status::Corruption("engine snapshot '" + dir +
                              "': CURRENT names no snapshot file");
  }
  return n;
}

}  // namespace

// ---------------------------------------------------------------- save

Status Engine::Impl::SaveTo(const std::string& dir) const {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return Status::IOError("cannot create snapshot directory '" + dir +
                           "': " + std::strerror(errno));
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status::IOError("snapshot path '" + dir + "' is not a directory");
  }
  // Next generation: one past every file present.
  long long gen = 0;
  for (const std::string& n : ListSnapshotFiles(dir)) {
    gen = std::max(gen, GenerationOf(n));
  }
  ++gen;
  char name[64];
  std::snprintf(name, sizeof name, "%s%06lld%s", kFilePrefix, gen, kFileSuffix);

  internal::SnapshotWriter w;
  {
    json meta = {{"engine_format", kEngineFormat},
                 {"built", built},
                 {"options", OptionsToJson(options)},
                 {"weights", WeightsToJson(weights)},
                 {"supplies", live[0]},
                 {"demands", live[1]}};
    w.AddSection(kTagMeta, meta.dump());
  }
  {
    std::string recs;
    internal::PutVarint64(&recs, docs.size());
    internal::PutVarint64(&recs, live[0] + live[1]);
    for (uint32_t d = 0; d < docs.size(); ++d) {
      const internal::DocInfo& info = docs[d];
      if (!info.live) continue;
      internal::PutVarint32(&recs, d);
      recs.push_back(info.has_vector ? 1 : 0);
      internal::PutLengthPrefixedString(&recs, RecordToJson(info.record));
      PutKeys(&recs, info.title_keys);
      internal::PutVarint64(&recs, info.keyword_keys.size());
      for (const auto& k : info.keyword_keys) PutKeys(&recs, k);
    }
    w.AddSection(kTagRecords, std::move(recs));
  }
  {
    std::string lex;
    lexical[0]->Save(&lex);
    w.AddSection(kTagLexSupply, std::move(lex));
    std::string lexd;
    lexical[1]->Save(&lexd);
    w.AddSection(kTagLexDemand, std::move(lexd));
  }
  if (built) {
    std::string emb;
    TECHMATCH_RETURN_IF_ERROR(embedder->Save(&emb));
    w.AddSection(kTagEmbedder, std::move(emb));
    std::string idx;
    TECHMATCH_RETURN_IF_ERROR(dense->Save(&idx));
    w.AddSection(kTagDense, std::move(idx));
  }
  TECHMATCH_RETURN_IF_ERROR(w.WriteFile(dir + "/" + name));

  // Switch CURRENT (itself written atomically) to the new file, then drop
  // older generations. A crash before the switch leaves the old CURRENT
  // and its file; after it, the new ones.
  internal::SnapshotWriter current;
  current.AddSection(kTagCurrent, std::string(name));
  TECHMATCH_RETURN_IF_ERROR(current.WriteFile(dir + "/" + kCurrentName));
  // Keep this generation and the one before it (a reader that read the
  // old CURRENT may still be opening it); drop older ones and temporary
  // files a crashed Save left behind (one engine saves to a directory at
  // a time).
  for (const std::string& n : ListSnapshotFiles(dir)) {
    if (GenerationOf(n) < gen - 1) ::unlink((dir + "/" + n).c_str());
  }
  if (DIR* d = ::opendir(dir.c_str())) {
    std::vector<std::string> stale;
    while (dirent* e = ::readdir(d)) {
      const std::string n = e->d_name;
      if ((n.rfind(kFilePrefix, 0) == 0 || n.rfind(kCurrentName, 0) == 0) &&
          n.find(".tmp.") != std::string::npos) {
        stale.push_back(n);
      }
    }
    ::closedir(d);
    for (const auto& n : stale) ::unlink((dir + "/" + n).c_str());
  }
  return SyncDir(dir);
}

Status Engine::Save(const std::string& dir) const {
  return internal::CatchAll("engine save", [&]() -> Status {
    // Writers are held off (not readers), so the snapshot is one state.
    std::lock_guard<std::mutex> writer(impl_->writer_mu);
    std::shared_lock<internal::FairSharedMutex> lock(impl_->mu);
    return impl_->SaveTo(dir);
  });
}

// ---------------------------------------------------------------- load

Result<std::unique_ptr<Engine>> Engine::Load(const std::string& dir) {
  return internal::CatchAll(
      "engine load", [&]() -> Result<std::unique_ptr<Engine>> {
        auto name = ReadCurrent(dir);
        if (!name.ok()) return name.status().WithContext("engine snapshot '" + dir + "'");
        const std::string path = dir + "/" + *name;
        auto file = internal::SnapshotReader::ReadFile(path);
        if (!file.ok()) return file.status();
        auto meta_bytes = file->Section(kTagMeta);
        if (!meta_bytes.ok()) return meta_bytes.status();
        json meta = json::parse(*meta_bytes, nullptr, false);
        if (meta.is_discarded() || !meta.is_object()) {
          return Status::Corruption(path + ": META is not a JSON object");
        }
        auto fmt = meta.find("engine_format");
        if (fmt == meta.end() || !fmt->is_number_integer()) {
          return Status::Corruption(path + ": META has no engine_format");
        }
        if (fmt->get<long long>() != kEngineFormat) {
          return Status::NotSupported(
              path + ": engine snapshot format " +
              std::to_string(fmt->get<long long>()) + ", this build reads format " +
              std::to_string(kEngineFormat));
        }
        EngineOptions options;
        ScorerWeights weights;
        bool built = false;
        try {
          auto o = OptionsFromJson(meta.at("options"));
          if (!o.ok()) return o.status();
          options = std::move(*o);
          weights = WeightsFromJson(meta.at("weights"));
          built = meta.at("built").get<bool>();
        } catch (const json::exception& e) {
          return Status::Corruption(path + ": META: " + e.what());
        }
        if (Status v = weights.Validate(); !v.ok()) {
          return Status::Corruption(path + ": META weights: " + v.message());
        }

        auto impl = std::make_unique<Impl>();
        impl->options = options;
        impl->weights = weights;
        auto analyzer = Analyzer::Create(options.analyzer);
        if (!analyzer.ok()) return analyzer.status();
        impl->analyzer = std::shared_ptr<const Analyzer>(std::move(*analyzer));
        impl->field_weights = internal::EngineFieldWeights(options);
        const uint32_t lex_tags[2] = {kTagLexSupply, kTagLexDemand};
        for (size_t k = 0; k < 2; ++k) {
          auto bytes = file->Section(lex_tags[k]);
          if (!bytes.ok()) return bytes.status();
          auto lex = internal::LexicalIndex::Load(*bytes);
          if (!lex.ok()) return lex.status().WithContext(path);
          impl->lexical[k] = std::move(*lex);
        }
        if (built) {
          auto emb = file->Section(kTagEmbedder);
          if (!emb.ok()) return emb.status();
          auto embedder = LoadEmbedder(*emb, impl->analyzer);
          if (!embedder.ok()) return embedder.status().WithContext(path);
          impl->embedder = std::move(*embedder);
          auto idx = file->Section(kTagDense);
          if (!idx.ok()) return idx.status();
          auto dense = DenseIndex::Load(*idx);
          if (!dense.ok()) return dense.status().WithContext(path);
          impl->dense = std::move(*dense);
          if (impl->dense->dim() != impl->embedder->dim()) {
            return Status::Corruption(path + ": dense index and embedder dimensions differ");
          }
        } else {
          auto embedder = CreateEmbedder(options.embedder, impl->analyzer);
          if (!embedder.ok()) return embedder.status();
          impl->embedder = std::move(*embedder);
        }
        impl->built = built;

        auto recs = file->Section(kTagRecords);
        if (!recs.ok()) return recs.status();
        internal::Decoder in(*recs);
        uint64_t total = 0, count = 0;
        if (!in.ReadVarint64(&total) || !in.ReadCount(&count, 4) ||
            total > UINT32_MAX || count > total) {
          return in.Corruption(path + ": RECS");
        }
        impl->docs.resize(size_t(total));
        size_t dense_docs = 0;
        int64_t last = -1;
        for (uint64_t i = 0; i < count; ++i) {
          uint32_t doc = 0;
          uint8_t flags = 0;
          std::string_view rec_json;
          if (!in.ReadVarint32(&doc) || !in.ReadFixed8(&flags) ||
              !in.ReadLengthPrefixed(&rec_json)) {
            return in.Corruption(path + ": RECS");
          }
          if (int64_t(doc) <= last || doc >= total || flags > 1) {
            return Status::Corruption(path + ": RECS: bad doc " + std::to_string(doc));
          }
          last = doc;
          auto rec = ParseRecordJson(rec_json, JsonlReadOptions{});
          if (!rec.ok()) return rec.status().WithContext(path + ": RECS doc " + std::to_string(doc));
          internal::DocInfo& info = impl->docs[doc];
          info.live = true;
          info.has_vector = flags == 1;
          uint64_t nk = 0;
          if (!ReadKeys(&in, &info.title_keys) || !in.ReadCount(&nk, 1)) {
            return in.Corruption(path + ": RECS");
          }
          info.keyword_keys.resize(size_t(nk));
          for (auto& k : info.keyword_keys) {
            if (!ReadKeys(&in, &k)) return in.Corruption(path + ": RECS");
          }
          info.record = std::move(*rec);
          const size_t kind = internal::KindIndex(info.record.kind);
          if (!impl->ids[kind].emplace(info.record.id, doc).second) {
            return Status::Corruption(path + ": RECS: " +
                                      RecordKindName(info.record.kind) + " \"" +
                                      info.record.id + "\" repeated");
          }
          ++impl->live[kind];
          if (!impl->lexical[kind]->Contains(doc)) {
            return Status::Corruption(path + ": doc " + std::to_string(doc) +
                                      " missing from the lexical index");
          }
          if (info.has_vector) {
            ++dense_docs;
            if (!built || !impl->dense->Contains(doc)) {
              return Status::Corruption(path + ": doc " + std::to_string(doc) +
                                        " missing from the dense index");
            }
          }
        }
        TECHMATCH_RETURN_IF_ERROR(in.ExpectEnd(path + ": RECS"));
        if (impl->lexical[0]->size() != impl->live[0] ||
            impl->lexical[1]->size() != impl->live[1] ||
            (built && impl->dense->size() != dense_docs)) {
          return Status::Corruption(path + ": record counts disagree between sections");
        }
        return std::unique_ptr<Engine>(new Engine(std::move(impl)));
      });
}

}  // namespace techmatch

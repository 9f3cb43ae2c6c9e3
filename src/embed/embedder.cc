// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "techmatch/embedder.h"

#include <cmath>
#include <string>
#include <utility>

#include "embed/embedders.h"
#include "io/coding.h"

namespace techmatch {
namespace {

bool EqualsAsciiNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char ch = a[i];
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    if (ch != b[i]) return false;
  }
  return true;
}

Status CheckWeight(float value, const char* field) {
  if (!std::isfinite(value) || value < 0) {
    return Status::InvalidArgument(std::string("EmbedderOptions.") + field +
                                   " must be finite and >= 0, got " +
                                   std::to_string(value));
  }
  return Status::OK();
}

Status Bad(const char* field, const std::string& rule) {
  return Status::InvalidArgument(std::string("EmbedderOptions.") + field + " " +
                                 rule);
}

Status ValidateOptions(const EmbedderOptions& o) {
  if (o.kind != EmbedderKind::kLsa && o.kind != EmbedderKind::kSif &&
      o.kind != EmbedderKind::kExternal) {
    return Bad("kind", "is not a known EmbedderKind (" +
                           std::to_string(int(o.kind)) + ")");
  }
  if (o.dim > internal::kMaxEmbedderDim) {
    return Bad("dim",
               "must be <= " + std::to_string(internal::kMaxEmbedderDim) +
                   ", got " + std::to_string(o.dim));
  }
  if (o.dim == 0 && o.kind != EmbedderKind::kSif) {
    return Bad("dim", std::string("must be > 0 for the ") +
                          EmbedderKindName(o.kind) + " embedder");
  }
  TECHMATCH_RETURN_IF_ERROR(CheckWeight(o.title_weight, "title_weight"));
  TECHMATCH_RETURN_IF_ERROR(CheckWeight(o.keywords_weight, "keywords_weight"));
  TECHMATCH_RETURN_IF_ERROR(CheckWeight(o.text_weight, "text_weight"));
  if (o.title_weight == 0 && o.keywords_weight == 0 && o.text_weight == 0) {
    return Bad("title_weight",
               "/ keywords_weight / text_weight: at least one must be > 0");
  }
  TECHMATCH_RETURN_IF_ERROR(CheckWeight(o.word_weight, "word_weight"));
  TECHMATCH_RETURN_IF_ERROR(CheckWeight(o.unigram_weight, "unigram_weight"));
  TECHMATCH_RETURN_IF_ERROR(CheckWeight(o.bigram_weight, "bigram_weight"));
  if (o.word_weight == 0 && o.unigram_weight == 0 && o.bigram_weight == 0) {
    return Bad("word_weight",
               "/ unigram_weight / bigram_weight: at least one must be > 0");
  }
  if (!(o.max_df_ratio > 0 && o.max_df_ratio <= 1)) {
    return Bad("max_df_ratio",
               "must be in (0, 1], got " + std::to_string(o.max_df_ratio));
  }
  if (o.power_iterations < 0 || o.power_iterations > 10) {
    return Bad("power_iterations",
               "must be in [0, 10], got " + std::to_string(o.power_iterations));
  }
  if (o.oversample < 0 || o.oversample > 1000) {
    return Bad("oversample",
               "must be in [0, 1000], got " + std::to_string(o.oversample));
  }
  if (!std::isfinite(o.sigma_power) || o.sigma_power < -2 ||
      o.sigma_power > 2) {
    return Bad("sigma_power", "must be finite and in [-2, 2], got " +
                                  std::to_string(o.sigma_power));
  }
  if (o.max_fit_records < 1) return Bad("max_fit_records", "must be >= 1");
  if (!std::isfinite(o.sif_a) || !(o.sif_a > 0)) {
    return Bad("sif_a",
               "must be finite and > 0, got " + std::to_string(o.sif_a));
  }
  if (o.sif_remove_components < 0 || o.sif_remove_components > 10) {
    return Bad(
        "sif_remove_components",
        "must be in [0, 10], got " + std::to_string(o.sif_remove_components));
  }
  if (o.kind == EmbedderKind::kSif && o.word_vectors_file.empty()) {
    return Bad("word_vectors_file", "is required for the sif embedder");
  }
  if (o.threads < 0) {
    return Bad("threads", "must be >= 0 (0 = all hardware threads), got " +
                              std::to_string(o.threads));
  }
  return Status::OK();
}

}  // namespace

const char* EmbedderKindName(EmbedderKind kind) {
  switch (kind) {
    case EmbedderKind::kLsa:
      return "lsa";
    case EmbedderKind::kSif:
      return "sif";
    case EmbedderKind::kExternal:
      return "external";
  }
  return "unknown";
}

Result<EmbedderKind> ParseEmbedderKind(std::string_view name) {
  return internal::CatchAll("ParseEmbedderKind", [&]() -> Result<EmbedderKind> {
    for (EmbedderKind kind :
         {EmbedderKind::kLsa, EmbedderKind::kSif, EmbedderKind::kExternal}) {
      if (EqualsAsciiNoCase(name, EmbedderKindName(kind))) return kind;
    }
    return Status::InvalidArgument("unknown embedder kind \"" +
                                   std::string(name) +
                                   "\" (expected \"lsa\", \"sif\" or "
                                   "\"external\")");
  });
}

Status EmbedderOptions::Validate() const {
  return internal::CatchAll("EmbedderOptions",
                            [&]() -> Status { return ValidateOptions(*this); });
}

Result<std::unique_ptr<Embedder>> CreateEmbedder(
    const EmbedderOptions& options, std::shared_ptr<const Analyzer> analyzer) {
  return internal::CatchAll(
      "CreateEmbedder", [&]() -> Result<std::unique_ptr<Embedder>> {
        if (analyzer == nullptr) {
          return Status::InvalidArgument("CreateEmbedder: analyzer is null");
        }
        TECHMATCH_RETURN_IF_ERROR(options.Validate());
        switch (options.kind) {
          case EmbedderKind::kLsa:
            return internal::CreateLsaEmbedder(options, std::move(analyzer));
          case EmbedderKind::kSif:
            return internal::CreateSifEmbedder(options, std::move(analyzer));
          case EmbedderKind::kExternal:
            return internal::CreateExternalEmbedder(options);
        }
        return Status::InvalidArgument("CreateEmbedder: unknown kind");
      });
}

Result<std::unique_ptr<Embedder>> LoadEmbedder(
    std::string_view bytes, std::shared_ptr<const Analyzer> analyzer) {
  return internal::CatchAll(
      "LoadEmbedder", [&]() -> Result<std::unique_ptr<Embedder>> {
        if (analyzer == nullptr) {
          return Status::InvalidArgument("LoadEmbedder: analyzer is null");
        }
        internal::Decoder in(bytes);
        uint32_t version = 0;
        uint8_t kind = 0;
        if (!in.ReadFixed32(&version)) return in.Corruption("embedder");
        if (version != internal::kEmbedderPayloadVersion) {
          return Status::NotSupported(
              "embedder payload version " + std::to_string(version) +
              " (this build reads " +
              std::to_string(internal::kEmbedderPayloadVersion) + ")");
        }
        if (!in.ReadFixed8(&kind)) return in.Corruption("embedder");
        std::string_view state = bytes.substr(bytes.size() - in.remaining());
        switch (static_cast<EmbedderKind>(kind)) {
          case EmbedderKind::kLsa:
            return internal::LoadLsaEmbedder(state, std::move(analyzer));
          case EmbedderKind::kSif:
            return internal::LoadSifEmbedder(state, std::move(analyzer));
          case EmbedderKind::kExternal:
            return internal::LoadExternalEmbedder(state);
        }
        return Status::NotSupported("embedder kind " + std::to_string(kind) +
                                    " (this build knows 0 = lsa, 1 = sif, "
                                    "2 = external)");
      });
}

Status CheckVectors(const std::vector<std::string>& ids, VectorView vectors,
                    size_t dim) {
  return internal::CatchAll("CheckVectors", [&]() -> Status {
    if (dim == 0) return Status::InvalidArgument("vectors: dimension 0");
    if (vectors.dim != dim) {
      return Status::InvalidArgument("vectors have dimension " +
                                     std::to_string(vectors.dim) +
                                     ", expected " + std::to_string(dim));
    }
    if (ids.size() != vectors.n) {
      return Status::InvalidArgument(std::to_string(ids.size()) + " ids for " +
                                     std::to_string(vectors.n) + " vectors");
    }
    if (vectors.n > 0 && vectors.data == nullptr) {
      return Status::InvalidArgument("vectors: null data for " +
                                     std::to_string(vectors.n) + " vectors");
    }
    for (size_t i = 0; i < vectors.n; ++i) {
      const float* v = vectors.row(i);
      bool nonzero = false;
      for (size_t j = 0; j < dim; ++j) {
        if (!std::isfinite(v[j])) {
          return Status::InvalidArgument(
              "vector of \"" + ids[i] + "\" (row " + std::to_string(i) +
              "): component " + std::to_string(j) + " is " +
              (std::isnan(v[j]) ? "NaN" : "infinite"));
        }
        nonzero = nonzero || v[j] != 0;
      }
      if (!nonzero) {
        return Status::InvalidArgument("vector of \"" + ids[i] + "\" (row " +
                                       std::to_string(i) + ") is all zeros");
      }
    }
    return Status::OK();
  });
}

namespace internal {

void PutEmbedderHeader(EmbedderKind kind, std::string* out) {
  PutFixed32(out, kEmbedderPayloadVersion);
  out->push_back(static_cast<char>(kind));
}

}  // namespace internal
}  // namespace techmatch

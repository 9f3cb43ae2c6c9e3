// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The external embedder: vectors come from the caller's own model; this
// object only records their dimension (and CheckVectors validates them).

#include <memory>
#include <string>

#include "embed/embedders.h"
#include "io/coding.h"

namespace techmatch::internal {
namespace {

// Thread-safety: immutable; every method may run concurrently.
class ExternalEmbedder final : public Embedder {
 public:
  explicit ExternalEmbedder(size_t dim) : dim_(dim) {}

  EmbedderKind kind() const override { return EmbedderKind::kExternal; }
  size_t dim() const override { return dim_; }
  bool fitted() const override { return true; }

  Status Fit(const std::vector<Record>&) override { return Status::OK(); }

  Status EmbedRecords(const std::vector<Record>&, float*) const override {
    return NotSupported();
  }
  Status EmbedText(std::string_view, float*) const override {
    return NotSupported();
  }

  Status Save(std::string* out) const override {
    return CatchAll("external embedder save", [&]() -> Status {
      if (out == nullptr) {
        return Status::InvalidArgument("external: null output");
      }
      PutEmbedderHeader(EmbedderKind::kExternal, out);
      PutFixed32(out, uint32_t(dim_));
      return Status::OK();
    });
  }

 private:
  static Status NotSupported() {
    return Status::NotSupported(
        "external embedder: vectors come from the caller");
  }

  size_t dim_;
};

}  // namespace

Result<std::unique_ptr<Embedder>> CreateExternalEmbedder(
    const EmbedderOptions& options) {
  return std::unique_ptr<Embedder>(new ExternalEmbedder(options.dim));
}

Result<std::unique_ptr<Embedder>> LoadExternalEmbedder(std::string_view state) {
  Decoder in(state);
  uint32_t dim = 0;
  if (!in.ReadFixed32(&dim)) return in.Corruption("external embedder");
  TECHMATCH_RETURN_IF_ERROR(in.ExpectEnd("external embedder"));
  if (dim == 0 || dim > kMaxEmbedderDim) {
    return Status::Corruption("external embedder: bad dimension " +
                              std::to_string(dim));
  }
  return std::unique_ptr<Embedder>(new ExternalEmbedder(dim));
}

}  // namespace techmatch::internal

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The Embedder implementations behind CreateEmbedder() / LoadEmbedder().

#ifndef TECHMATCH_EMBED_EMBEDDERS_H_
#define TECHMATCH_EMBED_EMBEDDERS_H_

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <new>
#include <string>
#include <string_view>

#include "techmatch/analyzer.h"
#include "techmatch/embedder.h"
#include "techmatch/status.h"
#include "util/catch_all.h"

namespace techmatch::internal {

// Version of the payload Embedder::Save writes (independent of the LSA
// model's and the snapshot container's versions). Layout: docs/embedder.md.
inline constexpr uint32_t kEmbedderPayloadVersion = 1;

// The largest vector dimension accepted anywhere (options, word vector
// files, payloads).
inline constexpr size_t kMaxEmbedderDim = 4096;

// Appends the payload header: u32 version, u8 kind.
void PutEmbedderHeader(EmbedderKind kind, std::string* out);

// The factories take validated options and a non-null analyzer; the
// loaders take the kind's state, after the payload header.
Result<std::unique_ptr<Embedder>> CreateLsaEmbedder(
    const EmbedderOptions& options, std::shared_ptr<const Analyzer> analyzer);
Result<std::unique_ptr<Embedder>> LoadLsaEmbedder(
    std::string_view state, std::shared_ptr<const Analyzer> analyzer);

Result<std::unique_ptr<Embedder>> CreateSifEmbedder(
    const EmbedderOptions& options, std::shared_ptr<const Analyzer> analyzer);
Result<std::unique_ptr<Embedder>> LoadSifEmbedder(
    std::string_view state, std::shared_ptr<const Analyzer> analyzer);

Result<std::unique_ptr<Embedder>> CreateExternalEmbedder(
    const EmbedderOptions& options);
Result<std::unique_ptr<Embedder>> LoadExternalEmbedder(std::string_view state);


}  // namespace techmatch::internal

#endif  // TECHMATCH_EMBED_EMBEDDERS_H_

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The operator page's files (server/web/), embedded at build time by
// server/embed_assets.cmake.

#ifndef TECHMATCH_SERVER_WEB_ASSETS_H_
#define TECHMATCH_SERVER_WEB_ASSETS_H_

#include <string_view>
#include <vector>

namespace techmatch::server {

struct WebAsset {
  std::string_view name;          ///< file name, e.g. "app.js"
  std::string_view content_type;  ///< e.g. "text/javascript; charset=utf-8"
  std::string_view body;
};

/// Every file of server/web, in the order CMake listed them.
const std::vector<WebAsset>& WebAssets();

}  // namespace techmatch::server

#endif  // TECHMATCH_SERVER_WEB_ASSETS_H_

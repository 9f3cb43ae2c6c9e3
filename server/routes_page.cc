// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The operator page: GET / and /follow-up (index.html) and its files.

#include <string>

#include "server/service_internal.h"
#include "server/web_assets.h"

namespace techmatch::server::handlers {

namespace {

void Serve(const WebAsset& asset, httplib::Response& res) {
  // Nothing from outside: scripts, styles and requests stay on this origin.
  res.set_header("Content-Security-Policy",
                 "default-src 'self'; img-src 'self' data:; object-src 'none'; "
                 "base-uri 'none'; frame-ancestors 'none'");
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Cache-Control", "no-cache");
  res.set_content(std::string(asset.body), std::string(asset.content_type).c_str());
}

}  // namespace

void AddPageRoutes(httplib::Server& server) {
  for (const WebAsset& asset : WebAssets()) {
    const WebAsset* a = &asset;
    auto handler = [a](const httplib::Request&, httplib::Response& res) { Serve(*a, res); };
    if (asset.name == "index.html") {
      server.Get("/", handler);
      server.Get("/follow-up", handler);
    }
    server.Get("/" + std::string(asset.name), handler);
  }
}

}  // namespace techmatch::server::handlers

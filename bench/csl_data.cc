// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "csl_data.h"

#include <array>
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

namespace techmatch::bench {

Result<std::vector<CslQuery>> LoadCslQueries(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("queries file " + path);
  std::vector<CslQuery> out;
  std::string line;
  size_t lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    try {
      auto j = nlohmann::json::parse(line);
      out.push_back({j.at("id").get<std::string>(), j.value("type", "title"),
                     j.at("text").get<std::string>()});
    } catch (const std::exception& e) {
      return Status::InvalidArgument(path + ":" + std::to_string(lineno) + ": " +
                                     e.what());
    }
  }
  return out;
}

Status WriteRun(const std::string& path, const std::vector<CslQuery>& queries,
                const std::vector<std::vector<std::string>>& ranked) {
  std::ofstream out(path);
  for (size_t i = 0; i < queries.size(); ++i) {
    nlohmann::json j = {{"query_id", queries[i].id}, {"doc_ids", ranked[i]}};
    out << j.dump() << '\n';
  }
  out.close();
  if (!out) return Status::IOError("cannot write run file " + path);
  return Status::OK();
}

Result<std::string> Evaluate(const std::string& csl_dir, const std::string& run_path) {
  std::string cmd = "python3 '" + csl_dir + "/evaluate.py' --data '" + csl_dir +
                    "' --split dev --run '" + run_path + "'";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return Status::IOError("cannot run " + cmd);
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int rc = pclose(p);
  if (rc != 0) return Status::Internal("evaluate.py failed: " + out);
  return out;
}

nlohmann::json MetricsJson(const internal::GroupMetrics& g) {
  nlohmann::json j = {{"n", g.n},      {"MRR@10", g.mrr10}, {"R@1", g.r1},
                      {"R@10", g.r10}, {"R@100", g.r100},   {"nDCG@10", g.ndcg10}};
  if (g.disc_p10) j["DiscP@10"] = *g.disc_p10;
  if (g.cat_p10) j["CatP@10"] = *g.cat_p10;
  return j;
}

}  // namespace techmatch::bench

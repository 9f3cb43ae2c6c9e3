// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "bench_util.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "techmatch/record_io.h"

namespace techmatch::bench {

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  size_t i = std::min(v.size() - 1, size_t(p * double(v.size() - 1) + 0.5));
  return v[i];
}

double Median(std::vector<double> v) {
  if (v.empty()) return 0;
  size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + long(mid), v.end());
  double m = v[mid];
  if (v.size() % 2 == 0) {
    m = (m + *std::max_element(v.begin(), v.begin() + long(mid))) / 2;
  }
  return m;
}

std::string DefaultCorpusPath(const std::string& given) {
  std::error_code ec;
  if (!given.empty()) return std::filesystem::exists(given, ec) ? given : "";
  for (const char* p : {TECHMATCH_SOURCE_DIR "/../shared/data/csl-match/corpus.jsonl",
                        "../shared/data/csl-match/corpus.jsonl"}) {
    if (std::filesystem::exists(p, ec)) return p;
  }
  return "";
}

Result<std::vector<Record>> LoadCorpus(const std::string& path) {
  JsonlReadOptions opt;
  opt.field_map["categories"] = {"category", "discipline"};
  return ReadRecordsJsonlFile(path, opt);
}

std::string MachineDescription() {
  std::string cpu = "unknown CPU";
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      size_t c = line.find(':');
      if (c != std::string::npos) cpu = line.substr(c + 2);
      break;
    }
  }
  long mem_kb = 0;
  std::ifstream mi("/proc/meminfo");
  while (std::getline(mi, line)) {
    if (line.rfind("MemTotal:", 0) == 0) {
      mem_kb = std::stol(line.substr(9));
      break;
    }
  }
  return cpu + ", " + std::to_string(std::thread::hardware_concurrency()) +
         " cores, " + std::to_string(mem_kb / (1024 * 1024)) + " GiB";
}

}  // namespace techmatch::bench

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch_fuzz_seeds OUT: the seed corpora of the fuzzers, from the
// files the tests use (examples/data, tests/data/golden), one directory per
// fuzzer under OUT:
//   records/        example JSONL files (whole, and a line each), mode byte first
//   analyzer/       example texts, as raw bytes and in the valid-UTF-8 form
//   dictionary/     the example dictionary, and with a text after a NUL
//   synonyms/       the starter synonyms, and a short list with a query after a NUL
//   snapshot_file/  the golden engine snapshot and its CURRENT
//   section/        each golden section behind its loader's selector byte
//   engine_load/    the golden snapshot's sections in fuzz_util.h's framing

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_util.h"
#include "io/snapshot_file.h"
#include "techmatch/scorer.h"

namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  if (!in) {
    std::fprintf(stderr, "make_seeds: cannot read %s\n", path.c_str());
    std::exit(1);
  }
  return s.str();
}

int written = 0;

void Put(const fs::path& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out) {
    std::fprintf(stderr, "make_seeds: cannot write %s\n", (dir / name).c_str());
    std::exit(1);
  }
  ++written;
}

std::vector<std::string> Lines(const std::string& text, size_t max) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (out.size() < max && std::getline(in, line)) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR\n", argv[0]);
    return 2;
  }
  const fs::path out = argv[1];
  const fs::path src = TECHMATCH_SOURCE_DIR;
  const fs::path examples = src / "examples" / "data";
  const fs::path golden = src / "tests" / "data" / "golden";
  using techmatch::internal::Fourcc;

  // records: whole small files and single lines, under each mode byte.
  const std::string supply = Slurp(examples / "supply.jsonl");
  const std::string demand = Slurp(examples / "demand.jsonl");
  const std::string golden_records = Slurp(golden / "engine_v1_records.jsonl");
  std::vector<std::string> texts;
  int n = 0;
  for (const std::string& line : Lines(supply, 6)) {
    Put(out / "records", "line" + std::to_string(n), std::string(1, char(n % 4)) + line + "\n");
    ++n;
  }
  for (const std::string& line : Lines(demand, 6)) {
    Put(out / "records", "line" + std::to_string(n), std::string(1, char(n % 4)) + line + "\n");
    ++n;
    texts.push_back(line);
  }
  Put(out / "records", "golden", std::string(1, '\0') + golden_records);
  Put(out / "records", "mapped",
      std::string(1, '\2') +
          "{\"id\":\"P1\",\"title\":\"钒电池\",\"abstract\":\"电解液\",\"category\":\"工学\","
          "\"discipline\":\"材料\"}\n{\"id\":\"P1\"}\n\xef\xbb\xbf{}\n");

  // analyzer: record lines as raw bytes (mode 0), and a few byte pairs in
  // the valid-UTF-8 form (mode 1).
  n = 0;
  for (const std::string& t : texts) {
    Put(out / "analyzer", "raw" + std::to_string(n++), std::string(1, '\0') + t);
  }
  Put(out / "analyzer", "raw_cjk",
      std::string(1, '\0') + "全钒液流电池 5G通信 无人飞行器（UAV）涤纶/PET ＡＢＣ１２３ e=mc²");
  Put(out / "analyzer", "valid", std::string("\1\0\x12\1\x41\3\x07\x08\x61\2\x31\6\xb0", 13));

  // dictionary: the example dictionary, and a short one with a text after
  // the NUL.
  const std::string dict = Slurp(examples / "tech_terms.txt");
  Put(out / "dictionary", "examples", dict);
  Put(out / "dictionary", "with_text",
      std::string("钒电池 3.5\n液流电池\n# comment\n无人机 1e3 n\n") + '\0' +
          "钒电池电解液与液流电池的无人机应用");

  // synonyms: the starter list, and a short one with a query after the NUL.
  Put(out / "synonyms", "examples", Slurp(examples / "synonyms.txt"));
  Put(out / "synonyms", "with_query",
      std::string("无人机, 无人飞行器, UAV\n涤纶 => 聚酯纤维\na\\,b, c\\=>d\n# c\n") + '\0' +
          "UAV巡检与涤纶面料 5G");

  // snapshot_file and engine_load and section, from the golden snapshot.
  const std::string snapshot = Slurp(golden / "engine_v1_examples" / "engine-000001.tms");
  Put(out / "snapshot_file", "golden_engine", snapshot);
  Put(out / "snapshot_file", "golden_current", Slurp(golden / "engine_v1_examples" / "CURRENT"));
  auto reader = techmatch::internal::SnapshotReader::Parse(snapshot);
  if (!reader.ok()) {
    std::fprintf(stderr, "make_seeds: %s\n", reader.status().ToString().c_str());
    return 1;
  }
  std::string framed;
  for (uint32_t tag : reader->tags()) {
    auto payload = reader->Section(tag);
    if (!payload.ok()) return 1;
    techmatch::fuzz::AppendSection(tag, *payload, &framed);
    // The section fuzzer's selector: 0 lexical, 1 dense, 2 embedder,
    // 3 META, 4 scorer.
    int selector = -1;
    if (tag == Fourcc("LEXS") || tag == Fourcc("LEXD")) selector = 0;
    if (tag == Fourcc("DIDX")) selector = 1;
    if (tag == Fourcc("EMBD")) selector = 2;
    if (tag == Fourcc("META")) selector = 3;
    if (selector >= 0) {
      Put(out / "section", techmatch::internal::FourccToString(tag),
          std::string(1, char(selector)) + std::string(*payload));
    }
  }
  std::string linear;
  if (!techmatch::LinearScorer(techmatch::ScorerWeights::Defaults()).Save(&linear).ok()) return 1;
  Put(out / "section", "scorer", std::string(1, '\4') + linear);
  Put(out / "engine_load", "golden", framed);
  std::printf("make_seeds: %d seed files under %s\n", written, out.c_str());
  return 0;
}

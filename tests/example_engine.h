// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The example data (examples/data) as records and as a built engine, for
// the tests that need a real engine.

#ifndef TECHMATCH_TESTS_EXAMPLE_ENGINE_H_
#define TECHMATCH_TESTS_EXAMPLE_ENGINE_H_

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "techmatch/engine.h"
#include "techmatch/record_io.h"

namespace techmatch::testing {

inline std::string ExamplesDir() {
  return std::string(TECHMATCH_TEST_DATA_DIR) + "/../../examples/data";
}

/// "supply.jsonl" or "demand.jsonl" of the examples.
inline std::vector<Record> ReadExamples(const std::string& name) {
  auto r = ReadRecordsJsonlFile(ExamplesDir() + "/" + name);
  REQUIRE(r.ok());
  return std::move(*r);
}

/// Options for the 315 example records: a small space, two threads, the
/// example dictionary, and a fixed seed.
inline EngineOptions ExampleOptions() {
  EngineOptions o;
  o.embedder.dim = 32;
  o.threads = 2;
  o.analyzer.dictionary_file = ExamplesDir() + "/tech_terms.txt";
  o.dense.spec = "Flat";  // exact: results do not depend on a graph build
  return o;
}

/// A new engine over every example record, built.
inline std::unique_ptr<Engine> BuildExampleEngine(EngineOptions options = ExampleOptions()) {
  auto e = Engine::Open(options);
  REQUIRE(e.ok());
  REQUIRE((*e)->Add(ReadExamples("supply.jsonl")).ok());
  REQUIRE((*e)->Add(ReadExamples("demand.jsonl")).ok());
  REQUIRE((*e)->Build().ok());
  return std::move(*e);
}

/// The example demand with this id.
inline Record ExampleDemand(const std::string& id) {
  for (const Record& r : ReadExamples("demand.jsonl")) {
    if (r.id == id) return r;
  }
  FAIL("no example demand " << id);
  return {};
}

}  // namespace techmatch::testing

#endif  // TECHMATCH_TESTS_EXAMPLE_ENGINE_H_

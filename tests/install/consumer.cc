// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Uses the installed public API only: built by tests/install against an
// install prefix, once through find_package and once through pkg-config.

#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "techmatch/techmatch.h"

namespace {

int Fail(const char* what, const techmatch::Status& status) {
  std::fprintf(stderr, "consumer: %s: %s\n", what, status.ToString().c_str());
  return 1;
}

}  // namespace

int main() {
  std::printf("techmatch %s (headers %s)\n", techmatch::version(),
              TECHMATCH_VERSION_STRING);
  if (std::strcmp(techmatch::version(), TECHMATCH_VERSION_STRING) != 0) {
    std::fprintf(stderr, "consumer: library/header version mismatch\n");
    return 1;
  }

  techmatch::Result<std::unique_ptr<techmatch::Analyzer>> analyzer =
      techmatch::Analyzer::Create();
  if (!analyzer.ok()) return Fail("Analyzer::Create", analyzer.status());

  techmatch::Result<std::vector<techmatch::Term>> terms =
      (*analyzer)->Analyze("石墨烯负极材料的制备");
  if (!terms.ok()) return Fail("Analyze", terms.status());
  if (terms->empty()) {
    std::fprintf(stderr, "consumer: Analyze returned no terms\n");
    return 1;
  }
  std::printf("terms: %zu (first \"%s\", %s)\n", terms->size(),
              terms->front().text.c_str(),
              techmatch::TermKindName(terms->front().kind));

  techmatch::Result<techmatch::Record> record = techmatch::ParseRecordJson(
      R"({"id":"S1","title":"钛合金","text":"3D打印"})",
      techmatch::JsonlReadOptions{});
  if (!record.ok()) return Fail("ParseRecordJson", record.status());
  if (record->id != "S1" || record->title != "钛合金" ||
      record->text != "3D打印") {
    std::fprintf(stderr, "consumer: record fields do not round-trip\n");
    return 1;
  }

  std::printf("consumer ok\n");
  return 0;
}

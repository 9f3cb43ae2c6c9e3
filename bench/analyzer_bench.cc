// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch-bench analyzer: analyzer throughput beside bare ICU segmentation.

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_util.h"
#include "benches.h"
#include "techmatch/analyzer.h"

namespace techmatch::bench {
namespace {

// The baseline: what any ICU user must do at least to segment UTF-8 text,
// with one iterator reused for every text (the fastest way found here).
size_t BareIcuPass(icu::BreakIterator* bi, const std::vector<std::string>& texts) {
  size_t boundaries = 0;
  for (const std::string& t : texts) {
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(
        icu::StringPiece(t.data(), int32_t(t.size())));
    bi->setText(u);
    for (int32_t p = bi->first(); p != icu::BreakIterator::DONE; p = bi->next()) {
      ++boundaries;
    }
  }
  return boundaries;
}

}  // namespace

int RunAnalyzerBench(const AnalyzerBenchArgs& args) {
  std::string path = DefaultCorpusPath(args.corpus);
  if (path.empty()) {
    std::fprintf(stderr, "analyzer bench: corpus not found (%s); pass --corpus\n",
                 args.corpus.empty() ? "../shared/data/csl-match/corpus.jsonl"
                                     : args.corpus.c_str());
    return 2;
  }
  auto records = LoadCorpus(path);
  if (!records.ok()) {
    std::fprintf(stderr, "analyzer bench: %s\n", records.status().ToString().c_str());
    return 1;
  }
  std::vector<std::string> texts;
  size_t bytes = 0;
  size_t limit = args.quick ? 1000 : records->size();
  for (size_t i = 0; i < records->size() && i < limit; ++i) {
    texts.push_back((*records)[i].text);
    bytes += texts.back().size();
  }

  double t0 = NowSeconds();
  AnalyzerOptions opt;
  opt.dictionary_file = args.dict;
  auto analyzer = Analyzer::Create(opt);
  double create_s = NowSeconds() - t0;
  if (!analyzer.ok()) {
    std::fprintf(stderr, "analyzer bench: %s\n", analyzer.status().ToString().c_str());
    return 1;
  }
  UErrorCode err = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(
      icu::BreakIterator::createWordInstance(icu::Locale("zh"), err));
  if (U_FAILURE(err)) {
    std::fprintf(stderr, "analyzer bench: ICU: %s\n", u_errorName(err));
    return 1;
  }

  std::vector<double> icu_mbs, ana_mbs, seg_mbs, ratios;
  size_t sink = 0, terms_total = 0;
  std::vector<Term> terms;
  const int reps = args.quick ? 2 : args.repeat;
  // The two are interleaved block by block (64 texts), alternating which
  // goes first, so that both see the same machine load: on a shared
  // machine whole-pass timings drift by more than the effect measured.
  const size_t kBlock = 64;
  for (int r = 0; r < reps; ++r) {
    double icu_s = 0, ana_s = 0;
    terms_total = 0;
    for (size_t b = 0; b < texts.size(); b += kBlock) {
      size_t e = std::min(texts.size(), b + kBlock);
      std::vector<std::string> block(texts.begin() + long(b), texts.begin() + long(e));
      for (int turn = 0; turn < 2; ++turn) {
        bool icu_turn = (turn == 0) == ((b / kBlock) % 2 == 0);
        double a = NowSeconds();
        if (icu_turn) {
          sink += BareIcuPass(bi.get(), block);
          icu_s += NowSeconds() - a;
        } else {
          for (const std::string& t : block) {
            Status st = (*analyzer)->Analyze(t, &terms);
            if (!st.ok()) {
              std::fprintf(stderr, "analyzer bench: %s\n", st.ToString().c_str());
              return 1;
            }
            terms_total += terms.size();
          }
          ana_s += NowSeconds() - a;
        }
      }
    }
    double a = NowSeconds();
    for (const std::string& t : texts) sink += (*analyzer)->Segment(t)->size();
    double seg_s = NowSeconds() - a;

    icu_mbs.push_back(double(bytes) / 1e6 / icu_s);
    ana_mbs.push_back(double(bytes) / 1e6 / ana_s);
    seg_mbs.push_back(double(bytes) / 1e6 / seg_s);
    ratios.push_back(icu_s / ana_s);
  }
  nlohmann::json out = {
      {"bench", "analyzer"},
      {"corpus", path},
      {"texts", texts.size()},
      {"bytes", bytes},
      {"repeats", reps},
      {"dictionary", args.dict},
      {"analyzer_create_s", create_s},
      {"terms", terms_total},
      {"bare_icu_mb_s", Median(icu_mbs)},
      {"analyze_mb_s", Median(ana_mbs)},
      {"segment_mb_s", Median(seg_mbs)},
      {"analyze_vs_icu_ratio", Median(ratios)},
      {"checksum", sink % 1000},
  };
  std::printf("%s\n", out.dump(2).c_str());
  return 0;
}

}  // namespace techmatch::bench

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch match: queries (a text or records) against a snapshot -> one
// JSON line per query, or a readable table with --pretty.

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cli_common.h"
#include "commands.h"
#include "server/index_dir.h"
#include "server/match_json.h"
#include "server/presentation.h"
#include "progress.h"
#include "techmatch/engine.h"
#include "techmatch/filter.h"
#include "techmatch/match.h"
#include "techmatch/record_io.h"
#include "techmatch/scorer.h"

namespace techmatch::cli {

namespace {

constexpr const char* kCmd = "match";
// Queries matched per MatchBatch call: results stream out in chunks
// instead of after the whole file.
constexpr size_t kBatchSize = 256;

bool ParseInt(std::string_view text, int* out) {
  if (text.empty() || text.size() > 9) return false;
  int v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// One --filter expression into `filter`. Keys: kind, category, region,
// maturity, attr.KEY, id.
Status AddFilterExpr(const std::string& expr, RecordFilter* filter) {
  auto bad = [&](const std::string& what) {
    return Status::InvalidArgument("--filter \"" + expr + "\": " + what);
  };
  size_t eq = expr.find('=');
  if (eq == std::string::npos) {
    return bad(
        "expected KEY=VALUE (kind, category, region, maturity, "
        "attr.KEY, id)");
  }
  std::string key = expr.substr(0, eq);
  std::string value = expr.substr(eq + 1);
  if (key == "kind") {
    auto kind = ParseRecordKind(value);
    if (!kind.ok()) return bad("kind must be supply or demand");
    if (filter->kind && *filter->kind != *kind) {
      return bad("conflicts with an earlier kind filter");
    }
    filter->kind = *kind;
  } else if (key == "category" || key == "region") {
    if (value.empty()) return bad("empty path prefix");
    (key == "category" ? filter->category_prefixes : filter->region_prefixes)
        .push_back(value);
  } else if (key == "maturity") {
    // MIN..MAX with either side optional, or one level N (= N..N).
    std::string lo = value, hi = value;
    size_t dots = value.find("..");
    if (dots != std::string::npos) {
      lo = value.substr(0, dots);
      hi = value.substr(dots + 2);
      if (lo.empty() && hi.empty()) return bad("empty maturity range");
    }
    int v = 0;
    if (!lo.empty()) {
      if (!ParseInt(lo, &v) || v < 1 || v > 9) {
        return bad("maturity bound \"" + lo + "\" is not a level 1-9");
      }
      filter->min_maturity = v;
    }
    if (!hi.empty()) {
      if (!ParseInt(hi, &v) || v < 1 || v > 9) {
        return bad("maturity bound \"" + hi + "\" is not a level 1-9");
      }
      filter->max_maturity = v;
    }
    if (filter->min_maturity && filter->max_maturity &&
        *filter->min_maturity > *filter->max_maturity) {
      return bad("maturity range is empty (min > max)");
    }
  } else if (key.rfind("attr.", 0) == 0) {
    std::string name = key.substr(5);
    if (name.empty()) return bad("empty attribute name after \"attr.\"");
    auto [it, fresh] = filter->attributes.emplace(name, value);
    if (!fresh && it->second != value) {
      return bad("attribute \"" + name + "\" already required to be \"" +
                 it->second + "\"");
    }
  } else if (key == "id") {
    if (value.empty()) return bad("empty id");
    filter->ids.push_back(value);
  } else {
    return bad("unknown filter \"" + key +
               "\" (one of kind, category, region, maturity, attr.KEY, id)");
  }
  return Status::OK();
}

// ---- --pretty ----------------------------------------------------------

struct Style {
  bool tty = false;
  std::string Mark(std::string_view s) const {
    return tty ? "\033[1;31m" + std::string(s) + "\033[0m"
               : "【" + std::string(s) + "】";
  }
  std::string Bold(std::string_view s) const {
    return tty ? "\033[1m" + std::string(s) + "\033[0m" : std::string(s);
  }
  std::string Warn(std::string_view s) const {
    return tty ? "\033[1;33m" + std::string(s) + "\033[0m" : std::string(s);
  }
};

std::string Render(const std::vector<server::TextPiece>& pieces, const Style& style) {
  std::string out;
  for (const server::TextPiece& p : pieces) out += p.marked ? style.Mark(p.text) : p.text;
  return out;
}

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

// "乐山茶源生物科技有限公司 · 四川省/乐山市/夹江县 · TRL 8 · CNY 8,000,000"
std::string MetaLine(const Record& record) {
  const server::DisplayFields d = server::GetDisplayFields(record);
  std::vector<std::string> parts;
  if (!d.organization.empty()) parts.push_back(d.organization);
  if (!d.region.empty()) parts.push_back(d.region);
  parts.push_back(d.maturity ? "TRL " + std::to_string(*d.maturity) : "TRL unknown");
  parts.push_back(d.price ? (record.kind == RecordKind::kDemand ? "budget CNY " : "CNY ") +
                                server::GroupedNumber(*d.price)
                          : std::string("price negotiable"));
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? " · " : "") + parts[i];
  return out;
}

void PrintPretty(const Engine& engine, const MatchResult& result, const Record* query,
                 std::string_view query_text, const Style& style, std::string* out) {
  std::string& o = *out;
  const std::vector<server::TextPiece> shown = server::MarkedSnippet(query_text, {}, 80);
  o += style.Bold("query " + (result.query_id.empty() ? std::string("(text)")
                                                      : result.query_id)) +
       ": " + Render(shown, style) + "\n";
  o += "  confidence " + Fixed(result.confidence, 2);
  if (!result.category.empty()) {
    o += "  category " + result.category + (result.category_inferred ? " (inferred)" : "");
  }
  o += "\n";
  if (result.needs_follow_up) {
    o += "  " +
         style.Warn("!! NEEDS FOLLOW-UP: the best match covers little of this query; "
                    "check it by hand") +
         "\n";
  }
  if (result.matches.empty()) {
    o += "  (no matches)\n\n";
    return;
  }
  for (const Match& m : result.matches) {
    auto record = engine.Get(m.key);
    o += "  " + std::to_string(m.rank) + ".  " + style.Bold(m.key.id) + "  " +
         Fixed(m.score, 4) + "  ";
    if (!record.ok()) {
      o += "(record unavailable: " + record.status().ToString() + ")\n";
      continue;
    }
    const Explanation& e = m.explanation;
    o += (record->title.empty()
              ? std::string("(no title)")
              : Render(server::MarkedSnippet(record->title,
                                             server::WordSpans(e, TextField::kTitle, 0), 60),
                       style)) +
         "\n";
    o += "        " + MetaLine(*record) + "\n";
    const std::vector<server::Reason> reasons = server::Reasons(result, m, *record, query);
    if (!reasons.empty()) {
      std::string why;
      for (const server::Reason& r : reasons) why += (why.empty() ? "" : "; ") + r.text;
      o += "        why: " + why + "\n";
    }
    std::string kw;
    bool kw_hit = false;
    for (size_t i = 0; i < record->keywords.size(); ++i) {
      auto spans = server::WordSpans(e, TextField::kKeywords, uint32_t(i));
      kw_hit = kw_hit || !spans.empty();
      if (!kw.empty()) kw += ", ";
      kw += Render(server::MarkedSnippet(record->keywords[i], spans, 30), style);
    }
    if (kw_hit) o += "        keywords: " + kw + "\n";
    if (!record->text.empty()) {
      o += "        text: " +
           Render(server::MarkedSnippet(record->text, server::WordSpans(e, TextField::kText, 0),
                                        90),
                  style) +
           "\n";
    }
  }
  o += "\n";
}

bool Write(const std::string& s) {
  return std::fwrite(s.data(), 1, s.size(), stdout) == s.size();
}

}  // namespace

Runner AddMatchCommand(CLI::App& app) {
  struct Args {
    std::string index;
    std::string text;
    std::string records;
    std::vector<std::string> maps;
    size_t k = 10;
    std::string target;
    std::vector<std::string> filters;
    bool no_explain = false;
    bool pretty = false;
    bool no_details = false;
    int threads = 0;
    std::string synonyms;
    float synonym_weight = MatchOptions{}.synonym_weight;
  };
  auto args = std::make_shared<Args>();
  CLI::App* sub = app.add_subcommand(
      "match",
      "Match a free text or query records against a snapshot: one JSON line "
      "per query on stdout (or a readable table with --pretty).");
  sub->add_option("--index", args->index,
                  "Snapshot directory written by `techmatch index`")
      ->required();
  CLI::Option* text =
      sub->add_option("--text", args->text, "A free-text query");
  CLI::Option* records = sub->add_option(
      "--records", args->records,
      "Query records (JSONL); they need not be in the index. Each is "
      "matched against the opposite kind unless --target");
  text->excludes(records);
  records->excludes(text);
  sub->add_option("--map", args->maps,
                  "Field map for --records (as in `techmatch index`)")
      ->take_all();
  sub->add_option("--k", args->k, "Matches per query (1-10000)")
      ->check(CLI::Range(size_t{1}, size_t{10000}))
      ->capture_default_str();
  sub->add_option("--target", args->target,
                  "The side searched (default: the opposite of the query "
                  "record's kind; supplies for --text)")
      ->check(CLI::IsMember({"supply", "demand"}));
  sub->add_option(
         "--filter", args->filters,
         "Condition on candidates; repeat to combine (AND across keys, OR "
         "within category/region/id): kind=supply|demand, category=PREFIX, "
         "region=PREFIX, maturity=MIN..MAX (either side optional, e.g. 4..), "
         "attr.KEY=VALUE, id=ID")
      ->take_all();
  sub->add_flag("--no-explain", args->no_explain,
                "Leave out explanations (faster)");
  sub->add_flag("--no-details", args->no_details,
                "Leave out each match's record fields, reasons and marked text "
                "(the engine's result only, as the Python module and Dask write it)");
  sub->add_flag("--pretty", args->pretty,
                "A readable table per query with highlighted matched terms "
                "instead of JSON");
  sub->add_option("--threads", args->threads,
                  "Workers for --records (0 = the engine's setting)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--synonyms", args->synonyms,
                  "A synonyms file (Solr format: \"a, b, c\" or \"a => b\" per line) applied "
                  "to the queries");
  sub->add_option("--synonym-weight", args->synonym_weight,
                  "Weight of a term a synonym adds (0: off)")
      ->check(CLI::Range(0.0, 10.0))
      ->capture_default_str();
  return [args, text, records]() -> int {
    if (!*text && !*records) {
      return Fail(kCmd, "one of --text or --records is required");
    }
    MatchOptions options;
    options.k = args->k;
    options.explain = !args->no_explain;
    options.synonym_weight = args->synonym_weight;
    // Reasons and whole-word highlights need the offsets of more terms
    // than the default 20 (unigrams and bigrams crowd the words out); the
    // HTTP API does the same. --no-details keeps the engine's default, as
    // the Python module and Dask do.
    if (!args->no_details || args->pretty) options.max_explained_terms = 64;
    if (!args->target.empty()) {
      options.target =
          args->target == "demand" ? RecordKind::kDemand : RecordKind::kSupply;
    }
    for (const std::string& f : args->filters) {
      Status s = AddFilterExpr(f, &options.filter);
      if (!s.ok()) return Fail(kCmd, s);
    }
    if (Status s = options.filter.Validate(); !s.ok()) {
      return Fail(kCmd, s.WithContext("--filter"));
    }
    if (Status s = options.Validate(); !s.ok()) return Fail(kCmd, s);

    std::vector<Record> queries;
    if (*records) {
      JsonlReadOptions read_options;
      for (const std::string& spec : args->maps) {
        Status s = read_options.AddFieldMap(spec);
        if (!s.ok()) return Fail(kCmd, s.WithContext("--map"));
      }
      Status s = ReadRecordFiles(kCmd, {args->records}, read_options, &queries);
      if (!s.ok()) return Fail(kCmd, s);
    }

    // Read-only: the write-ahead log of a running or crashed `serve` is
    // replayed in memory, so every acknowledged write is seen.
    auto dir = server::IndexDir::OpenReadOnly(args->index);
    if (!dir.ok()) return Fail(kCmd, dir.status());
    if (!args->synonyms.empty()) {
      auto list = ReadSynonymsFile(args->synonyms);
      if (!list.ok()) return Fail(kCmd, list.status());
      if (Status s = (*dir)->SetSynonyms(*list); !s.ok()) return Fail(kCmd, s);
    }
    const Engine& engine = (*dir)->engine();

    Style style;
    style.tty = IsTerminal(stdout);
    server::MatchJsonOptions json_options;
    json_options.explanation = options.explain;
    json_options.details = !args->no_details;
    std::string out;
    size_t empty_results = 0;
    auto emit = [&](const MatchResult& r, const Record* query, std::string_view query_text) {
      if (r.matches.empty()) ++empty_results;
      out.clear();
      if (args->pretty) {
        PrintPretty(engine, r, query, query_text, style, &out);
      } else {
        out = server::DumpJsonLine(server::MatchResultToJson(r, &engine, query, json_options));
        out += '\n';
      }
      return Write(out);
    };

    if (*text) {
      auto result = engine.MatchText(args->text, options);
      if (!result.ok()) return Fail(kCmd, result.status());
      if (!emit(*result, nullptr, args->text)) return Fail(kCmd, "write error");
    } else {
      for (size_t begin = 0; begin < queries.size(); begin += kBatchSize) {
        size_t end = std::min(queries.size(), begin + kBatchSize);
        std::vector<MatchQuery> batch;
        batch.reserve(end - begin);
        for (size_t i = begin; i < end; ++i) {
          MatchQuery q;
          q.id = queries[i].id;
          q.record = &queries[i];
          batch.push_back(std::move(q));
        }
        auto results = engine.MatchBatch(batch, options, args->threads);
        if (!results.ok()) {
          return Fail(kCmd, results.status().WithContext(args->records));
        }
        for (size_t i = 0; i < results->size(); ++i) {
          const Record& q = queries[begin + i];
          if (!emit((*results)[i], &q, q.title.empty() ? q.text : q.title)) {
            return Fail(kCmd, "write error");
          }
        }
      }
    }
    if (empty_results > 0 && !options.filter.empty()) {
      std::fprintf(stderr,
                   "techmatch match: warning: no record passed the filters for %zu "
                   "quer%s (check --filter: a region or category is matched from its "
                   "first segment, e.g. region=四川 or category=工学/材料)\n",
                   empty_results, empty_results == 1 ? "y" : "ies");
    }
    if (std::fflush(stdout) != 0) return Fail(kCmd, "write error");
    return 0;
  };
}

}  // namespace techmatch::cli

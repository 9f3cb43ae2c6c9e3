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
#include "match_json.h"
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

bool IsBoundary(std::string_view s, size_t i) {
  return i == 0 || i >= s.size() ||
         (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}

// Byte offsets of the code point starts of `s`, plus s.size().
std::vector<size_t> CharStarts(std::string_view s) {
  std::vector<size_t> starts;
  for (size_t i = 0; i < s.size(); ++i) {
    if (IsBoundary(s, i)) starts.push_back(i);
  }
  starts.push_back(s.size());
  return starts;
}

// Control characters (newlines, tabs) would break the table's lines.
std::string Flatten(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    out.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c);
  }
  return out;
}

using Span = std::pair<uint32_t, uint32_t>;

// `field` cut to at most `max_chars` code points around the densest run
// of `spans` (byte ranges), the spans marked. Cuts fall on code point
// boundaries; spans that do not (which a correct engine never returns) are
// ignored rather than trusted.
std::string Snippet(std::string_view field, std::vector<Span> spans,
                    size_t max_chars, const Style& style) {
  std::vector<Span> valid;
  for (const Span& s : spans) {
    if (s.first < s.second && s.second <= field.size() &&
        IsBoundary(field, s.first) && IsBoundary(field, s.second)) {
      valid.push_back(s);
    }
  }
  std::sort(valid.begin(), valid.end());
  // Overlapping spans (a word and its bigrams) are joined; touching ones
  // are not, so two separate single-character matches do not read as one
  // term.
  std::vector<Span> merged;
  for (const Span& s : valid) {
    if (!merged.empty() && s.first < merged.back().second) {
      merged.back().second = std::max(merged.back().second, s.second);
    } else {
      merged.push_back(s);
    }
  }
  std::vector<size_t> starts = CharStarts(field);
  size_t nchars = starts.size() - 1;
  size_t first = 0, last = nchars;  // window in code points
  if (nchars > max_chars) {
    // The window that starts a little before some span and covers the
    // most highlighted bytes.
    auto char_of = [&](size_t byte) {
      return size_t(std::upper_bound(starts.begin(), starts.end(), byte) -
                    starts.begin() - 1);
    };
    size_t best_cover = 0;
    first = 0;
    for (const Span& s : merged) {
      size_t c = char_of(s.first);
      size_t lead = std::min<size_t>(c, max_chars / 6);
      size_t w0 = std::min(c - lead, nchars - max_chars);
      size_t b0 = starts[w0], b1 = starts[w0 + max_chars];
      size_t cover = 0;
      for (const Span& t : merged) {
        size_t lo = std::max<size_t>(t.first, b0);
        size_t hi = std::min<size_t>(t.second, b1);
        if (hi > lo) cover += hi - lo;
      }
      if (cover > best_cover) {
        best_cover = cover;
        first = w0;
      }
    }
    last = first + max_chars;
  }
  size_t b0 = starts[first], b1 = starts[last];
  std::string out;
  if (first > 0) out += "…";
  size_t at = b0;
  for (const Span& s : merged) {
    size_t lo = std::max<size_t>(s.first, b0);
    size_t hi = std::min<size_t>(s.second, b1);
    if (hi <= lo) continue;
    out += Flatten(field.substr(at, lo - at));
    out += style.Mark(Flatten(field.substr(lo, hi - lo)));
    at = hi;
  }
  out += Flatten(field.substr(at, b1 - at));
  if (last < nchars) out += "…";
  return out;
}

std::string Fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string TopFeatures(const Explanation& e, size_t n) {
  std::vector<const FeatureContribution*> fs;
  for (const FeatureContribution& f : e.features) {
    if (f.contribution != 0) fs.push_back(&f);
  }
  std::stable_sort(fs.begin(), fs.end(), [](auto* a, auto* b) {
    return std::fabs(a->contribution) > std::fabs(b->contribution);
  });
  std::string out;
  for (size_t i = 0; i < fs.size() && i < n; ++i) {
    if (!out.empty()) out += "  ";
    out += FeatureName(fs[i]->feature);
    out += fs[i]->contribution >= 0 ? " +" : " ";
    out += Fixed(fs[i]->contribution, 3);
  }
  return out.empty() ? "(no feature contributes)" : out;
}

void PrintPretty(const Engine& engine, const MatchResult& result,
                 std::string_view query_text, const Style& style,
                 std::string* out) {
  std::string& o = *out;
  o += style.Bold("query " + (result.query_id.empty() ? std::string("(text)")
                                                      : result.query_id)) +
       ": " + Snippet(query_text, {}, 80, style) + "\n";
  if (!result.category.empty()) {
    o += "  category: " + result.category +
         (result.category_inferred ? " (inferred)" : "") + "\n";
  }
  if (result.needs_follow_up) {
    o += "  " +
         style.Warn(
             "!! NEEDS FOLLOW-UP: no candidate scored above the "
             "follow-up floor; check this query by hand") +
         "\n";
  }
  if (result.matches.empty()) {
    o += "  (no matches)\n\n";
    return;
  }
  o += "  rank  id  score  title\n";
  for (const Match& m : result.matches) {
    auto record = engine.Get(m.key);
    std::vector<Span> title_spans, text_spans;
    std::vector<std::vector<Span>> keyword_spans;
    for (const MatchedTerm& t : m.explanation.matched_terms) {
      for (const TextSpan& s : t.record_spans) {
        if (s.field == TextField::kTitle) {
          title_spans.emplace_back(s.begin, s.end);
        } else if (s.field == TextField::kText) {
          text_spans.emplace_back(s.begin, s.end);
        } else {
          if (keyword_spans.size() <= s.index) {
            keyword_spans.resize(size_t(s.index) + 1);
          }
          keyword_spans[s.index].emplace_back(s.begin, s.end);
        }
      }
    }
    o += "  " + std::to_string(m.rank) + ".  " + style.Bold(m.key.id) + "  " +
         Fixed(m.score, 4) + "  ";
    if (!record.ok()) {
      o += "(record unavailable: " + record.status().ToString() + ")\n";
      continue;
    }
    o += (record->title.empty()
              ? std::string("(no title)")
              : Snippet(record->title, title_spans, 60, style)) +
         "\n";
    o += "        why: " + TopFeatures(m.explanation, 4);
    if (!m.explanation.found_by.empty()) {
      o += "  (found by " + m.explanation.found_by + ")";
    }
    o += "\n";
    std::string kw;
    bool kw_hit = false;
    for (size_t i = 0; i < record->keywords.size(); ++i) {
      const std::vector<Span> none;
      const std::vector<Span>& spans =
          i < keyword_spans.size() ? keyword_spans[i] : none;
      kw_hit = kw_hit || !spans.empty();
      if (!kw.empty()) kw += ", ";
      kw += Snippet(record->keywords[i], spans, 30, style);
    }
    if (kw_hit) o += "        keywords: " + kw + "\n";
    if (!record->text.empty()) {
      o += "        text: " + Snippet(record->text, text_spans, 90, style) +
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
    int threads = 0;
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
  sub->add_flag("--pretty", args->pretty,
                "A readable table per query with highlighted matched terms "
                "instead of JSON");
  sub->add_option("--threads", args->threads,
                  "Workers for --records (0 = the engine's setting)")
      ->check(CLI::NonNegativeNumber);
  return [args, text, records]() -> int {
    if (!*text && !*records) {
      return Fail(kCmd, "one of --text or --records is required");
    }
    MatchOptions options;
    options.k = args->k;
    options.explain = !args->no_explain;
    // The table highlights every explained term: with more of them a
    // word's characters read as one match instead of scattered ones.
    if (args->pretty) options.max_explained_terms = 64;
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

    auto engine = Engine::Load(args->index);
    if (!engine.ok()) return Fail(kCmd, engine.status());

    Style style;
    style.tty = IsTerminal(stdout);
    std::string out;
    auto emit = [&](const MatchResult& r, std::string_view query_text) {
      out.clear();
      if (args->pretty) {
        PrintPretty(**engine, r, query_text, style, &out);
      } else {
        out = DumpJsonLine(MatchResultToJson(r, options.explain));
        out += '\n';
      }
      return Write(out);
    };

    if (*text) {
      auto result = (*engine)->MatchText(args->text, options);
      if (!result.ok()) return Fail(kCmd, result.status());
      if (!emit(*result, args->text)) return Fail(kCmd, "write error");
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
        auto results = (*engine)->MatchBatch(batch, options, args->threads);
        if (!results.ok()) {
          return Fail(kCmd, results.status().WithContext(args->records));
        }
        for (size_t i = 0; i < results->size(); ++i) {
          const Record& q = queries[begin + i];
          if (!emit((*results)[i], q.title.empty() ? q.text : q.title)) {
            return Fail(kCmd, "write error");
          }
        }
      }
    }
    if (std::fflush(stdout) != 0) return Fail(kCmd, "write error");
    return 0;
  };
}

}  // namespace techmatch::cli

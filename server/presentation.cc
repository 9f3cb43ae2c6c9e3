// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "server/presentation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "techmatch/filter.h"
#include "techmatch/scorer.h"

namespace techmatch::server {

namespace {

using Span = std::pair<uint32_t, uint32_t>;

bool IsBoundary(std::string_view s, size_t i) {
  return i == 0 || i >= s.size() || (static_cast<unsigned char>(s[i]) & 0xC0) != 0x80;
}

size_t CodePoints(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) n += IsBoundary(s, i) ? 1 : 0;
  return n;
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

// Control characters (newlines, tabs) would break a line of output.
std::string Flatten(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

// A word worth marking: two characters or more and not a bare number
// ("5", "100", "2.5" match everywhere and mean nothing on their own).
bool IsWholeWord(const MatchedTerm& t) {
  if (t.kind != TermKind::kWord || CodePoints(t.text) < 2) return false;
  return std::any_of(t.text.begin(), t.text.end(), [](char c) {
    return !(c >= '0' && c <= '9') && c != '.' && c != ',' && c != '%';
  });
}

double FeatureValue(const Explanation& e, Feature f) {
  for (const FeatureContribution& c : e.features) {
    if (c.feature == f) return c.value;
  }
  return 0;
}

std::string Join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

// "300万" for round ten-thousands, else the grouped number.
std::string ChineseAmount(double v) {
  if (v >= 1e4 && std::fmod(v, 1e4) == 0) return GroupedNumber(v / 1e4) + "万元";
  return GroupedNumber(v) + "元";
}

// The supply and the demand side of a (query, candidate) pair; null when
// the query is a free text or both are on one side.
std::pair<const Record*, const Record*> SupplyDemand(const Record& candidate,
                                                     const Record* query) {
  if (query == nullptr || query->kind == candidate.kind) return {nullptr, nullptr};
  return candidate.kind == RecordKind::kSupply ? std::make_pair(&candidate, query)
                                               : std::make_pair(query, &candidate);
}

}  // namespace

std::string GroupedNumber(double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", std::fabs(value));
  std::string digits = buf, out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return (value < 0 ? "-" : "") + out;
}

DisplayFields GetDisplayFields(const Record& r) {
  DisplayFields d;
  d.title = r.title;
  for (const char* key : {"organization", "owner", "company"}) {
    auto it = r.attributes.find(key);
    if (it != r.attributes.end() && !it->second.empty()) {
      d.organization = it->second;
      break;
    }
  }
  d.region = r.region;
  d.maturity = r.maturity;
  d.price = r.price;
  d.org_type = r.org_type;
  d.categories = r.categories;
  return d;
}

std::vector<Span> WordSpans(const Explanation& e, TextField field, uint32_t index,
                            bool query_side) {
  std::vector<Span> out;
  for (const MatchedTerm& t : e.matched_terms) {
    if (!IsWholeWord(t)) continue;
    for (const TextSpan& s : query_side ? t.query_spans : t.record_spans) {
      if (s.field == field && s.index == index) out.emplace_back(s.begin, s.end);
    }
  }
  return out;
}

std::vector<TextPiece> MarkedSnippet(std::string_view field, std::vector<Span> spans,
                                     size_t max_chars) {
  std::vector<Span> valid;
  for (const Span& s : spans) {
    if (s.first < s.second && s.second <= field.size() && IsBoundary(field, s.first) &&
        IsBoundary(field, s.second)) {
      valid.push_back(s);
    }
  }
  std::sort(valid.begin(), valid.end());
  std::vector<Span> merged;  // overlapping spans joined
  for (const Span& s : valid) {
    if (!merged.empty() && s.first < merged.back().second) {
      merged.back().second = std::max(merged.back().second, s.second);
    } else {
      merged.push_back(s);
    }
  }
  const std::vector<size_t> starts = CharStarts(field);
  const size_t nchars = starts.size() - 1;
  size_t first = 0, last = nchars;  // the window, in code points
  if (max_chars > 0 && nchars > max_chars) {
    // The window starting a little before some span that covers the most
    // marked bytes.
    auto char_of = [&](size_t byte) {
      return size_t(std::upper_bound(starts.begin(), starts.end(), byte) - starts.begin() - 1);
    };
    size_t best_cover = 0;
    for (const Span& s : merged) {
      const size_t c = char_of(s.first);
      const size_t lead = std::min<size_t>(c, max_chars / 6);
      const size_t w0 = std::min(c - lead, nchars - max_chars);
      const size_t b0 = starts[w0], b1 = starts[w0 + max_chars];
      size_t cover = 0;
      for (const Span& t : merged) {
        const size_t lo = std::max<size_t>(t.first, b0), hi = std::min<size_t>(t.second, b1);
        if (hi > lo) cover += hi - lo;
      }
      if (cover > best_cover) {
        best_cover = cover;
        first = w0;
      }
    }
    last = first + max_chars;
  }
  const size_t b0 = starts[first], b1 = starts[last];
  std::vector<TextPiece> out;
  auto plain = [&](std::string text) {
    if (text.empty()) return;
    if (!out.empty() && !out.back().marked) {
      out.back().text += text;
    } else {
      out.push_back(TextPiece{std::move(text), false});
    }
  };
  if (first > 0) plain("…");
  size_t at = b0;
  for (const Span& s : merged) {
    // A word the window cuts is shown unmarked: a mark is always whole.
    if (s.first < b0 || s.second > b1) continue;
    plain(Flatten(field.substr(at, s.first - at)));
    out.push_back(TextPiece{Flatten(field.substr(s.first, s.second - s.first)), true});
    at = s.second;
  }
  plain(Flatten(field.substr(at, b1 - at)));
  if (last < nchars) plain("…");
  return out;
}

std::vector<std::string> KeyTerms(const Explanation& e, size_t max) {
  std::vector<const MatchedTerm*> words;
  for (const MatchedTerm& t : e.matched_terms) {
    if (IsWholeWord(t)) words.push_back(&t);
  }
  std::stable_sort(words.begin(), words.end(), [](const MatchedTerm* a, const MatchedTerm* b) {
    return a->contribution > b->contribution;
  });
  std::vector<std::string> out;
  for (const MatchedTerm* t : words) {
    if (out.size() >= max) break;
    const std::string label = t->synonym_of.empty() ? t->text : t->text + " = " + t->synonym_of;
    if (std::find(out.begin(), out.end(), label) == out.end()) out.push_back(label);
  }
  return out;
}

std::vector<Reason> Reasons(const MatchResult& result, const Match& m,
                            const Record& candidate, const Record* query) {
  std::vector<Reason> out;
  const Explanation& e = m.explanation;
  if (e.features.empty()) return out;
  const std::vector<std::string> terms = KeyTerms(e, 6);
  if (!terms.empty()) {
    out.push_back({"shared_terms", "shared key terms: " + Join(terms, ", "),
                   "共同关键词：" + Join(terms, "、")});
  } else if (FeatureValue(e, Feature::kDense) >= 0.3) {
    out.push_back({"similar_meaning", "similar in meaning (no key term in common)",
                   "语义相近（无相同关键词）"});
  }
  const double category = FeatureValue(e, Feature::kCategory);
  const bool known = !result.category.empty();
  const std::string path = known ? " (" + result.category + ")" : "";
  const std::string path_zh = known ? "（" + result.category + "）" : "";
  if (category >= 0.99) {
    out.push_back({"same_discipline", "same discipline" + path, "同一学科" + path_zh});
  } else if (category >= 0.49) {
    out.push_back({"related_discipline", "related discipline" + path, "相近学科" + path_zh});
  }
  const auto [supply, demand] = SupplyDemand(candidate, query);
  const double maturity = FeatureValue(e, Feature::kMaturity);
  if (supply && demand && supply->maturity && demand->maturity && maturity != 0) {
    const std::string trl = std::to_string(*supply->maturity);
    const std::string need = std::to_string(*demand->maturity);
    if (maturity > 0) {
      out.push_back({"maturity_ok", "TRL " + trl + " meets the need (at least " + need + ")",
                     "成熟度 TRL " + trl + "，满足需求（≥" + need + "）"});
    } else {
      out.push_back({"maturity_below", "TRL " + trl + " is below the need (at least " + need + ")",
                     "成熟度 TRL " + trl + "，低于需求（≥" + need + "）"});
    }
  }
  const double price = FeatureValue(e, Feature::kPrice);
  if (supply && demand && supply->price && demand->price && price != 0) {
    const double p = *supply->price, b = *demand->price;
    if (price > 0) {
      out.push_back({"within_budget",
                     "price CNY " + GroupedNumber(p) + " within the budget of CNY " +
                         GroupedNumber(b),
                     "报价" + ChineseAmount(p) + "，在预算" + ChineseAmount(b) + "以内"});
    } else {
      out.push_back({"over_budget",
                     "price CNY " + GroupedNumber(p) + " over the budget of CNY " +
                         GroupedNumber(b),
                     "报价" + ChineseAmount(p) + "，超出预算" + ChineseAmount(b)});
    }
  }
  const double region = FeatureValue(e, Feature::kRegion);
  if (region >= 0.3 && !candidate.region.empty()) {
    const char* en = region >= 0.99 ? "same county" : region >= 0.6 ? "same city" : "same province";
    const char* zh = region >= 0.99 ? "同一区县" : region >= 0.6 ? "同一城市" : "同一省份";
    out.push_back({"same_region", std::string(en) + " (" + candidate.region + ")",
                   std::string(zh) + "（" + candidate.region + "）"});
  }
  return out;
}

}  // namespace techmatch::server

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The built-in stopword list: function words only. Content words that are
// merely frequent in technical writing ("研究", "方法") are left to IDF.

#include <string>
#include <vector>

#include "techmatch/analyzer.h"

namespace techmatch {

const std::vector<std::string>& DefaultStopwords() {
  static const std::vector<std::string> kWords = {
      // Chinese particles, prepositions, conjunctions, pronouns, adverbs.
      "的", "地", "得", "了", "着", "过", "之", "与", "及", "和", "或", "跟",
      "同", "并", "且", "而", "则", "即", "亦", "也", "又", "还", "都", "就",
      "才", "仅", "只", "是", "为", "在", "于", "对", "以", "把", "被", "由",
      "从", "向", "往", "自", "至", "到", "给", "让", "使", "将", "其", "该",
      "此", "这", "那", "这些", "那些", "这个", "那个", "这种", "那种", "它",
      "它们", "他", "她", "他们", "我们", "我", "你", "您", "本", "各", "每",
      "某", "等", "等等", "个", "们", "吗", "呢", "吧", "啊", "嘛", "哦", "呀",
      "所", "如", "若", "因", "因为", "所以", "因此", "但", "但是", "然而",
      "而且", "并且", "以及", "或者", "还是", "如果", "虽然", "即使", "由于",
      "对于", "关于", "通过", "根据", "按照", "为了", "以便", "其中", "之间",
      "之后", "之前", "以上", "以下", "一种", "一个", "一些", "一定", "有关",
      "不", "没", "没有", "很", "更", "最", "较", "已", "已经", "正在", "曾",
      "会", "能", "可", "可以", "应", "应该", "要", "需", "需要", "得到",
      "有", "无", "非", "未", "如何", "什么", "哪些", "怎样",
      // English function words.
      "a", "an", "the", "of", "and", "or", "nor", "in", "on", "at", "to",
      "for", "with", "by", "from", "as", "is", "are", "was", "were", "be",
      "been", "being", "this", "that", "these", "those", "it", "its", "into",
      "than", "then", "there", "their", "which", "who", "whom", "whose",
      "what", "when", "where", "how", "not", "no", "but", "if", "so", "such",
      "via", "per", "we", "our", "us", "they", "them", "can", "could", "may",
      "might", "will", "would", "should", "shall", "has", "have", "had", "do",
      "does", "did", "also", "about", "over", "under", "between", "both",
      "each", "all", "any", "some", "more", "most", "other", "only", "very"};
  return kWords;
}

}  // namespace techmatch

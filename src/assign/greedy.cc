// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "assign/greedy.h"

#include <algorithm>
#include <numeric>

namespace techmatch::internal {
namespace {

std::vector<uint32_t> AllDemands(const AssignProblem& p) {
  std::vector<uint32_t> all(p.num_demands);
  std::iota(all.begin(), all.end(), 0u);
  return all;
}

uint32_t Answers(const AssignProblem& p, const std::vector<uint8_t>& used, uint32_t d) {
  uint32_t n = 0;
  for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) n += used[a];
  return n;
}

// Takes free arcs by descending score while they fit.
void FillByScore(const AssignProblem& p, const std::vector<uint32_t>& demands,
                 std::vector<uint8_t>* used, std::vector<uint32_t>* load) {
  std::vector<uint64_t> arcs;
  std::vector<uint32_t> answers(p.num_demands, 0);
  for (uint32_t d : demands) {
    answers[d] = Answers(p, *used, d);
    for (uint64_t a = p.ArcBegin(d); a < p.ArcEnd(d); ++a) {
      if (!(*used)[a]) arcs.push_back(a);
    }
  }
  // Arcs are laid out by demand, then rank: the index breaks ties.
  std::sort(arcs.begin(), arcs.end(), [&](uint64_t a, uint64_t b) {
    if (p.score[a] != p.score[b]) return p.score[a] > p.score[b];
    return a < b;
  });
  for (uint64_t a : arcs) {
    const uint32_t s = p.supply[a];
    // The demand of arc a: binary search in the CSR offsets.
    const uint32_t d = uint32_t(std::upper_bound(p.begin.begin(), p.begin.end(), a) -
                                p.begin.begin() - 1);
    if (answers[d] >= p.max[d] || (*load)[s] >= p.capacity[s]) continue;
    if (p.score[a] <= 0 && answers[d] >= p.min[d]) continue;
    (*used)[a] = 1;
    ++(*load)[s];
    ++answers[d];
  }
}

}  // namespace

void StartFromForced(const AssignProblem& p, std::vector<uint8_t>* used,
                     std::vector<uint32_t>* load) {
  used->assign(p.forced.begin(), p.forced.end());
  load->assign(p.forced_load.begin(), p.forced_load.end());
}

void PlainGreedy(const AssignProblem& p, const std::vector<uint32_t>& demands,
                 std::vector<uint8_t>* used, std::vector<uint32_t>* load) {
  FillByScore(p, demands.empty() ? AllDemands(p) : demands, used, load);
}

void CoverageGreedy(const AssignProblem& p, const std::vector<uint32_t>& given,
                    std::vector<uint8_t>* used, std::vector<uint32_t>* load) {
  std::vector<uint32_t> order = given.empty() ? AllDemands(p) : given;
  // Most constrained first: fewest candidates, then index.
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return p.ArcEnd(a) - p.ArcBegin(a) < p.ArcEnd(b) - p.ArcBegin(b);
  });
  std::vector<uint32_t> answers(p.num_demands, 0);
  std::vector<uint64_t> cursor(p.num_demands, 0);
  for (uint32_t d : order) {
    answers[d] = Answers(p, *used, d);
    cursor[d] = p.ArcBegin(d);
  }
  // Supplies only fill up, so a demand's scan never needs to look back.
  bool progress = true;
  while (progress) {
    progress = false;
    for (uint32_t d : order) {
      if (answers[d] >= p.min[d]) continue;
      for (uint64_t& a = cursor[d]; a < p.ArcEnd(d); ++a) {
        const uint32_t s = p.supply[a];
        if ((*used)[a] || (*load)[s] >= p.capacity[s]) continue;
        (*used)[a] = 1;
        ++(*load)[s];
        ++answers[d];
        ++a;
        progress = true;
        break;
      }
    }
  }
  FillByScore(p, order, used, load);
}

}  // namespace techmatch::internal

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The hnswlib 0.6.2 backend: specs, exception-free calls, checked Save/Load.

#include "index/hnswlib_backend.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>
#include <new>
#include <utility>

#include "index/dot_kernels.h"
#include "util/catch_all.h"
#include "util/parallel.h"

// hnswlib's headers are not warning-free under -Wall -Wextra -Wpedantic;
// this is the only file that includes them.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#pragma GCC diagnostic ignored "-Wtype-limits"
#pragma GCC diagnostic ignored "-Wpedantic"
// hnswlib 0.6.2's SSE prefetches read the link one past the end of a list
// (`*(datal + j + 1)`), a few bytes past an upper-level list's allocation:
// harmless in practice, but AddressSanitizer stops on it. Sanitized builds
// use hnswlib's plain (unprefetched, scalar) code instead.
#if defined(__SANITIZE_ADDRESS__) && !defined(NO_MANUAL_VECTORIZATION)
#define NO_MANUAL_VECTORIZATION
#endif
// hnswlib 0.6.2 defines non-inline functions and variables in its headers
// (cpuid, AVXCapable, hnswlib::InnerProductSIMD16Ext, ...): a program that
// links techmatch and includes hnswlib itself would get duplicate symbols.
// This file's copy is renamed so the library exports none of them.
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#include <immintrin.h>
#include <x86intrin.h>
#endif
#define hnswlib techmatch_hnswlib
#define cpuid techmatch_hnswlib_cpuid
#define xgetbv techmatch_hnswlib_xgetbv
#define AVXCapable techmatch_hnswlib_AVXCapable
#define AVX512Capable techmatch_hnswlib_AVX512Capable
#include <hnswlib/hnswlib.h>
#pragma GCC diagnostic pop

namespace techmatch::internal {

namespace {

using Graph = hnswlib::HierarchicalNSW<float>;

constexpr size_t kMaxM = 256;  // level-0 lists hold 2 * M (a 16-bit count)
constexpr size_t kMaxEfConstruction = 100000;
constexpr int kMaxLevel = 64;
// saveIndex() header: 6 size_t, int maxlevel, u32 entry point, 3 size_t,
// double mult, size_t ef_construction.
constexpr size_t kHeaderBytes = 6 * 8 + 4 + 4 + 3 * 8 + 8 + 8;

template <typename Fn>
Status HnswCall(const char* what, Fn&& fn) {
  return CatchAll(std::string("hnswlib ") + what, std::forward<Fn>(fn));
}

bool ParseSize(std::string_view s, size_t* out) {
  if (s.empty() || s.size() > 9) return false;
  size_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + size_t(c - '0');
  }
  *out = v;
  return true;
}

template <typename T>
T ReadPod(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

uint16_t ListCount(const char* list) { return ReadPod<uint16_t>(list); }

}  // namespace

bool IsHnswlibSpec(std::string_view spec) {
  constexpr std::string_view kName = "HNSWLIB";
  return spec.substr(0, kName.size()) == kName &&
         (spec.size() == kName.size() || spec[kName.size()] == ',');
}

Result<HnswlibParams> ParseHnswlibSpec(std::string_view spec) {
  if (!IsHnswlibSpec(spec)) {
    return Status::InvalidArgument("dense index: \"" + std::string(spec) +
                                   "\" is not an HNSWLIB spec");
  }
  HnswlibParams params;
  bool seen_m = false, seen_efc = false;
  std::string_view rest = spec.substr(7);
  while (!rest.empty()) {
    rest.remove_prefix(1);  // ','
    const size_t comma = rest.find(',');
    const std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view()
                                           : rest.substr(comma);
    const size_t eq = item.find('=');
    const std::string_view key = item.substr(0, eq);
    const std::string_view value =
        eq == std::string_view::npos ? std::string_view() : item.substr(eq + 1);
    const std::string name(key.empty() ? std::string_view("(empty)") : key);
    auto bad = [&](const std::string& why) {
      return Status::InvalidArgument("dense index: HNSWLIB parameter " + name +
                                     ": " + why + " in \"" + std::string(spec) +
                                     "\"");
    };
    size_t v = 0;
    if (key == "M") {
      if (seen_m) return bad("given twice");
      if (!ParseSize(value, &v) || v < 2 || v > kMaxM) {
        return bad("must be an integer in [2, " + std::to_string(kMaxM) + "]");
      }
      seen_m = true;
      params.M = v;
    } else if (key == "efC") {
      if (seen_efc) return bad("given twice");
      if (!ParseSize(value, &v) || v < 1 || v > kMaxEfConstruction) {
        return bad("must be an integer in [1, " +
                   std::to_string(kMaxEfConstruction) + "]");
      }
      seen_efc = true;
      params.ef_construction = v;
    } else {
      return bad("unknown (known: M, efC)");
    }
  }
  return params;
}

std::string HnswlibSpecString(const HnswlibParams& params) {
  return "HNSWLIB,M=" + std::to_string(params.M) +
         ",efC=" + std::to_string(params.ef_construction);
}

namespace {

// Where a distance argument's vector is. hnswlib hands the distance
// function pointers to element data, which in this layout is the 8-byte
// label (a store position), or the pointer a search or an add passed in:
// a QueryRef for searches, the label for adds.
struct RowSource {
  const VectorStore* store = nullptr;
  size_t dim = 0;
  // Rows of the labels from pending_first on, while Add() runs.
  const float* pending = nullptr;
  size_t pending_first = std::numeric_limits<size_t>::max();
};

constexpr uint64_t kQueryTag = ~uint64_t{0};

struct QueryRef {
  uint64_t tag = kQueryTag;  // never a label (labels are store positions)
  const float* vector = nullptr;
};

inline const float* Resolve(const RowSource& src, const void* p) {
  uint64_t label;
  std::memcpy(&label, p, sizeof label);
  if (label == kQueryTag) {
    const float* v;
    std::memcpy(&v, static_cast<const char*>(p) + sizeof label, sizeof v);
    return v;
  }
  if (label >= src.pending_first) {
    return src.pending + (label - src.pending_first) * src.dim;
  }
  return src.store->row(label);
}

template <DotFn kDot>
float SourceDistance(const void* a, const void* b, const void* param) {
  const RowSource& src = *static_cast<const RowSource*>(param);
  return 1.0f - kDot(Resolve(src, a), Resolve(src, b), src.dim);
}

// hnswlib::InnerProductSpace (distance 1 - <a, b>) over the rows of a
// store, with the kernel chosen for this CPU (dot_kernels.h) instead of
// the one chosen when the headers were compiled. Elements carry no data
// of their own (get_data_size() 0): their label, right after the links,
// is what the distance reads.
class StoreSpace : public hnswlib::SpaceInterface<float> {
 public:
  StoreSpace(const VectorStore* store)
      : fn_(BestDotLevel() == DotLevel::kAvx2Fma ? &SourceDistance<DotAvx2Fma>
                                                 : &SourceDistance<DotGeneric>) {
    source_.store = store;
    source_.dim = store->dim();
  }
  size_t get_data_size() override { return 0; }
  hnswlib::DISTFUNC<float> get_dist_func() override { return fn_; }
  void* get_dist_func_param() override { return &source_; }
  RowSource& source() { return source_; }

 private:
  RowSource source_;
  hnswlib::DISTFUNC<float> fn_;
};

template <DotFn kDot>
float CopyDistance(const void* a, const void* b, const void* dim) {
  return 1.0f - kDot(static_cast<const float*>(a), static_cast<const float*>(b),
                     *static_cast<const size_t*>(dim));
}

// hnswlib's own layout (each element's vector beside its links), for
// HnswlibIndex::Build's temporary graph: there the prefetches of hnswlib's
// search loops reach the vectors.
class CopySpace : public hnswlib::SpaceInterface<float> {
 public:
  explicit CopySpace(size_t dim)
      : dim_(dim),
        fn_(BestDotLevel() == DotLevel::kAvx2Fma ? &CopyDistance<DotAvx2Fma>
                                                 : &CopyDistance<DotGeneric>) {}
  size_t get_data_size() override { return dim_ * sizeof(float); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return fn_; }
  void* get_dist_func_param() override { return &dim_; }

 private:
  size_t dim_;
  hnswlib::DISTFUNC<float> fn_;
};

// Clears the pending rows when Add() returns, whatever the path.
class PendingRows {
 public:
  PendingRows(RowSource* src, const float* rows, size_t first) : src_(src) {
    if (rows != nullptr) {
      src_->pending = rows;
      src_->pending_first = first;
    }
  }
  ~PendingRows() {
    src_->pending = nullptr;
    src_->pending_first = std::numeric_limits<size_t>::max();
  }
  PendingRows(const PendingRows&) = delete;
  PendingRows& operator=(const PendingRows&) = delete;

 private:
  RowSource* src_;
};

// Adds elements 0 .. n-1 by add(i) on `threads` threads, which take them
// in order from a shared counter, so the insertion order stays close to
// the element order whatever the thread count. To an empty graph the
// first is added alone: it becomes the entry point.
template <typename AddFn>
Status AddInOrder(size_t n, bool graph_empty, int threads, AddFn&& add) {
  size_t start = 0;
  if (graph_empty && n > 0) {
    TECHMATCH_RETURN_IF_ERROR(HnswCall("add", [&] { add(0); }));
    start = 1;
  }
  Status s = ParallelForBlocks(n - start, 1, threads, [&](size_t begin, size_t) -> Status {
    add(start + begin);
    return Status::OK();
  });
  return s.ok() ? s : s.WithContext("hnswlib add");
}

// Copies the links and label of elements 0 .. n-1 from a level 0 in
// hnswlib's own layout (`stride` bytes per element, the label at
// `label_offset`, a vector in between when the two differ) into g's
// labels-only level 0.
void CopyLinksAndLabels(const char* from, size_t stride, size_t label_offset, size_t n,
                        Graph* g) {
  const size_t to_stride = g->size_data_per_element_;
  if (stride == to_stride) {
    std::memcpy(g->data_level0_memory_, from, n * stride);
    return;
  }
  const size_t links0 = g->size_links_level0_;
  for (size_t i = 0; i < n; ++i) {
    const char* elem = from + i * stride;
    char* to = g->data_level0_memory_ + i * to_stride;
    std::memcpy(to, elem, links0);
    std::memcpy(to + links0, elem + label_offset, sizeof(hnswlib::labeltype));
  }
}

}  // namespace

// The space must outlive the graph (the graph keeps a pointer to its
// row source): it is declared first, so destroyed last.
struct HnswlibIndex::Rep {
  // An empty labels-only graph over `store` with room for `capacity`.
  Rep(const VectorStore* store, const HnswlibParams& params, size_t capacity)
      : space(store),
        graph(std::make_unique<Graph>(&space, capacity, params.M, params.ef_construction)) {
    // 0.6.2's constructors leave these counters uninitialized.
    graph->metric_distance_computations = 0;
    graph->metric_hops = 0;
    graph->setEf(1);  // see the class comment
  }
  StoreSpace space;
  std::unique_ptr<Graph> graph;
};

HnswlibIndex::HnswlibIndex(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
HnswlibIndex::~HnswlibIndex() = default;

Result<std::unique_ptr<HnswlibIndex>> HnswlibIndex::Build(const VectorStore* store,
                                                         const HnswlibParams& params,
                                                         int threads) {
  const size_t n = store->positions();
  std::unique_ptr<HnswlibIndex> out;
  Status s = HnswCall("build", [&]() -> Status {
    CopySpace space(store->dim());
    Graph tmp(&space, std::max<size_t>(n, 1), params.M, params.ef_construction);
    tmp.metric_distance_computations = 0;
    tmp.metric_hops = 0;
    TECHMATCH_RETURN_IF_ERROR(
        AddInOrder(n, true, threads, [&](size_t i) { tmp.addPoint(store->row(i), i); }));
    auto rep = std::make_unique<Rep>(store, params, HnswlibCapacity(n));
    Graph& g = *rep->graph;
    // Move the graph over: links and label of each element copied, its
    // upper-level lists handed over (tmp then frees none of them), the
    // vectors left behind. Nothing below allocates but the label map's swap.
    CopyLinksAndLabels(tmp.data_level0_memory_, tmp.size_data_per_element_, tmp.label_offset_,
                       n, &g);
    for (size_t i = 0; i < n; ++i) {
      g.linkLists_[i] = tmp.linkLists_[i];
      g.element_levels_[i] = tmp.element_levels_[i];
      tmp.linkLists_[i] = nullptr;
      tmp.element_levels_[i] = 0;
      g.cur_element_count = i + 1;
    }
    g.label_lookup_.swap(tmp.label_lookup_);
    g.enterpoint_node_ = tmp.enterpoint_node_;
    g.maxlevel_ = tmp.maxlevel_;
    g.num_deleted_ = tmp.num_deleted_;
    g.level_generator_ = tmp.level_generator_;  // later adds draw on
    g.update_probability_generator_ = tmp.update_probability_generator_;
    out.reset(new HnswlibIndex(std::move(rep)));
    return Status::OK();
  });
  if (!s.ok()) return s;
  return out;
}

Status HnswlibIndex::Add(size_t first_label, size_t n, const float* pending,
                         int threads) {
  Graph& g = *rep_->graph;
  if (n == 0) return Status::OK();
  if (first_label >= kQueryTag - n) {
    return Status::InvalidArgument("hnswlib add: label out of range");
  }
  const size_t need = g.cur_element_count + n;
  if (need > g.max_elements_) {
    TECHMATCH_RETURN_IF_ERROR(
        HnswCall("resize", [&] { g.resizeIndex(HnswlibCapacity(need)); }));
  }
  PendingRows rows(&rep_->space.source(), pending, first_label);
  // addPoint() copies no data (the space's data size is 0) and reads the
  // new element's vector through its label.
  return AddInOrder(n, g.cur_element_count == 0, threads, [&g, first_label](size_t i) {
    const uint64_t label = first_label + i;
    g.addPoint(&label, label);
  });
}

Status HnswlibIndex::MarkDeleted(size_t label) {
  return HnswCall("markDelete", [&] { rep_->graph->markDelete(label); });
}

bool HnswlibIndex::IsDeleted(size_t label) const {
  const Graph& g = *rep_->graph;
  auto it = g.label_lookup_.find(label);
  return it == g.label_lookup_.end() || g.isMarkedDeleted(it->second);
}

Status HnswlibIndex::Search(const float* query, size_t fetch, size_t ef,
                            std::vector<size_t>* labels) const {
  labels->clear();
  return HnswCall("search", [&] {
    QueryRef ref;
    ref.vector = query;
    auto result = rep_->graph->searchKnn(&ref, std::max(fetch, ef));
    while (result.size() > fetch) result.pop();  // the worst is on top
    labels->resize(result.size());
    for (size_t i = result.size(); i-- > 0;) {
      (*labels)[i] = size_t(result.top().second);
      result.pop();
    }
  });
}

size_t HnswlibIndex::count() const { return rep_->graph->cur_element_count; }

size_t HnswlibIndex::memory_bytes() const {
  const Graph& g = *rep_->graph;
  size_t bytes = sizeof(Rep) + sizeof(Graph);
  bytes += g.max_elements_ * g.size_data_per_element_;  // level 0
  bytes += g.max_elements_ * (sizeof(char*) + sizeof(int) + sizeof(std::mutex));
  bytes += size_t(Graph::max_update_element_locks) * sizeof(std::mutex);
  bytes += g.max_elements_ * sizeof(hnswlib::vl_type);  // one visited list
  for (size_t i = 0; i < g.cur_element_count; ++i) {
    bytes += size_t(g.element_levels_[i]) * g.size_links_per_element_;
  }
  bytes += g.label_lookup_.size() * 40 + g.label_lookup_.bucket_count() * 8;
  return bytes;
}

Status HnswlibIndex::Serialize(std::string* out) const {
  const Graph& g = *rep_->graph;
  const size_t count = g.cur_element_count;
  size_t bytes = kHeaderBytes + count * g.size_data_per_element_;
  for (size_t i = 0; i < count; ++i) {
    bytes += 4 + size_t(g.element_levels_[i]) * g.size_links_per_element_;
  }
  const size_t at = out->size();
  out->resize(at + bytes);
  char* p = out->data() + at;
  auto put = [&p](const auto& v) {
    std::memcpy(p, &v, sizeof v);
    p += sizeof v;
  };
  // saveIndex()'s header. Its capacity field holds the element count, so
  // that equal graphs save to equal bytes whatever their resize history
  // (Deserialize sets its own capacity).
  put(uint64_t(g.offsetLevel0_));
  put(uint64_t(count));
  put(uint64_t(count));
  put(uint64_t(g.size_data_per_element_));
  put(uint64_t(g.label_offset_));
  put(uint64_t(g.offsetData_));
  put(int32_t(g.maxlevel_));
  put(uint32_t(g.enterpoint_node_));
  put(uint64_t(g.maxM_));
  put(uint64_t(g.maxM0_));
  put(uint64_t(g.M_));
  put(double(g.mult_));
  put(uint64_t(g.ef_construction_));
  std::memcpy(p, g.data_level0_memory_, count * g.size_data_per_element_);
  p += count * g.size_data_per_element_;
  for (size_t i = 0; i < count; ++i) {
    const uint32_t size = uint32_t(size_t(g.element_levels_[i]) * g.size_links_per_element_);
    put(size);
    if (size != 0) {
      std::memcpy(p, g.linkLists_[i], size);
      p += size;
    }
  }
  return Status::OK();
}

Result<std::unique_ptr<HnswlibIndex>> HnswlibIndex::Deserialize(
    std::string_view blob, HnswlibLayout layout, const VectorStore* store,
    const HnswlibParams& params, size_t expected_count) {
  auto corrupt = [](const std::string& what) {
    return Status::Corruption("dense index: hnswlib blob: " + what);
  };
  const size_t dim = store->dim();
  if (blob.size() < kHeaderBytes) return corrupt("truncated header");
  const char* p = blob.data();
  const size_t offset_level0 = ReadPod<uint64_t>(p + 0);
  const size_t count = ReadPod<uint64_t>(p + 16);
  const size_t size_data = ReadPod<uint64_t>(p + 24);
  const size_t label_offset = ReadPod<uint64_t>(p + 32);
  const size_t offset_data = ReadPod<uint64_t>(p + 40);
  const int max_level = ReadPod<int32_t>(p + 48);
  const uint32_t entry = ReadPod<uint32_t>(p + 52);
  const size_t max_m = ReadPod<uint64_t>(p + 56);
  const size_t max_m0 = ReadPod<uint64_t>(p + 64);
  const size_t m = ReadPod<uint64_t>(p + 72);
  const double mult = ReadPod<double>(p + 80);
  const size_t ef_construction = ReadPod<uint64_t>(p + 88);

  if (count != expected_count) {
    return corrupt("holds " + std::to_string(count) + " elements, the store " +
                   std::to_string(expected_count));
  }
  const size_t links0 = 4 + 4 * params.M * 2;
  const size_t links = 4 + 4 * params.M;
  const size_t data_bytes =
      layout == HnswlibLayout::kWithVectors ? 4 * dim : 0;
  if (m != params.M || max_m != params.M || max_m0 != 2 * params.M ||
      ef_construction != std::max(params.ef_construction, params.M) ||
      offset_level0 != 0 || offset_data != links0 ||
      label_offset != links0 + data_bytes || size_data != label_offset + 8 ||
      !(std::isfinite(mult) && mult > 0.0)) {
    return corrupt("header does not match the spec and dimension");
  }
  if (count == 0 ? max_level != -1
                 : max_level < 0 || max_level > kMaxLevel || entry >= count) {
    return corrupt("bad entry point or level");
  }
  if (count > (blob.size() - kHeaderBytes) / size_data) {
    return corrupt("truncated level 0");
  }
  // Upper-level list sizes, hence every element's level.
  std::vector<int> levels(count);
  size_t at = kHeaderBytes + count * size_data;
  std::vector<size_t> upper_at(count);
  for (size_t i = 0; i < count; ++i) {
    if (blob.size() - at < 4) return corrupt("truncated link lists");
    const uint32_t bytes = ReadPod<uint32_t>(p + at);
    at += 4;
    if (bytes % links != 0 || bytes / links > size_t(max_level) ||
        bytes > blob.size() - at) {
      return corrupt("bad link list size");
    }
    levels[i] = int(bytes / links);
    upper_at[i] = at;
    at += bytes;
  }
  if (at != blob.size()) return corrupt("trailing bytes");
  if (count > 0 && levels[entry] != max_level) {
    return corrupt("entry point not on the top level");
  }
  // Links: counts within bounds, targets existing on the linked level;
  // labels: each of [0, count) exactly once. (A kWithVectors blob's
  // vectors are not read: the store's own, checked by its loader, are used.)
  std::vector<bool> label_seen(count, false);
  for (size_t i = 0; i < count; ++i) {
    const char* elem = p + kHeaderBytes + i * size_data;
    const uint64_t label = ReadPod<uint64_t>(elem + label_offset);
    if (label >= count || label_seen[label]) return corrupt("bad label");
    label_seen[label] = true;
    if ((uint8_t(elem[2]) & ~Graph::DELETE_MARK) != 0 || elem[3] != 0) {
      return corrupt("bad element flags");
    }
    for (int level = 0; level <= levels[i]; ++level) {
      const char* list =
          level == 0 ? elem : p + upper_at[i] + size_t(level - 1) * links;
      const size_t n = ListCount(list);
      if (n > (level == 0 ? max_m0 : max_m)) return corrupt("bad link count");
      for (size_t j = 0; j < n; ++j) {
        const uint32_t to = ReadPod<uint32_t>(list + 4 + 4 * j);
        if (to >= count || levels[to] < level) return corrupt("bad link");
      }
    }
  }

  // The graph, built in memory as hnswlib's loadIndex() would from a file.
  std::unique_ptr<HnswlibIndex> out;
  Status s = HnswCall("load", [&] {
    auto rep = std::make_unique<Rep>(store, params, HnswlibCapacity(count));
    Graph& g = *rep->graph;
    CopyLinksAndLabels(p + kHeaderBytes, size_data, label_offset, count, &g);
    g.mult_ = mult;
    g.revSize_ = 1.0 / mult;
    g.maxlevel_ = max_level;
    g.enterpoint_node_ = count == 0 ? hnswlib::tableint(-1) : entry;
    g.label_lookup_.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      // The destructor frees the lists of elements below cur_element_count
      // whose level is above 0: count each element once its list is set.
      const size_t bytes = size_t(levels[i]) * links;
      g.element_levels_[i] = 0;
      g.linkLists_[i] = nullptr;
      if (bytes != 0) {
        char* list = static_cast<char*>(std::malloc(bytes));
        if (list == nullptr) throw std::bad_alloc();
        std::memcpy(list, p + upper_at[i], bytes);
        g.linkLists_[i] = list;
        g.element_levels_[i] = levels[i];
      }
      g.cur_element_count = i + 1;
      g.label_lookup_[g.getExternalLabel(hnswlib::tableint(i))] =
          hnswlib::tableint(i);
      if (g.isMarkedDeleted(hnswlib::tableint(i))) ++g.num_deleted_;
    }
    out.reset(new HnswlibIndex(std::move(rep)));
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace techmatch::internal

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch-bench peers: Xapian 1.4 beside techmatch on the csl-match corpus
// and dev queries, both measured in the same run (issue 5).
//
// Xapian is used as its documentation shows: a glass database, one document
// per record indexed by a TermGenerator with FLAG_CJK_NGRAM (no stemmer),
// the default weighting (BM25Weight(1, 0, 1, 0.5, 0.5)), one thread, a
// read-only Database for the searches. Two query styles:
//   "Xapian QueryParser (FLAG_CJK_NGRAM)": parse_query(text, FLAG_DEFAULT |
//       FLAG_CJK_NGRAM), what users meet first; it ANDs the n-grams of each
//       Chinese run, so a title query needs every n-gram in the answer.
//   "Xapian OR of TermGenerator terms": the query text through the same
//       TermGenerator into a scratch document; OP_OR of its terms, wdf as wqf.
// techmatch: Engine with default EngineOptions (threads = --threads), no
// corpus labels (categories cleared); MatchText with explain off/on.
//
// Output keys (times in seconds unless _ms; all latencies one thread, top 10,
// the whole per-query path including reading the 10 ids):
//   bench, machine, xapian_version, records, queries, repeat
//   xapian    {build_s, records_per_s, disk_bytes, build_threads, weighting}
//   techmatch {build_s, records_per_s, build_threads, memory_bytes}
//   systems[] {name, metrics (quality run, top 100) {all, title, keywords,
//              low_overlap: {n, MRR@10, R@1, R@10, R@100, nDCG@10, DiscP@10,
//              CatP@10}}, errors (queries that failed to parse: empty result),
//              empty_results, p50_ms, p99_ms, mean_ms (median over passes of
//              each pass's statistic), cpu_per_wall (process CPU time / wall
//              time over the passes; ~1 = one thread)}; the explained system
//              has no metrics (same ranking) but top10_differs (queries whose
//              top 10 differs from the unexplained one's).
//   ratios {"<stat> <ours>/<peer>": median over passes of the per-pass
//           ratio; build_s measured once}. Below 1: techmatch is faster.

#include "xapian_peer.h"

#ifdef TECHMATCH_BENCH_HAVE_XAPIAN

#include <xapian.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <functional>
#include <memory>
#include <random>
#include <thread>
#include <unordered_set>
#include <vector>

#include "bench_util.h"
#include "csl_data.h"
#include "eval/metrics.h"
#include "techmatch/engine.h"

namespace techmatch::bench {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// A fresh directory under the system temp dir, removed with its contents
// when this goes out of scope (also on error paths).
class TempDir {
 public:
  static Result<std::unique_ptr<TempDir>> Create() {
    std::random_device rd;
    std::error_code ec;
    const fs::path base = fs::temp_directory_path(ec);
    if (ec) return Status::IOError("no temporary directory: " + ec.message());
    for (int attempt = 0; attempt < 100; ++attempt) {
      fs::path p = base / ("techmatch-xapian-" + std::to_string(rd()));
      if (fs::create_directory(p, ec)) return std::unique_ptr<TempDir>(new TempDir(p));
      if (ec) return Status::IOError("cannot create " + p.string() + ": " + ec.message());
    }
    return Status::IOError("cannot create a unique directory in " + base.string());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
    if (ec) {
      std::fprintf(stderr, "peers: cannot remove %s: %s\n", path_.c_str(),
                   ec.message().c_str());
    }
  }
  const fs::path& path() const { return path_; }

 private:
  explicit TempDir(fs::path p) : path_(std::move(p)) {}
  fs::path path_;
};

uint64_t DirectoryBytes(const fs::path& dir) {
  uint64_t bytes = 0;
  std::error_code ec;
  for (const auto& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec)) bytes += e.file_size(ec);
  }
  return bytes;
}

// One system under test: text and depth k -> ranked record ids. Sets
// *query_error (and returns OK with no ids) when the system rejects the
// query text itself, as QueryParser may; other failures are a Status.
using SearchFn = std::function<Status(const std::string& text, size_t k,
                                      std::vector<std::string>* ids, bool* query_error)>;

struct System {
  std::string name;
  SearchFn search;
  bool score_quality = true;
  json metrics;
  size_t errors = 0, empty = 0, top10_differs = 0;
  std::vector<std::vector<std::string>> top10;  // from the warm-up pass
  std::vector<double> p50, p99, mean;           // one per timed pass
  double cpu_s = 0, wall_s = 0;
};

// The documented search path: Enquire, get_mset, the id from each
// document's data.
void XapianTopK(const Xapian::Database& db, const Xapian::Query& query, size_t k,
                std::vector<std::string>* ids) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  const Xapian::MSet mset = enquire.get_mset(0, Xapian::doccount(k));
  for (auto it = mset.begin(); it != mset.end(); ++it) {
    ids->push_back(it.get_document().get_data());
  }
}

// Indexes `records` into a new glass database at `db_path` in one thread:
// title, keywords and text through a TermGenerator with FLAG_CJK_NGRAM
// (a term position gap between them), the id as the document data.
Status IndexRecords(const std::vector<Record>& records, const std::string& db_path) {
  Xapian::WritableDatabase wdb(db_path, Xapian::DB_CREATE | Xapian::DB_BACKEND_GLASS);
  Xapian::TermGenerator indexer;
  indexer.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  for (const Record& r : records) {
    try {
      Xapian::Document doc;
      indexer.set_document(doc);
      indexer.index_text(r.title);
      indexer.increase_termpos();
      std::string keywords;
      for (const auto& kw : r.keywords) keywords += (keywords.empty() ? "" : " ") + kw;
      indexer.index_text(keywords);
      indexer.increase_termpos();
      indexer.index_text(r.text);
      doc.set_data(r.id);
      doc.add_boolean_term("Q" + r.id);
      wdb.add_document(doc);
    } catch (const Xapian::Error& e) {
      return Status::Internal("xapian: record " + r.id + ": " + e.get_description());
    }
  }
  wdb.commit();
  wdb.close();
  return Status::OK();
}

// The OR of the terms `query_terms` (a TermGenerator with FLAG_CJK_NGRAM)
// makes of `text`, each with its wdf as wqf.
Xapian::Query OrQuery(Xapian::TermGenerator& query_terms, const std::string& text) {
  Xapian::Document scratch;
  query_terms.set_document(scratch);
  query_terms.index_text(text);
  std::vector<Xapian::Query> terms;
  for (auto t = scratch.termlist_begin(); t != scratch.termlist_end(); ++t) {
    terms.emplace_back(*t, t.get_wdf());
  }
  return Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end());
}

Result<json> Run(const XapianPeerArgs& args) {
  // 1. Data.
  const std::string corpus_path = DefaultCorpusPath(args.corpus);
  if (corpus_path.empty()) {
    return Status::NotFound("csl-match corpus not found (give --corpus)");
  }
  const std::string csl = fs::path(corpus_path).parent_path().string();
  auto corpus = LoadCorpus(corpus_path);
  if (!corpus.ok()) return corpus.status().WithContext(corpus_path);
  if (args.records > 0 && corpus->size() > args.records) corpus->resize(args.records);
  auto queries = LoadCslQueries(csl + "/queries_dev.jsonl");
  if (!queries.ok()) return queries.status().WithContext(csl + "/queries_dev.jsonl");
  if (args.queries > 0 && queries->size() > args.queries) queries->resize(args.queries);
  auto eval = internal::LoadCslEvalData(csl, "dev");
  if (!eval.ok()) return eval.status();
  {  // Score only the queries that are run (ScoreRun counts absent ones as misses).
    std::unordered_set<std::string> ids;
    for (const auto& q : *queries) ids.insert(q.id);
    std::vector<internal::EvalQuery> kept;
    for (const auto& eq : eval->queries) {
      if (ids.count(eq.id)) kept.push_back(eq);
    }
    eval->queries = std::move(kept);
  }
  const size_t n = corpus->size();
  std::fprintf(stderr, "peers: %zu records, %zu queries\n", n, queries->size());

  // 2. Xapian index (single thread, Xapian's default flush threshold).
  auto tmp = TempDir::Create();
  if (!tmp.ok()) return tmp.status();
  const std::string db_path = ((*tmp)->path() / "glass").string();
  double t0 = NowSeconds();
  TECHMATCH_RETURN_IF_ERROR(IndexRecords(*corpus, db_path));
  const double xapian_build_s = NowSeconds() - t0;
  const uint64_t disk_bytes = DirectoryBytes(db_path);
  std::fprintf(stderr, "peers: xapian build %.2f s, %.1f MB in %s\n", xapian_build_s,
               double(disk_bytes) / 1e6, db_path.c_str());
  const Xapian::Database db(db_path);

  // 4. techmatch, with no corpus labels.
  EngineOptions eopt;
  eopt.threads = args.threads;
  auto engine = Engine::Open(eopt);
  if (!engine.ok()) return engine.status();
  for (Record& r : *corpus) r.categories.clear();
  t0 = NowSeconds();
  TECHMATCH_RETURN_IF_ERROR((*engine)->Add(*corpus));
  TECHMATCH_RETURN_IF_ERROR((*engine)->Build());
  const double tm_build_s = NowSeconds() - t0;
  std::fprintf(stderr, "peers: techmatch build %.2f s\n", tm_build_s);
  corpus->clear();
  corpus->shrink_to_fit();

  // 3. The systems. Query-side objects are built once, as a server would.
  Xapian::QueryParser parser;
  Xapian::TermGenerator query_terms;
  query_terms.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
  std::vector<System> systems(4);
  systems[0].name = "Xapian QueryParser (FLAG_CJK_NGRAM)";
  systems[0].search = [&](const std::string& text, size_t k, std::vector<std::string>* ids,
                          bool* query_error) {
    Xapian::Query q;
    try {
      q = parser.parse_query(text, Xapian::QueryParser::FLAG_DEFAULT |
                                       Xapian::QueryParser::FLAG_CJK_NGRAM);
    } catch (const Xapian::QueryParserError&) {
      *query_error = true;
      return Status::OK();
    }
    XapianTopK(db, q, k, ids);
    return Status::OK();
  };
  systems[1].name = "Xapian OR of TermGenerator terms";
  systems[1].search = [&](const std::string& text, size_t k, std::vector<std::string>* ids,
                          bool*) {
    XapianTopK(db, OrQuery(query_terms, text), k, ids);
    return Status::OK();
  };
  auto techmatch_search = [&](bool explain) {
    return [&, explain](const std::string& text, size_t k, std::vector<std::string>* ids,
                        bool*) {
      MatchOptions mo;
      mo.k = k;
      mo.explain = explain;
      auto r = (*engine)->MatchText(text, mo);
      if (!r.ok()) return r.status();
      for (const auto& m : r->matches) ids->push_back(m.key.id);
      return Status::OK();
    };
  };
  systems[2].name = "techmatch hybrid (default)";
  systems[2].search = techmatch_search(false);
  systems[3].name = "techmatch hybrid + explanations";
  systems[3].search = techmatch_search(true);
  systems[3].score_quality = false;  // explanations do not change the ranking

  // Runs one query through one system; exceptions become a Status naming it.
  auto run_query = [&](System& s, const CslQuery& q, size_t k, std::vector<std::string>* ids,
                       bool* query_error) -> Status {
    ids->clear();
    *query_error = false;
    try {
      Status st = s.search(q.text, k, ids, query_error);
      return st.ok() ? st : st.WithContext(s.name + ": query " + q.id);
    } catch (const Xapian::Error& e) {
      return Status::Internal(s.name + ": query " + q.id + ": " + e.get_description());
    } catch (const std::exception& e) {
      return Status::Internal(s.name + ": query " + q.id + ": " + e.what());
    }
  };

  // Quality: the top 100 of every query, scored as evaluate.py scores.
  std::vector<std::string> ids;
  bool query_error = false;
  for (System& s : systems) {
    if (!s.score_quality) continue;
    internal::EvalRun run;
    for (const CslQuery& q : *queries) {
      TECHMATCH_RETURN_IF_ERROR(run_query(s, q, 100, &ids, &query_error));
      s.errors += query_error;
      s.empty += ids.empty();
      run[q.id] = ids;
    }
    for (const auto& [group, m] : internal::ScoreRun(*eval, run)) {
      s.metrics[group == internal::kLowOverlapGroup ? "low_overlap" : group] = MetricsJson(m);
    }
    const json& all = s.metrics["all"];
    std::fprintf(stderr, "peers: %-38s MRR@10 %.4f R@1 %.4f R@10 %.4f empty %zu errors %zu\n",
                 s.name.c_str(), all.value("MRR@10", 0.0), all.value("R@1", 0.0),
                 all.value("R@10", 0.0), s.empty, s.errors);
  }

  // 5. Latency: one untimed warm-up pass, then `repeat` timed passes, the
  // systems interleaved within each pass so machine load hits all alike.
  const int repeat = std::max(1, args.repeat);
  for (int pass = -1; pass < repeat; ++pass) {
    for (System& s : systems) {
      std::vector<double> ms;
      ms.reserve(queries->size());
      const std::clock_t cpu0 = std::clock();
      const double wall0 = NowSeconds();
      for (const CslQuery& q : *queries) {
        const double a = NowSeconds();
        TECHMATCH_RETURN_IF_ERROR(run_query(s, q, 10, &ids, &query_error));
        ms.push_back((NowSeconds() - a) * 1e3);
        if (pass < 0) s.top10.push_back(ids);
      }
      if (pass < 0) continue;
      s.cpu_s += double(std::clock() - cpu0) / CLOCKS_PER_SEC;
      s.wall_s += NowSeconds() - wall0;
      double sum = 0;
      for (double v : ms) sum += v;
      s.p50.push_back(Percentile(ms, 0.5));
      s.p99.push_back(Percentile(ms, 0.99));
      s.mean.push_back(ms.empty() ? 0 : sum / double(ms.size()));
    }
    if (pass >= 0) {
      std::fprintf(stderr, "peers: pass %d/%d p50 ms: qp %.3f or %.3f tm %.3f tm+explain %.3f\n",
                   pass + 1, repeat, systems[0].p50.back(), systems[1].p50.back(),
                   systems[2].p50.back(), systems[3].p50.back());
    }
  }
  for (size_t i = 0; i < queries->size(); ++i) {
    systems[3].top10_differs += systems[3].top10[i] != systems[2].top10[i];
  }

  // 6. Output.
  const int tm_threads =
      args.threads > 0 ? args.threads : int(std::max(1u, std::thread::hardware_concurrency()));
  json out = {
      {"bench", "peers_xapian"},
      {"machine", MachineDescription()},
      {"xapian_version", Xapian::version_string()},
      {"records", n},
      {"queries", queries->size()},
      {"repeat", repeat},
      {"xapian",
       {{"build_s", xapian_build_s},
        {"records_per_s", double(n) / xapian_build_s},
        {"disk_bytes", disk_bytes},
        {"build_threads", 1},
        {"weighting", "BM25Weight(1,0,1,0.5,0.5) defaults"}}},
      {"techmatch",
       {{"build_s", tm_build_s},
        {"records_per_s", double(n) / tm_build_s},
        {"build_threads", tm_threads},
        {"memory_bytes", (*engine)->stats().memory_bytes}}},
      {"systems", json::array()}};
  for (const System& s : systems) {
    json j = {{"name", s.name},
              {"p50_ms", Median(s.p50)},
              {"p99_ms", Median(s.p99)},
              {"mean_ms", Median(s.mean)},
              {"cpu_per_wall", s.wall_s > 0 ? s.cpu_s / s.wall_s : 0.0}};
    if (s.score_quality) {
      j["metrics"] = s.metrics;
      j["errors"] = s.errors;
      j["empty_results"] = s.empty;
    } else {
      j["top10_differs"] = s.top10_differs;
    }
    out["systems"].push_back(j);
  }
  // Ratios (ours / peer) per pass, then the median over passes.
  auto ratio = [&](const System& ours, const System& peer,
                   std::vector<double> System::*stat) {
    std::vector<double> r;
    for (int p = 0; p < repeat; ++p) {
      const double d = (peer.*stat)[size_t(p)];
      r.push_back(d > 0 ? (ours.*stat)[size_t(p)] / d : 0.0);
    }
    return Median(r);
  };
  json& ratios = out["ratios"];
  ratios["build_s techmatch/xapian"] = tm_build_s / xapian_build_s;
  const char* peer_names[2] = {"xapian_qp", "xapian_or"};
  const char* our_names[2] = {"techmatch", "techmatch_explain"};
  for (int o = 0; o < 2; ++o) {
    for (int p = 0; p < 2; ++p) {
      const std::string key = std::string(our_names[o]) + "/" + peer_names[p];
      const System& ours = systems[size_t(2 + o)];
      const System& peer = systems[size_t(p)];
      ratios["p50 " + key] = ratio(ours, peer, &System::p50);
      ratios["p99 " + key] = ratio(ours, peer, &System::p99);
      ratios["mean " + key] = ratio(ours, peer, &System::mean);
    }
  }
  return out;
}

}  // namespace

bool XapianAvailable() { return true; }

struct XapianOrPeer::Impl {
  std::unique_ptr<TempDir> dir;
  std::unique_ptr<Xapian::Database> db;
  Xapian::TermGenerator query_terms;
};

XapianOrPeer::XapianOrPeer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XapianOrPeer::~XapianOrPeer() = default;

Result<std::unique_ptr<XapianOrPeer>> XapianOrPeer::Build(const std::vector<Record>& records) {
  try {
    auto tmp = TempDir::Create();
    if (!tmp.ok()) return tmp.status();
    auto impl = std::make_unique<Impl>();
    impl->dir = std::move(*tmp);
    const std::string db_path = (impl->dir->path() / "glass").string();
    const double t0 = NowSeconds();
    TECHMATCH_RETURN_IF_ERROR(IndexRecords(records, db_path));
    const double build_s = NowSeconds() - t0;
    impl->db = std::make_unique<Xapian::Database>(db_path);
    impl->query_terms.set_flags(Xapian::TermGenerator::FLAG_CJK_NGRAM);
    std::unique_ptr<XapianOrPeer> peer(new XapianOrPeer(std::move(impl)));
    peer->build_s_ = build_s;
    peer->disk_bytes_ = DirectoryBytes(db_path);
    return peer;
  } catch (const Xapian::Error& e) {
    return Status::Internal("xapian: " + e.get_description());
  }
}

Status XapianOrPeer::Search(const std::string& text, size_t k, std::vector<std::string>* ids) {
  ids->clear();
  try {
    XapianTopK(*impl_->db, OrQuery(impl_->query_terms, text), k, ids);
    return Status::OK();
  } catch (const Xapian::Error& e) {
    return Status::Internal("xapian: " + e.get_description());
  }
}

std::string XapianOrPeer::version() const { return Xapian::version_string(); }

Result<nlohmann::json> RunXapianPeer(const XapianPeerArgs& args) {
  try {
    return Run(args);
  } catch (const Xapian::Error& e) {
    return Status::Internal("xapian: " + e.get_description());
  } catch (const std::exception& e) {
    return Status::Internal(std::string("peers: ") + e.what());
  }
}

}  // namespace techmatch::bench

#else  // !TECHMATCH_BENCH_HAVE_XAPIAN

namespace techmatch::bench {

bool XapianAvailable() { return false; }

Result<nlohmann::json> RunXapianPeer(const XapianPeerArgs&) {
  return Status::NotSupported("techmatch-bench was built without libxapian-dev");
}

struct XapianOrPeer::Impl {};
XapianOrPeer::XapianOrPeer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
XapianOrPeer::~XapianOrPeer() = default;
Result<std::unique_ptr<XapianOrPeer>> XapianOrPeer::Build(const std::vector<Record>&) {
  return Status::NotSupported("techmatch-bench was built without libxapian-dev");
}
Status XapianOrPeer::Search(const std::string&, size_t, std::vector<std::string>*) {
  return Status::NotSupported("techmatch-bench was built without libxapian-dev");
}
std::string XapianOrPeer::version() const { return ""; }

}  // namespace techmatch::bench

#endif  // TECHMATCH_BENCH_HAVE_XAPIAN

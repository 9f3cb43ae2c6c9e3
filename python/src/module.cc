// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch._techmatch: the Engine for Python (pybind11). A thin shell over
// the C++ API: Python values are converted with the GIL held, the engine
// runs with it released, so Python threads match in parallel.

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "convert.h"
#include "techmatch/engine.h"
#include "techmatch/version.h"

namespace techmatch::python {
namespace {

using py::arg;

// Runs fn() without the GIL (other Python threads run meanwhile) and
// returns its Status or Result, to be checked once the GIL is back:
// raising a Python exception needs it.
template <typename Fn>
auto WithoutGil(Fn&& fn) {
  py::gil_scoped_release release;
  return fn();
}

// One query of match_batch: a record (dict / JSON string) or a free text.
struct BatchQueries {
  std::vector<Record> records;  // indexed by `record_of`
  std::vector<std::string> texts;
  std::vector<MatchQuery> queries;
};

class PyEngine {
 public:
  explicit PyEngine(std::unique_ptr<Engine> engine)
      : engine_(std::move(engine)) {}

  static PyEngine Open(py::object options, py::kwargs kwargs) {
    py::dict merged;
    if (!options.is_none()) {
      if (!py::isinstance<py::dict>(options)) {
        throw py::type_error("Engine.open: options must be a dict");
      }
      merged = py::dict(options);
    }
    for (auto item : kwargs) merged[item.first] = item.second;
    EngineOptions o = ToEngineOptions(merged);
    return PyEngine(Check(WithoutGil([&] { return Engine::Open(o); })));
  }

  static PyEngine Load(const std::string& dir) {
    return PyEngine(Check(WithoutGil([&] { return Engine::Load(dir); })));
  }

  void Save(const std::string& dir) const {
    Check(WithoutGil([&] { return engine_->Save(dir); }));
  }

  void Write(py::handle records, py::handle vectors, bool upsert) {
    std::vector<Record> rs = ToRecords(records);
    if (vectors.is_none()) {
      Check(WithoutGil(
          [&] { return upsert ? engine_->Upsert(rs) : engine_->Add(rs); }));
      return;
    }
    Matrix m = ToMatrix(vectors, "vectors");
    Check(WithoutGil([&] {
      return upsert ? engine_->Upsert(rs, m.view()) : engine_->Add(rs, m.view());
    }));
  }

  void Remove(py::handle ids, const std::string& kind) {
    RecordKind k = Check(ParseRecordKind(kind));
    std::vector<RecordKey> keys;
    if (py::isinstance<py::str>(ids)) {
      keys.push_back(RecordKey{k, ids.cast<std::string>()});
    } else {
      for (py::handle id : py::iter(ids)) {
        keys.push_back(RecordKey{k, id.cast<std::string>()});
      }
    }
    Check(WithoutGil([&] { return engine_->Remove(keys); }));
  }

  void Build() {
    Check(WithoutGil([&] { return engine_->Build(); }));
  }

  py::object Get(const std::string& id, const std::string& kind) const {
    RecordKey key{Check(ParseRecordKind(kind)), id};
    return RecordToDict(Check(WithoutGil([&] { return engine_->Get(key); })));
  }

  bool Contains(const std::string& id, const std::string& kind) const {
    return engine_->Contains(RecordKey{Check(ParseRecordKind(kind)), id});
  }

  size_t Size() const { return engine_->size(); }

  py::dict Stats() const {
    EngineStats s = engine_->stats();
    py::dict d;
    d["supplies"] = s.supplies;
    d["demands"] = s.demands;
    d["lexical_terms"] = s.lexical_terms;
    d["embedding_dim"] = s.embedding_dim;
    d["embedder"] = s.embedder;
    d["dense_index"] = s.dense_index;
    d["scorer"] = s.scorer;
    d["memory_bytes"] = s.memory_bytes;
    d["built"] = s.built;
    d["synonym_rules"] = s.synonym_rules;
    d["synonyms_source"] = s.synonyms_source;
    return d;
  }

  void SetSynonyms(const std::string& path) {
    const SynonymList list = Check(ReadSynonymsFile(path));
    Check(WithoutGil([&] { return engine_->SetSynonyms(list); }));
  }

  void SetSynonymsText(const std::string& text, const std::string& source) {
    const SynonymList list = Check(ParseSynonyms(text, source));
    Check(WithoutGil([&] { return engine_->SetSynonyms(list); }));
  }

  py::object MatchText(const std::string& text, size_t k, py::handle filters,
                       bool explain, py::handle target, py::handle vector,
                       py::handle today, size_t max_terms, float synonym_weight) const {
    MatchOptions o =
        ToMatchOptions(k, filters, explain, target, today, max_terms, synonym_weight);
    Matrix v;
    if (!vector.is_none()) v = ToMatrix(vector, "vector");
    return RunOne(MatchQuery("", text, nullptr, v.view()), o);
  }

  py::object MatchRecord(py::handle record, size_t k, py::handle filters,
                         bool explain, py::handle target, py::handle vector,
                         py::handle today, size_t max_terms, float synonym_weight) const {
    MatchOptions o =
        ToMatchOptions(k, filters, explain, target, today, max_terms, synonym_weight);
    Record r = ToRecord(record, "record");
    Matrix v;
    if (!vector.is_none()) v = ToMatrix(vector, "vector");
    return RunOne(MatchQuery(r.id, "", &r, v.view()), o);
  }

  py::list MatchBatch(py::handle queries, int threads, size_t k,
                      py::handle filters, bool explain, py::handle target,
                      py::handle vectors, py::handle today,
                      size_t max_terms, float synonym_weight) const {
    MatchOptions o =
        ToMatchOptions(k, filters, explain, target, today, max_terms, synonym_weight);
    BatchQueries b = ToQueries(queries);
    Matrix m;
    if (!vectors.is_none()) {
      m = ToMatrix(vectors, "vectors");
      if (m.n != b.queries.size()) {
        Check(Status::InvalidArgument(
            "vectors: " + std::to_string(m.n) + " rows for " +
            std::to_string(b.queries.size()) + " queries"));
      }
      for (size_t i = 0; i < m.n; ++i) b.queries[i].vector = m.row(i);
    }
    const std::vector<MatchResult> rs = Check(
        WithoutGil([&] { return engine_->MatchBatch(b.queries, o, threads); }));
    py::list out(rs.size());
    for (size_t i = 0; i < rs.size(); ++i) out[i] = ToPython(rs[i], o.explain);
    return out;
  }

 private:
  py::object RunOne(const MatchQuery& q, const MatchOptions& o) const {
    return ToPython(Check(WithoutGil([&] { return engine_->Match(q, o); })),
                    o.explain);
  }

  // Free texts (str) and records (dict / JSON with "{") in input order;
  // the MatchQuery pointers are set once every record is in place.
  static BatchQueries ToQueries(py::handle queries) {
    BatchQueries b;
    std::vector<long> record_of;  // -1: a text
    size_t i = 0;
    for (py::handle q : py::iter(queries)) {
      const std::string where = "queries[" + std::to_string(i++) + "]";
      if (py::isinstance<py::dict>(q)) {
        b.records.push_back(ToRecord(q, where));
        record_of.push_back(long(b.records.size()) - 1);
        b.texts.emplace_back();
      } else if (py::isinstance<py::str>(q)) {
        record_of.push_back(-1);
        b.texts.push_back(q.cast<std::string>());
      } else {
        throw py::type_error(where + ": expected a record dict or a text");
      }
    }
    for (size_t j = 0; j < record_of.size(); ++j) {
      if (record_of[j] >= 0) {
        const Record& r = b.records[size_t(record_of[j])];
        b.queries.emplace_back(r.id, "", &r);
      } else {
        b.queries.emplace_back("", b.texts[j]);
      }
    }
    return b;
  }

  std::unique_ptr<Engine> engine_;
};

constexpr const char* kMatchDoc =
    "Returns a techmatch.results.MatchResult. k: matches (1-10000); "
    "filters: a dict (kind, category, region, min_maturity, max_maturity, "
    "attributes, ids); explain: fill Match.explanation; target: 'supply' / "
    "'demand' (default: the opposite of a record's kind, supplies for a "
    "text); vector: the query's own embedding (External embedder); today: "
    "the recency feature's date ('YYYY-MM-DD'); max_terms: matched terms "
    "per explanation; synonym_weight: weight of a term the synonyms add "
    "(0: synonyms off for this call; 0-10).";

}  // namespace
}  // namespace techmatch::python

PYBIND11_MODULE(_techmatch, m) {
  namespace py = pybind11;
  using namespace techmatch::python;  // NOLINT: the module's own names
  using py::arg;
  m.doc() = "techmatch: supply-demand matching (the C++ engine)";
  m.attr("__version__") = techmatch::version();
  RegisterErrors(m);

  py::class_<PyEngine>(m, "Engine",
                       "The matching engine (Engine.open / Engine.load). Safe "
                       "to share between threads: matching runs without the "
                       "GIL, concurrently with one writer.")
      .def_static("open", &PyEngine::Open, arg("options") = py::none(),
                  "An empty engine. options: a dict keyed as a snapshot's "
                  "options ({'embedder': {'dim': 64}, 'threads': 2, "
                  "'analyzer': {'dictionary_file': PATH}}); keyword "
                  "arguments add top-level keys.")
      .def_static("load", &PyEngine::Load, arg("dir"),
                  "Loads a snapshot directory (Engine.save, `techmatch index`).")
      .def("save", &PyEngine::Save, arg("dir"))
      .def("add", [](PyEngine& e, py::handle records, py::handle vectors) {
             e.Write(records, vectors, false);
           }, arg("records"), arg("vectors") = py::none(),
           "Adds records (dicts or JSON strings; all or none). vectors: one "
           "row per record, for an External embedder.")
      .def("upsert", [](PyEngine& e, py::handle records, py::handle vectors) {
             e.Write(records, vectors, true);
           }, arg("records"), arg("vectors") = py::none(),
           "Adds or replaces records (by kind and id).")
      .def("remove", &PyEngine::Remove, arg("ids"), arg("kind") = "supply",
           "Removes records of one kind by id (NotFoundError: none removed).")
      .def("build", &PyEngine::Build, "Fits (first call) and builds the indexes.")
      .def("get", &PyEngine::Get, arg("id"), arg("kind") = "supply",
           "A stored record as a dict.")
      .def("contains", &PyEngine::Contains, arg("id"), arg("kind") = "supply")
      .def("__len__", &PyEngine::Size)
      .def("stats", &PyEngine::Stats)
      .def("set_synonyms", &PyEngine::SetSynonyms, arg("path"),
           "Reads a synonyms file (Solr format: 'a, b, c' or 'a => b' per line) and "
           "applies it to every later match, without re-indexing; not saved with the "
           "engine. ValueError naming the file and line for a bad one.")
      .def("set_synonyms_text", &PyEngine::SetSynonymsText, arg("text"),
           arg("source") = "synonyms",
           "set_synonyms from a string; '' removes the synonyms.")
      .def("match_text", &PyEngine::MatchText, arg("text"), arg("k") = 10,
           arg("filters") = py::none(), arg("explain") = true,
           arg("target") = py::none(), arg("vector") = py::none(),
           arg("today") = py::none(), arg("max_terms") = 20,
           arg("synonym_weight") = 0.5f, kMatchDoc)
      .def("match", &PyEngine::MatchRecord, arg("record"), arg("k") = 10,
           arg("filters") = py::none(), arg("explain") = true,
           arg("target") = py::none(), arg("vector") = py::none(),
           arg("today") = py::none(), arg("max_terms") = 20,
           arg("synonym_weight") = 0.5f, kMatchDoc)
      .def("match_batch", &PyEngine::MatchBatch, arg("queries"),
           arg("threads") = 0, arg("k") = 10, arg("filters") = py::none(),
           arg("explain") = true, arg("target") = py::none(),
           arg("vectors") = py::none(), arg("today") = py::none(),
           arg("max_terms") = 20, arg("synonym_weight") = 0.5f,
           "Matches many queries (record dicts or free texts) on `threads` "
           "workers (0: the engine's setting); a list of MatchResult in "
           "query order.");
}

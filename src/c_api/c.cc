// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The C API's calls that can fail: options, engine, matching. Each is one
// TECHMATCH_C_BOUNDARY around calls of the C++ API (handles.h).

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "bindings/json_args.h"
#include "c_api/handles.h"
#include "techmatch/c.h"
#include "techmatch/record_io.h"
#include "techmatch/version.h"

namespace techmatch::c_api {

int Report(const Status& status, char** errptr) noexcept {
  if (!status.ok() && errptr != nullptr) {
    try {
      const std::string message = status.ToString();
      char* copy = static_cast<char*>(std::malloc(message.size() + 1));
      if (copy != nullptr) {
        std::memcpy(copy, message.c_str(), message.size() + 1);
        std::free(*errptr);
        *errptr = copy;
      }
    } catch (...) {  // no memory for the message: the code still tells
    }
  }
  return int(status.code());
}

namespace {

Status NotNull(const void* p, const char* what) {
  if (p != nullptr) return Status::OK();
  return Status::InvalidArgument(std::string(what) + " is NULL");
}

Result<RecordKind> Kind(int kind) {
  if (kind == TECHMATCH_SUPPLY) return RecordKind::kSupply;
  if (kind == TECHMATCH_DEMAND) return RecordKind::kDemand;
  return Status::InvalidArgument("kind " + std::to_string(kind) +
                                 " is not TECHMATCH_SUPPLY or TECHMATCH_DEMAND");
}

// Checks an out-parameter and sets it to NULL, first thing, so that it is
// NULL after any failure.
template <typename T>
Status ClearOut(T** out, const char* what) {
  TECHMATCH_RETURN_IF_ERROR(NotNull(out, what));
  *out = nullptr;
  return Status::OK();
}

// A malloc'd copy for the caller to techmatch_free.
Status CopyOut(const std::string& s, char** out) {
  char* copy = static_cast<char*>(std::malloc(s.size() + 1));
  if (copy == nullptr) return Status::Internal("out of memory");
  std::memcpy(copy, s.c_str(), s.size() + 1);
  *out = copy;
  return Status::OK();
}

// `len` bytes of JSON Lines, or NULL for none when len is 0.
Result<std::vector<Record>> Records(const char* jsonl, size_t len) {
  if (jsonl == nullptr && len != 0) return NotNull(jsonl, "jsonl");
  return internal::ParseRecordsJsonl(std::string_view(jsonl ? jsonl : "", len),
                                     "records");
}

Status Vectors(const float* data, size_t n, size_t dim, VectorView* out) {
  if (data == nullptr && n * dim != 0) return NotNull(data, "vectors");
  *out = VectorView{data, n, dim};
  return Status::OK();
}

const MatchOptions& OptionsOrDefault(const techmatch_match_options_t* o) {
  static const MatchOptions* defaults = new MatchOptions();
  return o != nullptr ? o->rep : *defaults;
}

// Adds or upserts records with or without vectors.
Status Write(techmatch_engine_t* engine, bool upsert, const char* jsonl,
             size_t len, const VectorView* vectors) {
  TECHMATCH_RETURN_IF_ERROR(NotNull(engine, "engine"));
  auto records = Records(jsonl, len);
  if (!records.ok()) return records.status();
  Engine& e = *engine->rep;
  if (vectors == nullptr) {
    return upsert ? e.Upsert(*records) : e.Add(*records);
  }
  return upsert ? e.Upsert(*records, *vectors) : e.Add(*records, *vectors);
}

Status MatchOne(const techmatch_engine_t* engine, const MatchQuery& query,
                const techmatch_match_options_t* options,
                techmatch_match_result_t** result) {
  TECHMATCH_RETURN_IF_ERROR(ClearOut(result, "result"));
  TECHMATCH_RETURN_IF_ERROR(NotNull(engine, "engine"));
  auto r = engine->rep->Match(query, OptionsOrDefault(options));
  if (!r.ok()) return r.status();
  *result = new techmatch_match_result_t{std::move(*r)};
  return Status::OK();
}

// A free text, with n (0 or 1) query vectors of dim floats.
Status MatchText(const techmatch_engine_t* engine, const char* text,
                 const float* vector, size_t n, size_t dim,
                 const techmatch_match_options_t* options,
                 techmatch_match_result_t** result) {
  TECHMATCH_RETURN_IF_ERROR(ClearOut(result, "result"));
  TECHMATCH_RETURN_IF_ERROR(NotNull(text, "text"));
  VectorView v;
  TECHMATCH_RETURN_IF_ERROR(Vectors(vector, n, dim, &v));
  return MatchOne(engine, MatchQuery("", text, nullptr, v), options, result);
}

Status MatchMany(const techmatch_engine_t* engine, const char* jsonl,
                 size_t len, const VectorView* vectors,
                 const techmatch_match_options_t* options, int threads,
                 techmatch_batch_result_t** results) {
  TECHMATCH_RETURN_IF_ERROR(ClearOut(results, "results"));
  TECHMATCH_RETURN_IF_ERROR(NotNull(engine, "engine"));
  auto records = Records(jsonl, len);
  if (!records.ok()) return records.status();
  if (vectors != nullptr && vectors->n != records->size()) {
    return Status::InvalidArgument(
        "vectors: " + std::to_string(vectors->n) + " rows for " +
        std::to_string(records->size()) + " queries");
  }
  std::vector<MatchQuery> queries;
  queries.reserve(records->size());
  for (size_t i = 0; i < records->size(); ++i) {
    const Record& r = (*records)[i];
    VectorView v;
    if (vectors != nullptr) v = VectorView{vectors->row(i), 1, vectors->dim};
    queries.emplace_back(r.id, std::string(), &r, v);
  }
  auto out = engine->rep->MatchBatch(queries, OptionsOrDefault(options), threads);
  if (!out.ok()) return out.status();
  auto batch = std::make_unique<techmatch_batch_result_t>();
  batch->results.reserve(out->size());
  for (MatchResult& r : *out) batch->results.push_back({std::move(r)});
  *results = batch.release();
  return Status::OK();
}

}  // namespace
}  // namespace techmatch::c_api

using techmatch::EngineOptions;
using techmatch::MatchQuery;
using techmatch::Record;
using techmatch::RecordKey;
using techmatch::Status;
using techmatch::VectorView;
using techmatch::c_api::ClearOut;
using techmatch::c_api::Kind;
using techmatch::c_api::NotNull;

extern "C" {

// ---- library ----

const char* techmatch_version(void) { return techmatch::version(); }

const char* techmatch_code_name(int code) {
  if (code < TECHMATCH_OK || code > TECHMATCH_INTERNAL) return "Unknown";
  return techmatch::StatusCodeName(techmatch::StatusCode(code));
}

void techmatch_free(void* ptr) { std::free(ptr); }

// ---- engine options ----

techmatch_options_t* techmatch_options_create(void) {
  try {
    return new techmatch_options_t();
  } catch (...) {
    return nullptr;
  }
}

void techmatch_options_destroy(techmatch_options_t* options) { delete options; }

int techmatch_options_set_json(techmatch_options_t* options, const char* json,
                               char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    TECHMATCH_RETURN_IF_ERROR(NotNull(options, "options"));
    TECHMATCH_RETURN_IF_ERROR(NotNull(json, "json"));
    return techmatch::internal::ApplyEngineOptionsJson(json, &options->rep);
  });
}

int techmatch_options_set_dictionary_file(techmatch_options_t* options,
                                          const char* path, char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    TECHMATCH_RETURN_IF_ERROR(NotNull(options, "options"));
    options->rep.analyzer.dictionary_file = path != nullptr ? path : "";
    return Status::OK();
  });
}

void techmatch_options_set_threads(techmatch_options_t* options, int threads) {
  if (options != nullptr) options->rep.threads = threads;
}

void techmatch_options_set_external_vectors(techmatch_options_t* options,
                                            size_t dim) {
  if (options == nullptr) return;
  options->rep.embedder.kind = techmatch::EmbedderKind::kExternal;
  options->rep.embedder.dim = dim;
}

// ---- engine: open, load, save ----

int techmatch_engine_open(const techmatch_options_t* options,
                          techmatch_engine_t** engine, char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    TECHMATCH_RETURN_IF_ERROR(ClearOut(engine, "engine"));
    TECHMATCH_RETURN_IF_ERROR(NotNull(options, "options"));
    auto e = techmatch::Engine::Open(options->rep);
    if (!e.ok()) return e.status();
    *engine = new techmatch_engine_t{std::move(*e)};
    return Status::OK();
  });
}

int techmatch_engine_load(const char* dir, techmatch_engine_t** engine,
                          char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    TECHMATCH_RETURN_IF_ERROR(ClearOut(engine, "engine"));
    TECHMATCH_RETURN_IF_ERROR(NotNull(dir, "dir"));
    auto e = techmatch::Engine::Load(dir);
    if (!e.ok()) return e.status();
    *engine = new techmatch_engine_t{std::move(*e)};
    return Status::OK();
  });
}

int techmatch_engine_save(const techmatch_engine_t* engine, const char* dir,
                          char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    TECHMATCH_RETURN_IF_ERROR(NotNull(engine, "engine"));
    TECHMATCH_RETURN_IF_ERROR(NotNull(dir, "dir"));
    return engine->rep->Save(dir);
  });
}

void techmatch_engine_destroy(techmatch_engine_t* engine) { delete engine; }

// ---- engine: records ----

int techmatch_engine_add(techmatch_engine_t* engine, const char* jsonl,
                         size_t len, char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    return techmatch::c_api::Write(engine, false, jsonl, len, nullptr);
  });
}

int techmatch_engine_add_file(techmatch_engine_t* engine, const char* path,
                              char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    TECHMATCH_RETURN_IF_ERROR(NotNull(engine, "engine"));
    TECHMATCH_RETURN_IF_ERROR(NotNull(path, "path"));
    auto records = techmatch::ReadRecordsJsonlFile(path);
    if (!records.ok()) return records.status();
    return engine->rep->Add(*records);
  });
}

int techmatch_engine_upsert(techmatch_engine_t* engine, const char* jsonl,
                            size_t len, char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    return techmatch::c_api::Write(engine, true, jsonl, len, nullptr);
  });
}

int techmatch_engine_add_vectors(techmatch_engine_t* engine, const char* jsonl,
                                 size_t len, const float* vectors, size_t n,
                                 size_t dim, char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    VectorView v;
    TECHMATCH_RETURN_IF_ERROR(techmatch::c_api::Vectors(vectors, n, dim, &v));
    return techmatch::c_api::Write(engine, false, jsonl, len, &v);
  });
}

int techmatch_engine_upsert_vectors(techmatch_engine_t* engine,
                                    const char* jsonl, size_t len,
                                    const float* vectors, size_t n, size_t dim,
                                    char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    VectorView v;
    TECHMATCH_RETURN_IF_ERROR(techmatch::c_api::Vectors(vectors, n, dim, &v));
    return techmatch::c_api::Write(engine, true, jsonl, len, &v);
  });
}

int techmatch_engine_remove(techmatch_engine_t* engine, int kind,
                            const char* const* ids, size_t n, char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    TECHMATCH_RETURN_IF_ERROR(NotNull(engine, "engine"));
    if (n != 0) TECHMATCH_RETURN_IF_ERROR(NotNull(ids, "ids"));
    auto k = Kind(kind);
    if (!k.ok()) return k.status();
    std::vector<RecordKey> keys;
    for (size_t i = 0; i < n; ++i) {
      if (ids[i] == nullptr) {
        return Status::InvalidArgument("ids[" + std::to_string(i) + "] is NULL");
      }
      keys.push_back(RecordKey{*k, ids[i]});
    }
    return engine->rep->Remove(keys);
  });
}

int techmatch_engine_build(techmatch_engine_t* engine, char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    TECHMATCH_RETURN_IF_ERROR(NotNull(engine, "engine"));
    return engine->rep->Build();
  });
}

int techmatch_engine_get(const techmatch_engine_t* engine, int kind,
                         const char* id, char** json, char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    TECHMATCH_RETURN_IF_ERROR(ClearOut(json, "json"));
    TECHMATCH_RETURN_IF_ERROR(NotNull(engine, "engine"));
    TECHMATCH_RETURN_IF_ERROR(NotNull(id, "id"));
    auto k = Kind(kind);
    if (!k.ok()) return k.status();
    auto record = engine->rep->Get(RecordKey{*k, id});
    if (!record.ok()) return record.status();
    return techmatch::c_api::CopyOut(techmatch::RecordToJson(*record), json);
  });
}

size_t techmatch_engine_count(const techmatch_engine_t* engine, int kind) {
  if (engine == nullptr) return 0;
  try {
    techmatch::EngineStats s = engine->rep->stats();
    if (kind == TECHMATCH_SUPPLY) return s.supplies;
    if (kind == TECHMATCH_DEMAND) return s.demands;
  } catch (...) {  // stats() copies names; out of memory reads as empty
  }
  return 0;
}

// ---- match options ----

techmatch_match_options_t* techmatch_match_options_create(void) {
  try {
    return new techmatch_match_options_t();
  } catch (...) {
    return nullptr;
  }
}

void techmatch_match_options_destroy(techmatch_match_options_t* options) {
  delete options;
}

void techmatch_match_options_set_k(techmatch_match_options_t* options,
                                   size_t k) {
  if (options != nullptr) options->rep.k = k;
}

void techmatch_match_options_set_explain(techmatch_match_options_t* options,
                                         int explain, size_t max_terms) {
  if (options == nullptr) return;
  options->rep.explain = explain != 0;
  options->rep.max_explained_terms = max_terms;
}

void techmatch_match_options_set_target(techmatch_match_options_t* options,
                                        int kind) {
  if (options == nullptr) return;
  auto k = Kind(kind);
  if (k.ok()) {
    options->rep.target = *k;
  } else {
    options->rep.target.reset();
  }
}

int techmatch_match_options_set_filter_json(techmatch_match_options_t* options,
                                            const char* json, char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    TECHMATCH_RETURN_IF_ERROR(NotNull(options, "options"));
    TECHMATCH_RETURN_IF_ERROR(NotNull(json, "json"));
    auto filter = techmatch::internal::ParseFilterJson(json);
    if (!filter.ok()) return filter.status();
    options->rep.filter = std::move(*filter);
    return Status::OK();
  });
}

int techmatch_match_options_set_today(techmatch_match_options_t* options,
                                      const char* date, char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    TECHMATCH_RETURN_IF_ERROR(NotNull(options, "options"));
    if (date == nullptr || *date == '\0') {
      options->rep.today.reset();
      return Status::OK();
    }
    auto d = techmatch::Date::Parse(date);
    if (!d.ok()) return d.status().WithContext("today");
    options->rep.today = *d;
    return Status::OK();
  });
}

// ---- matching ----

int techmatch_engine_match_text(const techmatch_engine_t* engine,
                                const char* text,
                                const techmatch_match_options_t* options,
                                techmatch_match_result_t** result,
                                char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    return techmatch::c_api::MatchText(engine, text, nullptr, 0, 0, options,
                                       result);
  });
}

int techmatch_engine_match_text_vector(const techmatch_engine_t* engine,
                                       const char* text, const float* vector,
                                       size_t dim,
                                       const techmatch_match_options_t* options,
                                       techmatch_match_result_t** result,
                                       char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    return techmatch::c_api::MatchText(engine, text, vector, 1, dim, options,
                                       result);
  });
}

int techmatch_engine_match_record(const techmatch_engine_t* engine,
                                  const char* json,
                                  const techmatch_match_options_t* options,
                                  techmatch_match_result_t** result,
                                  char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    TECHMATCH_RETURN_IF_ERROR(ClearOut(result, "result"));
    TECHMATCH_RETURN_IF_ERROR(NotNull(json, "json"));
    auto record = techmatch::ParseRecordJson(json, techmatch::JsonlReadOptions{},
                                             "record");
    if (!record.ok()) return record.status();
    MatchQuery query(record->id, "", &*record);
    return techmatch::c_api::MatchOne(engine, query, options, result);
  });
}

int techmatch_engine_match_batch(const techmatch_engine_t* engine,
                                 const char* jsonl, size_t len,
                                 const techmatch_match_options_t* options,
                                 int threads,
                                 techmatch_batch_result_t** results,
                                 char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    return techmatch::c_api::MatchMany(engine, jsonl, len, nullptr, options,
                                       threads, results);
  });
}

int techmatch_engine_match_batch_vectors(
    const techmatch_engine_t* engine, const char* jsonl, size_t len,
    const float* vectors, size_t n, size_t dim,
    const techmatch_match_options_t* options, int threads,
    techmatch_batch_result_t** results, char** errptr) {
  TECHMATCH_C_BOUNDARY(errptr, {
    VectorView v;
    TECHMATCH_RETURN_IF_ERROR(techmatch::c_api::Vectors(vectors, n, dim, &v));
    return techmatch::c_api::MatchMany(engine, jsonl, len, &v, options, threads,
                                       results);
  });
}

}  // extern "C"

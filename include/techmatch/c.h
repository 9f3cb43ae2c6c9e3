// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The C API: the Engine for programs that are not C++ (leveldb's c.h).

#ifndef TECHMATCH_C_H_
#define TECHMATCH_C_H_

#include <stddef.h>
#include <stdint.h>

#include "techmatch/export.h"

#ifdef __cplusplus
extern "C" {
#endif

// Conventions.
// - Handles are opaque; each `_create`/`_open`/`_load`/`_match*` result is
//   released by its own `_destroy`, every `char*` the library returns by
//   techmatch_free().
// - A call that can fail returns a techmatch_code (TECHMATCH_OK = 0; the
//   values are techmatch::StatusCode's) and takes a last `char** errptr`:
//   on failure, if errptr is not NULL, *errptr receives a malloc'd message
//   "<CodeName>: <what>" (a message already there is freed first); on
//   success *errptr is left as it is. No exception crosses this API.
// - Strings are NUL-terminated UTF-8. Records are the JSON objects of
//   docs/records.md, one per line (JSON Lines); a line without "kind" is a
//   supply. Vectors are row-major floats: component j of vector i is
//   vectors[i * dim + j].
// - Thread-safety: as techmatch::Engine. The match calls may run
//   concurrently with each other and with one writer on the same engine;
//   a result, options or a match-options object is used by one thread at a
//   time (or read-only by many).

/// Status codes, equal to techmatch::StatusCode (status.h) value for value.
typedef enum techmatch_code {
  TECHMATCH_OK = 0,
  TECHMATCH_INVALID_ARGUMENT = 1,
  TECHMATCH_NOT_FOUND = 2,
  TECHMATCH_FAILED_PRECONDITION = 3,
  TECHMATCH_CORRUPTION = 4,
  TECHMATCH_NOT_SUPPORTED = 5,
  TECHMATCH_IO_ERROR = 6,
  TECHMATCH_INTERNAL = 7
} techmatch_code;

/// Record kinds (techmatch::RecordKind) and the fields a term is found in
/// (techmatch::TextField).
enum { TECHMATCH_SUPPLY = 0, TECHMATCH_DEMAND = 1 };
enum { TECHMATCH_TITLE = 0, TECHMATCH_KEYWORDS = 1, TECHMATCH_TEXT = 2 };
/// The side of a matched term's span: in the query, or in the record.
enum { TECHMATCH_QUERY_SPAN = 0, TECHMATCH_RECORD_SPAN = 1 };

typedef struct techmatch_options_t techmatch_options_t;
typedef struct techmatch_engine_t techmatch_engine_t;
typedef struct techmatch_match_options_t techmatch_match_options_t;
typedef struct techmatch_match_result_t techmatch_match_result_t;
typedef struct techmatch_batch_result_t techmatch_batch_result_t;
/// One match: borrowed from its result, valid while the result lives.
typedef struct techmatch_match_t techmatch_match_t;

// ---- library ----
TECHMATCH_EXPORT const char* techmatch_version(void);
/// "OK", "InvalidArgument", ...; "Unknown" for another value.
TECHMATCH_EXPORT const char* techmatch_code_name(int code);
/// Frees what the library returned as char* (messages, JSON). NULL is OK.
TECHMATCH_EXPORT void techmatch_free(void* ptr);

// ---- engine options (techmatch::EngineOptions, defaults as there) ----
/// NULL only when out of memory.
TECHMATCH_EXPORT techmatch_options_t* techmatch_options_create(void);
TECHMATCH_EXPORT void techmatch_options_destroy(techmatch_options_t* options);
/// Sets the options named in a JSON object, keyed as `techmatch info --json`
/// shows them ({"embedder": {"dim": 64}, "dense": {"spec": "Flat"}}), plus
/// "threads", "analyzer.dictionary_file" and "analyzer.stopwords_file";
/// others keep their value. An unknown key or a bad value is
/// InvalidArgument naming it, and nothing is changed.
TECHMATCH_EXPORT int techmatch_options_set_json(techmatch_options_t* options,
                                                const char* json, char** errptr);
/// The user dictionary file (one term per line; docs/analyzer.md); NULL or
/// "" for none (the default). Read when the engine is opened.
TECHMATCH_EXPORT int techmatch_options_set_dictionary_file(
    techmatch_options_t* options, const char* path, char** errptr);
/// Worker threads for add/build/batch matching; 0 (default) = all cores.
TECHMATCH_EXPORT void techmatch_options_set_threads(techmatch_options_t* options,
                                                    int threads);
/// The caller supplies every vector (an External embedder of `dim`).
TECHMATCH_EXPORT void techmatch_options_set_external_vectors(
    techmatch_options_t* options, size_t dim);

// ---- engine: open, load, save ----
/// An empty engine; *engine is set on success (NULL otherwise).
TECHMATCH_EXPORT int techmatch_engine_open(const techmatch_options_t* options,
                                           techmatch_engine_t** engine,
                                           char** errptr);
/// Loads a snapshot directory written by techmatch_engine_save or
/// `techmatch index`. NotFound / IOError for a missing directory.
TECHMATCH_EXPORT int techmatch_engine_load(const char* dir,
                                           techmatch_engine_t** engine,
                                           char** errptr);
TECHMATCH_EXPORT int techmatch_engine_save(const techmatch_engine_t* engine,
                                           const char* dir, char** errptr);
TECHMATCH_EXPORT void techmatch_engine_destroy(techmatch_engine_t* engine);

// ---- engine: records ----
/// Adds the records of `len` bytes of JSON Lines (all or none; errors name
/// the line and record). add_file reads a JSONL file. Upsert replaces the
/// records with the same kind and id.
TECHMATCH_EXPORT int techmatch_engine_add(techmatch_engine_t* engine,
                                          const char* jsonl, size_t len,
                                          char** errptr);
TECHMATCH_EXPORT int techmatch_engine_add_file(techmatch_engine_t* engine,
                                               const char* path, char** errptr);
TECHMATCH_EXPORT int techmatch_engine_upsert(techmatch_engine_t* engine,
                                             const char* jsonl, size_t len,
                                             char** errptr);
/// The same with the caller's vectors (External embedder only): n rows of
/// dim floats, row i for the i-th record.
TECHMATCH_EXPORT int techmatch_engine_add_vectors(
    techmatch_engine_t* engine, const char* jsonl, size_t len,
    const float* vectors, size_t n, size_t dim, char** errptr);
TECHMATCH_EXPORT int techmatch_engine_upsert_vectors(
    techmatch_engine_t* engine, const char* jsonl, size_t len,
    const float* vectors, size_t n, size_t dim, char** errptr);
/// Removes n records of one kind by id; NotFound (nothing removed) if one
/// is absent.
TECHMATCH_EXPORT int techmatch_engine_remove(techmatch_engine_t* engine,
                                             int kind, const char* const* ids,
                                             size_t n, char** errptr);
/// Fits (first call) and builds the indexes.
TECHMATCH_EXPORT int techmatch_engine_build(techmatch_engine_t* engine,
                                            char** errptr);
/// A stored record as a JSON object (*json: free with techmatch_free).
TECHMATCH_EXPORT int techmatch_engine_get(const techmatch_engine_t* engine,
                                          int kind, const char* id, char** json,
                                          char** errptr);
/// Records of one kind (TECHMATCH_SUPPLY / TECHMATCH_DEMAND); 0 for
/// another value. Reads the engine's statistics: O(records), not for a hot
/// loop.
TECHMATCH_EXPORT size_t techmatch_engine_count(const techmatch_engine_t* engine,
                                               int kind);

// ---- match options (techmatch::MatchOptions) ----
TECHMATCH_EXPORT techmatch_match_options_t* techmatch_match_options_create(void);
TECHMATCH_EXPORT void techmatch_match_options_destroy(
    techmatch_match_options_t* options);
/// Matches returned, 1..10000 (default 10; checked when matching).
TECHMATCH_EXPORT void techmatch_match_options_set_k(
    techmatch_match_options_t* options, size_t k);
/// Fill explanations (default 1) with up to max_terms matched terms.
TECHMATCH_EXPORT void techmatch_match_options_set_explain(
    techmatch_match_options_t* options, int explain, size_t max_terms);
/// The side searched: a kind, or any other value (-1, the default) for the
/// opposite of a record query's kind and supplies for a text.
TECHMATCH_EXPORT void techmatch_match_options_set_target(
    techmatch_match_options_t* options, int kind);
/// The filter (techmatch::RecordFilter) as a JSON object, replacing the
/// previous one: {"kind": "supply", "category": "工学/材料" or [prefix, ...],
/// "region": prefix or [...], "min_maturity": 4, "max_maturity": 9,
/// "attributes": {"k": "v"}, "ids": [id, ...]}; "{}" clears it. An unknown
/// key or a bad value is InvalidArgument naming it.
TECHMATCH_EXPORT int techmatch_match_options_set_filter_json(
    techmatch_match_options_t* options, const char* json, char** errptr);
/// The date the recency feature counts from, "YYYY-MM-DD" (reproducible
/// scores); NULL or "" = today (the default).
TECHMATCH_EXPORT int techmatch_match_options_set_today(
    techmatch_match_options_t* options, const char* date, char** errptr);

// ---- matching (options may be NULL: the defaults) ----
/// The best matches of a free text; *result is set on success.
TECHMATCH_EXPORT int techmatch_engine_match_text(
    const techmatch_engine_t* engine, const char* text,
    const techmatch_match_options_t* options, techmatch_match_result_t** result,
    char** errptr);
/// The same with the query's own vector (dim floats; External embedder).
TECHMATCH_EXPORT int techmatch_engine_match_text_vector(
    const techmatch_engine_t* engine, const char* text, const float* vector,
    size_t dim, const techmatch_match_options_t* options,
    techmatch_match_result_t** result, char** errptr);
/// The best matches of one record given as a JSON object (stored or not).
TECHMATCH_EXPORT int techmatch_engine_match_record(
    const techmatch_engine_t* engine, const char* json,
    const techmatch_match_options_t* options, techmatch_match_result_t** result,
    char** errptr);
/// Every record of `len` bytes of JSON Lines as a query, on `threads`
/// workers (0 = the engine's); results in line order. A free-text demand
/// is a line such as {"id": "q1", "kind": "demand", "text": "..."}.
TECHMATCH_EXPORT int techmatch_engine_match_batch(
    const techmatch_engine_t* engine, const char* jsonl, size_t len,
    const techmatch_match_options_t* options, int threads,
    techmatch_batch_result_t** results, char** errptr);
/// The same with one query vector per line (n rows of dim floats).
TECHMATCH_EXPORT int techmatch_engine_match_batch_vectors(
    const techmatch_engine_t* engine, const char* jsonl, size_t len,
    const float* vectors, size_t n, size_t dim,
    const techmatch_match_options_t* options, int threads,
    techmatch_batch_result_t** results, char** errptr);

// ---- batch results ----
TECHMATCH_EXPORT void techmatch_batch_result_destroy(
    techmatch_batch_result_t* results);
TECHMATCH_EXPORT size_t techmatch_batch_result_count(
    const techmatch_batch_result_t* results);
/// The i-th query's result, owned by `results`; NULL out of range.
TECHMATCH_EXPORT const techmatch_match_result_t* techmatch_batch_result_get(
    const techmatch_batch_result_t* results, size_t i);

// ---- one query's result (techmatch::MatchResult) ----
TECHMATCH_EXPORT void techmatch_match_result_destroy(
    techmatch_match_result_t* result);
/// The query record's id ("" for a free text).
TECHMATCH_EXPORT const char* techmatch_match_result_query_id(
    const techmatch_match_result_t* result);
/// In [0, 1]: how well the best match covers the query.
TECHMATCH_EXPORT double techmatch_match_result_confidence(
    const techmatch_match_result_t* result);
/// 1 if an operator should check this query by hand.
TECHMATCH_EXPORT int techmatch_match_result_needs_follow_up(
    const techmatch_match_result_t* result);
/// The query's category path ("" if none); *inferred (if not NULL) is 1
/// when it was inferred from the candidates.
TECHMATCH_EXPORT const char* techmatch_match_result_category(
    const techmatch_match_result_t* result, int* inferred);
TECHMATCH_EXPORT size_t techmatch_match_result_count(
    const techmatch_match_result_t* result);
/// The i-th match, best first; NULL out of range.
TECHMATCH_EXPORT const techmatch_match_t* techmatch_match_result_get(
    const techmatch_match_result_t* result, size_t i);

// ---- one match (techmatch::Match) ----
TECHMATCH_EXPORT const char* techmatch_match_id(const techmatch_match_t* match);
TECHMATCH_EXPORT int techmatch_match_kind(const techmatch_match_t* match);
TECHMATCH_EXPORT double techmatch_match_score(const techmatch_match_t* match);
TECHMATCH_EXPORT size_t techmatch_match_rank(const techmatch_match_t* match);
TECHMATCH_EXPORT float techmatch_match_lexical_score(const techmatch_match_t* match);
TECHMATCH_EXPORT float techmatch_match_dense_score(const techmatch_match_t* match);
/* How likely the match is a real fit, in [0, 1] (Match::probability). */
TECHMATCH_EXPORT double techmatch_match_probability(const techmatch_match_t* match);
/// "lexical", "dense" or "both" ("" without an explanation).
TECHMATCH_EXPORT const char* techmatch_match_found_by(const techmatch_match_t* match);
/// Explanation: score = bias + the sum of the features' contributions.
TECHMATCH_EXPORT double techmatch_match_bias(const techmatch_match_t* match);
TECHMATCH_EXPORT size_t techmatch_match_feature_count(const techmatch_match_t* match);
/// Feature f's name ("lexical", ...) and, through the non-NULL pointers,
/// its value, weight and contribution; NULL (nothing written) out of range.
TECHMATCH_EXPORT const char* techmatch_match_feature(
    const techmatch_match_t* match, size_t f, double* value, double* weight,
    double* contribution);
TECHMATCH_EXPORT size_t techmatch_match_term_count(const techmatch_match_t* match);
/// Matched term t's normalized text, its kind ("word", "unigram",
/// "bigram") and BM25 share through the non-NULL pointers; NULL out of
/// range.
TECHMATCH_EXPORT const char* techmatch_match_term(const techmatch_match_t* match,
                                                  size_t t, const char** kind,
                                                  float* contribution);
/// Spans of term t on one side (TECHMATCH_QUERY_SPAN / _RECORD_SPAN).
TECHMATCH_EXPORT size_t techmatch_match_term_span_count(
    const techmatch_match_t* match, size_t t, int side);
/// Span s: the field (TECHMATCH_TITLE/_KEYWORDS/_TEXT), the keyword's index
/// (0 for other fields) and byte offsets [begin, end) into that field as
/// given. Returns 0 (nothing written) out of range, else 1.
TECHMATCH_EXPORT int techmatch_match_term_span(const techmatch_match_t* match,
                                               size_t t, int side, size_t s,
                                               int* field, uint32_t* index,
                                               uint32_t* begin, uint32_t* end);

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // TECHMATCH_C_H_

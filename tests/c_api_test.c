/* Copyright 2026 The techmatch Authors.
   SPDX-License-Identifier: Apache-2.0
   The C API from C (compiled as C99, not C++; leveldb's db/c_test.c):

     c_api_test EXAMPLES_DATA_DIR SCRATCH_DIR

   (SCRATCH_DIR exists; the test writes SCRATCH_DIR/c_api_test.snapshot)

   opens an engine over examples/data, matches a demand, prints the top
   supply and its explanation, checks batch matching, save/load, a
   caller-vector engine and the error paths (codes and messages), and frees
   everything (the sanitizer build runs it under ASan/LSan). */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "techmatch/c.h"

static int failures = 0;
static const char* phase = "";

#define CHECK(cond)                                                   \
  do {                                                                \
    if (!(cond)) {                                                    \
      fprintf(stderr, "%s:%d: [%s] check failed: %s\n", __FILE__,    \
              __LINE__, phase, #cond);                                \
      ++failures;                                                     \
    }                                                                 \
  } while (0)

/* A call that must succeed; stops the test otherwise (what follows
   depends on it). */
#define OK(call)                                                        \
  do {                                                                  \
    int ok_code_ = (call);                                              \
    if (ok_code_ != TECHMATCH_OK) {                                     \
      fprintf(stderr, "%s:%d: [%s] %s failed: %s\n", __FILE__,         \
              __LINE__, phase, #call, err ? err : "(no message)");     \
      exit(1);                                                          \
    }                                                                   \
  } while (0)

/* The error of the last failing call, checked then freed. */
static char* err = NULL;

static void ExpectError(int code, int want, const char* needle) {
  if (code != want) {
    fprintf(stderr, "[%s] expected code %s, got %s (%s)\n", phase,
            techmatch_code_name(want), techmatch_code_name(code),
            err ? err : "no message");
    ++failures;
  } else if (err == NULL || strstr(err, needle) == NULL ||
             strstr(err, techmatch_code_name(want)) != err) {
    fprintf(stderr, "[%s] message \"%s\" lacks \"%s\" or its code name\n",
            phase, err ? err : "(null)", needle);
    ++failures;
  } else {
    printf("  expected error: %s\n", err);
  }
  techmatch_free(err);
  err = NULL;
}

static char* ReadFile(const char* dir, const char* name, size_t* len) {
  char path[4096];
  FILE* f;
  char* data;
  long size;
  snprintf(path, sizeof path, "%s/%s", dir, name);
  f = fopen(path, "rb");
  if (f == NULL) {
    fprintf(stderr, "cannot open %s\n", path);
    exit(1);
  }
  fseek(f, 0, SEEK_END);
  size = ftell(f);
  fseek(f, 0, SEEK_SET);
  data = (char*)malloc((size_t)size + 1);
  if (data == NULL || fread(data, 1, (size_t)size, f) != (size_t)size) exit(1);
  data[size] = '\0';
  fclose(f);
  *len = (size_t)size;
  return data;
}

static const char* FieldName(int field) {
  return field == TECHMATCH_TITLE ? "title"
         : field == TECHMATCH_KEYWORDS ? "keywords" : "text";
}

/* Prints a match and its explanation; checks that the explanation adds up
   to the score and that every span is a range. */
static void PrintMatch(const techmatch_engine_t* engine,
                       const techmatch_match_t* m) {
  size_t f, t, s;
  double sum = techmatch_match_bias(m);
  char* record = NULL;
  printf("  #%zu %s score %.4f (lexical %.3f, dense %.3f, found by %s)\n",
         techmatch_match_rank(m), techmatch_match_id(m), techmatch_match_score(m),
         techmatch_match_lexical_score(m), techmatch_match_dense_score(m),
         techmatch_match_found_by(m));
  CHECK(techmatch_match_probability(m) >= 0 && techmatch_match_probability(m) <= 1);
  OK(techmatch_engine_get(engine, techmatch_match_kind(m), techmatch_match_id(m),
                          &record, &err));
  printf("  record: %.300s...\n", record);
  techmatch_free(record);
  for (f = 0; f < techmatch_match_feature_count(m); ++f) {
    double value, weight, contribution;
    const char* name =
        techmatch_match_feature(m, f, &value, &weight, &contribution);
    CHECK(name != NULL);
    sum += contribution;
    if (contribution != 0) {
      printf("    feature %-16s value %7.4f x weight %7.4f = %+.4f\n", name,
             value, weight, contribution);
    }
  }
  CHECK(fabs(sum - techmatch_match_score(m)) < 1e-6);
  CHECK(techmatch_match_feature(m, f, NULL, NULL, NULL) == NULL);
  CHECK(techmatch_match_term_count(m) > 0);
  for (t = 0; t < techmatch_match_term_count(m) && t < 5; ++t) {
    const char* kind = NULL;
    float contribution = 0;
    const char* text = techmatch_match_term(m, t, &kind, &contribution);
    CHECK(text != NULL && kind != NULL && contribution >= 0);
    printf("    term \"%s\" (%s, %+.3f):", text, kind, contribution);
    for (s = 0; s < techmatch_match_term_span_count(m, t, TECHMATCH_RECORD_SPAN);
         ++s) {
      int field = -1;
      uint32_t index = 0, begin = 0, end = 0;
      CHECK(techmatch_match_term_span(m, t, TECHMATCH_RECORD_SPAN, s, &field,
                                      &index, &begin, &end) == 1);
      CHECK(begin < end);
      printf(" %s[%u]@%u-%u", FieldName(field), index, begin, end);
    }
    printf("\n");
  }
  CHECK(techmatch_match_term(m, techmatch_match_term_count(m), NULL, NULL) ==
        NULL);
}

static techmatch_engine_t* OpenExampleEngine(const char* data) {
  char path[4096];
  techmatch_options_t* options = techmatch_options_create();
  techmatch_engine_t* engine = NULL;
  phase = "open";
  CHECK(options != NULL);
  snprintf(path, sizeof path, "%s/tech_terms.txt", data);
  OK(techmatch_options_set_dictionary_file(options, path, &err));
  OK(techmatch_options_set_json(
      options, "{\"embedder\": {\"dim\": 32}, \"dense\": {\"spec\": \"Flat\"}}",
      &err));
  techmatch_options_set_threads(options, 2);
  ExpectError(techmatch_options_set_json(options, "{\"lexical\": {\"k3\": 1}}",
                                         &err),
              TECHMATCH_INVALID_ARGUMENT, "lexical.k3");
  ExpectError(techmatch_options_set_json(options, "{\"lexical\": {\"k1\": \"x\"}}",
                                         &err),
              TECHMATCH_INVALID_ARGUMENT, "lexical.k1");
  OK(techmatch_engine_open(options, &engine, &err));
  techmatch_options_destroy(options);
  snprintf(path, sizeof path, "%s/supply.jsonl", data);
  OK(techmatch_engine_add_file(engine, path, &err));
  snprintf(path, sizeof path, "%s/demand.jsonl", data);
  OK(techmatch_engine_add_file(engine, path, &err));
  CHECK(techmatch_engine_count(engine, TECHMATCH_SUPPLY) == 300);
  CHECK(techmatch_engine_count(engine, TECHMATCH_DEMAND) == 15);
  OK(techmatch_engine_build(engine, &err));
  return engine;
}

/* D001 (钒电池电解液) against the supplies: its hand-labelled fits are
   S0008, S0227 and S0249 (examples/data/README.md). */
static void MatchDemand(const techmatch_engine_t* engine, char** top_id,
                        double* top_score) {
  char* demand = NULL;
  techmatch_match_options_t* mo = techmatch_match_options_create();
  techmatch_match_result_t* r = NULL;
  const techmatch_match_t* top;
  const char* category;
  int inferred = -1;
  size_t i;
  phase = "match a demand";
  OK(techmatch_engine_get(engine, TECHMATCH_DEMAND, "D001", &demand, &err));
  techmatch_match_options_set_k(mo, 5);
  OK(techmatch_match_options_set_today(mo, "2026-12-01", &err));
  OK(techmatch_engine_match_record(engine, demand, mo, &r, &err));
  CHECK(strcmp(techmatch_match_result_query_id(r), "D001") == 0);
  CHECK(techmatch_match_result_count(r) == 5);
  CHECK(techmatch_match_result_confidence(r) > 0 &&
        techmatch_match_result_confidence(r) <= 1);
  CHECK(techmatch_match_result_needs_follow_up(r) == 0);
  category = techmatch_match_result_category(r, &inferred);
  printf("D001: confidence %.3f, category %s (inferred %d)\n",
         techmatch_match_result_confidence(r), category, inferred);
  CHECK(strcmp(category, "工学/材料科学与工程") == 0 && inferred == 0);
  for (i = 0; i < techmatch_match_result_count(r); ++i) {
    const techmatch_match_t* m = techmatch_match_result_get(r, i);
    CHECK(techmatch_match_rank(m) == i + 1);
    CHECK(techmatch_match_kind(m) == TECHMATCH_SUPPLY);
  }
  CHECK(techmatch_match_result_get(r, 5) == NULL);
  top = techmatch_match_result_get(r, 0);
  printf("top supply for D001:\n");
  PrintMatch(engine, top);
  CHECK(strcmp(techmatch_match_id(top), "S0008") == 0 ||
        strcmp(techmatch_match_id(top), "S0227") == 0 ||
        strcmp(techmatch_match_id(top), "S0249") == 0);
  *top_id = (char*)malloc(strlen(techmatch_match_id(top)) + 1);
  strcpy(*top_id, techmatch_match_id(top));
  *top_score = techmatch_match_score(top);
  techmatch_match_result_destroy(r);
  techmatch_match_options_destroy(mo);
  techmatch_free(demand);
}

static void MatchTextAndBatch(const techmatch_engine_t* engine,
                              const char* data, const char* top_id,
                              double top_score) {
  techmatch_match_options_t* mo = techmatch_match_options_create();
  techmatch_match_result_t* r = NULL;
  techmatch_batch_result_t* batch = NULL;
  size_t len = 0, i;
  char* demands = ReadFile(data, "demand.jsonl", &len);
  phase = "match a text with a filter";
  OK(techmatch_match_options_set_filter_json(
      mo, "{\"region\": \"四川省\", \"min_maturity\": 6}", &err));
  OK(techmatch_engine_match_text(engine, "钒电池电解液低成本制备", mo, &r, &err));
  CHECK(techmatch_match_result_count(r) == 10);
  CHECK(strcmp(techmatch_match_result_query_id(r), "") == 0);
  techmatch_match_result_destroy(r);
  techmatch_match_options_set_explain(mo, 0, 0);
  techmatch_match_options_set_target(mo, TECHMATCH_DEMAND);
  OK(techmatch_match_options_set_filter_json(mo, "{}", &err));
  OK(techmatch_engine_match_text(engine, "钒电池电解液", mo, &r, &err));
  CHECK(techmatch_match_result_count(r) == 10);
  CHECK(techmatch_match_kind(techmatch_match_result_get(r, 0)) ==
        TECHMATCH_DEMAND);
  CHECK(techmatch_match_feature_count(techmatch_match_result_get(r, 0)) == 0);
  techmatch_match_result_destroy(r);

  phase = "match a batch";
  techmatch_match_options_set_target(mo, -1);
  techmatch_match_options_set_explain(mo, 1, 20);
  techmatch_match_options_set_k(mo, 5);
  OK(techmatch_match_options_set_today(mo, "2026-12-01", &err));
  OK(techmatch_engine_match_batch(engine, demands, len, mo, 2, &batch, &err));
  CHECK(techmatch_batch_result_count(batch) == 15);
  for (i = 0; i < techmatch_batch_result_count(batch); ++i) {
    char want[32];
    snprintf(want, sizeof want, "D%03zu", i + 1);
    CHECK(strcmp(techmatch_match_result_query_id(
                     techmatch_batch_result_get(batch, i)),
                 want) == 0);
  }
  CHECK(techmatch_batch_result_get(batch, 15) == NULL);
  {
    const techmatch_match_t* first =
        techmatch_match_result_get(techmatch_batch_result_get(batch, 0), 0);
    CHECK(strcmp(techmatch_match_id(first), top_id) == 0);
    CHECK(fabs(techmatch_match_score(first) - top_score) < 1e-9);
  }
  techmatch_batch_result_destroy(batch);
  free(demands);
  techmatch_match_options_destroy(mo);
}

static void ErrorPaths(techmatch_engine_t* engine, const char* scratch) {
  const char* missing_ids[] = {"S0001", "NO-SUCH-ID"};
  char path[4096];
  char* json = (char*)"not null";
  techmatch_engine_t* loaded = (techmatch_engine_t*)1;
  techmatch_match_result_t* r = (techmatch_match_result_t*)1;
  techmatch_match_options_t* mo = techmatch_match_options_create();
  phase = "errors";
  static const char kBadJson[] =
      "{\"id\": \"X1\", \"title\": \"a\"}\n{\"id\": \"X2\", \"title\": ";
  ExpectError(techmatch_engine_add(engine, kBadJson, strlen(kBadJson), &err),
              TECHMATCH_INVALID_ARGUMENT, "records:2");
  ExpectError(techmatch_engine_add(engine, "{\"id\": \"S0001\"}",
                                   strlen("{\"id\": \"S0001\"}"), &err),
              TECHMATCH_INVALID_ARGUMENT, "S0001");
  CHECK(techmatch_engine_count(engine, TECHMATCH_SUPPLY) == 300);
  ExpectError(techmatch_engine_get(engine, TECHMATCH_SUPPLY, "NO-SUCH-ID", &json,
                                   &err),
              TECHMATCH_NOT_FOUND, "NO-SUCH-ID");
  CHECK(json == NULL);
  ExpectError(techmatch_engine_remove(engine, TECHMATCH_SUPPLY, missing_ids, 2,
                                      &err),
              TECHMATCH_NOT_FOUND, "NO-SUCH-ID");
  CHECK(techmatch_engine_count(engine, TECHMATCH_SUPPLY) == 300);
  ExpectError(techmatch_engine_get(engine, 7, "S0001", &json, &err),
              TECHMATCH_INVALID_ARGUMENT, "kind 7");
  ExpectError(techmatch_engine_match_record(engine, "[1, 2]", NULL, &r, &err),
              TECHMATCH_INVALID_ARGUMENT, "record");
  CHECK(r == NULL);
  ExpectError(techmatch_engine_match_text(NULL, "x", NULL, &r, &err),
              TECHMATCH_INVALID_ARGUMENT, "engine is NULL");
  ExpectError(techmatch_match_options_set_filter_json(mo, "{\"colour\": 1}", &err),
              TECHMATCH_INVALID_ARGUMENT, "colour");
  ExpectError(techmatch_match_options_set_filter_json(
                  mo, "{\"min_maturity\": 12}", &err),
              TECHMATCH_INVALID_ARGUMENT, "filter.min_maturity");
  ExpectError(techmatch_match_options_set_today(mo, "2026-02-30", &err),
              TECHMATCH_INVALID_ARGUMENT, "today");
  techmatch_match_options_set_k(mo, 0);
  ExpectError(techmatch_engine_match_text(engine, "x", mo, &r, &err),
              TECHMATCH_INVALID_ARGUMENT, "k");
  snprintf(path, sizeof path, "%s/c_api_test.no-such-snapshot", scratch);
  ExpectError(techmatch_engine_load(path, &loaded, &err), TECHMATCH_NOT_FOUND,
              "c_api_test.no-such-snapshot");
  CHECK(loaded == NULL);
  /* errptr may be NULL: the code alone. */
  CHECK(techmatch_engine_load(path, &loaded, NULL) == TECHMATCH_NOT_FOUND);
  CHECK(strcmp(techmatch_code_name(TECHMATCH_CORRUPTION), "Corruption") == 0);
  CHECK(strcmp(techmatch_code_name(99), "Unknown") == 0);
  techmatch_match_options_destroy(mo);
}

static void SaveAndLoad(const techmatch_engine_t* engine, const char* scratch,
                        const char* top_id, double top_score) {
  char dir[4096];
  char* demand = NULL;
  techmatch_engine_t* loaded = NULL;
  techmatch_match_result_t* r = NULL;
  techmatch_match_options_t* mo = techmatch_match_options_create();
  phase = "save and load";
  snprintf(dir, sizeof dir, "%s/c_api_test.snapshot", scratch);
  OK(techmatch_engine_save(engine, dir, &err));
  OK(techmatch_engine_load(dir, &loaded, &err));
  CHECK(techmatch_engine_count(loaded, TECHMATCH_SUPPLY) == 300);
  OK(techmatch_engine_get(loaded, TECHMATCH_DEMAND, "D001", &demand, &err));
  techmatch_match_options_set_k(mo, 5);
  OK(techmatch_match_options_set_today(mo, "2026-12-01", &err));
  OK(techmatch_engine_match_record(loaded, demand, mo, &r, &err));
  CHECK(strcmp(techmatch_match_id(techmatch_match_result_get(r, 0)), top_id) == 0);
  CHECK(fabs(techmatch_match_score(techmatch_match_result_get(r, 0)) - top_score) <
        1e-9);
  techmatch_match_result_destroy(r);
  techmatch_match_options_destroy(mo);
  techmatch_free(demand);
  techmatch_engine_destroy(loaded);
}

/* An engine fed the caller's 4-d vectors (an External embedder). */
static void CallerVectors(void) {
  static const char kRecords[] =
      "{\"id\": \"A\", \"title\": \"钛合金 3D打印\"}\n"
      "{\"id\": \"B\", \"title\": \"石墨烯 负极材料\"}\n"
      "{\"id\": \"C\", \"title\": \"钒电池 电解液\"}\n";
  static const float kVectors[12] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0};
  static const float kQuery[4] = {0, 0.1f, 1, 0};
  static const char kQueryLine[] =
      "{\"id\": \"q\", \"kind\": \"demand\", \"text\": \"电解液\"}";
  static const char kUpsert[] = "{\"id\": \"B\", \"title\": \"x\"}";
  techmatch_options_t* options = techmatch_options_create();
  techmatch_engine_t* engine = NULL;
  techmatch_match_result_t* r = NULL;
  techmatch_batch_result_t* batch = NULL;
  const char* ids[] = {"B"};
  phase = "caller vectors";
  techmatch_options_set_external_vectors(options, 4);
  OK(techmatch_options_set_json(options, "{\"dense\": {\"spec\": \"Flat\"}}", &err));
  OK(techmatch_engine_open(options, &engine, &err));
  techmatch_options_destroy(options);
  ExpectError(techmatch_engine_add(engine, kRecords, sizeof kRecords - 1, &err),
              TECHMATCH_INVALID_ARGUMENT, "vectors");
  ExpectError(techmatch_engine_add_vectors(engine, kRecords, sizeof kRecords - 1,
                                           kVectors, 3, 3, &err),
              TECHMATCH_INVALID_ARGUMENT, "dimension 3, expected 4");
  ExpectError(techmatch_engine_add_vectors(engine, kRecords, sizeof kRecords - 1,
                                           kVectors, 2, 4, &err),
              TECHMATCH_INVALID_ARGUMENT, "2 vectors");
  CHECK(techmatch_engine_count(engine, TECHMATCH_SUPPLY) == 0);
  OK(techmatch_engine_add_vectors(engine, kRecords, sizeof kRecords - 1,
                                  kVectors, 3, 4, &err));
  OK(techmatch_engine_build(engine, &err));
  OK(techmatch_engine_match_text_vector(engine, "电解液", kQuery, 4, NULL, &r,
                                        &err));
  CHECK(techmatch_match_result_count(r) == 3);
  CHECK(strcmp(techmatch_match_id(techmatch_match_result_get(r, 0)), "C") == 0);
  techmatch_match_result_destroy(r);
  ExpectError(techmatch_engine_match_text_vector(engine, "电解液", kQuery, 3,
                                                 NULL, &r, &err),
              TECHMATCH_INVALID_ARGUMENT, "dimension 3");
  OK(techmatch_engine_match_batch_vectors(engine, kQueryLine,
                                          strlen(kQueryLine), kQuery, 1, 4,
                                          NULL, 0, &batch, &err));
  CHECK(techmatch_batch_result_count(batch) == 1);
  techmatch_batch_result_destroy(batch);
  OK(techmatch_engine_upsert_vectors(engine, kUpsert, strlen(kUpsert), kQuery,
                                     1, 4, &err));
  OK(techmatch_engine_remove(engine, TECHMATCH_SUPPLY, ids, 1, &err));
  CHECK(techmatch_engine_count(engine, TECHMATCH_SUPPLY) == 2);
  techmatch_engine_destroy(engine);
}

int main(int argc, char** argv) {
  techmatch_engine_t* engine;
  char* top_id = NULL;
  double top_score = 0;
  if (argc != 3) {
    fprintf(stderr, "usage: %s EXAMPLES_DATA_DIR SCRATCH_DIR\n", argv[0]);
    return 2;
  }
  printf("techmatch %s (C API)\n", techmatch_version());
  engine = OpenExampleEngine(argv[1]);
  MatchDemand(engine, &top_id, &top_score);
  MatchTextAndBatch(engine, argv[1], top_id, top_score);
  ErrorPaths(engine, argv[2]);
  SaveAndLoad(engine, argv[2], top_id, top_score);
  techmatch_engine_destroy(engine);
  CallerVectors();
  free(top_id);
  techmatch_engine_destroy(NULL); /* destroying NULL is a no-op */
  techmatch_match_result_destroy(NULL);
  if (failures != 0) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("c_api_test: all checks passed\n");
  return 0;
}

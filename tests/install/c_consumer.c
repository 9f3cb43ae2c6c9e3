/* Copyright 2026 The techmatch Authors.
   SPDX-License-Identifier: Apache-2.0
   Uses the installed C API from C (C99): built by tests/install against an
   install prefix, through find_package and through pkg-config. */

#include <stdio.h>
#include <string.h>

#include "techmatch/c.h"

int main(void) {
  /* Four records sharing two terms: enough for a 2-d LSA space. */
  static const char kRecords[] =
      "{\"id\": \"S1\", \"title\": \"钛合金3D打印\", \"text\": \"航空结构件\"}\n"
      "{\"id\": \"S2\", \"title\": \"钛合金焊接\", \"text\": \"激光焊接\"}\n"
      "{\"id\": \"S3\", \"title\": \"石墨烯负极材料\", \"text\": \"快充电池\"}\n"
      "{\"id\": \"S4\", \"title\": \"石墨烯导热膜\", \"text\": \"散热\"}\n";
  techmatch_options_t* options = techmatch_options_create();
  techmatch_engine_t* engine = NULL;
  techmatch_match_result_t* result = NULL;
  char* err = NULL;
  int code;
  printf("techmatch %s (C)\n", techmatch_version());
  if (options == NULL) return 1;
  code = techmatch_options_set_json(options, "{\"embedder\": {\"dim\": 2}}", &err);
  if (code == TECHMATCH_OK) code = techmatch_engine_open(options, &engine, &err);
  techmatch_options_destroy(options);
  if (code == TECHMATCH_OK) {
    code = techmatch_engine_add(engine, kRecords, strlen(kRecords), &err);
  }
  if (code == TECHMATCH_OK) code = techmatch_engine_build(engine, &err);
  if (code == TECHMATCH_OK) {
    code = techmatch_engine_match_text(engine, "钛合金3D打印航空", NULL, &result, &err);
  }
  if (code != TECHMATCH_OK) {
    fprintf(stderr, "c_consumer: %s\n", err ? err : techmatch_code_name(code));
    techmatch_free(err);
    techmatch_engine_destroy(engine);
    return 1;
  }
  if (techmatch_match_result_count(result) == 0 ||
      strcmp(techmatch_match_id(techmatch_match_result_get(result, 0)), "S1") != 0) {
    fprintf(stderr, "c_consumer: expected S1 first\n");
    return 1;
  }
  techmatch_match_result_destroy(result);
  techmatch_engine_destroy(engine);
  printf("c consumer ok\n");
  return 0;
}

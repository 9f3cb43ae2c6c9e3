// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Tests for Status, Result<T> and TECHMATCH_RETURN_IF_ERROR.

#include "techmatch/status.h"

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace Catch {
template <>
struct StringMaker<techmatch::StatusCode> {
  static std::string convert(techmatch::StatusCode code) {
    return techmatch::StatusCodeName(code);
  }
};
}  // namespace Catch

namespace techmatch {
namespace {

struct CodeCase {
  StatusCode code;
  int value;
  const char* name;
  Status (*make)(std::string_view);
};

const std::vector<CodeCase>& ErrorCodes() {
  static const std::vector<CodeCase> kCases = {
      {StatusCode::kInvalidArgument, 1, "InvalidArgument",
       &Status::InvalidArgument},
      {StatusCode::kNotFound, 2, "NotFound", &Status::NotFound},
      {StatusCode::kFailedPrecondition, 3, "FailedPrecondition",
       &Status::FailedPrecondition},
      {StatusCode::kCorruption, 4, "Corruption", &Status::Corruption},
      {StatusCode::kNotSupported, 5, "NotSupported", &Status::NotSupported},
      {StatusCode::kIOError, 6, "IOError", &Status::IOError},
      {StatusCode::kInternal, 7, "Internal", &Status::Internal},
  };
  return kCases;
}

TEST_CASE("status: every code has its name and fixed value", "[status]") {
  CHECK(std::string(StatusCodeName(StatusCode::kOk)) == "OK");
  CHECK(static_cast<int>(StatusCode::kOk) == 0);
  for (const CodeCase& c : ErrorCodes()) {
    INFO(c.name);
    CHECK(std::string(StatusCodeName(c.code)) == c.name);
    CHECK(static_cast<int>(c.code) == c.value);
  }
  // An out-of-range value (e.g. from the C API) must not crash.
  CHECK(std::string(StatusCodeName(static_cast<StatusCode>(99))) == "Unknown");
}

TEST_CASE("status: default and OK() are ok with empty message", "[status]") {
  Status a;
  Status b = Status::OK();
  for (const Status* s : {&a, &b}) {
    CHECK(s->ok());
    CHECK(s->code() == StatusCode::kOk);
    CHECK(s->message().empty());
    CHECK(s->ToString() == "OK");
  }
}

TEST_CASE("status: factories set code, message and ToString", "[status]") {
  for (const CodeCase& c : ErrorCodes()) {
    INFO(c.name);
    Status s = c.make("file.jsonl:3: bad id");
    CHECK_FALSE(s.ok());
    CHECK(s.code() == c.code);
    CHECK(s.message() == "file.jsonl:3: bad id");
    CHECK(s.ToString() == std::string(c.name) + ": file.jsonl:3: bad id");

    Status direct(c.code, "x");
    CHECK(direct.code() == c.code);
    CHECK(direct.ToString() == std::string(c.name) + ": x");
  }
}

TEST_CASE("status: an error with an empty message is still an error",
          "[status]") {
  Status s = Status::NotFound("");
  CHECK_FALSE(s.ok());
  CHECK(s.code() == StatusCode::kNotFound);
  CHECK(s.message().empty());
  CHECK(s.ToString() == "NotFound: ");
}

TEST_CASE("status: constructing with kOk ignores the message", "[status]") {
  Status s(StatusCode::kOk, "ignored");
  CHECK(s.ok());
  CHECK(s.message().empty());
  CHECK(s.ToString() == "OK");
}

TEST_CASE("status: messages keep embedded NULs and UTF-8", "[status]") {
  using namespace std::string_literals;
  const std::string msg = "石墨烯\0tail"s;
  Status s = Status::Corruption(msg);
  CHECK(s.message() == msg);
  CHECK(s.message().size() == msg.size());
}

TEST_CASE("status: WithContext prefixes the message and keeps the code",
          "[status]") {
  Status s = Status::IOError("permission denied");
  Status c = s.WithContext("corpus.jsonl");
  CHECK(c.code() == StatusCode::kIOError);
  CHECK(c.message() == "corpus.jsonl: permission denied");
  CHECK(c.ToString() == "IOError: corpus.jsonl: permission denied");
  // The original is untouched.
  CHECK(s.message() == "permission denied");

  Status twice = c.WithContext("load");
  CHECK(twice.message() == "load: corpus.jsonl: permission denied");

  Status ok = Status::OK().WithContext("anything");
  CHECK(ok.ok());
  CHECK(ok.message().empty());
}

TEST_CASE("status: copies are deep and independent", "[status]") {
  Status original = Status::NotSupported("format v9");
  Status copy(original);
  CHECK(copy.code() == StatusCode::kNotSupported);
  CHECK(copy.message() == "format v9");
  // Distinct storage: the messages live at different addresses.
  CHECK(&copy.message() != &original.message());

  Status assigned = Status::Internal("old");
  assigned = original;
  CHECK(assigned.code() == StatusCode::kNotSupported);
  CHECK(assigned.message() == "format v9");

  // Copy-assigning OK over an error clears it, and vice versa.
  assigned = Status::OK();
  CHECK(assigned.ok());
  Status ok;
  ok = original;
  CHECK(ok.code() == StatusCode::kNotSupported);

  // Self-assignment keeps the value.
  Status& alias = original;
  original = alias;
  CHECK(original.code() == StatusCode::kNotSupported);
  CHECK(original.message() == "format v9");

  // The original outlives its copy and vice versa.
  {
    Status temp(original);
    CHECK(temp.message() == "format v9");
  }
  CHECK(original.message() == "format v9");
}

TEST_CASE("status: moves transfer the error", "[status]") {
  static_assert(std::is_nothrow_move_constructible<Status>::value,
                "Status moves must not throw");
  static_assert(std::is_nothrow_move_assignable<Status>::value,
                "Status moves must not throw");
  static_assert(std::is_nothrow_default_constructible<Status>::value,
                "OK must not allocate or throw");

  Status source = Status::Corruption("bad crc");
  Status moved(std::move(source));
  CHECK(moved.code() == StatusCode::kCorruption);
  CHECK(moved.message() == "bad crc");

  Status target = Status::NotFound("old");
  target = std::move(moved);
  CHECK(target.code() == StatusCode::kCorruption);
  CHECK(target.message() == "bad crc");

  // A moved-from Status may be assigned again.
  moved = Status::InvalidArgument("again");
  CHECK(moved.code() == StatusCode::kInvalidArgument);
  CHECK(moved.message() == "again");
}

// ---- Result<T> ----

TEST_CASE("result: holds a value", "[status][result]") {
  Result<int> r = 42;
  REQUIRE(r.ok());
  CHECK(r.status().ok());
  CHECK(r.value() == 42);
  CHECK(*r == 42);
  *r = 7;
  CHECK(r.value() == 7);

  const Result<std::string> cr = std::string("钛合金");
  REQUIRE(cr.ok());
  CHECK(*cr == "钛合金");
  CHECK(cr->size() == std::string("钛合金").size());

  Result<std::string> mr = std::string("abc");
  mr->append("d");
  CHECK(mr.value() == "abcd");
}

TEST_CASE("result: holds an error", "[status][result]") {
  Result<int> r = Status::NotFound("record S9");
  CHECK_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kNotFound);
  CHECK(r.status().message() == "record S9");

  Result<std::string> s = Status::InvalidArgument("bad");
  CHECK_FALSE(s.ok());
  CHECK(s.status().ToString() == "InvalidArgument: bad");
}

TEST_CASE("result: from an OK Status becomes Internal", "[status][result]") {
  Result<int> r = Status::OK();
  CHECK_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInternal);
  CHECK_FALSE(r.status().message().empty());

  Result<std::string> s{Status()};
  CHECK_FALSE(s.ok());
  CHECK(s.status().code() == StatusCode::kInternal);
}

TEST_CASE("result: copies and moves keep value or error", "[status][result]") {
  Result<std::string> a = std::string("value");
  Result<std::string> b = a;
  REQUIRE(b.ok());
  CHECK(*b == "value");
  CHECK(*a == "value");

  Result<std::string> e = Status::Corruption("crc");
  Result<std::string> e2 = e;
  CHECK(e2.status().code() == StatusCode::kCorruption);
  CHECK(e.status().message() == "crc");

  Result<std::string> m = std::move(b);
  REQUIRE(m.ok());
  CHECK(*m == "value");

  // Assigning an error over a value, and a value over an error.
  m = e;
  CHECK_FALSE(m.ok());
  m = std::string("back");
  REQUIRE(m.ok());
  CHECK(*m == "back");
}

TEST_CASE("result: rvalue operator* and value() move out a unique_ptr",
          "[status][result]") {
  Result<std::unique_ptr<int>> r = std::make_unique<int>(5);
  REQUIRE(r.ok());
  int* raw = r->get();
  std::unique_ptr<int> p = *std::move(r);
  REQUIRE(p != nullptr);
  CHECK(p.get() == raw);
  CHECK(*p == 5);

  Result<std::unique_ptr<int>> r2 = std::make_unique<int>(6);
  std::unique_ptr<int> q = std::move(r2).value();
  REQUIRE(q != nullptr);
  CHECK(*q == 6);

  // A factory-style function returning Result<std::unique_ptr<T>>.
  auto make = [](bool fail) -> Result<std::unique_ptr<std::string>> {
    if (fail) return Status::FailedPrecondition("not ready");
    return std::make_unique<std::string>("made");
  };
  std::unique_ptr<std::string> made = *make(false);
  REQUIRE(made != nullptr);
  CHECK(*made == "made");
  CHECK(make(true).status().code() == StatusCode::kFailedPrecondition);
}

TEST_CASE("result: status() of a value holder does not disturb it",
          "[status][result]") {
  Result<std::vector<int>> r = std::vector<int>{1, 2, 3};
  CHECK(r.status().ok());
  CHECK(r.status().ToString() == "OK");
  REQUIRE(r.ok());
  CHECK(r->size() == 3);
}

// ---- TECHMATCH_RETURN_IF_ERROR ----

Status Step(bool fail, int* calls) {
  ++*calls;
  return fail ? Status::IOError("step failed") : Status::OK();
}

Status Pipeline(bool fail_first, bool fail_second, int* calls, bool* reached) {
  TECHMATCH_RETURN_IF_ERROR(Step(fail_first, calls));
  TECHMATCH_RETURN_IF_ERROR(Step(fail_second, calls));
  *reached = true;
  return Status::OK();
}

Result<int> ResultPipeline(bool fail, int* calls) {
  TECHMATCH_RETURN_IF_ERROR(Step(fail, calls));
  return 11;
}

TEST_CASE("status: TECHMATCH_RETURN_IF_ERROR returns the first error",
          "[status]") {
  int calls = 0;
  bool reached = false;
  Status s = Pipeline(false, false, &calls, &reached);
  CHECK(s.ok());
  CHECK(calls == 2);
  CHECK(reached);

  calls = 0;
  reached = false;
  s = Pipeline(true, false, &calls, &reached);
  CHECK(s.code() == StatusCode::kIOError);
  CHECK(s.message() == "step failed");
  CHECK(calls == 1);  // evaluated once, and the second step never ran
  CHECK_FALSE(reached);

  calls = 0;
  s = Pipeline(false, true, &calls, &reached);
  CHECK(s.code() == StatusCode::kIOError);
  CHECK(calls == 2);
  CHECK_FALSE(reached);
}

TEST_CASE("status: TECHMATCH_RETURN_IF_ERROR works in Result functions",
          "[status][result]") {
  int calls = 0;
  Result<int> ok = ResultPipeline(false, &calls);
  REQUIRE(ok.ok());
  CHECK(*ok == 11);

  Result<int> bad = ResultPipeline(true, &calls);
  CHECK_FALSE(bad.ok());
  CHECK(bad.status().code() == StatusCode::kIOError);
  CHECK(calls == 2);
}

TEST_CASE("status: TECHMATCH_RETURN_IF_ERROR is one statement", "[status]") {
  // Usable as the body of an unbraced if/else (the do/while(0) idiom).
  auto f = [](bool cond) -> Status {
    int calls = 0;
    if (cond)
      TECHMATCH_RETURN_IF_ERROR(Step(true, &calls));
    else
      TECHMATCH_RETURN_IF_ERROR(Status::NotFound("else branch"));
    return Status::OK();
  };
  CHECK(f(true).code() == StatusCode::kIOError);
  CHECK(f(false).code() == StatusCode::kNotFound);
}

}  // namespace
}  // namespace techmatch

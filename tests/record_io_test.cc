// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Tests for include/techmatch/record_io.h.

#include "techmatch/record_io.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "test_util.h"

namespace techmatch {
namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::StartsWith;
using techmatch::testing::SharedFile;
using techmatch::testing::TempDir;

const std::string kSample =
    std::string(TECHMATCH_TEST_DATA_DIR) + "/records_sample.jsonl";

struct ReadOutcome {
  Status status;
  std::vector<Record> records;
  ReadReport report;
};

ReadOutcome Read(const std::string& text, const JsonlReadOptions& options = {},
                 const std::string& source = "t.jsonl") {
  ReadOutcome out;
  std::istringstream in(text);
  out.status = ReadRecordsJsonl(
      in, options,
      [&out](Record&& r) {
        out.records.push_back(std::move(r));
        return Status::OK();
      },
      &out.report, source);
  return out;
}

// The error for a one-line input (strict mode).
std::string ErrorOf(const std::string& line, JsonlReadOptions options = {}) {
  ReadOutcome out = Read(line + "\n", options);
  if (out.status.ok()) return "OK";
  CHECK(out.status.code() == StatusCode::kInvalidArgument);
  return out.status.message();
}

std::string Lines(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& l : lines) s += l + "\n";
  return s;
}

// ---- the sample file and round trips ----

TEST_CASE("record_io: reads the sample file", "[record_io]") {
  ReadReport report;
  Result<std::vector<Record>> recs = ReadRecordsJsonlFile(kSample, {}, &report);
  REQUIRE(recs.ok());
  REQUIRE(recs->size() == 7);
  CHECK(report.lines == 7);
  CHECK(report.records == 7);
  CHECK(report.skipped == 0);
  const std::vector<Record>& r = *recs;

  CHECK(r[0].id == "S001");
  CHECK(r[0].kind == RecordKind::kSupply);
  CHECK(r[0].categories ==
        std::vector<std::string>{"工学/材料科学与工程", "工学/电气工程"});
  CHECK(r[0].region == "四川省/成都市/高新区");
  CHECK(r[0].maturity == 6);
  CHECK(r[0].price == 1500000.0);
  CHECK(r[0].created == Date{2023, 5, 18});
  CHECK(r[0].attributes.at("contact") == "技术转移中心");

  CHECK(r[1].kind == RecordKind::kDemand);
  CHECK(r[1].keywords ==
        std::vector<std::string>{"重金属废水", "吸附材料", "膜分离", "电镀"});
  CHECK(r[1].categories == std::vector<std::string>{"工学/环境科学与工程"});
  CHECK(r[1].maturity == 7);
  CHECK(r[1].price == 800000.5);
  CHECK(r[1].created == Date{2024, 2, 29});

  CHECK(r[2].id == "20230017");
  CHECK(r[2].kind == RecordKind::kSupply);  // default_kind
  CHECK(r[2].price == 0.1);
  CHECK(r[2].attributes ==
        std::map<std::string, std::string>{{"license", "普通许可"},
                                           {"source", "成果库"},
                                           {"team_size", "12"}});

  CHECK(r[3].kind == RecordKind::kDemand);  // "DEMAND"
  CHECK(r[3].keywords == std::vector<std::string>{"中药饮片", "近红外光谱"});
  CHECK(r[3].categories == std::vector<std::string>{"医学/中西医结合"});
  CHECK_FALSE(r[3].maturity.has_value());
  CHECK(r[3].price == 0.0);
  CHECK(r[3].attributes.at("urgent") == "true");
  CHECK(r[3].attributes.at("contact_count") == "2");

  CHECK(r[4].price == 1e9);
  CHECK(r[4].attributes.at("certifications") == "[\"ISO9001\",\"ISO14001\"]");

  CHECK(r[5].title.empty());
  CHECK(r[5].keywords.empty());
  CHECK_FALSE(r[5].price.has_value());
  CHECK_FALSE(r[5].created.known());

  CHECK(r[6].title == "“智能”温室环境控制算法");
  CHECK(r[6].text == "包含引号\"与反斜杠\\的文本，以及制表符\t和换行\n。");
  CHECK(r[6].keywords ==
        std::vector<std::string>{"物联网", "智能温室", "环境控制"});
  CHECK(r[6].maturity == 5);  // "05"
}

TEST_CASE("record_io: sample round-trips through JSON and files",
          "[record_io]") {
  Result<std::vector<Record>> recs = ReadRecordsJsonlFile(kSample);
  REQUIRE(recs.ok());
  for (const Record& r : *recs) {
    INFO(r.id);
    Result<Record> back = ParseRecordJson(RecordToJson(r), {});
    REQUIRE(back.ok());
    CHECK(*back == r);
  }
  TempDir dir;
  const std::string path = dir.file("out.jsonl");
  REQUIRE(WriteRecordsJsonlFile(path, *recs).ok());
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));
  Result<std::vector<Record>> again = ReadRecordsJsonlFile(path);
  REQUIRE(again.ok());
  CHECK(*again == *recs);
  // Writing what was read back gives the same bytes (stable output).
  std::ostringstream a, b;
  REQUIRE(WriteRecordsJsonl(a, *recs).ok());
  REQUIRE(WriteRecordsJsonl(b, *again).ok());
  CHECK(a.str() == b.str());
  CHECK(a.str() == testing::ReadFile(path));
}

TEST_CASE("record_io: RecordToJson writes keys in a stable order",
          "[record_io]") {
  Record r;
  r.id = "D9";
  r.kind = RecordKind::kDemand;
  r.title = "标题";
  r.keywords = {"甲", "乙"};
  r.categories = {"工学/力学"};
  r.region = "四川省/德阳市";
  r.maturity = 3;
  r.price = 1e9;
  r.org_type = "enterprise";
  r.created = Date{2024, 1, 2};
  r.attributes = {{"z", "1"}, {"a", "\"引号\""}};
  CHECK(RecordToJson(r) ==
        R"({"id":"D9","kind":"demand","title":"标题","text":"",)"
        R"("keywords":["甲","乙"],"categories":["工学/力学"],)"
        R"("region":"四川省/德阳市","maturity":3,"budget":1000000000.0,)"
        R"("org_type":"enterprise","created":"2024-01-02",)"
        R"("attributes":{"a":"\"引号\"","z":"1"}})");
  Record minimal;
  minimal.id = "S1";
  minimal.price = 0.1;
  CHECK(RecordToJson(minimal) ==
        R"({"id":"S1","kind":"supply","title":"","text":"","price":0.1})");
}

// Random valid records: Chinese, ASCII, quotes, escapes, controls, 4-byte
// characters, and doubles that need all 17 digits.
class RandomRecords {
 public:
  explicit RandomRecords(uint32_t seed) : rng_(seed) {}

  Record Next(size_t index) {
    Record r;
    // Unique whatever the random suffix ("S1" + "0" must not meet "S10"),
    // and the draws in one order whatever the compiler's order of operands.
    const std::string prefix = Pick(2) ? "S" : "记录";
    r.id = prefix + std::to_string(index) + ":" + Word(0, 3);
    r.kind = Pick(2) ? RecordKind::kSupply : RecordKind::kDemand;
    r.title = Text(0, 12);
    r.text = Text(0, 80);
    for (int i = Pick(4); i > 0; --i) r.keywords.push_back(Word(1, 6));
    for (int i = Pick(3); i > 0; --i) r.categories.push_back(Path());
    if (Pick(2)) r.region = Path();
    if (Pick(2)) r.maturity = 1 + Pick(9);
    if (Pick(4) != 0) r.price = Price();
    if (Pick(2)) r.org_type = Word(1, 4);
    if (Pick(2)) {
      r.created = Date{static_cast<int16_t>(1 + Pick(9999)),
                       static_cast<uint8_t>(1 + Pick(12)),
                       static_cast<uint8_t>(1 + Pick(28))};
    }
    for (int i = Pick(4); i > 0; --i) r.attributes[Word(1, 5)] = Text(0, 10);
    return r;
  }

 private:
  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  std::string Char() {
    static const char* const kChars[] = {
        "技", "术",     "需", "求", "工", "学", "材",    "料",
        "a",  "Z",      "0",  "9",  "é",  "😀",  "𠀀",    "\"",
        "\\", "/",      ",",  "、", "\t", "\n", "\x01",  "\x7f",
        " ",  "\u3000", "{",  "}",  "[",  "]",  "\u2028"};
    return kChars[Pick(sizeof(kChars) / sizeof(kChars[0]))];
  }
  std::string Text(int lo, int hi) {
    std::string s;
    for (int n = lo + Pick(hi - lo + 1); n > 0; --n) s += Char();
    return s;
  }
  // Non-empty, no separators, no surrounding or control characters.
  std::string Word(int lo, int hi) {
    static const char* const kChars[] = {"技", "术", "工", "学", "材",
                                         "料", "a",  "Z",  "0",  "😀",
                                         "-",  "_",  "é",  "\"", "\\"};
    std::string s;
    for (int n = lo + Pick(hi - lo + 1); n > 0; --n) {
      s += kChars[Pick(sizeof(kChars) / sizeof(kChars[0]))];
    }
    return s;
  }
  std::string Path() {
    std::string p = Word(1, 5);
    for (int n = Pick(3); n > 0; --n) p += "/" + Word(1, 5);
    return p;
  }
  double Price() {
    static const double kFixed[] = {0.0,
                                    0.1,
                                    1e9,
                                    1e-300,
                                    123456.789,
                                    0.30000000000000004,
                                    9007199254740993.0,
                                    1.7976931348623157e308,
                                    5e-324};
    if (Pick(2)) return kFixed[Pick(sizeof(kFixed) / sizeof(kFixed[0]))];
    while (true) {  // any finite non-negative bit pattern
      uint64_t bits = std::uniform_int_distribution<uint64_t>()(rng_) >> 1;
      double d;
      std::memcpy(&d, &bits, sizeof d);
      if (std::isfinite(d)) return d;
    }
  }

  std::mt19937 rng_;
};

TEST_CASE("record_io: random records round-trip exactly", "[record_io]") {
  RandomRecords gen(20260317);
  std::vector<Record> records;
  for (size_t i = 0; i < 2000; ++i) {
    Record r = gen.Next(i);
    INFO(RecordToJson(r));
    REQUIRE(r.Validate().ok());
    Result<Record> back = ParseRecordJson(RecordToJson(r), {});
    REQUIRE(back.ok());
    REQUIRE(*back == r);
    records.push_back(std::move(r));
  }
  std::stringstream io;
  REQUIRE(WriteRecordsJsonl(io, records).ok());
  ReadOutcome out = Read(io.str());
  REQUIRE(out.status.ok());
  CHECK(out.records == records);
  CHECK(out.report.lines == records.size());
}

// ---- bad input: every message names the line ----

TEST_CASE("record_io: out-of-range maturity names line, record and field",
          "[record_io]") {
  std::vector<std::string> lines;
  for (int i = 1; i <= 16; ++i) {
    lines.push_back(R"({"id":"D)" + std::to_string(i) + R"(","text":"正文"})");
  }
  lines.push_back(R"({"id":"D12x","kind":"demand","maturity":12})");
  ReadOutcome out = Read(Lines(lines), {}, "corpus.jsonl");
  REQUIRE(out.status.code() == StatusCode::kInvalidArgument);
  CHECK(out.status.message() ==
        "corpus.jsonl:17: record \"D12x\": field \"maturity\": 12 is out of "
        "range 1-9");
  CHECK(out.records.size() == 16);  // given to the sink before the error
  CHECK(out.report.lines == 17);
}

TEST_CASE("record_io: invalid UTF-8 gives the byte offset", "[record_io]") {
  std::string bad = "{\"id\":\"a\",\"text\":\"技术\xe6\x9c\"}";
  ReadOutcome out = Read(Lines({R"({"id":"x"})", "", bad}));
  REQUIRE(out.status.code() == StatusCode::kInvalidArgument);
  CHECK(out.status.message() ==
        "t.jsonl:3: invalid UTF-8 at byte 24 of the line");
  CHECK_THAT(ErrorOf("{\"id\":\"\xff\"}"),
             Contains("t.jsonl:1: invalid UTF-8 at byte 7 of the line"));
  // Overlong encodings and surrogates are invalid too.
  CHECK_THAT(ErrorOf("{\"id\":\"\xc0\xaf\"}"), Contains("at byte 7"));
  CHECK_THAT(ErrorOf("{\"id\":\"\xed\xa0\x80\"}"), Contains("at byte 7"));
}

TEST_CASE("record_io: invalid JSON quotes the parser", "[record_io]") {
  ReadOutcome out = Read(Lines({R"({"id":"a"})", R"({"id":"b",})"}));
  REQUIRE(out.status.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(out.status.message(),
             StartsWith("t.jsonl:2: invalid JSON at byte"));
  CHECK_THAT(out.status.message(), Contains("syntax error"));
  CHECK_THAT(ErrorOf(R"({"id":"a"} x)"),
             Contains(":1: invalid JSON at byte 12"));
  CHECK_THAT(ErrorOf(R"({"id":"a\q"})"), Contains(":1: invalid JSON"));
  CHECK_THAT(ErrorOf(R"({"id":"\udc00"})"), Contains("surrogate"));
  CHECK(ErrorOf(R"({"id":"a","price":1e400})") ==
        "t.jsonl:1: invalid JSON: number overflow parsing '1e400'");
  // A long unterminated string does not make a huge message.
  std::string huge = R"({"id":")" + std::string(100000, 'x');
  CHECK(ErrorOf(huge).size() < 400);
  CHECK_THAT(ErrorOf(std::string(600, '[')), Contains("nested deeper"));
}

TEST_CASE("record_io: a line that is not an object is rejected",
          "[record_io]") {
  CHECK_THAT(ErrorOf("[1,2]"),
             Contains("t.jsonl:1: expected a JSON object, got array"));
  CHECK_THAT(ErrorOf("\"S1\""), Contains("expected a JSON object"));
  CHECK_THAT(ErrorOf("42"), Contains("expected a JSON object, got 42"));
  CHECK_THAT(ErrorOf("null"), Contains("expected a JSON object, got null"));
}

TEST_CASE("record_io: id is required, string or integer", "[record_io]") {
  CHECK(ErrorOf(R"({"text":"无编号"})") == "t.jsonl:1: field \"id\": missing");
  CHECK(ErrorOf(R"({"id":null})") == "t.jsonl:1: field \"id\": missing");
  CHECK(ErrorOf(R"({"id":""})") == "t.jsonl:1: field \"id\": empty");
  CHECK_THAT(
      ErrorOf(R"({"id":1.5})"),
      Contains("field \"id\": expected a string or an integer, got 1.5"));
  CHECK_THAT(ErrorOf(R"({"id":["a"]})"), Contains("got array"));
  CHECK_THAT(ErrorOf(R"({"id":"a\nb"})"),
             Contains("t.jsonl:1: record \"a\\u000ab\": field \"id\": "
                      "contains a control character"));
  ReadOutcome out = Read(
      Lines({R"({"id":-7})", R"({"id":18446744073709551615})", R"({"id":0})"}));
  REQUIRE(out.status.ok());
  CHECK(out.records[0].id == "-7");
  CHECK(out.records[1].id == "18446744073709551615");
  CHECK(out.records[2].id == "0");
}

TEST_CASE("record_io: wrong types name the field", "[record_io]") {
  struct Case {
    const char* line;
    const char* expect;
  };
  const Case cases[] = {
      {R"({"id":"R","keywords":5})", "field \"keywords\": expected an array"},
      {R"({"id":"R","keywords":["a",3]})", "field \"keywords\""},
      {R"({"id":"R","maturity":2.5})",
       "field \"maturity\": expected an integer 1-9 or a string of digits, "
       "got 2.5"},
      {R"({"id":"R","maturity":true})", "field \"maturity\""},
      {R"({"id":"R","maturity":"abc"})", "string of digits"},
      {R"({"id":"R","maturity":""})", "field \"maturity\""},
      {R"({"id":"R","maturity":"0"})", "\"0\" is out of range 1-9"},
      {R"({"id":"R","maturity":"00000000000000000012"})", "out of range"},
      {R"({"id":"R","maturity":-3})", "-3 is out of range 1-9"},
      {R"({"id":"R","maturity":99999999999999999999})", "field \"maturity\""},
      {R"({"id":"R","title":[]})",
       "field \"title\": expected a string, got array"},
      {R"({"id":"R","text":{}})",
       "field \"text\": expected a string, got object"},
      {R"({"id":"R","org_type":1})", "field \"org_type\""},
      {R"({"id":"R","kind":1})", "field \"kind\": expected \"supply\""},
      {R"({"id":"R","kind":"offer"})", "field \"kind\": unknown record kind"},
      {R"({"id":"R","categories":5})",
       "field \"categories\": expected an array"},
      {R"({"id":"R","categories":[["a"]]})", "field \"categories\""},
      {R"({"id":"R","region":["四川省"]})",
       "field \"region\": expected a path string, got array"},
      {R"({"id":"R","price":"100"})", "field \"price\": expected a number"},
      {R"({"id":"R","budget":-1})", "field \"budget\": -1 is not a finite"},
      {R"({"id":"R","price":-0.5})", "field \"price\": -0.5 is not"},
      {R"({"id":"R","price":1,"budget":2})", "field \"budget\": both"},
      {R"({"id":"R","created":20240101})", "field \"created\": expected"},
      {R"({"id":"R","created":"2024-02-30"})",
       "field \"created\": invalid date \"2024-02-30\""},
      {R"({"id":"R","created":"2024/01/01"})", "field \"created\""},
      {R"({"id":"R","attributes":[]})",
       "field \"attributes\": expected an object"},
      {R"({"id":"R","attributes":{"":"x"}})",
       "field \"attributes\": empty key"},
      {R"({"id":"R","categories":["工学//力学"]})",
       "field \"categories\": empty segment in path \"工学//力学\""},
      {R"({"id":"R","categories":"工学/"})", "empty segment"},
      {R"({"id":"R","region":"四川省/ /德阳市"})",
       "field \"region\": empty segment"},
      {R"({"id":"R","extra":1,"attributes":{"extra":"2"}})",
       "field \"extra\": also given in \"attributes\""},
      {R"({"id":"R","":"x"})", "empty field name"},
  };
  for (const Case& c : cases) {
    INFO(c.line);
    std::string msg = ErrorOf(c.line);
    CHECK_THAT(msg, StartsWith("t.jsonl:1: record \"R\": "));
    CHECK_THAT(msg, Contains(c.expect));
  }
}

TEST_CASE("record_io: duplicate id names both lines", "[record_io]") {
  std::string text = Lines(
      {R"({"id":"D0"})", R"({"id":"D1"})", R"({"id":"D1","kind":"demand"})",
       R"({"id":"D2"})", "", R"({"id":"D3"})", R"({"id":"D4"})",
       R"({"id":"D5"})", R"({"id":"D1","title":"again"})"});
  ReadOutcome out = Read(text, {}, "x.jsonl");
  REQUIRE(out.status.code() == StatusCode::kInvalidArgument);
  CHECK(out.status.message() ==
        "x.jsonl:9: duplicate supply id \"D1\" (first seen on line 2)");
  CHECK(out.records.size() == 7);  // same id as a demand is fine

  JsonlReadOptions lenient;
  lenient.lenient = true;
  out = Read(text, lenient, "x.jsonl");
  REQUIRE(out.status.ok());
  CHECK(out.records.size() == 7);
  CHECK(out.records[1].title.empty());  // the first D1 stays
  CHECK(out.report.skipped == 1);
}

TEST_CASE("record_io: over-long lines are rejected without reading them whole",
          "[record_io]") {
  JsonlReadOptions options;
  options.max_line_bytes = 20;
  const std::string at_limit = R"({"id":"abcdefghijk"})";  // 20 bytes
  REQUIRE(at_limit.size() == 20);
  ReadOutcome out =
      Read(at_limit + "\r\n" + at_limit.substr(0, 18) + "x\"}\n", options);
  REQUIRE(out.status.code() == StatusCode::kInvalidArgument);
  CHECK(out.status.message() ==
        "t.jsonl:2: line is longer than 20 bytes (max_line_bytes)");
  CHECK(out.records.size() == 1);

  // Lenient: the long line (longer than a read chunk) is skipped.
  options.lenient = true;
  options.max_line_bytes = 1000;
  std::string huge =
      R"({"id":"big","text":")" + std::string(300000, 'x') + "\"}";
  out = Read(Lines({R"({"id":"a"})", huge, R"({"id":"b"})"}), options);
  REQUIRE(out.status.ok());
  REQUIRE(out.records.size() == 2);
  CHECK(out.records[1].id == "b");
  CHECK(out.report.errors ==
        std::vector<std::string>{"t.jsonl:2: line is longer than 1000 bytes "
                                 "(max_line_bytes)"});
}

// An endless input without a newline (/dev/zero): a stream that counts what
// it hands out and never ends.
class EndlessZeros : public std::streambuf {
 public:
  size_t served() const { return served_; }

 protected:
  int_type underflow() override {
    setg(buf_, buf_, buf_ + sizeof(buf_));
    served_ += sizeof(buf_);
    return traits_type::to_int_type(buf_[0]);
  }

 private:
  char buf_[4096] = {};
  size_t served_ = 0;
};

TEST_CASE("record_io: an endless line fails after max_line_bytes (strict)",
          "[record_io]") {
  EndlessZeros zeros;
  std::istream in(&zeros);
  JsonlReadOptions options;
  options.max_line_bytes = 1 << 20;
  size_t records = 0;
  Status s = ReadRecordsJsonl(
      in, options, [&records](Record&&) { ++records; return Status::OK(); },
      nullptr, "/dev/zero");
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(s.message() ==
        "/dev/zero:1: line is longer than 1048576 bytes (max_line_bytes)");
  CHECK(records == 0);
  CHECK(zeros.served() <= options.max_line_bytes + (1 << 17));
}

// ---- line handling ----

TEST_CASE("record_io: blank lines are skipped but counted", "[record_io]") {
  ReadOutcome out = Read("\n  \t\n{\"id\":\"a\"}\n\r\n\n{\"id\":\"b\"}\n \n");
  REQUIRE(out.status.ok());
  CHECK(out.records.size() == 2);
  CHECK(out.report.lines == 7);
  CHECK(out.report.records == 2);
  // No trailing newline: the last line still counts.
  out = Read("{\"id\":\"a\"}\n{\"id\":\"b\"}");
  CHECK(out.records.size() == 2);
  CHECK(out.report.lines == 2);
  out = Read("");
  CHECK(out.status.ok());
  CHECK(out.report.lines == 0);
}

TEST_CASE("record_io: a UTF-8 BOM at the start is skipped", "[record_io]") {
  ReadOutcome out = Read("\xEF\xBB\xBF{\"id\":\"甲\"}\n{\"id\":\"乙\"}\n");
  REQUIRE(out.status.ok());
  REQUIRE(out.records.size() == 2);
  CHECK(out.records[0].id == "甲");
  // nlohmann skips a BOM at the start of any document, so one left on a
  // later line (files concatenated with cat) is tolerated as well.
  out = Read("{\"id\":\"甲\"}\n\xEF\xBB\xBF{\"id\":\"乙\"}\n");
  REQUIRE(out.status.ok());
  CHECK(out.records.size() == 2);
  // A BOM elsewhere in a line is not whitespace.
  out = Read("{\"id\":\"甲\"}\xEF\xBB\xBF\n");
  CHECK_THAT(out.status.message(), StartsWith("t.jsonl:1: invalid JSON"));
  // Byte offsets still count the BOM.
  out = Read("\xEF\xBB\xBF{\"id\":\"\xff\"}\n");
  CHECK(out.status.message() ==
        "t.jsonl:1: invalid UTF-8 at byte 10 of the line");
}

TEST_CASE("record_io: CRLF line endings are accepted", "[record_io]") {
  ReadOutcome out =
      Read("{\"id\":\"a\",\"text\":\"甲\"}\r\n{\"id\":\"b\"}\r\n\r\n");
  REQUIRE(out.status.ok());
  REQUIRE(out.records.size() == 2);
  CHECK(out.records[0].text == "甲");
  CHECK(out.report.lines == 3);
}

TEST_CASE("record_io: keyword strings are split on separators", "[record_io]") {
  Result<Record> r = ParseRecordJson(
      "{\"id\":\"k\",\"keywords\":\"甲、乙，丙,丁;戊；己 庚\u3000辛\\t壬 ,, "
      "、癸\"}",
      {});
  REQUIRE(r.ok());
  CHECK(r->keywords == std::vector<std::string>{"甲", "乙", "丙", "丁", "戊",
                                                "己", "庚", "辛", "壬", "癸"});
  r = ParseRecordJson(R"({"id":"k","keywords":" 、 ,"})", {});
  REQUIRE(r.ok());
  CHECK(r->keywords.empty());
  // Array items are trimmed, not split; empty ones are dropped.
  r = ParseRecordJson(R"({"id":"k","keywords":[" 石墨烯 ","锂电池,负极",""]})",
                      {});
  REQUIRE(r.ok());
  CHECK(r->keywords == std::vector<std::string>{"石墨烯", "锂电池,负极"});
}

TEST_CASE("record_io: unknown fields and attributes", "[record_io]") {
  Result<Record> r = ParseRecordJson(
      R"({"id":"u","来源":"成果库","n":12,"ok":false,"x":null,"list":[1,"二"],)"
      R"("obj":{"b":1,"a":[]},"attributes":{"s":"v","f":1.5,"z":null}})",
      {});
  REQUIRE(r.ok());
  CHECK(r->attributes ==
        std::map<std::string, std::string>{{"来源", "成果库"},
                                           {"n", "12"},
                                           {"ok", "false"},
                                           {"list", "[1,\"二\"]"},
                                           {"obj", "{\"a\":[],\"b\":1}"},
                                           {"s", "v"},
                                           {"f", "1.5"}});
  // Duplicate keys: the last one wins (nlohmann's behaviour).
  r = ParseRecordJson(R"({"id":"d","title":"甲","title":"乙","price":-0.0})",
                      {});
  REQUIRE(r.ok());
  CHECK(r->title == "乙");
  CHECK(RecordToJson(*r) ==
        R"({"id":"d","kind":"supply","title":"乙","text":"","price":0.0})");
  // null fields are absent.
  r = ParseRecordJson(
      R"({"id":"n","kind":null,"title":null,"keywords":null,"categories":null,)"
      R"("region":null,"maturity":null,"price":null,"budget":null,)"
      R"("org_type":null,"created":null,"attributes":null})",
      {});
  REQUIRE(r.ok());
  Record expect;
  expect.id = "n";
  CHECK(*r == expect);
}

TEST_CASE("record_io: ParseRecordJson options and prefixes", "[record_io]") {
  JsonlReadOptions demand;
  demand.default_kind = RecordKind::kDemand;
  Result<Record> r = ParseRecordJson(R"({"id":"q"})", demand);
  REQUIRE(r.ok());
  CHECK(r->kind == RecordKind::kDemand);
  r = ParseRecordJson(R"({"id":"q","maturity":0})", {});
  CHECK(r.status().message() ==
        "record \"q\": field \"maturity\": 0 is out of range 1-9");
  r = ParseRecordJson(R"({"id":"q","maturity":0})", {}, "api:3");
  CHECK_THAT(r.status().message(), StartsWith("api:3: record \"q\""));
  JsonlReadOptions broken;
  broken.field_map["nonsense"] = {"x"};
  r = ParseRecordJson(R"({"id":"q"})", broken);
  CHECK_THAT(r.status().message(), Contains("unknown techmatch field"));
}

// ---- lenient mode ----

TEST_CASE("record_io: lenient mode skips and reports bad lines",
          "[record_io]") {
  std::string text = Lines({
      R"({"id":"a"})",                   // 1 ok
      R"({"id":"b","maturity":10})",     // 2 bad
      "not json",                        // 3 bad
      "",                                // 4 blank
      R"({"id":"c","keywords":["x"]})",  // 5 ok
      "{\"id\":\"d\xff\"}",              // 6 bad
      R"({"id":"a"})",                   // 7 duplicate
      R"({"id":"a","kind":"demand"})",   // 8 ok
  });
  JsonlReadOptions options;
  options.lenient = true;
  ReadOutcome out = Read(text, options);
  REQUIRE(out.status.ok());
  CHECK(out.report.lines == 8);
  CHECK(out.report.records == 3);
  CHECK(out.report.skipped == 4);
  REQUIRE(out.report.errors.size() == 4);
  CHECK_THAT(out.report.errors[0], StartsWith("t.jsonl:2: record \"b\""));
  CHECK_THAT(out.report.errors[1], StartsWith("t.jsonl:3: invalid JSON"));
  CHECK_THAT(out.report.errors[2], StartsWith("t.jsonl:6: invalid UTF-8"));
  CHECK_THAT(out.report.errors[3],
             StartsWith("t.jsonl:7: duplicate supply id \"a\" (first seen on "
                        "line 1)"));
  REQUIRE(out.records.size() == 3);
  CHECK(out.records[1].id == "c");
}

TEST_CASE("record_io: lenient error list is capped", "[record_io]") {
  std::string text;
  const size_t bad = ReadReport::kMaxErrors + 25;
  for (size_t i = 0; i < bad; ++i) text += "{\n";
  text += R"({"id":"ok"})";
  JsonlReadOptions options;
  options.lenient = true;
  ReadOutcome out = Read(text, options);
  REQUIRE(out.status.ok());
  CHECK(out.report.skipped == bad);
  CHECK(out.report.errors.size() == ReadReport::kMaxErrors);
  CHECK(out.records.size() == 1);
}

// ---- field mapping ----

TEST_CASE("record_io: csl-like field mapping joins category paths",
          "[record_io]") {
  std::string text = Lines({
      R"({"id":"D1","title":"","text":"摘要一","discipline":"兵器科学与技术","category":"工学"})",
      R"({"id":"D2","title":"","text":"摘要二","discipline":null,"category":null})",
      R"({"id":"D3","title":"","text":"摘要三","discipline":"力学","category":null})",
      R"({"id":"D4","title":"","text":"摘要四","discipline":" ","category":"理学"})",
      R"({"id":"D5","text":"摘要五","category":"工学","categories":"其他"})",
  });
  JsonlReadOptions options;
  REQUIRE(options.AddFieldMap("categories=category/discipline").ok());
  ReadOutcome out = Read(text, options);
  REQUIRE(out.status.ok());
  REQUIRE(out.records.size() == 5);
  using V = std::vector<std::string>;
  CHECK(out.records[0].categories == V{"工学/兵器科学与技术"});
  CHECK(out.records[0].attributes.empty());  // sources are consumed
  CHECK(out.records[1].categories.empty());
  CHECK(out.records[2].categories == V{"力学"});
  CHECK(out.records[3].categories == V{"理学"});
  CHECK(out.records[4].categories == V{"工学"});
  // The mapped field's own name is now an ordinary unknown field.
  CHECK(out.records[4].attributes ==
        std::map<std::string, std::string>{{"categories", "其他"}});

  // Without the mapping both are kept as attributes.
  out = Read(text);
  REQUIRE(out.status.ok());
  CHECK(out.records[0].categories.empty());
  CHECK(out.records[0].attributes.at("category") == "工学");
  CHECK(out.records[4].categories == V{"其他"});
}

TEST_CASE("record_io: mapped fields are read from their sources",
          "[record_io]") {
  JsonlReadOptions options;
  REQUIRE(options
              .AddFieldMap("id=编号, text=abstract,price=cost,"
                           "region=省/市/区,keywords=kw,kind=type")
              .ok());
  Result<Record> r = ParseRecordJson(
      R"({"编号":"X1","abstract":"摘要","text":"旧","cost":12.5,"省":"四川省",)"
      R"("市":"德阳市","区":null,"kw":"甲、乙","type":"demand","price":"7"})",
      options);
  REQUIRE(r.ok());
  CHECK(r->id == "X1");
  CHECK(r->kind == RecordKind::kDemand);
  CHECK(r->text == "摘要");
  CHECK(r->price == 12.5);
  CHECK(r->region == "四川省/德阳市");
  CHECK(r->keywords == std::vector<std::string>{"甲", "乙"});
  CHECK(r->attributes ==
        std::map<std::string, std::string>{{"price", "7"}, {"text", "旧"}});
  // Errors name the source field and its target.
  r = ParseRecordJson(R"({"编号":"X1","省":5})", options);
  CHECK(r.status().message() ==
        "record \"X1\": field \"省\" (mapped to \"region\"): expected a path "
        "string, got 5");
  r = ParseRecordJson(R"({"abstract":"x"})", options);
  CHECK(r.status().message() == "field \"编号\" (mapped to \"id\"): missing");
  r = ParseRecordJson(R"({"编号":"X1","省":"a//b"})", options);
  CHECK_THAT(r.status().message(), Contains("field \"region\": empty segment"));
}

TEST_CASE("record_io: AddFieldMap parses specs and names bad entries",
          "[record_io]") {
  JsonlReadOptions options;
  REQUIRE(
      options.AddFieldMap("categories=category/discipline,text=abstract").ok());
  CHECK(options.field_map.at("categories") ==
        std::vector<std::string>{"category", "discipline"});
  CHECK(options.field_map.at("text") == std::vector<std::string>{"abstract"});
  // Merges: a new target is added, an existing one replaced.
  REQUIRE(options.AddFieldMap(" text = 摘要 , id=doc_id ").ok());
  CHECK(options.field_map.size() == 3);
  CHECK(options.field_map.at("text") == std::vector<std::string>{"摘要"});
  CHECK(options.AddFieldMap("").ok());
  CHECK(options.field_map.size() == 3);

  struct Case {
    const char* spec;
    const char* expect;
  };
  const Case cases[] = {
      {"categories", "field map entry \"categories\": missing '='"},
      {"text=abstract,foo=bar",
       "entry \"foo=bar\": unknown techmatch field \"foo\" (one of id, "},
      {"text=", "entry \"text=\": empty source field"},
      {"categories=a//b", "empty source field"},
      {"categories=a/", "empty source field"},
      {"=abstract", "unknown techmatch field \"\""},
      {"text=a,,id=b", "field map entry \"\": empty entry"},
      {"text=a,", "empty entry"},
      {"text=a/b", "only \"categories\" and \"region\""},
      {"text=a,text=b", "mapped twice"},
      {"region=a/a", "listed twice"},
  };
  for (const Case& c : cases) {
    INFO(c.spec);
    JsonlReadOptions o;
    o.field_map["title"] = {"name"};
    Status s = o.AddFieldMap(c.spec);
    REQUIRE_FALSE(s.ok());
    CHECK(s.code() == StatusCode::kInvalidArgument);
    CHECK_THAT(s.message(), Contains(c.expect));
    // A failed call leaves the map as it was.
    CHECK(o.field_map ==
          std::map<std::string, std::vector<std::string>>{{"title", {"name"}}});
  }
}

TEST_CASE("record_io: JsonlReadOptions::Validate", "[record_io]") {
  JsonlReadOptions o;
  CHECK(o.Validate().ok());
  o.field_map["categories"] = {"a", "b", "c"};
  o.field_map["price"] = {"cost"};
  CHECK(o.Validate().ok());
  auto message = [](std::map<std::string, std::vector<std::string>> map) {
    JsonlReadOptions opt;
    opt.field_map = std::move(map);
    Status s = opt.Validate();
    CHECK(s.code() == StatusCode::kInvalidArgument);
    return s.message();
  };
  CHECK_THAT(message({{"Categories", {"a"}}}),
             Contains("field_map[\"Categories\"]: unknown techmatch field"));
  CHECK_THAT(message({{"text", {}}}), Contains("no source field"));
  CHECK_THAT(message({{"text", {""}}}), Contains("empty source field name"));
  CHECK_THAT(message({{"title", {"a", "b"}}}), Contains("several sources"));
  CHECK_THAT(message({{"region", {"a", "b", "a"}}}), Contains("listed twice"));
  JsonlReadOptions zero;
  zero.max_line_bytes = 0;
  CHECK(zero.Validate().code() == StatusCode::kInvalidArgument);
  // Reading refuses invalid options up front.
  ReadOutcome out = Read("{\"id\":\"a\"}\n", zero);
  CHECK(out.status.code() == StatusCode::kInvalidArgument);
  CHECK_THAT(out.status.message(), Contains("invalid JsonlReadOptions"));
}

// ---- files, sinks and streams ----

TEST_CASE("record_io: file errors", "[record_io]") {
  TempDir dir;
  Result<std::vector<Record>> r = ReadRecordsJsonlFile(dir.file("none.jsonl"));
  CHECK(r.status().code() == StatusCode::kNotFound);
  CHECK_THAT(r.status().message(), Contains(dir.file("none.jsonl")));
  r = ReadRecordsJsonlFile(dir.path());
  CHECK(r.status().code() == StatusCode::kIOError);
  // Messages from a file name it.
  std::ofstream(dir.file("bad.jsonl")) << "{\"id\":\"a\"}\n{\"id\":\"a\"}\n";
  r = ReadRecordsJsonlFile(dir.file("bad.jsonl"));
  CHECK(r.status().message() == dir.file("bad.jsonl") +
                                    ":2: duplicate supply id \"a\" (first "
                                    "seen on line 1)");
}

TEST_CASE("record_io: writing validates and never leaves a partial file",
          "[record_io]") {
  TempDir dir;
  const std::string path = dir.file("out.jsonl");
  Record a;
  a.id = "A";
  Record b;
  b.id = "B";
  REQUIRE(WriteRecordsJsonlFile(path, {a, b}).ok());
  const std::string before = testing::ReadFile(path);

  Record bad = b;
  bad.id = "坏记录";
  bad.maturity = 11;
  Status s = WriteRecordsJsonlFile(path, {a, bad});
  CHECK(s.code() == StatusCode::kInvalidArgument);
  CHECK(s.message() ==
        "records[1]: record \"坏记录\": field \"maturity\": 11 is out of "
        "range 1-9");
  CHECK(testing::ReadFile(path) == before);
  CHECK_FALSE(std::filesystem::exists(path + ".tmp"));

  s = WriteRecordsJsonlFile(path, {a, b, a});
  CHECK_THAT(s.message(),
             Contains("records[2]: duplicate supply id \"A\" (first in "
                      "records[0])"));

  // The target is a directory: the rename fails, the temp file is removed.
  std::filesystem::create_directory(dir.file("sub"));
  s = WriteRecordsJsonlFile(dir.file("sub"), {a});
  CHECK(s.code() == StatusCode::kIOError);
  CHECK_THAT(s.message(), Contains(dir.file("sub")));
  CHECK_FALSE(std::filesystem::exists(dir.file("sub.tmp")));
  s = WriteRecordsJsonlFile(dir.file("missing/out.jsonl"), {a});
  CHECK(s.code() == StatusCode::kIOError);
  CHECK_THAT(s.message(), Contains(dir.file("missing/out.jsonl")));

  // A failing stream, even one set to throw, gives IOError.
  struct FailingBuf : std::streambuf {
    int overflow(int) override { return traits_type::eof(); }
  } buf;
  std::ostream failing(&buf);
  failing.exceptions(std::ios::badbit);
  CHECK(WriteRecordsJsonl(failing, {a}).code() == StatusCode::kIOError);
}

TEST_CASE("record_io: sink errors and exceptions stop reading", "[record_io]") {
  std::string text = Lines({R"({"id":"a"})", R"({"id":"b"})", R"({"id":"c"})"});
  std::istringstream in(text);
  int calls = 0;
  Status s = ReadRecordsJsonl(in, {}, [&calls](Record&& r) {
    ++calls;
    return r.id == "b" ? Status::NotFound("stop at b") : Status::OK();
  });
  CHECK(s.code() == StatusCode::kNotFound);
  CHECK(s.message() == "stop at b");
  CHECK(calls == 2);

  std::istringstream in2(text);
  s = ReadRecordsJsonl(
      in2, {}, [](Record&&) -> Status { throw std::runtime_error("boom"); });
  CHECK(s.code() == StatusCode::kInternal);
  CHECK_THAT(s.message(), Contains("boom"));

  std::istringstream in3(text);
  CHECK(ReadRecordsJsonl(in3, {}, nullptr).code() ==
        StatusCode::kInvalidArgument);
}

TEST_CASE("record_io: streams with exceptions enabled do not throw",
          "[record_io]") {
  std::istringstream in("{\"id\":\"a\"}\n");
  in.exceptions(std::ios::failbit | std::ios::badbit | std::ios::eofbit);
  size_t n = 0;
  Status s = ReadRecordsJsonl(in, {}, [&n](Record&&) {
    ++n;
    return Status::OK();
  });
  CHECK(s.ok());
  CHECK(n == 1);
  std::istringstream failed;
  failed.setstate(std::ios::failbit);
  CHECK(ReadRecordsJsonl(failed, {}, [](Record&&) {
          return Status::OK();
        }).code() == StatusCode::kIOError);
}

// ---- the real csl-match corpus, when ../shared is present ----

TEST_CASE("record_io: reads the csl-match corpus with a field mapping",
          "[record_io][shared]") {
  const std::string path = SharedFile("csl-match/corpus.jsonl");
  if (path.empty()) TECHMATCH_SKIP(testing::Absent("csl-match/corpus.jsonl"));
  JsonlReadOptions options;
  REQUIRE(options.AddFieldMap("categories=category/discipline").ok());
  ReadReport report;
  auto start = std::chrono::steady_clock::now();
  Result<std::vector<Record>> recs =
      ReadRecordsJsonlFile(path, options, &report);
  double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  REQUIRE(recs.ok());
  CHECK(recs->size() == 16917);
  CHECK(report.lines == 16917);
  size_t supply = 0, without_categories = 0;
  const Record* known = nullptr;
  for (const Record& r : *recs) {
    supply += r.kind == RecordKind::kSupply;
    without_categories += r.categories.empty();
    if (r.id == "D52d6b2e77762") known = &r;
    if (!r.attributes.empty()) FAIL("unexpected attributes on " << r.id);
  }
  CHECK(supply == 16917);
  REQUIRE(known != nullptr);
  CHECK(known->categories == std::vector<std::string>{"工学/兵器科学与技术"});
  CHECK(known->title.empty());
  CHECK_THAT(known->text, StartsWith("采用修正的Rodrigues参数"));
  // Labels are missing for 37% of the documents (csl-match README).
  CHECK(without_categories == 6295);
  WARN("csl corpus: " << recs->size() << " records, " << without_categories
                      << " without categories, read in " << secs << " s");
}

}  // namespace
}  // namespace techmatch

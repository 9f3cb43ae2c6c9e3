// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "server/wal.h"

#include <sys/resource.h>

#include <catch2/catch.hpp>
#include <csignal>
#include <fstream>
#include <string>

#include "server/write_op.h"
#include "test_util.h"

namespace techmatch::server {
namespace {

using Catch::Matchers::Contains;
using testing::TempDir;

void WriteBytes(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << data;
}

// A log with three records ("one", "two" x 1000, "three"); their offsets.
std::string ThreeRecordLog(const TempDir& tmp, std::vector<uint64_t>* offsets) {
  const std::string path = tmp.file("wal.log");
  auto w = LogWriter::Open(path);
  REQUIRE(w.ok());
  for (const std::string& p : {std::string("one"), std::string(1000, 't'), std::string("three")}) {
    offsets->push_back((*w)->size());
    REQUIRE((*w)->Append(7, p).ok());
  }
  return testing::ReadFile(path);
}

TEST_CASE("wal: records read back in order", "[wal]") {
  TempDir tmp;
  std::vector<uint64_t> offsets;
  const std::string data = ThreeRecordLog(tmp, &offsets);
  CHECK(data.size() == kLogHeaderBytes + 3 * kRecordOverheadBytes + 3 + 1000 + 5);
  auto log = ReadLogFile(tmp.file("wal.log"));
  REQUIRE(log.ok());
  REQUIRE(log->records.size() == 3);
  CHECK(log->records[0].payload == "one");
  CHECK(log->records[1].payload == std::string(1000, 't'));
  CHECK(log->records[2].payload == "three");
  CHECK(log->records[2].offset == offsets[2]);
  CHECK(log->records[0].type == 7);
  CHECK(log->torn_bytes == 0);
  CHECK(log->valid_bytes == data.size());

  // Reopened, it appends after the records.
  auto w = LogWriter::Open(tmp.file("wal.log"));
  REQUIRE(w.ok());
  CHECK((*w)->size() == data.size());
  REQUIRE((*w)->Append(1, "four").ok());
  auto again = ReadLogFile(tmp.file("wal.log"));
  REQUIRE(again.ok());
  REQUIRE(again->records.size() == 4);
  CHECK(again->records[3].payload == "four");

  // Truncate keeps the header only.
  REQUIRE((*w)->Truncate().ok());
  CHECK((*w)->size() == kLogHeaderBytes);
  auto empty = ReadLogFile(tmp.file("wal.log"));
  REQUIRE(empty.ok());
  CHECK(empty->records.empty());
  CHECK(empty->exists);
}

TEST_CASE("wal: a missing log is empty", "[wal]") {
  TempDir tmp;
  auto log = ReadLogFile(tmp.file("none.log"));
  REQUIRE(log.ok());
  CHECK(!log->exists);
  CHECK(log->records.empty());
}

TEST_CASE("wal: a tail cut anywhere is dropped, never an error", "[wal]") {
  TempDir tmp;
  std::vector<uint64_t> offsets;
  const std::string data = ThreeRecordLog(tmp, &offsets);
  for (size_t cut = 0; cut < data.size(); ++cut) {
    auto log = ParseLog(std::string_view(data.data(), cut), "cut");
    INFO("cut at " << cut);
    REQUIRE(log.ok());
    // A record is whole when the next one starts at or before the cut.
    size_t expected = 0;
    for (size_t i = 0; i < offsets.size(); ++i) {
      const uint64_t end = i + 1 < offsets.size() ? offsets[i + 1] : data.size();
      expected += end <= cut ? 1 : 0;
    }
    CHECK(log->records.size() == expected);
    CHECK(log->valid_bytes + log->torn_bytes == cut);
  }
}

TEST_CASE("wal: zeros after the last record are a torn tail", "[wal]") {
  TempDir tmp;
  std::vector<uint64_t> offsets;
  std::string data = ThreeRecordLog(tmp, &offsets);
  data += std::string(4096, '\0');
  auto log = ParseLog(data, "zeros");
  REQUIRE(log.ok());
  CHECK(log->records.size() == 3);
  CHECK(log->torn_bytes == 4096);
}

TEST_CASE("wal: a damaged last record is torn; damage before good records is an error",
          "[wal]") {
  TempDir tmp;
  std::vector<uint64_t> offsets;
  const std::string data = ThreeRecordLog(tmp, &offsets);
  // Every byte of the last record: torn (dropped), the first two kept.
  for (size_t i = offsets[2]; i < data.size(); ++i) {
    std::string bad = data;
    bad[i] ^= 0x20;
    auto log = ParseLog(bad, "last");
    INFO("byte " << i);
    REQUIRE(log.ok());
    CHECK(log->records.size() == 2);
  }
  // Every byte of the middle record: corruption naming its offset.
  for (size_t i = offsets[1]; i < offsets[2]; i += 37) {
    std::string bad = data;
    bad[i] ^= 0x01;
    auto log = ParseLog(bad, "wal.log");
    INFO("byte " << i);
    REQUIRE(!log.ok());
    CHECK(log.status().code() == StatusCode::kCorruption);
    CHECK_THAT(log.status().message(), Contains("offset " + std::to_string(offsets[1])));
    CHECK_THAT(log.status().message(), Contains("wal.log"));
  }
}

TEST_CASE("wal: header checks", "[wal]") {
  TempDir tmp;
  std::vector<uint64_t> offsets;
  std::string data = ThreeRecordLog(tmp, &offsets);
  std::string magic = data;
  magic[1] = 'X';
  auto log = ParseLog(magic, "m");
  REQUIRE(!log.ok());
  CHECK(log.status().code() == StatusCode::kCorruption);
  WriteBytes(tmp.file("wal.log"), magic);
  CHECK(!LogWriter::Open(tmp.file("wal.log")).ok());

  std::string version = data;
  version[8] = 9;
  log = ParseLog(version, "v");
  REQUIRE(!log.ok());
  CHECK(log.status().code() == StatusCode::kNotSupported);

  // A creation cut short (shorter than the header): all torn, and the
  // writer starts the file again.
  log = ParseLog(data.substr(0, 5), "short");
  REQUIRE(log.ok());
  CHECK(log->torn_bytes == 5);
  WriteBytes(tmp.file("short.log"), data.substr(0, 5));
  auto w = LogWriter::Open(tmp.file("short.log"));
  REQUIRE(w.ok());
  CHECK((*w)->size() == kLogHeaderBytes);
  REQUIRE((*w)->Append(2, "x").ok());
  auto back = ReadLogFile(tmp.file("short.log"));
  REQUIRE(back.ok());
  CHECK(back->records.size() == 1);
}

TEST_CASE("wal: an Append that cannot be written fails cleanly", "[wal]") {
  TempDir tmp;
  auto w = LogWriter::Open(tmp.file("wal.log"));
  REQUIRE(w.ok());
  CHECK(!(*w)->Append(0, "reserved type").ok());
  CHECK((*w)->size() == kLogHeaderBytes);
  REQUIRE((*w)->Append(1, "kept").ok());
  const uint64_t good = (*w)->size();

  // A write the file system refuses half way (a file size limit: EFBIG).
  struct rlimit old;
  REQUIRE(getrlimit(RLIMIT_FSIZE, &old) == 0);
  void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = 4096;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
  const Status failed = (*w)->Append(1, std::string(10000, 'x'));
  setrlimit(RLIMIT_FSIZE, &old);
  signal(SIGXFSZ, old_handler);
  CHECK(failed.code() == StatusCode::kIOError);
  CHECK_THAT(failed.message(), Contains("wal.log"));
  // Cut back to the last good record; no more appends after a failure.
  CHECK((*w)->size() == good);
  CHECK(!(*w)->Append(1, "after").ok());
  auto log = ReadLogFile(tmp.file("wal.log"));
  REQUIRE(log.ok());
  REQUIRE(log->records.size() == 1);
  CHECK(log->records[0].payload == "kept");
  CHECK(log->torn_bytes == 0);
}

TEST_CASE("write op: upserts, removes and aborts round-trip", "[wal]") {
  WriteOp up;
  up.type = WriteOp::kUpsert;
  up.seq = 42;
  Record r;
  r.id = "S1";
  r.kind = RecordKind::kSupply;
  r.title = "钒电池电解液";
  r.text = "低成本制备";
  r.maturity = 7;
  r.price = 1234567.5;
  r.region = "四川省/攀枝花市";
  r.attributes["owner"] = "某公司";
  up.records = {r};
  auto back = WriteOp::Decode(up.type, up.EncodePayload(), "t");
  REQUIRE(back.ok());
  CHECK(back->seq == 42);
  REQUIRE(back->records.size() == 1);
  CHECK(back->records[0] == r);

  WriteOp rm;
  rm.type = WriteOp::kRemove;
  rm.seq = 43;
  rm.keys = {{RecordKind::kDemand, "D/1"}, {RecordKind::kSupply, "S1"}};
  auto rb = WriteOp::Decode(rm.type, rm.EncodePayload(), "t");
  REQUIRE(rb.ok());
  CHECK(rb->keys == rm.keys);

  WriteOp ab;
  ab.type = WriteOp::kAbort;
  ab.seq = 44;
  ab.aborted_seq = 43;
  auto abb = WriteOp::Decode(ab.type, ab.EncodePayload(), "t");
  REQUIRE(abb.ok());
  CHECK(abb->aborted_seq == 43);
}

TEST_CASE("write op: damaged payloads are Corruption, never a crash", "[wal]") {
  WriteOp up;
  up.type = WriteOp::kUpsert;
  up.seq = 1;
  Record r;
  r.id = "S1";
  r.text = "文本";
  up.records = {r, r};
  const std::string payload = up.EncodePayload();
  for (size_t cut = 0; cut < payload.size(); ++cut) {
    auto op = WriteOp::Decode(WriteOp::kUpsert, payload.substr(0, cut), "cut");
    CHECK(!op.ok());
  }
  CHECK(!WriteOp::Decode(9, payload, "type").ok());
  CHECK_THAT(WriteOp::Decode(9, payload, "wal.log offset 12").status().message(),
             Contains("wal.log offset 12"));
}

}  // namespace
}  // namespace techmatch::server

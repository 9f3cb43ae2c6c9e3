// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "server/index_dir.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "server/wal.h"
#include "server/write_op.h"
#include "techmatch/record_io.h"
#include "test_util.h"

namespace techmatch::server {
namespace {

using Catch::Matchers::Contains;
using testing::TempDir;

std::string ExamplesDir() { return std::string(TECHMATCH_TEST_DATA_DIR) + "/../../examples/data"; }

// A snapshot of the first 60 sample supplies, built once; each test works
// on its own copy.
const std::string& SampleSnapshot() {
  static TempDir dir;
  static const std::string path = [] {
    auto supply = ReadRecordsJsonlFile(ExamplesDir() + "/supply.jsonl");
    REQUIRE(supply.ok());
    supply->resize(60);
    EngineOptions o;
    o.embedder.dim = 16;
    o.threads = 2;
    auto e = Engine::Open(o);
    REQUIRE(e.ok());
    REQUIRE((*e)->Add(*supply).ok());
    REQUIRE((*e)->Build().ok());
    const std::string p = dir.file("snap");
    REQUIRE((*e)->Save(p).ok());
    return p;
  }();
  return path;
}

std::string CopySnapshot(const TempDir& tmp) {
  const std::string dst = tmp.file("index");
  std::filesystem::copy(SampleSnapshot(), dst, std::filesystem::copy_options::recursive);
  return dst;
}

Record NewRecord(const std::string& id, const std::string& title) {
  Record r;
  r.id = id;
  r.kind = RecordKind::kSupply;
  r.title = title;
  r.text = title + "，适用于储能电站。";
  r.maturity = 6;
  return r;
}

std::unique_ptr<IndexDir> OpenDir(const std::string& path, bool read_only = false) {
  IndexDirOptions o;
  o.read_only = read_only;
  o.holder = "index_dir_test";
  auto d = IndexDir::Open(path, o);
  REQUIRE(d.ok());
  return std::move(*d);
}

const RecordKey kFirst{RecordKind::kSupply, "S0001"};
const RecordKey kNew{RecordKind::kSupply, "NEW1"};

TEST_CASE("index dir: acknowledged writes survive a crash and are replayed once", "[index_dir]") {
  TempDir tmp;
  const std::string path = CopySnapshot(tmp);
  {
    auto d = OpenDir(path);
    auto c = d->Upsert({NewRecord("NEW1", "全钒液流电池电解液")});
    REQUIRE(c.ok());
    CHECK(c->created == 1);
    REQUIRE(d->Remove({kFirst}).ok());
    CHECK(d->engine().Contains(kNew));
    CHECK(d->stats().writes_since_checkpoint == 2);
  }  // "crash": no checkpoint; the writes are only in the log
  CHECK(ReadLogFile(path + "/wal.log")->records.size() == 2);
  {
    auto reader = OpenDir(path, /*read_only=*/true);  // replays in memory
    CHECK(reader->engine().Contains(kNew));
    CHECK(!reader->engine().Contains(kFirst));
    CHECK(ReadLogFile(path + "/wal.log")->records.size() == 2);  // untouched
  }
  {
    auto d = OpenDir(path);
    CHECK(d->stats().replayed_ops == 2);
    CHECK(d->stats().log_bytes == kLogHeaderBytes);  // folded in at open
    CHECK(d->engine().Contains(kNew));
    CHECK(!d->engine().Contains(kFirst));
  }
  auto plain = Engine::Load(path);  // the snapshot alone has them now
  REQUIRE(plain.ok());
  CHECK((*plain)->Contains(kNew));
  CHECK(!(*plain)->Contains(kFirst));
}

TEST_CASE("index dir: a crash between the save and the truncation replays harmlessly",
          "[index_dir]") {
  TempDir tmp;
  const std::string path = CopySnapshot(tmp);
  {
    auto d = OpenDir(path);
    REQUIRE(d->Upsert({NewRecord("NEW1", "第一版")}).ok());
    REQUIRE(d->Upsert({NewRecord("NEW2", "将被删除")}).ok());
    REQUIRE(d->Remove({{RecordKind::kSupply, "NEW2"}}).ok());
    REQUIRE(d->Upsert({NewRecord("NEW1", "第二版")}).ok());
    REQUIRE(d->engine().Save(path).ok());  // the checkpoint's first step only
  }
  auto d = OpenDir(path);
  CHECK(d->stats().replayed_ops == 4);
  CHECK(d->engine().Get(kNew)->title == "第二版");
  CHECK(!d->engine().Contains({RecordKind::kSupply, "NEW2"}));
}

TEST_CASE("index dir: replay batches upserts and keeps the last write of each key",
          "[index_dir]") {
  TempDir tmp;
  const std::string path = CopySnapshot(tmp);
  {
    auto d = OpenDir(path);
    for (int i = 0; i < 30; ++i) {
      const std::string id = "K" + std::to_string(i % 7);
      REQUIRE(d->Upsert({NewRecord(id, "版本" + std::to_string(i))}).ok());
      if (i == 20) REQUIRE(d->Remove({{RecordKind::kSupply, "K3"}}).ok());
    }
  }
  auto d = OpenDir(path);
  CHECK(d->stats().replayed_ops == 31);
  for (int k = 0; k < 7; ++k) {
    const int last = k + 7 * ((29 - k) / 7);  // the last i < 30 with i % 7 == k
    auto r = d->engine().Get({RecordKind::kSupply, "K" + std::to_string(k)});
    REQUIRE(r.ok());  // K3, removed at i = 20, came back at i = 24
    CHECK(r->title == "版本" + std::to_string(last));
  }
}

TEST_CASE("index dir: a torn log tail is dropped; damage in the middle is an error",
          "[index_dir]") {
  TempDir tmp;
  const std::string path = CopySnapshot(tmp);
  {
    auto d = OpenDir(path);
    REQUIRE(d->Upsert({NewRecord("NEW1", "甲")}).ok());
    REQUIRE(d->Upsert({NewRecord("NEW2", "乙")}).ok());
  }
  const std::string log = testing::ReadFile(path + "/wal.log");
  SECTION("torn tail") {
    // Half of a third record, as a crash in the middle of its write leaves.
    WriteOp op;
    op.type = WriteOp::kUpsert;
    op.seq = 99;
    op.records = {NewRecord("NEW3", "丙")};
    TempDir other;
    auto w = LogWriter::Open(other.file("x.log"));
    REQUIRE(w.ok());
    REQUIRE((*w)->Append(op.type, op.EncodePayload()).ok());
    const std::string rec = testing::ReadFile(other.file("x.log")).substr(kLogHeaderBytes);
    std::ofstream(path + "/wal.log", std::ios::binary | std::ios::app)
        << rec.substr(0, rec.size() / 2);
    auto d = OpenDir(path);
    CHECK(d->stats().replayed_ops == 2);
    CHECK(d->stats().torn_bytes_dropped == rec.size() / 2);
    CHECK(d->engine().Contains({RecordKind::kSupply, "NEW2"}));
    CHECK(!d->engine().Contains({RecordKind::kSupply, "NEW3"}));
  }
  SECTION("damage before a good record") {
    std::string bad = log;
    bad[kLogHeaderBytes + 20] ^= 0x40;  // inside the first record's payload
    std::ofstream(path + "/wal.log", std::ios::binary | std::ios::trunc) << bad;
    IndexDirOptions o;
    auto d = IndexDir::Open(path, o);
    REQUIRE(!d.ok());
    CHECK(d.status().code() == StatusCode::kCorruption);
    CHECK_THAT(d.status().message(), Contains("offset " + std::to_string(kLogHeaderBytes)));
    CHECK_THAT(d.status().message(), Contains("wal.log"));
  }
}

TEST_CASE("index dir: an aborted write is skipped on replay", "[index_dir]") {
  TempDir tmp;
  const std::string path = CopySnapshot(tmp);
  auto w = LogWriter::Open(path + "/wal.log");
  REQUIRE(w.ok());
  WriteOp op;
  op.type = WriteOp::kUpsert;
  op.seq = 1;
  op.records = {NewRecord("NEW1", "未确认")};
  REQUIRE((*w)->Append(op.type, op.EncodePayload()).ok());
  WriteOp abort;
  abort.type = WriteOp::kAbort;
  abort.seq = 2;
  abort.aborted_seq = 1;
  REQUIRE((*w)->Append(abort.type, abort.EncodePayload()).ok());
  w->reset();
  auto d = OpenDir(path);
  CHECK(!d->engine().Contains(kNew));
}

TEST_CASE("index dir: one writer per directory; readers need no lock", "[index_dir]") {
  TempDir tmp;
  const std::string path = CopySnapshot(tmp);
  auto first = OpenDir(path);
  IndexDirOptions o;
  o.holder = "second";
  auto second = IndexDir::Open(path, o);
  REQUIRE(!second.ok());
  CHECK(second.status().code() == StatusCode::kFailedPrecondition);
  CHECK_THAT(second.status().message(), Contains("in use"));
  CHECK_THAT(second.status().message(), Contains("index_dir_test"));
  auto reader = OpenDir(path, /*read_only=*/true);
  CHECK(reader->engine().size() == 60);
  CHECK(reader->Upsert({NewRecord("NEW1", "x")}).status().code() ==
        StatusCode::kFailedPrecondition);
  first.reset();
  CHECK(IndexDir::Open(path, o).ok());
}

TEST_CASE("index dir: bad writes change nothing and name the record", "[index_dir]") {
  TempDir tmp;
  const std::string path = CopySnapshot(tmp);
  auto d = OpenDir(path);
  const uint64_t log_bytes = d->stats().log_bytes;
  Record bad = NewRecord("BAD", "坏");
  bad.maturity = 12;
  auto r = d->Upsert({NewRecord("OK1", "好"), bad});
  REQUIRE(!r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(r.status().message(), Contains("records[1]"));
  CHECK_THAT(r.status().message(), Contains("BAD"));
  auto dup = d->Upsert({NewRecord("OK1", "好"), NewRecord("OK1", "好")});
  REQUIRE(!dup.ok());
  CHECK_THAT(dup.status().message(), Contains("repeated"));
  Status missing = d->Remove({kFirst, {RecordKind::kSupply, "NOPE"}});
  CHECK(missing.code() == StatusCode::kNotFound);
  CHECK_THAT(missing.message(), Contains("NOPE"));
  CHECK(d->engine().Contains(kFirst));
  CHECK(!d->engine().Contains({RecordKind::kSupply, "OK1"}));
  CHECK(d->stats().log_bytes == log_bytes);
  CHECK(d->stats().writes == 0);
}

TEST_CASE("index dir: checkpoints fold the log into a snapshot", "[index_dir]") {
  TempDir tmp;
  const std::string path = CopySnapshot(tmp);
  IndexDirOptions o;
  o.checkpoint_writes = 2;
  o.checkpoint_seconds = 0;
  auto d = IndexDir::Open(path, o);
  REQUIRE(d.ok());
  CHECK(!(*d)->CheckpointDue());
  REQUIRE((*d)->Upsert({NewRecord("NEW1", "甲")}).ok());
  CHECK(!(*d)->CheckpointDue());
  REQUIRE((*d)->Upsert({NewRecord("NEW2", "乙")}).ok());
  CHECK((*d)->CheckpointDue());
  CHECK((*d)->stats().log_bytes > kLogHeaderBytes);
  REQUIRE((*d)->Checkpoint().ok());
  CHECK(!(*d)->CheckpointDue());
  CHECK((*d)->stats().log_bytes == kLogHeaderBytes);
  CHECK((*d)->stats().checkpoints == 1);
  d->reset();
  auto plain = Engine::Load(path);
  REQUIRE(plain.ok());
  CHECK((*plain)->Contains({RecordKind::kSupply, "NEW2"}));

  IndexDirOptions bad;
  bad.checkpoint_seconds = -1;
  CHECK(IndexDir::Open(path, bad).status().code() == StatusCode::kInvalidArgument);
  CHECK(IndexDir::Open(tmp.file("nowhere"), IndexDirOptions{}).status().code() ==
        StatusCode::kNotFound);
}

}  // namespace
}  // namespace techmatch::server

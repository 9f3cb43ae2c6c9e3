// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "server/index_dir.h"

#include <sys/stat.h>

#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <utility>

#include "server/dir_lock.h"
#include "server/wal.h"
#include "server/write_op.h"
#include "util/catch_all.h"

namespace techmatch::server {

namespace {

using Clock = std::chrono::steady_clock;

std::string KeyName(const RecordKey& k) {
  return std::string(RecordKindName(k.kind)) + " \"" + k.id + "\"";
}

// The snapshot pointer's bytes ("" when unreadable): a reader compares
// them before and after reading the log to detect a checkpoint in between.
std::string CurrentBytes(const std::string& dir) {
  std::ifstream in(dir + "/CURRENT", std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

}  // namespace

Status IndexDirOptions::Validate() const {
  if (!(checkpoint_seconds >= 0) || checkpoint_seconds > 1e9) {
    return Status::InvalidArgument("checkpoint_seconds must be in 0..1e9");
  }
  return Status::OK();
}

Result<std::unique_ptr<IndexDir>> IndexDir::OpenReadOnly(const std::string& dir) {
  IndexDirOptions options;
  options.read_only = true;
  return Open(dir, options);
}

Result<std::unique_ptr<IndexDir>> IndexDir::Open(const std::string& dir,
                                                 const IndexDirOptions& options) {
  TECHMATCH_RETURN_IF_ERROR(options.Validate());
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status::NotFound("index directory '" + dir +
                            "' does not exist (write one with `techmatch index`)");
  }
  std::unique_ptr<IndexDir> d(new IndexDir());
  d->dir_ = dir;
  d->options_ = options;
  const std::string log_path = dir + "/" + kLogName;
  if (!options.read_only) {
    auto lock = DirLock::Acquire(dir, options.holder);
    if (!lock.ok()) return lock.status();
    d->lock_ = std::move(*lock);
  }
  // A reader races with a writer's checkpoint (Save, then truncate): if
  // CURRENT changed while it loaded and read the log, it may have loaded
  // the old snapshot and read the truncated log; it starts again.
  for (int attempt = 0;; ++attempt) {
    const std::string current = CurrentBytes(dir);
    auto engine = Engine::Load(dir);
    if (!engine.ok()) return engine.status();
    d->engine_ = std::move(*engine);
    d->replayed_ops_ = 0;
    TECHMATCH_RETURN_IF_ERROR(d->Replay(log_path));
    if (!options.read_only || CurrentBytes(dir) == current || attempt == 3) break;
  }
  if (options.read_only) return d;

  auto log = LogWriter::Open(log_path);
  if (!log.ok()) return log.status();
  d->log_ = std::move(*log);
  d->log_bytes_ = d->log_->size();
  if (d->replayed_ops_ > 0) {
    // A crash left writes in the log: fold them in now, so the log starts
    // empty and a torn tail is gone before anything is appended.
    std::lock_guard<std::mutex> lock(d->writer_mu_);
    TECHMATCH_RETURN_IF_ERROR(d->CheckpointLocked());
  } else if (d->torn_bytes_ > 0 || d->log_->size() > kLogHeaderBytes) {
    TECHMATCH_RETURN_IF_ERROR(d->log_->Truncate());
    d->log_bytes_ = d->log_->size();
  }
  return d;
}

IndexDir::~IndexDir() = default;

Status IndexDir::Replay(const std::string& log_path) {
  auto contents = ReadLogFile(log_path);
  if (!contents.ok()) return contents.status();
  torn_bytes_ = contents->torn_bytes;
  std::vector<WriteOp> ops;
  std::set<uint64_t> aborted;
  for (const LogRecord& rec : contents->records) {
    const std::string where = log_path + " offset " + std::to_string(rec.offset);
    auto op = WriteOp::Decode(rec.type, rec.payload, where);
    if (!op.ok()) return op.status();
    if (!ops.empty() && op->seq <= ops.back().seq) {
      return Status::Corruption(where + ": sequence number " + std::to_string(op->seq) +
                                " after " + std::to_string(ops.back().seq));
    }
    if (op->type == WriteOp::kAbort) aborted.insert(op->aborted_seq);
    ops.push_back(std::move(*op));
  }
  // Consecutive upserts are applied as one batch (analyzed in parallel,
  // applied once: a restart after 1000 logged single-record writes is not
  // 1000 engine writes), cut where a key repeats, since a batch may hold a
  // key only once; a remove flushes the batch first.
  std::vector<Record> batch;
  std::set<std::pair<RecordKind, std::string>> in_batch;
  uint64_t batch_ops = 0, batch_seq = 0;
  auto flush = [&]() -> Status {
    if (batch.empty()) return Status::OK();
    Status s = engine_->Upsert(batch);
    if (!s.ok()) {
      return s.WithContext("replaying " + log_path + " (writes up to " +
                           std::to_string(batch_seq) + ")");
    }
    replayed_ops_ += batch_ops;
    batch.clear();
    in_batch.clear();
    batch_ops = 0;
    return Status::OK();
  };
  for (const WriteOp& op : ops) {
    next_seq_ = op.seq + 1;
    if (op.type == WriteOp::kAbort || aborted.count(op.seq)) continue;
    if (op.type == WriteOp::kUpsert) {
      for (const Record& r : op.records) {
        if (in_batch.count({r.kind, r.id})) {
          TECHMATCH_RETURN_IF_ERROR(flush());
          break;
        }
      }
      for (const Record& r : op.records) {
        in_batch.emplace(r.kind, r.id);
        batch.push_back(r);
      }
      ++batch_ops;
      batch_seq = op.seq;
      continue;
    }
    TECHMATCH_RETURN_IF_ERROR(flush());
    // The snapshot may already hold this op's effect (a crash between
    // Save and the truncation): removing an absent record is a no-op.
    std::vector<RecordKey> present;
    for (const RecordKey& k : op.keys) {
      if (engine_->Contains(k)) present.push_back(k);
    }
    if (!present.empty()) {
      Status s = engine_->Remove(present);
      if (!s.ok()) {
        return s.WithContext("replaying " + log_path + " (write " + std::to_string(op.seq) +
                             ")");
      }
    }
    ++replayed_ops_;
  }
  return flush();
}

Status IndexDir::LogAndApply(const WriteOp& op) {
  const Status logged = log_->Append(op.type, op.EncodePayload());
  log_bytes_ = log_->size();
  if (!logged.ok()) return logged;
  Status applied = op.type == WriteOp::kUpsert ? engine_->Upsert(op.records)
                                               : engine_->Remove(op.keys);
  if (!applied.ok()) {
    // Validated beforehand, so this is a resource failure. The op is in
    // the log but was not acknowledged: mark it so replay skips it.
    WriteOp abort;
    abort.type = WriteOp::kAbort;
    abort.seq = next_seq_++;
    abort.aborted_seq = op.seq;
    Status s = log_->Append(abort.type, abort.EncodePayload());
    log_bytes_ = log_->size();
    if (!s.ok()) applied = applied.WithContext(s.ToString());
    return applied;
  }
  // The time first, then the count: CheckpointDue reads them the other way.
  if (unsaved_.load() == 0) {
    first_unsaved_ticks_ = int64_t(Clock::now().time_since_epoch().count());
  }
  ++unsaved_;
  ++writes_;
  return Status::OK();
}

Result<UpsertCounts> IndexDir::Upsert(const std::vector<Record>& records) {
  if (log_ == nullptr) return Status::FailedPrecondition("index directory opened read-only");
  if (records.empty()) return Status::InvalidArgument("records: none given");
  return internal::CatchAll("upsert", [&]() -> Result<UpsertCounts> {
    std::lock_guard<std::mutex> lock(writer_mu_);
    UpsertCounts counts;
    std::set<std::pair<RecordKind, std::string>> seen;
    for (size_t i = 0; i < records.size(); ++i) {
      const Record& r = records[i];
      const std::string who = "records[" + std::to_string(i) + "] (" +
                              KeyName(RecordKey{r.kind, r.id}) + ")";
      TECHMATCH_RETURN_IF_ERROR(r.Validate().WithContext(who));
      if (!seen.emplace(r.kind, r.id).second) {
        return Status::InvalidArgument(who + ": repeated in the batch");
      }
      (engine_->Contains(RecordKey{r.kind, r.id}) ? counts.replaced : counts.created)++;
    }
    WriteOp op;
    op.type = WriteOp::kUpsert;
    op.seq = next_seq_++;
    op.records = records;
    TECHMATCH_RETURN_IF_ERROR(LogAndApply(op));
    return counts;
  });
}

Status IndexDir::Remove(const std::vector<RecordKey>& keys) {
  if (log_ == nullptr) return Status::FailedPrecondition("index directory opened read-only");
  if (keys.empty()) return Status::InvalidArgument("keys: none given");
  return internal::CatchAll("remove", [&]() -> Status {
    std::lock_guard<std::mutex> lock(writer_mu_);
    std::set<std::pair<RecordKind, std::string>> seen;
    for (const RecordKey& k : keys) {
      if (!seen.emplace(k.kind, k.id).second) {
        return Status::InvalidArgument(KeyName(k) + ": given twice");
      }
      if (!engine_->Contains(k)) return Status::NotFound(KeyName(k) + " not found");
    }
    WriteOp op;
    op.type = WriteOp::kRemove;
    op.seq = next_seq_++;
    op.keys = keys;
    return LogAndApply(op);
  });
}

Status IndexDir::Checkpoint() {
  if (log_ == nullptr) return Status::FailedPrecondition("index directory opened read-only");
  std::lock_guard<std::mutex> lock(writer_mu_);
  return CheckpointLocked();
}

Status IndexDir::CheckpointLocked() {
  const Clock::time_point t0 = Clock::now();
  // Save first, truncate after: a crash in between replays the log over
  // the new snapshot, which changes nothing (replay is idempotent).
  TECHMATCH_RETURN_IF_ERROR(engine_->Save(dir_));
  TECHMATCH_RETURN_IF_ERROR(log_->Truncate());
  log_bytes_ = log_->size();
  unsaved_ = 0;
  ++checkpoints_;
  last_checkpoint_seconds_ = SecondsSince(t0);
  return Status::OK();
}

bool IndexDir::CheckpointDue() const {
  const uint64_t n = unsaved_.load();
  if (n == 0) return false;
  if (options_.checkpoint_writes > 0 && n >= options_.checkpoint_writes) return true;
  if (options_.checkpoint_seconds <= 0) return false;
  const Clock::time_point first{Clock::duration(first_unsaved_ticks_.load())};
  return SecondsSince(first) >= options_.checkpoint_seconds;
}

IndexDirStats IndexDir::stats() const {
  IndexDirStats s;
  s.log_bytes = log_bytes_;
  s.writes_since_checkpoint = unsaved_;
  s.writes = writes_;
  s.checkpoints = checkpoints_;
  s.last_checkpoint_seconds = last_checkpoint_seconds_;
  s.replayed_ops = replayed_ops_;
  s.torn_bytes_dropped = torn_bytes_;
  return s;
}

}  // namespace techmatch::server

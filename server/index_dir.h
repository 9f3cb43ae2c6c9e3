// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// IndexDir: an engine snapshot directory with durable writes (a lock, a
// write-ahead log replayed on open, checkpoints into new generations).

#ifndef TECHMATCH_SERVER_INDEX_DIR_H_
#define TECHMATCH_SERVER_INDEX_DIR_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "techmatch/engine.h"
#include "techmatch/record.h"
#include "techmatch/status.h"

namespace techmatch::server {

class DirLock;
class LogWriter;
struct WriteOp;

/// How an index directory is opened.
struct IndexDirOptions {
  /// Read only: no lock, nothing written; the log is replayed in memory
  /// only (so a reader sees every acknowledged write). Default false.
  bool read_only = false;
  /// Who holds the lock, for another process's error message.
  /// Default "techmatch".
  std::string holder = "techmatch";
  /// CheckpointDue() after this many writes since the last checkpoint.
  /// Default 1000; 0 = never by count.
  size_t checkpoint_writes = 1000;
  /// ... or this long after the first write since the last checkpoint.
  /// Default 300 s; 0 = never by time.
  double checkpoint_seconds = 300;

  Status Validate() const;
};

/// Counters for /v1/stats.
struct IndexDirStats {
  uint64_t log_bytes = 0;              ///< the log file, header included
  uint64_t writes_since_checkpoint = 0;
  uint64_t writes = 0;                 ///< acknowledged since open
  uint64_t checkpoints = 0;            ///< since open (replay's included)
  double last_checkpoint_seconds = 0;  ///< how long the last one took
  uint64_t replayed_ops = 0;           ///< log entries applied at open
  uint64_t torn_bytes_dropped = 0;     ///< a torn log tail dropped at open
};

/// What an Upsert changed.
struct UpsertCounts {
  size_t created = 0;
  size_t replaced = 0;
};

/// An engine loaded from a snapshot directory, plus its write-ahead log
/// (DIR/wal.log, docs/format.md).
///
/// A write is validated completely, appended to the log and fsynced, then
/// applied to the engine, and only then does Upsert/Remove return OK: an
/// acknowledged write is on disk. Checkpoint() saves a new snapshot
/// generation (Engine::Save: atomic) and then truncates the log. Replaying
/// a write twice changes nothing (an upsert replaces, a remove of an absent
/// record is skipped), so a crash between any two steps — before the log
/// append completes, after it, during or after the Save, before the
/// truncation — leaves a directory whose snapshot plus log holds every
/// acknowledged write. Open() replays the log and, for a writer,
/// checkpoints at once when the log was not empty (a crash happened).
///
/// Thread-safety: engine() reads run concurrently with everything; the
/// writes (Upsert, Remove, Checkpoint) are serialized internally.
/// stats() and CheckpointDue() never wait for a write.
class IndexDir {
 public:
  /// Locks (unless read_only), loads the snapshot and replays the log.
  /// FailedPrecondition when another process holds the lock; Corruption
  /// naming the log and the byte offset when the log is damaged anywhere
  /// but its tail.
  static Result<std::unique_ptr<IndexDir>> Open(const std::string& dir,
                                                const IndexDirOptions& options);
  /// Open with read_only: what a reader beside a running (or crashed)
  /// server uses (`techmatch match`, `assign`, `info`), so that it sees
  /// every acknowledged write.
  static Result<std::unique_ptr<IndexDir>> OpenReadOnly(const std::string& dir);
  ~IndexDir();  ///< releases the lock; does not checkpoint
  IndexDir(const IndexDir&) = delete;
  IndexDir& operator=(const IndexDir&) = delete;

  const Engine& engine() const { return *engine_; }
  const std::string& dir() const { return dir_; }

  /// Adds or replaces records durably. InvalidArgument naming the record
  /// ("records[3] (supply \"S7\"): ...") when one is invalid or repeated;
  /// nothing is written then.
  Result<UpsertCounts> Upsert(const std::vector<Record>& records);
  /// Removes records durably; NotFound naming the first absent key (and
  /// nothing removed), InvalidArgument for a key given twice.
  Status Remove(const std::vector<RecordKey>& keys);
  /// Saves a new snapshot generation and truncates the log.
  Status Checkpoint();
  /// Engine::SetSynonyms on the engine served (query-time only: nothing
  /// is written; a read-only directory takes them too).
  Status SetSynonyms(const SynonymList& synonyms) { return engine_->SetSynonyms(synonyms); }
  /// True when options' checkpoint_writes or checkpoint_seconds is reached.
  bool CheckpointDue() const;
  IndexDirStats stats() const;

  /// The log's file name inside the directory.
  static constexpr const char* kLogName = "wal.log";

 private:
  IndexDir() = default;
  Status Replay(const std::string& log_path);
  Status LogAndApply(const WriteOp& op);
  Status CheckpointLocked();

  std::string dir_;
  IndexDirOptions options_;
  std::unique_ptr<DirLock> lock_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<LogWriter> log_;  // null when read_only

  std::mutex writer_mu_;  // serializes writes and checkpoints
  uint64_t next_seq_ = 1;
  std::atomic<uint64_t> log_bytes_{0};
  std::atomic<uint64_t> unsaved_{0};
  std::atomic<uint64_t> writes_{0};
  std::atomic<uint64_t> checkpoints_{0};
  std::atomic<double> last_checkpoint_seconds_{0};
  // steady_clock ticks of the first write since the last checkpoint.
  std::atomic<int64_t> first_unsaved_ticks_{0};
  uint64_t replayed_ops_ = 0;
  uint64_t torn_bytes_ = 0;
};

}  // namespace techmatch::server

#endif  // TECHMATCH_SERVER_INDEX_DIR_H_

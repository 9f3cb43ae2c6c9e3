// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The write-ahead log: framed, checksummed records appended to one file
// and fsynced (leveldb's log, without its 32 KiB blocks). Format:
// docs/format.md, "Write-ahead log".

#ifndef TECHMATCH_SERVER_WAL_H_
#define TECHMATCH_SERVER_WAL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "techmatch/status.h"

namespace techmatch::server {

/// File header: 8 magic bytes, then the format version (fixed32).
inline constexpr char kLogMagic[8] = {'\x89', 'T', 'M', 'W', 'A', 'L', '\r', '\n'};
inline constexpr uint32_t kLogFormatVersion = 1;
inline constexpr size_t kLogHeaderBytes = 12;
/// Per record: length (fixed32), type (1 byte), masked crc32c of those 5
/// bytes (fixed32); the payload; masked crc32c of the payload (fixed32).
inline constexpr size_t kRecordOverheadBytes = 13;
/// Larger payloads are refused when writing and are corruption when read.
inline constexpr uint32_t kMaxPayloadBytes = 1u << 30;

/// Appends records to a log file. Every Append is durable (fdatasync)
/// before it returns OK. A failed Append cuts the file back to where it
/// was, so the log never holds a half record followed by good ones; if
/// even that fails the writer refuses every later Append.
///
/// Thread-safety: none; callers serialize (IndexDir holds its writer lock).
class LogWriter {
 public:
  /// Opens `path` for appending, creating it with a header (file and
  /// directory fsynced) when missing or empty. An existing file must start
  /// with the header (Corruption otherwise) and is appended to as it is:
  /// call this only after ReadLogFile found no torn tail, or truncate first.
  static Result<std::unique_ptr<LogWriter>> Open(const std::string& path);
  ~LogWriter();
  LogWriter(const LogWriter&) = delete;
  LogWriter& operator=(const LogWriter&) = delete;

  /// Appends one record of `type` (1-255) and syncs it to disk.
  Status Append(uint8_t type, std::string_view payload);
  /// Drops every record (the file keeps its header) and syncs.
  Status Truncate();
  /// Bytes in the file, header included.
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  LogWriter(std::string path, int fd, uint64_t size)
      : path_(std::move(path)), fd_(fd), size_(size) {}
  std::string path_;
  int fd_;
  uint64_t size_;
  bool broken_ = false;
};

/// One record read back.
struct LogRecord {
  uint64_t offset = 0;  ///< of its first byte in the file
  uint8_t type = 0;
  std::string payload;
};

/// What ReadLogFile found.
struct LogContents {
  std::vector<LogRecord> records;  ///< in file order
  /// Bytes of the file that hold the header and whole records.
  uint64_t valid_bytes = 0;
  /// Bytes after them that were dropped as a torn tail (a record whose
  /// write a crash cut short: too short for its length, or the last record
  /// with a bad checksum, or zeros). 0 when the file ends cleanly.
  uint64_t torn_bytes = 0;
  bool exists = false;  ///< false: no file (an empty log)
};

/// Reads a whole log. A torn tail is dropped (and reported in torn_bytes);
/// damage anywhere else — a bad checksum with more records after it, a
/// bad header — is Corruption naming the file and the byte offset. A
/// missing file is an empty log; a file shorter than its header is a torn
/// creation (all torn).
Result<LogContents> ReadLogFile(const std::string& path);

/// Parses log bytes (the file's contents); `name` is used in messages.
Result<LogContents> ParseLog(std::string_view data, const std::string& name);

/// fsyncs a directory (so a created, renamed or removed entry is durable).
Status SyncDirectory(const std::string& dir);

}  // namespace techmatch::server

#endif  // TECHMATCH_SERVER_WAL_H_

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "server/wal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "io/coding.h"
#include "io/crc32c.h"

namespace techmatch::server {

namespace {

namespace crc32c = internal::crc32c;
constexpr size_t kRecordHeaderBytes = 9;  // length, type, header crc

std::string Errno(const std::string& what, const std::string& path) {
  return what + " '" + path + "': " + std::strerror(errno);
}

std::string Header() {
  std::string h(kLogMagic, sizeof kLogMagic);
  internal::PutFixed32(&h, kLogFormatVersion);
  return h;
}

Status WriteAll(int fd, const char* data, size_t n, uint64_t offset) {
  while (n > 0) {
    const ssize_t w = ::pwrite(fd, data, n, off_t(offset));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return Status::IOError(std::strerror(w < 0 ? errno : EIO));
    data += w;
    n -= size_t(w);
    offset += uint64_t(w);
  }
  return Status::OK();
}

// The size of the valid record at `p`, or 0 when none starts there
// (short, bad checksum, or oversized).
size_t ValidRecordAt(std::string_view data, size_t p) {
  if (data.size() - p < kRecordHeaderBytes + 4) return 0;
  const char* h = data.data() + p;
  const uint32_t hcrc = internal::DecodeFixed32(h + 5);
  if (crc32c::Unmask(hcrc) != crc32c::Value(h, 5)) return 0;
  const uint32_t length = internal::DecodeFixed32(h);
  if (length > kMaxPayloadBytes) return 0;
  const size_t total = kRecordHeaderBytes + size_t(length) + 4;
  if (data.size() - p < total) return 0;
  const char* payload = h + kRecordHeaderBytes;
  const uint32_t pcrc = internal::DecodeFixed32(payload + length);
  if (crc32c::Unmask(pcrc) != crc32c::Value(payload, length)) return 0;
  return total;
}

}  // namespace

Status SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IOError(Errno("cannot open directory", dir));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0 && err != EINVAL) {
    return Status::IOError("cannot fsync directory '" + dir +
                           "': " + std::strerror(err));
  }
  return Status::OK();
}

// ---------------------------------------------------------------- writer

Result<std::unique_ptr<LogWriter>> LogWriter::Open(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IOError(Errno("cannot open log", path));
  std::unique_ptr<LogWriter> w(new LogWriter(path, fd, 0));
  struct stat st;
  if (::fstat(fd, &st) != 0) return Status::IOError(Errno("cannot stat", path));
  if (uint64_t(st.st_size) < kLogHeaderBytes) {
    // New, or a creation a crash cut short: (re)write the header.
    const std::string h = Header();
    if (::ftruncate(fd, 0) != 0) return Status::IOError(Errno("cannot truncate", path));
    Status s = WriteAll(fd, h.data(), h.size(), 0);
    if (!s.ok()) return s.WithContext("cannot write '" + path + "'");
    if (::fsync(fd) != 0) return Status::IOError(Errno("cannot fsync", path));
    const size_t slash = path.rfind('/');
    TECHMATCH_RETURN_IF_ERROR(
        SyncDirectory(slash == std::string::npos ? "." : path.substr(0, slash)));
    w->size_ = h.size();
    return w;
  }
  char h[kLogHeaderBytes];
  if (::pread(fd, h, sizeof h, 0) != ssize_t(sizeof h)) {
    return Status::IOError(Errno("cannot read", path));
  }
  if (std::memcmp(h, kLogMagic, sizeof kLogMagic) != 0) {
    return Status::Corruption("'" + path + "' is not a techmatch write-ahead log");
  }
  if (internal::DecodeFixed32(h + sizeof kLogMagic) != kLogFormatVersion) {
    return Status::NotSupported("'" + path + "': write-ahead log format version " +
                                std::to_string(internal::DecodeFixed32(h + 8)) +
                                " (this build reads " +
                                std::to_string(kLogFormatVersion) + ")");
  }
  w->size_ = uint64_t(st.st_size);
  return w;
}

LogWriter::~LogWriter() { ::close(fd_); }

Status LogWriter::Append(uint8_t type, std::string_view payload) {
  if (broken_) {
    return Status::IOError("log '" + path_ +
                           "' failed earlier and takes no more writes");
  }
  if (type == 0) return Status::InvalidArgument("log record type 0 is reserved");
  if (payload.size() > kMaxPayloadBytes) {
    return Status::InvalidArgument("log record of " + std::to_string(payload.size()) +
                                   " bytes exceeds the limit");
  }
  std::string rec;
  rec.reserve(kRecordOverheadBytes + payload.size());
  internal::PutFixed32(&rec, uint32_t(payload.size()));
  rec.push_back(char(type));
  internal::PutFixed32(&rec, crc32c::Mask(crc32c::Value(rec.data(), 5)));
  rec.append(payload);
  internal::PutFixed32(&rec, crc32c::Mask(crc32c::Value(payload.data(), payload.size())));
  Status s = WriteAll(fd_, rec.data(), rec.size(), size_);
  if (s.ok() && ::fdatasync(fd_) != 0) s = Status::IOError(std::strerror(errno));
  if (!s.ok()) {
    // After a failed write or sync the page cache no longer says what is
    // on disk: cut back to the last good size and take no more writes
    // (the caller reports the failure; a restart replays what is there).
    broken_ = true;
    [[maybe_unused]] int rc = ::ftruncate(fd_, off_t(size_));
    return s.WithContext("cannot append to log '" + path_ + "'");
  }
  size_ += rec.size();
  return Status::OK();
}

Status LogWriter::Truncate() {
  if (::ftruncate(fd_, off_t(kLogHeaderBytes)) != 0 || ::fdatasync(fd_) != 0) {
    broken_ = true;
    return Status::IOError(Errno("cannot truncate log", path_));
  }
  size_ = kLogHeaderBytes;
  return Status::OK();
}

// ---------------------------------------------------------------- reader

Result<LogContents> ParseLog(std::string_view data, const std::string& name) {
  LogContents out;
  out.exists = true;
  if (data.size() < kLogHeaderBytes) {
    out.torn_bytes = data.size();
    return out;
  }
  if (std::memcmp(data.data(), kLogMagic, sizeof kLogMagic) != 0) {
    return Status::Corruption("'" + name + "' is not a techmatch write-ahead log");
  }
  const uint32_t version = internal::DecodeFixed32(data.data() + sizeof kLogMagic);
  if (version != kLogFormatVersion) {
    return Status::NotSupported("'" + name + "': write-ahead log format version " +
                                std::to_string(version) + " (this build reads " +
                                std::to_string(kLogFormatVersion) + ")");
  }
  size_t p = kLogHeaderBytes;
  while (p < data.size()) {
    const size_t n = ValidRecordAt(data, p);
    if (n == 0) {
      // A torn tail is the last thing in the file; a good record after a
      // bad one means the damage is in the middle.
      for (size_t q = p + 1; q + kRecordHeaderBytes + 4 <= data.size(); ++q) {
        if (ValidRecordAt(data, q) != 0) {
          return Status::Corruption(
              "write-ahead log '" + name + "': damaged record at offset " +
              std::to_string(p) + " (valid records follow at offset " +
              std::to_string(q) + "); the snapshot and the " +
              std::to_string(out.records.size()) +
              " records before it are intact");
        }
      }
      out.torn_bytes = data.size() - p;
      break;
    }
    const uint32_t length = internal::DecodeFixed32(data.data() + p);
    LogRecord r;
    r.offset = p;
    r.type = uint8_t(data[p + 4]);
    r.payload.assign(data.data() + p + kRecordHeaderBytes, length);
    out.records.push_back(std::move(r));
    p += n;
  }
  out.valid_bytes = data.size() - out.torn_bytes;
  return out;
}

Result<LogContents> ReadLogFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return LogContents{};
    return Status::IOError(Errno("cannot open log", path));
  }
  std::string data;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const Status s = Status::IOError(Errno("cannot read log", path));
      ::close(fd);
      return s;
    }
    if (n == 0) break;
    data.append(buf, size_t(n));
  }
  ::close(fd);
  return ParseLog(data, path);
}

}  // namespace techmatch::server

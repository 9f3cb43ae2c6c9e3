// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Writing, validating and reading snapshot files (layout: docs/format.md).

#include "io/snapshot_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <limits>
#include <new>
#include <utility>

#include "io/coding.h"
#include "io/crc32c.h"

namespace techmatch::internal {
namespace {

std::string Quoted(uint32_t tag) { return "'" + FourccToString(tag) + "'"; }

std::string Ordinal(size_t index) {  // 0-based index -> "section 3"
  return "section " + std::to_string(index + 1);
}

Status Corrupt(const std::string& what) {
  return Status::Corruption("snapshot: " + what);
}

Status OutOfMemory(const char* doing) {
  return Status::Internal(std::string("snapshot: out of memory ") + doing);
}

std::string ErrnoText(int err) { return std::strerror(err); }

// The directory holding path, for the fsync that makes a rename durable.
std::string DirName(const std::string& path) {
  const size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

// Closes a file descriptor on every path out of a scope.
struct FileCloser {
  int fd;
  ~FileCloser() {
    if (fd >= 0) ::close(fd);
  }
};

// write(2) until all of data is written, retrying on EINTR and short writes.
bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    // Linux transfers at most ~2 GiB per call anyway.
    const size_t chunk = std::min<size_t>(data.size(), size_t{1} << 30);
    const ssize_t n = ::write(fd, data.data(), chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// The file header; *file_crc starts the whole-file checksum.
void EncodeHeader(uint16_t minor, char (&header)[kSnapshotHeaderSize],
                  uint32_t* file_crc) {
  std::memcpy(header, kSnapshotMagic.data(), kSnapshotMagic.size());
  EncodeFixed16(header + 8, kFormatMajor);
  EncodeFixed16(header + 10, minor);
  EncodeFixed32(header + 12, 0);  // flags: none defined in format 1.x
  EncodeFixed32(header + 16, crc32c::Mask(crc32c::Value(header, 16)));
  *file_crc = crc32c::Value(header, sizeof(header));
}

// A section's header: tag and payload length.
void EncodeSectionHead(uint32_t tag, uint64_t length, char (&head)[kSectionHeaderSize]) {
  EncodeFixed32(head, tag);
  EncodeFixed64(head + 4, length);
}

// Feeds one section (header, payload, trailer) to `sink(std::string_view)
// -> bool`, extending *file_crc; false as soon as the sink fails.
template <typename Sink>
bool EmitSection(uint32_t tag, std::string_view payload, uint32_t* file_crc,
                 Sink&& sink) {
  char head[kSectionHeaderSize];
  EncodeSectionHead(tag, payload.size(), head);
  const uint32_t crc = crc32c::Extend(crc32c::Value(head, sizeof(head)),
                                      payload.data(), payload.size());
  char trailer[kSectionTrailerSize];
  EncodeFixed32(trailer, crc32c::Mask(crc));
  *file_crc = crc32c::Extend(*file_crc, head, sizeof(head));
  *file_crc = crc32c::Extend(*file_crc, payload.data(), payload.size());
  *file_crc = crc32c::Extend(*file_crc, trailer, sizeof(trailer));
  return sink(std::string_view(head, sizeof(head))) && sink(payload) &&
         sink(std::string_view(trailer, sizeof(trailer)));
}

void EncodeFooter(uint32_t count, uint32_t file_crc,
                  char (&footer)[kSnapshotFooterSize]) {
  EncodeFixed32(footer, kFooterTag);
  EncodeFixed32(footer + 4, count);
  EncodeFixed32(footer + 8, crc32c::Mask(file_crc));
  std::memcpy(footer + 12, kSnapshotEndMagic.data(), kSnapshotEndMagic.size());
}

// InvalidArgument for the reserved footer tag or a tag already written.
Status CheckTag(uint32_t tag, bool duplicate) {
  if (tag == kFooterTag) {
    return Status::InvalidArgument("snapshot: section tag " + Quoted(tag) +
                                   " is reserved for the footer");
  }
  if (duplicate) {
    return Status::InvalidArgument("snapshot: duplicate section " + Quoted(tag));
  }
  return Status::OK();
}

// The IOError of a failed write step, naming the path and the reason.
Status WriteError(const std::string& path, const char* step, int err) {
  return Status::IOError("cannot write snapshot '" + path + "' (" + step +
                         "): " + ErrnoText(err));
}

}  // namespace

std::string FourccToString(uint32_t tag) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < 4; ++i) {
    const auto c = static_cast<unsigned char>(tag >> (8 * i));
    if (c >= 0x20 && c < 0x7F && c != '\\' && c != '\'') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// SnapshotWriter

SnapshotWriter::SnapshotWriter(uint16_t minor) : minor_(minor) {}

void SnapshotWriter::AddSection(uint32_t tag, std::string_view payload) {
  if (!error_.ok()) return;
  try {
    Add(tag, std::string(payload));
  } catch (const std::bad_alloc&) {
    error_ = OutOfMemory("copying a section payload");
  }
}

void SnapshotWriter::AddSection(uint32_t tag, std::string&& payload) {
  if (!error_.ok()) return;
  try {
    Add(tag, std::move(payload));
  } catch (const std::bad_alloc&) {
    error_ = OutOfMemory("adding a section");
  }
}

void SnapshotWriter::Add(uint32_t tag, std::string&& payload) {
  error_ = CheckTag(tag, std::any_of(sections_.begin(), sections_.end(),
                                     [tag](const Section& s) { return s.tag == tag; }));
  if (error_.ok()) sections_.push_back(Section{tag, std::move(payload)});
}

Status SnapshotWriter::CheckSections() const {
  if (!error_.ok()) return error_;
  if (sections_.size() > std::numeric_limits<uint32_t>::max()) {
    return Status::InvalidArgument("snapshot: too many sections");
  }
  return Status::OK();
}

template <typename Sink>
bool SnapshotWriter::Emit(Sink&& sink) const {
  char header[kSnapshotHeaderSize];
  uint32_t file_crc = 0;
  EncodeHeader(minor_, header, &file_crc);
  if (!sink(std::string_view(header, sizeof(header)))) return false;
  for (const Section& s : sections_) {
    if (!EmitSection(s.tag, s.payload, &file_crc, sink)) return false;
  }
  char footer[kSnapshotFooterSize];
  EncodeFooter(static_cast<uint32_t>(sections_.size()), file_crc, footer);
  return sink(std::string_view(footer, sizeof(footer)));
}

Result<std::string> SnapshotWriter::Finish() const {
  TECHMATCH_RETURN_IF_ERROR(CheckSections());
  try {
    size_t size = kSnapshotHeaderSize + kSnapshotFooterSize;
    for (const Section& s : sections_) {
      size += kSectionHeaderSize + s.payload.size() + kSectionTrailerSize;
    }
    std::string out;
    out.reserve(size);
    Emit([&out](std::string_view piece) {
      out.append(piece.data(), piece.size());
      return true;
    });
    return out;
  } catch (const std::bad_alloc&) {
    return OutOfMemory("building the file");
  }
}

Status SnapshotWriter::WriteFile(const std::string& path) const {
  TECHMATCH_RETURN_IF_ERROR(CheckSections());
  auto file = SnapshotFileWriter::Create(path, minor_);
  if (!file.ok()) return file.status();
  for (const Section& sec : sections_) {
    TECHMATCH_RETURN_IF_ERROR((*file)->AddSection(sec.tag, sec.payload));
  }
  return (*file)->Commit();
}

// ---------------------------------------------------------------------------
// SnapshotFileWriter

SnapshotFileWriter::SnapshotFileWriter(std::string path, std::string tmp, int fd)
    : path_(std::move(path)), tmp_(std::move(tmp)), fd_(fd) {}

SnapshotFileWriter::~SnapshotFileWriter() {
  if (fd_ >= 0) ::close(fd_);
  if (!done_) ::unlink(tmp_.c_str());
}

Status SnapshotFileWriter::Fail(const char* step, int err) {
  // Only the message can throw; the file is closed and removed first.
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  ::unlink(tmp_.c_str());
  done_ = true;
  try {
    error_ = WriteError(path_, step, err);
  } catch (const std::bad_alloc&) {
    error_ = OutOfMemory("reporting a write error");
  }
  return error_;
}

Result<std::unique_ptr<SnapshotFileWriter>> SnapshotFileWriter::Create(
    const std::string& path, uint16_t minor) {
  try {
    // Every allocation comes first: from the open on, the writer owns the
    // descriptor and the file, and its destructor cleans both up.
    std::unique_ptr<SnapshotFileWriter> w(new SnapshotFileWriter(
        path, path + ".tmp." + std::to_string(::getpid()), -1));
    w->done_ = true;  // nothing to remove until the file exists
    w->fd_ = ::open(w->tmp_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (w->fd_ < 0) {
      return WriteError(path, "create temporary file", errno);
    }
    w->done_ = false;
    const int fd = w->fd_;
    char header[kSnapshotHeaderSize];
    EncodeHeader(minor, header, &w->file_crc_);
    if (!WriteAll(fd, std::string_view(header, sizeof(header)))) {
      return w->Fail("write", errno);
    }
    return w;
  } catch (const std::bad_alloc&) {
    return OutOfMemory("creating a file");
  }
}

Status SnapshotFileWriter::AddSection(uint32_t tag, std::string_view payload) {
  TECHMATCH_RETURN_IF_ERROR(BeginSection(tag, payload.size()));
  TECHMATCH_RETURN_IF_ERROR(AppendSection(payload));
  return EndSection();
}

Status SnapshotFileWriter::BeginSection(uint32_t tag, uint64_t length) {
  if (!error_.ok()) return error_;
  if (done_) return Status::FailedPrecondition("snapshot: a section after Commit");
  if (open_) {
    return error_ = Status::FailedPrecondition("snapshot: section " + Quoted(tag) +
                                               " begun while another is open");
  }
  try {
    error_ = CheckTag(tag, std::find(tags_.begin(), tags_.end(), tag) != tags_.end());
    if (!error_.ok()) return error_;
    if (tags_.size() == std::numeric_limits<uint32_t>::max()) {
      return error_ = Status::InvalidArgument("snapshot: too many sections");
    }
    tags_.push_back(tag);
  } catch (const std::bad_alloc&) {
    return error_ = OutOfMemory("adding a section");
  }
  char head[kSectionHeaderSize];
  EncodeSectionHead(tag, length, head);
  section_crc_ = crc32c::Value(head, sizeof(head));
  file_crc_ = crc32c::Extend(file_crc_, head, sizeof(head));
  if (!WriteAll(fd_, std::string_view(head, sizeof(head)))) return Fail("write", errno);
  open_ = true;
  remaining_ = length;
  return Status::OK();
}

Status SnapshotFileWriter::AppendSection(std::string_view piece) {
  if (!error_.ok()) return error_;
  if (!open_) return error_ = Status::FailedPrecondition("snapshot: no section is open");
  if (piece.size() > remaining_) {
    return error_ = Status::InvalidArgument(
               "snapshot: section " + Quoted(tags_.back()) + " longer than the " +
               "length it was begun with");
  }
  remaining_ -= piece.size();
  section_crc_ = crc32c::Extend(section_crc_, piece.data(), piece.size());
  file_crc_ = crc32c::Extend(file_crc_, piece.data(), piece.size());
  if (!WriteAll(fd_, piece)) return Fail("write", errno);
  return Status::OK();
}

Status SnapshotFileWriter::EndSection() {
  if (!error_.ok()) return error_;
  if (!open_) return error_ = Status::FailedPrecondition("snapshot: no section is open");
  if (remaining_ != 0) {
    return error_ = Status::InvalidArgument(
               "snapshot: section " + Quoted(tags_.back()) + " ended " +
               std::to_string(remaining_) + " bytes short of its length");
  }
  char trailer[kSectionTrailerSize];
  EncodeFixed32(trailer, crc32c::Mask(section_crc_));
  file_crc_ = crc32c::Extend(file_crc_, trailer, sizeof(trailer));
  if (!WriteAll(fd_, std::string_view(trailer, sizeof(trailer)))) return Fail("write", errno);
  open_ = false;
  return Status::OK();
}

Status SnapshotFileWriter::Commit() {
  if (!error_.ok()) return error_;
  if (done_) return Status::FailedPrecondition("snapshot: Commit called twice");
  if (open_) {
    return error_ = Status::FailedPrecondition("snapshot: Commit while section " +
                                               Quoted(tags_.back()) + " is open");
  }
  char footer[kSnapshotFooterSize];
  EncodeFooter(static_cast<uint32_t>(tags_.size()), file_crc_, footer);
  if (!WriteAll(fd_, std::string_view(footer, sizeof(footer)))) {
    return Fail("write", errno);
  }
  // Without this the rename could reach the disk before the data, and a
  // crash would leave a truncated file under the final name.
  if (::fsync(fd_) != 0) return Fail("fsync", errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) return Fail("close", errno);
  if (::rename(tmp_.c_str(), path_.c_str()) != 0) return Fail("rename", errno);
  done_ = true;
  // Make the rename itself durable. The new file is already in place, so
  // a failure here is reported but nothing is rolled back.
  try {
    auto fail = [this](const char* step, int err) {
      return error_ = WriteError(path_, step, err);
    };
    const int dfd =
        ::open(DirName(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return fail("open directory", errno);
    int sync_err = 0;
    // Some file systems cannot fsync a directory (EINVAL); there is nothing
    // better to do on them, so that case is not an error.
    if (::fsync(dfd) != 0 && errno != EINVAL) sync_err = errno;
    ::close(dfd);
    if (sync_err != 0) return fail("fsync directory", sync_err);
    return Status::OK();
  } catch (const std::bad_alloc&) {
    return OutOfMemory("writing a file");
  }
}

// ---------------------------------------------------------------------------
// SnapshotReader

struct SnapshotReader::Mapping {
  void* addr = nullptr;
  size_t size = 0;
  ~Mapping() {
    if (addr != nullptr) ::munmap(addr, size);
  }
  // Drops the whole pages inside [offset, offset + length) from the
  // process's resident set (MADV_DONTNEED on a read-only private file map
  // only discards the pages; they fault in again from the file).
  void Drop(size_t offset, size_t length) const {
    const size_t page = size_t(::sysconf(_SC_PAGESIZE));
    const size_t begin = (offset + page - 1) / page * page;
    const size_t end = (offset + length) / page * page;
    if (end > begin) {
      ::madvise(static_cast<char*>(addr) + begin, end - begin, MADV_DONTNEED);
    }
  }
};

SnapshotReader::SnapshotReader() = default;

std::string_view SnapshotReader::data() const {
  if (map_ != nullptr) return {static_cast<const char*>(map_->addr), map_->size};
  return bytes_;
}

void SnapshotReader::Release(uint32_t tag) const {
  const Entry* e = Find(tag);
  if (e != nullptr && map_ != nullptr) map_->Drop(e->offset, e->length);
}

void SnapshotReader::ReleaseBytes(std::string_view bytes) const {
  if (map_ == nullptr || bytes.empty()) return;
  const uintptr_t base = reinterpret_cast<uintptr_t>(map_->addr);
  const uintptr_t at = reinterpret_cast<uintptr_t>(bytes.data());
  if (at < base || at - base > map_->size || bytes.size() > map_->size - (at - base)) return;
  map_->Drop(size_t(at - base), bytes.size());
}

Result<SnapshotReader> SnapshotReader::MapFile(int fd, size_t size,
                                               const std::string& path) {
  auto map = std::make_shared<Mapping>();
  void* addr = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (addr == MAP_FAILED) {
    const int err = errno;
    return Status::IOError("cannot map snapshot '" + path + "': " + ErrnoText(err));
  }
  map->addr = addr;
  map->size = size;
  ::madvise(addr, size, MADV_SEQUENTIAL);  // the validation reads it in order
  SnapshotReader reader;
  reader.map_ = std::move(map);
  Status st = reader.Validate();
  if (!st.ok()) return st.WithContext("'" + path + "'");
  reader.map_->Drop(0, size);  // read again section by section, as decoded
  ::madvise(addr, size, MADV_NORMAL);
  return reader;
}

Result<SnapshotReader> SnapshotReader::Parse(std::string bytes) {
  try {
    SnapshotReader reader;
    reader.bytes_ = std::move(bytes);
    TECHMATCH_RETURN_IF_ERROR(reader.Validate());
    return reader;
  } catch (const std::bad_alloc&) {
    return OutOfMemory("parsing a file");
  }
}

Status SnapshotReader::Validate() {
  const std::string_view b = data();
  const size_t size = b.size();

  // 1. Magic, checked on whatever prefix exists so that a short file of the
  //    wrong kind says "not a snapshot" rather than "truncated".
  const size_t m = std::min(size, kSnapshotMagic.size());
  if (b.substr(0, m) != kSnapshotMagic.substr(0, m)) {
    return Corrupt("bad magic: not a techmatch snapshot");
  }
  if (size < kSnapshotHeaderSize) {
    return Corrupt("truncated: file is " + std::to_string(size) +
                   " bytes, ends inside the " +
                   std::to_string(kSnapshotHeaderSize) + "-byte header");
  }

  // 2. Header checksum, before any header field is trusted: a damaged
  //    version field is Corruption, not NotSupported.
  if (crc32c::Unmask(DecodeFixed32(b.data() + 16)) !=
      crc32c::Value(b.data(), 16)) {
    return Corrupt("header checksum mismatch");
  }

  // 3. Version and flags.
  major_ = DecodeFixed16(b.data() + 8);
  minor_ = DecodeFixed16(b.data() + 10);
  const uint32_t flags = DecodeFixed32(b.data() + 12);
  if (major_ != kFormatMajor) {
    return Status::NotSupported("snapshot format " + std::to_string(major_) +
                                "." + std::to_string(minor_) +
                                " is not supported by this build (reads " +
                                std::to_string(kFormatMajor) + ".x)");
  }
  if (flags != 0) {
    char hex[16];
    std::snprintf(hex, sizeof(hex), "0x%08x", static_cast<unsigned>(flags));
    return Status::NotSupported(std::string("snapshot header flags ") + hex +
                                " are not supported by this build (format " +
                                std::to_string(kFormatMajor) +
                                ".x defines none)");
  }

  // 4. Sections, in order, until the footer tag. Every length is compared
  //    with what is left of the file before it is used, so nothing is read
  //    out of bounds and nothing is allocated from a stored length.
  size_t pos = kSnapshotHeaderSize;
  // The whole file's CRC (checked at the footer) is extended as the
  // sections are read, in the same pass as each section's own.
  uint32_t file_crc = crc32c::Value(b.data(), kSnapshotHeaderSize);
  for (;;) {
    const size_t left = size - pos;
    const size_t index = sections_.size();
    if (left == 0) {
      return Corrupt("truncated: file ends at offset " + std::to_string(pos) +
                     ", where " + Ordinal(index) + " or the footer should be");
    }
    if (left < 4) {
      return Corrupt("truncated: file ends inside the header of " +
                     Ordinal(index) + " or the footer at offset " +
                     std::to_string(pos));
    }
    const uint32_t tag = DecodeFixed32(b.data() + pos);
    if (tag == kFooterTag) break;
    if (left < kSectionHeaderSize) {
      return Corrupt("truncated: file ends inside the header of " +
                     Ordinal(index) + " (" + Quoted(tag) + ") at offset " +
                     std::to_string(pos));
    }
    const uint64_t length = DecodeFixed64(b.data() + pos + 4);
    const size_t room = left - kSectionHeaderSize;  // payload + crc
    if (room < kSectionTrailerSize || length > room - kSectionTrailerSize) {
      return Corrupt("truncated: file ends inside " + Ordinal(index) + " (" +
                     Quoted(tag) + "), whose " + std::to_string(length) +
                     "-byte payload starts at offset " +
                     std::to_string(pos + kSectionHeaderSize));
    }
    const size_t n = static_cast<size_t>(length);
    const size_t crc_at = pos + kSectionHeaderSize + n;
    uint32_t section_crc = 0;
    crc32c::ExtendBoth(&section_crc, &file_crc, b.data() + pos, kSectionHeaderSize + n);
    file_crc = crc32c::Extend(file_crc, b.data() + crc_at, kSectionTrailerSize);
    if (crc32c::Unmask(DecodeFixed32(b.data() + crc_at)) != section_crc) {
      return Corrupt(Ordinal(index) + " (" + Quoted(tag) +
                     ") checksum mismatch");
    }
    // Duplicates are rejected rather than "last one wins": a reader must
    // never have to guess which copy the writer meant.
    if (const Entry* dup = Find(tag)) {
      const size_t first = static_cast<size_t>(dup - sections_.data());
      return Corrupt("duplicate section " + Quoted(tag) + " (" +
                     Ordinal(first) + " and " + Ordinal(index) + ")");
    }
    sections_.push_back(Entry{tag, pos + kSectionHeaderSize, n});
    pos = crc_at + kSectionTrailerSize;
  }

  // 5. Footer.
  if (size - pos < kSnapshotFooterSize) {
    return Corrupt("truncated: file ends inside the footer at offset " +
                   std::to_string(pos));
  }
  if (b.substr(pos + 12, kSnapshotEndMagic.size()) != kSnapshotEndMagic) {
    return Corrupt("bad end magic in the footer at offset " +
                   std::to_string(pos));
  }
  if (crc32c::Unmask(DecodeFixed32(b.data() + pos + 8)) != file_crc) {
    return Corrupt("file checksum mismatch");
  }
  const uint32_t count = DecodeFixed32(b.data() + pos + 4);
  if (count != sections_.size()) {
    return Corrupt("footer counts " + std::to_string(count) +
                   " sections, file has " + std::to_string(sections_.size()));
  }
  const size_t end = pos + kSnapshotFooterSize;
  if (end != size) {
    return Corrupt(std::to_string(size - end) +
                   " bytes of trailing data after the footer at offset " +
                   std::to_string(pos));
  }
  return Status::OK();
}

Result<SnapshotReader> SnapshotReader::ReadFile(const std::string& path) {
  try {
    FileCloser file{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (file.fd < 0) {
      const int err = errno;
      const std::string msg =
          "cannot open snapshot '" + path + "': " + ErrnoText(err);
      return err == ENOENT ? Status::NotFound(msg) : Status::IOError(msg);
    }
    auto fail = [&path](int err) {
      return Status::IOError("cannot read snapshot '" + path +
                             "': " + ErrnoText(err));
    };
    struct stat st;
    if (::fstat(file.fd, &st) != 0) return fail(errno);
    if (S_ISDIR(st.st_mode)) return fail(EISDIR);
    if (S_ISREG(st.st_mode) && uint64_t(st.st_size) >= kMapMinBytes &&
        uint64_t(st.st_size) <= std::numeric_limits<size_t>::max()) {
      Result<SnapshotReader> mapped = MapFile(file.fd, size_t(st.st_size), path);
      // A file system that cannot map the file is read instead below.
      if (mapped.ok() || mapped.status().code() != StatusCode::kIOError) return mapped;
    }

    // Size the buffer from fstat, one byte more to see EOF without growing,
    // but read to EOF regardless in case the size was stale or the file is
    // not a regular one.
    std::string bytes;
    size_t used = 0;
    const size_t expected =
        S_ISREG(st.st_mode) ? static_cast<size_t>(st.st_size) : 0;
    bytes.resize(std::max<size_t>(expected + 1, 4096));
    for (;;) {
      if (used == bytes.size()) bytes.resize(bytes.size() * 2);
      const size_t want =
          std::min<size_t>(bytes.size() - used, size_t{1} << 30);
      const ssize_t n = ::read(file.fd, &bytes[used], want);
      if (n < 0) {
        if (errno == EINTR) continue;
        return fail(errno);
      }
      if (n == 0) break;
      used += static_cast<size_t>(n);
    }
    bytes.resize(used);  // no shrink_to_fit: it would copy the whole file

    Result<SnapshotReader> reader = Parse(std::move(bytes));
    if (!reader.ok()) return reader.status().WithContext("'" + path + "'");
    return reader;
  } catch (const std::bad_alloc&) {
    return OutOfMemory("reading a file");
  }
}

const SnapshotReader::Entry* SnapshotReader::Find(uint32_t tag) const {
  for (const Entry& e : sections_) {
    if (e.tag == tag) return &e;
  }
  return nullptr;
}

bool SnapshotReader::Has(uint32_t tag) const { return Find(tag) != nullptr; }

Result<std::string_view> SnapshotReader::Section(uint32_t tag) const {
  const Entry* e = Find(tag);
  if (e == nullptr) {
    return Status::NotFound("snapshot: no section " + Quoted(tag));
  }
  return data().substr(e->offset, e->length);
}

std::vector<uint32_t> SnapshotReader::tags() const {
  std::vector<uint32_t> out;
  out.reserve(sections_.size());
  for (const Entry& e : sections_) out.push_back(e.tag);
  return out;
}

}  // namespace techmatch::internal

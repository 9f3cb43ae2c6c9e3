// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The snapshot container: checksummed, tagged sections (docs/format.md).

#ifndef TECHMATCH_IO_SNAPSHOT_FILE_H_
#define TECHMATCH_IO_SNAPSHOT_FILE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "techmatch/status.h"

namespace techmatch::internal {

/// Packs four characters into a section tag, first character in the low
/// byte, so the tag's little-endian bytes on disk read as the text:
/// Fourcc("RECS") is stored as 'R' 'E' 'C' 'S'.
constexpr uint32_t Fourcc(const char (&s)[5]) {
  return uint32_t{static_cast<unsigned char>(s[0])} |
         (uint32_t{static_cast<unsigned char>(s[1])} << 8) |
         (uint32_t{static_cast<unsigned char>(s[2])} << 16) |
         (uint32_t{static_cast<unsigned char>(s[3])} << 24);
}

/// The tag as text for messages: "RECS"; bytes outside printable ASCII
/// appear as \xNN.
std::string FourccToString(uint32_t tag);

/// The snapshot format version this build writes. It is independent of the
/// library version: a minor bump only adds optional sections, which older
/// readers skip; a major bump changes the container, and readers of another
/// major refuse the file with NotSupported.
inline constexpr uint16_t kFormatMajor = 1;
inline constexpr uint16_t kFormatMinor = 0;

/// First and last 8 bytes of every snapshot. The leading 0x89 (as in PNG)
/// makes the file non-ASCII at once, and the '\n' catches newline mangling.
inline constexpr std::string_view kSnapshotMagic{"\x89TMATCH\n", 8};
inline constexpr std::string_view kSnapshotEndMagic{"TMATCHe\n", 8};

/// Fixed sizes of the layout (see docs/format.md).
inline constexpr size_t kSnapshotHeaderSize = 20;  // magic..header crc
inline constexpr size_t kSectionHeaderSize = 12;   // tag + length
inline constexpr size_t kSectionTrailerSize = 4;   // section crc
inline constexpr size_t kSnapshotFooterSize = 20;  // tag..end magic

/// The footer's tag; reserved, never a section tag.
inline constexpr uint32_t kFooterTag = Fourcc("TEND");

/// Builds a snapshot from sections, in memory or atomically on disk.
///
/// Sections are written in the order added. A tag may appear once; adding a
/// duplicate tag or the reserved kFooterTag makes Finish()/WriteFile()
/// return InvalidArgument (AddSection itself cannot fail, so chains of adds
/// need only one check).
///
/// Thread-safety: const methods may run concurrently; AddSection needs
/// exclusive access.
class SnapshotWriter {
 public:
  /// `minor` is the minor version written; tests use it to mimic newer
  /// writers. The major is always kFormatMajor.
  explicit SnapshotWriter(uint16_t minor = kFormatMinor);

  /// Copies payload into a new section.
  void AddSection(uint32_t tag, std::string_view payload);
  /// Takes payload without copying.
  void AddSection(uint32_t tag, std::string&& payload);
  /// Disambiguates string literals, which convert equally well to both.
  void AddSection(uint32_t tag, const char* payload) {
    AddSection(tag, std::string_view(payload));
  }

  size_t section_count() const { return sections_.size(); }

  /// The complete file bytes.
  Result<std::string> Finish() const;

  /// Writes the file atomically: the bytes go to "<path>.tmp.<pid>", which
  /// is fsync'ed and renamed over path, and then the directory is fsync'ed.
  /// Readers see the old file or the new one, never a mixture. On failure
  /// the temporary file is removed and IOError names the path and the
  /// system's reason. Calls for the same path from different processes are
  /// safe (the last rename wins); within one process they share the
  /// temporary name, so the caller must serialise them.
  Status WriteFile(const std::string& path) const;

 private:
  struct Section {
    uint32_t tag;
    std::string payload;
  };

  void Add(uint32_t tag, std::string&& payload);
  // OK, or the first AddSection error / a too-large section count.
  Status CheckSections() const;
  // Feeds every byte of the file, in order, to `sink(std::string_view) ->
  // bool`; returns false as soon as the sink does.
  template <typename Sink>
  bool Emit(Sink&& sink) const;

  uint16_t minor_;
  std::vector<Section> sections_;
  Status error_;  // first AddSection error, reported by Finish/WriteFile
};

/// Writes a snapshot file section by section: each AddSection writes its
/// section at once, so a caller can build a section, hand it over and free
/// it before building the next — the file's bytes are never all in memory
/// (SnapshotWriter::WriteFile needs every section first). The result is
/// byte for byte what SnapshotWriter writes for the same sections, with the
/// same atomicity: the bytes go to "<path>.tmp.<pid>"; Commit() fsyncs it,
/// renames it over `path` and fsyncs the directory. A writer destroyed
/// before a successful Commit() removes its temporary file, so a failed
/// save leaves the old file (if any) untouched and no litter.
///
/// After the first failure (an I/O error, a duplicate or reserved tag)
/// every later call returns that error.
///
/// Thread-safety: thread-compatible (one thread at a time).
class SnapshotFileWriter {
 public:
  /// Creates the temporary file and writes the header. IOError names the
  /// path and the system's reason.
  static Result<std::unique_ptr<SnapshotFileWriter>> Create(
      const std::string& path, uint16_t minor = kFormatMinor);
  ~SnapshotFileWriter();
  SnapshotFileWriter(const SnapshotFileWriter&) = delete;
  SnapshotFileWriter& operator=(const SnapshotFileWriter&) = delete;

  /// Writes one section. InvalidArgument for a duplicate or the reserved
  /// footer tag; FailedPrecondition while a section begun with
  /// BeginSection is open; IOError when the write fails.
  Status AddSection(uint32_t tag, std::string_view payload);
  /// Writes one section whose payload comes in pieces, so that it is never
  /// whole in memory: BeginSection with the payload's exact length, then
  /// AppendSection until that many bytes came, then EndSection. The bytes
  /// are AddSection's for the pieces put together. More bytes than
  /// announced, fewer at EndSection, or another call while a section is
  /// open is InvalidArgument / FailedPrecondition, and fails the writer.
  Status BeginSection(uint32_t tag, uint64_t length);
  Status AppendSection(std::string_view piece);
  Status EndSection();
  /// Writes the footer and publishes the file (see the class comment).
  Status Commit();

 private:
  SnapshotFileWriter(std::string path, std::string tmp, int fd);
  Status Fail(const char* step, int err);

  std::string path_;
  std::string tmp_;
  int fd_;
  uint32_t file_crc_ = 0;
  // The open section (BeginSection .. EndSection).
  bool open_ = false;
  uint64_t remaining_ = 0;  // payload bytes still to come
  uint32_t section_crc_ = 0;
  std::vector<uint32_t> tags_;
  Status error_;
  bool done_ = false;  // committed, or failed and cleaned up
};

/// A parsed, fully validated snapshot, holding the file bytes: in a string
/// (Parse, and ReadFile of small or non-regular files) or, for ReadFile of
/// a regular file of at least kMapMinBytes, in a read-only private memory
/// map of the file, so that loading needs no copy of it in RAM: the pages
/// are the kernel's page cache, which Release() (and the validation pass,
/// once done) drops from the process. Snapshot files are replaced by
/// rename, never rewritten in place; a file truncated by another program
/// while mapped would fault (SIGBUS) on access, as for any mapped file.
///
/// Parse() checks everything before returning: magic, header checksum,
/// version, every section's bounds and checksum, the footer, the section
/// count, the whole-file checksum and that nothing follows the footer. The
/// checks run in file order, so corruption is reported at the first place
/// it shows up (a damaged version field fails the header checksum, hence
/// Corruption, before the version is looked at). After Parse succeeds,
/// Section() cannot fail on a present tag.
///
/// Thread-safety: immutable after construction; safe to share.
class SnapshotReader {
 public:
  /// Validates `bytes` and takes ownership of them. Corruption for damaged
  /// or truncated data, NotSupported for another major version.
  static Result<SnapshotReader> Parse(std::string bytes);

  /// Reads and parses a file. NotFound if it does not exist, IOError if it
  /// cannot be read; every message names the path.
  static Result<SnapshotReader> ReadFile(const std::string& path);

  uint16_t format_major() const { return major_; }
  uint16_t format_minor() const { return minor_; }

  bool Has(uint32_t tag) const;

  /// The payload of section `tag`, valid as long as this reader lives.
  /// NotFound naming the tag if the snapshot has no such section.
  Result<std::string_view> Section(uint32_t tag) const;

  /// Tags of all sections in file order, including ones this build does not
  /// know (written by a newer minor version).
  std::vector<uint32_t> tags() const;

  /// Size of the whole file in bytes.
  size_t file_size() const { return data().size(); }

  /// ReadFile maps regular files of at least this many bytes.
  static constexpr size_t kMapMinBytes = size_t{1} << 20;
  /// True when the bytes are a memory map of the file.
  bool mapped() const { return map_ != nullptr; }

  /// A hint that section `tag` has been decoded: the whole pages of a
  /// mapped file inside it leave the process's resident memory (they come
  /// back from the file if read again; views stay valid). No-op otherwise.
  void Release(uint32_t tag) const;
  /// The same for part of a section: `bytes` a view into what Section()
  /// returned (the whole pages inside it). Safe to call from several
  /// threads at once.
  void ReleaseBytes(std::string_view bytes) const;

 private:
  struct Mapping;  // an mmap'ed file; munmap on destruction
  struct Entry {
    uint32_t tag;
    size_t offset;  // of the payload within bytes_
    size_t length;
  };

  SnapshotReader();
  Status Validate();
  const Entry* Find(uint32_t tag) const;
  std::string_view data() const;
  static Result<SnapshotReader> MapFile(int fd, size_t size, const std::string& path);

  std::string bytes_;
  std::shared_ptr<const Mapping> map_;  // when set, the bytes
  uint16_t major_ = 0;
  uint16_t minor_ = 0;
  // Offsets, not string_views: moving a short std::string moves its bytes.
  std::vector<Entry> sections_;
};

}  // namespace techmatch::internal

#endif  // TECHMATCH_IO_SNAPSHOT_FILE_H_

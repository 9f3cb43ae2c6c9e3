// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Tests for src/io/snapshot_file.h, including the corruption tests.

#include "io/snapshot_file.h"

#include <signal.h>
#include <sys/resource.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "io/coding.h"
#include "io/crc32c.h"
#include "test_util.h"

namespace techmatch::internal {
namespace {

using Catch::Matchers::Contains;
using Catch::Matchers::EndsWith;
using techmatch::testing::TempDir;

constexpr uint32_t kMeta = Fourcc("META");
constexpr uint32_t kRecs = Fourcc("RECS");
constexpr uint32_t kVocb = Fourcc("VOCB");

std::string RandomBytes(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::string s(n, '\0');
  size_t i = 0;
  for (; i + 8 <= n; i += 8) EncodeFixed64(&s[i], rng());
  for (; i < n; ++i) s[i] = static_cast<char>(rng());
  return s;
}

// The layout of docs/format.md built by hand, independently of
// SnapshotWriter, so tests can forge files a correct writer never produces
// (other versions, flags, duplicate tags, wrong counts) with valid checksums.
struct RawSnapshot {
  uint16_t major = kFormatMajor;
  uint16_t minor = kFormatMinor;
  uint32_t flags = 0;
  std::vector<std::pair<uint32_t, std::string>> sections;
  int64_t count_override = -1;  // footer section count, if >= 0

  std::string Build() const {
    std::string out(kSnapshotMagic);
    PutFixed16(&out, major);
    PutFixed16(&out, minor);
    PutFixed32(&out, flags);
    PutFixed32(&out, crc32c::Mask(crc32c::Value(out.data(), 16)));
    for (const auto& [tag, payload] : sections) {
      const size_t start = out.size();
      PutFixed32(&out, tag);
      PutFixed64(&out, payload.size());
      out += payload;
      PutFixed32(&out, crc32c::Mask(crc32c::Value(out.data() + start,
                                                  out.size() - start)));
    }
    const uint32_t file_crc = crc32c::Value(out.data(), out.size());
    PutFixed32(&out, kFooterTag);
    PutFixed32(&out, static_cast<uint32_t>(count_override >= 0
                                               ? count_override
                                               : int64_t(sections.size())));
    PutFixed32(&out, crc32c::Mask(file_crc));
    out += kSnapshotEndMagic;
    return out;
  }
};

// A small file with three sections, the subject of the corruption tests.
std::string ThreeSectionFile() {
  SnapshotWriter w;
  w.AddSection(kMeta, "engine=techmatch dim=64");
  w.AddSection(kRecs, RandomBytes(40, 7));
  w.AddSection(kVocb, std::string("\0\x01\x02 vocabulary", 15));
  Result<std::string> bytes = w.Finish();
  REQUIRE(bytes.ok());
  return std::move(bytes).value();
}

void WriteRaw(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

TEST_CASE("snapshot: fourcc packing and printing", "[snapshot]") {
  static_assert(Fourcc("RECS") == 0x53434552u, "'R' in the low byte");
  std::string bytes;
  PutFixed32(&bytes, Fourcc("RECS"));
  CHECK(bytes == "RECS");
  CHECK(FourccToString(Fourcc("VOCB")) == "VOCB");
  CHECK(FourccToString(0x00414243u) == "CBA\\x00");
  CHECK(FourccToString(Fourcc("a'\\b")) == "a\\x27\\x5cb");
}

TEST_CASE("snapshot: round trip in memory", "[snapshot]") {
  const std::string file = ThreeSectionFile();
  Result<SnapshotReader> r = SnapshotReader::Parse(file);
  REQUIRE(r.ok());
  CHECK(r->format_major() == 1);
  CHECK(r->format_minor() == 0);
  CHECK(r->file_size() == file.size());
  CHECK(r->tags() == std::vector<uint32_t>{kMeta, kRecs, kVocb});
  CHECK(r->Has(kRecs));
  CHECK_FALSE(r->Has(Fourcc("EMBD")));
  CHECK(*r->Section(kMeta) == "engine=techmatch dim=64");
  CHECK(*r->Section(kRecs) == RandomBytes(40, 7));
  CHECK(*r->Section(kVocb) == std::string_view("\0\x01\x02 vocabulary", 15));

  Result<std::string_view> missing = r->Section(Fourcc("EMBD"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == StatusCode::kNotFound);
  CHECK_THAT(missing.status().message(), Contains("'EMBD'"));

  // The reader's sections stay valid when it is moved (short strings move
  // their bytes, so the reader must not hold pointers into its buffer).
  SnapshotReader moved = std::move(r).value();
  SnapshotReader again = std::move(moved);
  CHECK(*again.Section(kMeta) == "engine=techmatch dim=64");
}

TEST_CASE("snapshot: empty sections and empty snapshots", "[snapshot]") {
  SnapshotWriter none;
  Result<std::string> empty = none.Finish();
  REQUIRE(empty.ok());
  CHECK(empty->size() == kSnapshotHeaderSize + kSnapshotFooterSize);
  Result<SnapshotReader> r = SnapshotReader::Parse(*empty);
  REQUIRE(r.ok());
  CHECK(r->tags().empty());

  SnapshotWriter w;
  w.AddSection(kMeta, "");
  Result<SnapshotReader> r2 = SnapshotReader::Parse(*w.Finish());
  REQUIRE(r2.ok());
  CHECK(r2->Section(kMeta)->empty());
}

TEST_CASE("snapshot: writer output matches the documented layout",
          "[snapshot]") {
  SnapshotWriter w;
  w.AddSection(kMeta, "hi");
  std::string moved_payload = "records";
  w.AddSection(kRecs, std::move(moved_payload));
  const std::string file = *w.Finish();

  RawSnapshot raw;
  raw.sections = {{kMeta, "hi"}, {kRecs, "records"}};
  CHECK(file == raw.Build());

  // Golden bytes of the META section, from docs/format.md, computed by an
  // independent implementation of the format. If this changes, the format
  // changed: bump kFormatMajor/kFormatMinor and update the docs.
  SnapshotWriter g;
  g.AddSection(kMeta, "hi");
  const std::string golden(
      "\x89TMATCH\n"                      // magic
      "\x01\x00\x00\x00"                  // format 1.0
      "\x00\x00\x00\x00"                  // flags
      "\x6B\x41\xCD\xCF"                  // masked header crc
      "META"                              // section tag
      "\x02\x00\x00\x00\x00\x00\x00\x00"  // payload length
      "hi"                                // payload
      "\x91\x36\x6C\xB7"                  // masked section crc
      "TEND"                              // footer tag
      "\x01\x00\x00\x00"                  // section count
      "\xD5\x6F\x42\xFF"                  // masked file crc
      "TMATCHe\n",                        // end magic
      58);
  CHECK(*g.Finish() == golden);
}

TEST_CASE("snapshot: writer rejects duplicate and reserved tags",
          "[snapshot]") {
  SnapshotWriter dup;
  dup.AddSection(kMeta, "a");
  dup.AddSection(kMeta, "b");
  Result<std::string> r = dup.Finish();
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == StatusCode::kInvalidArgument);
  CHECK_THAT(r.status().message(), Contains("duplicate section 'META'"));

  SnapshotWriter reserved;
  reserved.AddSection(kFooterTag, "x");
  CHECK(reserved.Finish().status().code() == StatusCode::kInvalidArgument);
  TempDir dir;
  const Status st = reserved.WriteFile(dir.file("x.snap"));
  CHECK(st.code() == StatusCode::kInvalidArgument);
  CHECK_FALSE(std::filesystem::exists(dir.file("x.snap")));
}

// (a) Every single-bit flip and every byte inversion is caught. Parse checks
// magic, then the header checksum, then the version, so a damaged version
// byte is Corruption (header checksum), never NotSupported.
TEST_CASE("snapshot: every flipped bit or byte is Corruption", "[snapshot]") {
  const std::string file = ThreeSectionFile();
  const auto start = std::chrono::steady_clock::now();
  size_t trials = 0;
  for (size_t i = 0; i < file.size(); ++i) {
    for (int mask : {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xFF}) {
      std::string bad = file;
      bad[i] = static_cast<char>(bad[i] ^ mask);
      Result<SnapshotReader> r = SnapshotReader::Parse(std::move(bad));
      INFO("byte " << i << " of " << file.size() << " xor 0x" << std::hex
                   << mask << ": " << r.status().ToString());
      REQUIRE(r.status().code() == StatusCode::kCorruption);
      ++trials;
    }
  }
  const double ms = std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start)
                        .count();
  SUCCEED("bit/byte flips: " << trials << " parses of a " << file.size()
                             << "-byte file in " << ms << " ms");

  auto flip = [&](size_t at) {
    std::string bad = file;
    bad[at] = static_cast<char>(bad[at] ^ 0x01);
    return SnapshotReader::Parse(std::move(bad)).status().message();
  };
  CHECK_THAT(flip(0), Contains("bad magic"));
  CHECK_THAT(flip(8), Contains("header checksum mismatch"));   // major
  CHECK_THAT(flip(10), Contains("header checksum mismatch"));  // minor
  CHECK_THAT(flip(kSnapshotHeaderSize + kSectionHeaderSize),
             Contains("section 1 ('META') checksum mismatch"));
  CHECK_THAT(flip(file.size() - 12), Contains("file checksum mismatch"));
  CHECK_THAT(flip(file.size() - 1), Contains("bad end magic"));
  CHECK_THAT(flip(file.size() - 16), Contains("footer counts"));
}

TEST_CASE("snapshot: random multi-byte damage is Corruption", "[snapshot]") {
  const std::string file = ThreeSectionFile();
  std::mt19937 rng(42);
  for (int trial = 0; trial < 5000; ++trial) {
    std::string bad = file;
    const int changes = 1 + static_cast<int>(rng() % 8);
    for (int c = 0; c < changes; ++c) {
      bad[rng() % bad.size()] = static_cast<char>(rng());
    }
    if (bad == file) continue;
    Result<SnapshotReader> r = SnapshotReader::Parse(std::move(bad));
    REQUIRE(r.status().code() == StatusCode::kCorruption);
  }
}

// (b) Every proper prefix is Corruption.
TEST_CASE("snapshot: every truncation is Corruption", "[snapshot]") {
  const std::string file = ThreeSectionFile();
  const auto start = std::chrono::steady_clock::now();
  for (size_t n = 0; n < file.size(); ++n) {
    Result<SnapshotReader> r = SnapshotReader::Parse(file.substr(0, n));
    INFO("truncated to " << n << " of " << file.size()
                         << " bytes: " << r.status().ToString());
    REQUIRE(r.status().code() == StatusCode::kCorruption);
    // Prefixes of a snapshot still carry the right magic, so each must be
    // reported as truncation (the footer checks come last and see a short
    // footer as truncated too).
    CHECK_THAT(r.status().message(), Contains("truncated"));
  }
  const double ms = std::chrono::duration<double, std::milli>(
                        std::chrono::steady_clock::now() - start)
                        .count();
  SUCCEED("truncations: " << file.size() << " parses in " << ms << " ms");

  const size_t section2 =
      kSnapshotHeaderSize + kSectionHeaderSize + 23 + kSectionTrailerSize;
  CHECK(SnapshotReader::Parse(file.substr(0, 5)).status().message() ==
        "snapshot: truncated: file is 5 bytes, ends inside the 20-byte header");
  CHECK(
      SnapshotReader::Parse(file.substr(0, section2 + 6)).status().message() ==
      "snapshot: truncated: file ends inside the header of section 2 "
      "('RECS') at offset " +
          std::to_string(section2));
  CHECK_THAT(
      SnapshotReader::Parse(file.substr(0, section2 + 20)).status().message(),
      Contains("file ends inside section 2 ('RECS'), whose 40-byte "
               "payload starts at offset"));
}

// (c) Anything after the footer is Corruption.
TEST_CASE("snapshot: trailing garbage is Corruption", "[snapshot]") {
  const std::string file = ThreeSectionFile();
  for (const std::string& extra :
       {std::string(1, '\0'), std::string("x"), RandomBytes(100, 3), file}) {
    Result<SnapshotReader> r = SnapshotReader::Parse(file + extra);
    REQUIRE(r.status().code() == StatusCode::kCorruption);
    CHECK_THAT(r.status().message(),
               Contains(std::to_string(extra.size()) +
                        " bytes of trailing data after the footer"));
  }
}

TEST_CASE("snapshot: forged structure with valid checksums", "[snapshot]") {
  SECTION("duplicate tags are Corruption") {
    RawSnapshot raw;
    raw.sections = {{kMeta, "a"}, {kRecs, "b"}, {kMeta, "c"}};
    Result<SnapshotReader> r = SnapshotReader::Parse(raw.Build());
    CHECK(r.status().code() == StatusCode::kCorruption);
    CHECK(r.status().message() ==
          "snapshot: duplicate section 'META' (section 1 and section 3)");
  }
  SECTION("a wrong section count is Corruption") {
    RawSnapshot raw;
    raw.sections = {{kMeta, "a"}};
    raw.count_override = 2;
    CHECK(SnapshotReader::Parse(raw.Build()).status().message() ==
          "snapshot: footer counts 2 sections, file has 1");
  }
  SECTION("huge section lengths are Corruption, not a crash") {
    for (uint64_t length : {~uint64_t{0}, ~uint64_t{0} - 3, uint64_t{1} << 63,
                            uint64_t{1} << 40, uint64_t{1000}}) {
      RawSnapshot raw;
      raw.sections = {{kMeta, "abc"}};
      std::string bytes = raw.Build();
      EncodeFixed64(&bytes[kSnapshotHeaderSize + 4], length);
      Result<SnapshotReader> r = SnapshotReader::Parse(std::move(bytes));
      INFO("length " << length << ": " << r.status().ToString());
      CHECK(r.status().code() == StatusCode::kCorruption);
    }
  }
  SECTION("a non-magic file is Corruption") {
    CHECK_THAT(SnapshotReader::Parse("{\"json\": true}").status().message(),
               Contains("bad magic"));
    CHECK_THAT(SnapshotReader::Parse("").status().message(),
               Contains("truncated"));
  }
}

// (d) A file from a future (or past) major version is NotSupported, and the
// message names both versions.
TEST_CASE("snapshot: another major version is NotSupported", "[snapshot]") {
  RawSnapshot raw;
  raw.major = 2;
  raw.minor = 0;
  raw.sections = {{kMeta, "from the future"}};
  Result<SnapshotReader> r = SnapshotReader::Parse(raw.Build());
  REQUIRE(r.status().code() == StatusCode::kNotSupported);
  CHECK(r.status().message() ==
        "snapshot format 2.0 is not supported by this build (reads 1.x)");

  // The version check precedes the section walk: a 2.x body may look like
  // anything, so it is not validated as 1.x sections.
  std::string header_only = raw.Build().substr(0, kSnapshotHeaderSize);
  header_only += "a 2.x body with some other layout";
  CHECK(SnapshotReader::Parse(header_only).status().code() ==
        StatusCode::kNotSupported);

  raw.major = 0;
  raw.minor = 9;
  CHECK(SnapshotReader::Parse(raw.Build()).status().message() ==
        "snapshot format 0.9 is not supported by this build (reads 1.x)");

  RawSnapshot flagged;
  flagged.flags = 0x4;
  Result<SnapshotReader> f = SnapshotReader::Parse(flagged.Build());
  CHECK(f.status().code() == StatusCode::kNotSupported);
  CHECK_THAT(f.status().message(), Contains("0x00000004"));
}

// (e) A newer minor version reads fine; unknown sections are listed.
TEST_CASE("snapshot: a newer minor version with unknown sections reads",
          "[snapshot]") {
  SnapshotWriter w(/*minor=*/7);
  w.AddSection(kMeta, "meta");
  w.AddSection(Fourcc("ZZZZ"), "an optional section from format 1.7");
  w.AddSection(kRecs, "recs");
  Result<SnapshotReader> r = SnapshotReader::Parse(*w.Finish());
  REQUIRE(r.ok());
  CHECK(r->format_major() == 1);
  CHECK(r->format_minor() == 7);
  CHECK(r->tags() == std::vector<uint32_t>{kMeta, Fourcc("ZZZZ"), kRecs});
  CHECK(*r->Section(kRecs) == "recs");
  CHECK(*r->Section(Fourcc("ZZZZ")) == "an optional section from format 1.7");
}

std::vector<std::string> DirEntries(const std::string& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    names.push_back(e.path().filename().string());
  }
  return names;
}

// (f) WriteFile replaces atomically and cleans up after itself.
TEST_CASE("snapshot: WriteFile and ReadFile", "[snapshot]") {
  TempDir dir;
  const std::string path = dir.file("engine.snap");

  SnapshotWriter old_writer;
  old_writer.AddSection(kMeta, "old");
  REQUIRE(old_writer.WriteFile(path).ok());
  SnapshotWriter new_writer;
  new_writer.AddSection(kMeta, "new");
  new_writer.AddSection(kRecs, RandomBytes(1000, 5));
  REQUIRE(new_writer.WriteFile(path).ok());

  Result<SnapshotReader> r = SnapshotReader::ReadFile(path);
  REQUIRE(r.ok());
  CHECK(*r->Section(kMeta) == "new");
  CHECK(*r->Section(kRecs) == RandomBytes(1000, 5));
  // The temporary file was renamed away; nothing else is left behind.
  CHECK(DirEntries(dir.path()) == std::vector<std::string>{"engine.snap"});

  SECTION("a file name without a directory part") {
    const auto cwd = std::filesystem::current_path();
    std::filesystem::current_path(dir.path());
    const Status st = new_writer.WriteFile("relative.snap");
    std::filesystem::current_path(cwd);
    REQUIRE(st.ok());
    CHECK(SnapshotReader::ReadFile(dir.file("relative.snap")).ok());
  }

  SECTION("a failed write leaves the old file and no temporary file") {
    // Make write(2) fail part-way with EFBIG by capping the file size (and
    // ignoring the SIGXFSZ that would otherwise kill the test).
    SnapshotWriter big;
    big.AddSection(kRecs, RandomBytes(64 * 1024, 6));
    struct rlimit saved;
    REQUIRE(getrlimit(RLIMIT_FSIZE, &saved) == 0);
    auto* old_handler = signal(SIGXFSZ, SIG_IGN);
    struct rlimit capped = saved;
    capped.rlim_cur = 4096;
    REQUIRE(setrlimit(RLIMIT_FSIZE, &capped) == 0);
    const Status st = big.WriteFile(path);
    setrlimit(RLIMIT_FSIZE, &saved);
    signal(SIGXFSZ, old_handler);

    CHECK(st.code() == StatusCode::kIOError);
    CHECK_THAT(st.message(), Contains(path));
    CHECK_THAT(st.message(), Contains("write"));
    CHECK(DirEntries(dir.path()) == std::vector<std::string>{"engine.snap"});
    Result<SnapshotReader> still = SnapshotReader::ReadFile(path);
    REQUIRE(still.ok());
    CHECK(*still->Section(kMeta) == "new");
  }

  SECTION("a missing directory is IOError naming the path") {
    const std::string bad = dir.file("no/such/dir/engine.snap");
    const Status st = new_writer.WriteFile(bad);
    CHECK(st.code() == StatusCode::kIOError);
    CHECK_THAT(st.message(), Contains(bad));
    CHECK_THAT(st.message(), Contains("No such file or directory"));
  }

  SECTION("a directory in the way is IOError, temporary file removed") {
    const std::string blocked = dir.file("blocked");
    std::filesystem::create_directories(blocked + "/child");
    const Status st = new_writer.WriteFile(blocked);
    CHECK(st.code() == StatusCode::kIOError);
    CHECK_THAT(st.message(), Contains(blocked));
    CHECK_THAT(st.message(), Contains("rename"));
    CHECK(DirEntries(dir.path()).size() == 2);  // engine.snap, blocked
  }

  SECTION("ReadFile errors name the path") {
    const std::string missing = dir.file("missing.snap");
    Result<SnapshotReader> m = SnapshotReader::ReadFile(missing);
    CHECK(m.status().code() == StatusCode::kNotFound);
    CHECK_THAT(m.status().message(), Contains(missing));

    Result<SnapshotReader> d = SnapshotReader::ReadFile(dir.path());
    CHECK(d.status().code() == StatusCode::kIOError);
    CHECK_THAT(d.status().message(), Contains(dir.path()));

    const std::string corrupt = dir.file("corrupt.snap");
    std::string bytes = ThreeSectionFile();
    bytes.pop_back();
    WriteRaw(corrupt, bytes);
    Result<SnapshotReader> c = SnapshotReader::ReadFile(corrupt);
    CHECK(c.status().code() == StatusCode::kCorruption);
    CHECK_THAT(c.status().message(), Contains(corrupt));
  }
}

TEST_CASE("snapshot: SnapshotFileWriter writes section by section", "[snapshot]") {
  TempDir dir;
  const std::string path = dir.file("engine.snap");
  SnapshotWriter whole(3);  // the in-memory writer, same sections
  whole.AddSection(kMeta, "engine=techmatch dim=64");
  whole.AddSection(kRecs, RandomBytes(100000, 8));
  whole.AddSection(kVocb, "");
  const Result<std::string> want = whole.Finish();
  REQUIRE(want.ok());

  SECTION("the same bytes as SnapshotWriter, published on Commit") {
    auto w = SnapshotFileWriter::Create(path, 3);
    REQUIRE(w.ok());
    REQUIRE((*w)->AddSection(kMeta, "engine=techmatch dim=64").ok());
    {
      std::string big = RandomBytes(100000, 8);  // freed after it is written
      REQUIRE((*w)->AddSection(kRecs, big).ok());
    }
    REQUIRE((*w)->AddSection(kVocb, "").ok());
    // Nothing under the final name before the commit.
    CHECK_FALSE(std::filesystem::exists(path));
    REQUIRE((*w)->Commit().ok());
    std::ifstream in(path, std::ios::binary);
    const std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(got == *want);
    CHECK(DirEntries(dir.path()) == std::vector<std::string>{"engine.snap"});
    CHECK((*w)->Commit().code() == StatusCode::kFailedPrecondition);
    CHECK((*w)->AddSection(Fourcc("LATE"), "x").code() == StatusCode::kFailedPrecondition);
    w->reset();
    CHECK(SnapshotReader::ReadFile(path).ok());  // destroying it keeps the file
  }

  SECTION("a section written in pieces is the same bytes") {
    auto w = SnapshotFileWriter::Create(path, 3);
    REQUIRE(w.ok());
    REQUIRE((*w)->AddSection(kMeta, "engine=techmatch dim=64").ok());
    const std::string big = RandomBytes(100000, 8);
    REQUIRE((*w)->BeginSection(kRecs, big.size()).ok());
    for (size_t i = 0; i < big.size(); i += 7777) {
      REQUIRE((*w)->AppendSection(std::string_view(big).substr(i, 7777)).ok());
    }
    REQUIRE((*w)->AppendSection("").ok());
    REQUIRE((*w)->EndSection().ok());
    REQUIRE((*w)->BeginSection(kVocb, 0).ok());
    REQUIRE((*w)->EndSection().ok());
    REQUIRE((*w)->Commit().ok());
    std::ifstream in(path, std::ios::binary);
    const std::string got((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(got == *want);
  }

  SECTION("a section longer or shorter than begun, or left open, fails the writer") {
    {
      auto w = SnapshotFileWriter::Create(path);
      REQUIRE(w.ok());
      REQUIRE((*w)->BeginSection(kRecs, 4).ok());
      REQUIRE((*w)->AppendSection("abc").ok());
      const Status longer = (*w)->AppendSection("de");
      CHECK(longer.code() == StatusCode::kInvalidArgument);
      CHECK_THAT(longer.message(), Contains("'RECS' longer than the length"));
      CHECK((*w)->EndSection().code() == StatusCode::kInvalidArgument);
      CHECK((*w)->Commit().code() == StatusCode::kInvalidArgument);
    }
    {
      auto w = SnapshotFileWriter::Create(path);
      REQUIRE(w.ok());
      REQUIRE((*w)->BeginSection(kRecs, 4).ok());
      REQUIRE((*w)->AppendSection("abc").ok());
      const Status shorter = (*w)->EndSection();
      CHECK(shorter.code() == StatusCode::kInvalidArgument);
      CHECK_THAT(shorter.message(), Contains("1 bytes short"));
    }
    {
      auto w = SnapshotFileWriter::Create(path);
      REQUIRE(w.ok());
      CHECK((*w)->AppendSection("x").code() == StatusCode::kFailedPrecondition);
    }
    {
      auto w = SnapshotFileWriter::Create(path);
      REQUIRE(w.ok());
      REQUIRE((*w)->BeginSection(kRecs, 1).ok());
      CHECK((*w)->AddSection(kMeta, "m").code() == StatusCode::kFailedPrecondition);
    }
    {
      auto w = SnapshotFileWriter::Create(path);
      REQUIRE(w.ok());
      REQUIRE((*w)->BeginSection(kRecs, 1).ok());
      CHECK((*w)->Commit().code() == StatusCode::kFailedPrecondition);
    }
    CHECK(DirEntries(dir.path()).empty());  // no file, no temporary file
  }

  SECTION("a bad tag fails every later call and leaves no file") {
    auto w = SnapshotFileWriter::Create(path);
    REQUIRE(w.ok());
    REQUIRE((*w)->AddSection(kMeta, "a").ok());
    const Status dup = (*w)->AddSection(kMeta, "b");
    CHECK(dup.code() == StatusCode::kInvalidArgument);
    CHECK_THAT(dup.message(), Contains("duplicate section 'META'"));
    CHECK((*w)->AddSection(kRecs, "c").code() == StatusCode::kInvalidArgument);
    CHECK((*w)->Commit().code() == StatusCode::kInvalidArgument);
    w->reset();
    CHECK(DirEntries(dir.path()).empty());

    auto r = SnapshotFileWriter::Create(path);
    REQUIRE(r.ok());
    CHECK_THAT((*r)->AddSection(kFooterTag, "x").message(), Contains("reserved"));
  }

  SECTION("a writer dropped without Commit removes its temporary file") {
    SnapshotWriter old_writer;
    old_writer.AddSection(kMeta, "old");
    REQUIRE(old_writer.WriteFile(path).ok());
    {
      auto w = SnapshotFileWriter::Create(path);
      REQUIRE(w.ok());
      REQUIRE((*w)->AddSection(kMeta, "new").ok());
      CHECK(DirEntries(dir.path()).size() == 2);  // engine.snap, its .tmp
    }
    CHECK(DirEntries(dir.path()) == std::vector<std::string>{"engine.snap"});
    CHECK(*SnapshotReader::ReadFile(path)->Section(kMeta) == "old");
  }

  SECTION("a missing directory is IOError naming the path") {
    const std::string bad = dir.file("no/such/dir/engine.snap");
    auto w = SnapshotFileWriter::Create(bad);
    CHECK(w.status().code() == StatusCode::kIOError);
    CHECK_THAT(w.status().message(), Contains(bad));
  }
}

TEST_CASE("snapshot: ReadFile maps large files", "[snapshot]") {
  TempDir dir;
  const std::string path = dir.file("big.snap");
  const std::string big = RandomBytes(SnapshotReader::kMapMinBytes + 12345, 21);
  SnapshotWriter w;
  w.AddSection(kMeta, "meta");
  w.AddSection(kRecs, big);
  w.AddSection(kVocb, "vocab");
  REQUIRE(w.WriteFile(path).ok());

  Result<SnapshotReader> r = SnapshotReader::ReadFile(path);
  REQUIRE(r.ok());
  CHECK(r->mapped());
  CHECK(r->file_size() == std::filesystem::file_size(path));
  CHECK(*r->Section(kMeta) == "meta");
  const std::string_view view = *r->Section(kRecs);
  CHECK(view == big);
  // Released pages come back from the file; views stay valid.
  r->Release(kRecs);
  r->Release(Fourcc("NONE"));  // absent: nothing to do
  CHECK(view == big);
  // So do parts of a section; views outside the file are ignored.
  r->ReleaseBytes(view.substr(1, view.size() / 2));
  r->ReleaseBytes(view.substr(view.size() - 1));
  r->ReleaseBytes(std::string_view(big));  // not in the map
  r->ReleaseBytes(std::string_view());
  CHECK(view == big);
  CHECK(*r->Section(kVocb) == "vocab");
  // Moving the reader keeps the map and the views.
  SnapshotReader moved = std::move(*r);
  CHECK(*moved.Section(kRecs) == big);

  SECTION("a damaged mapped file is Corruption naming the path") {
    std::string bytes = *w.Finish();
    bytes[bytes.size() / 2] ^= 0x10;
    const std::string bad = dir.file("bad.snap");
    WriteRaw(bad, bytes);
    Result<SnapshotReader> b = SnapshotReader::ReadFile(bad);
    CHECK(b.status().code() == StatusCode::kCorruption);
    CHECK_THAT(b.status().message(), Contains(bad));
    CHECK_THAT(b.status().message(), Contains("checksum mismatch"));
  }

  SECTION("small files are read, not mapped") {
    SnapshotWriter small;
    small.AddSection(kMeta, "m");
    REQUIRE(small.WriteFile(dir.file("small.snap")).ok());
    Result<SnapshotReader> sr = SnapshotReader::ReadFile(dir.file("small.snap"));
    REQUIRE(sr.ok());
    CHECK_FALSE(sr->mapped());
    CHECK(*sr->Section(kMeta) == "m");
  }
}

TEST_CASE("snapshot: readers never see a partly written file", "[snapshot][threads]") {
  // One thread replaces the file over and over with two different versions;
  // another reads it meanwhile. Every read must be complete and valid.
  TempDir dir;
  const std::string path = dir.file("live.snap");
  SnapshotWriter a, b;
  a.AddSection(kMeta, "A");
  a.AddSection(kRecs, RandomBytes(256 * 1024, 10));
  b.AddSection(kMeta, "B");
  b.AddSection(kRecs, RandomBytes(300 * 1024, 11));
  REQUIRE(a.WriteFile(path).ok());

  std::atomic<bool> stop{false};
  std::atomic<int> reads{0}, bad_reads{0};
  std::thread reader([&] {
    while (!stop.load()) {
      Result<SnapshotReader> r = SnapshotReader::ReadFile(path);
      if (!r.ok()) {
        ++bad_reads;
      } else {
        const std::string_view meta = *r->Section(kMeta);
        if (meta != "A" && meta != "B") ++bad_reads;
      }
      ++reads;
    }
  });
  int write_failures = 0;
  for (int i = 0; i < 10; ++i) {
    if (!(i % 2 ? a : b).WriteFile(path).ok()) ++write_failures;
  }
  // Let the reader see the final version at least once.
  const int seen = reads.load();
  while (reads.load() < seen + 2) std::this_thread::yield();
  stop = true;
  reader.join();
  CHECK(write_failures == 0);
  CHECK(bad_reads.load() == 0);
  CHECK(reads.load() > 0);
  CHECK(DirEntries(dir.path()) == std::vector<std::string>{"live.snap"});
}

// (g) Large payloads round-trip exactly. 50 MB goes through memory (CPU
// bound: copies and checksums); the on-disk round trip uses 4 MB because
// WriteFile's fsync runs at disk speed, which on a busy machine can take
// seconds for 50 MB and says nothing more about correctness.
TEST_CASE("snapshot: large payload round trip", "[snapshot]") {
  const size_t kSize = size_t{50} << 20;
  const std::string payload = RandomBytes(kSize, 99);
  const std::string small = "after the big one";

  auto start = std::chrono::steady_clock::now();
  auto lap = [&start]() {
    const auto now = std::chrono::steady_clock::now();
    const double ms =
        std::chrono::duration<double, std::milli>(now - start).count();
    start = now;
    return ms;
  };

  SnapshotWriter w;
  w.AddSection(Fourcc("DIDX"), payload);  // a copy
  w.AddSection(kMeta, small);
  Result<std::string> bytes = w.Finish();
  REQUIRE(bytes.ok());
  const double finish_ms = lap();
  std::string damaged = *bytes;
  Result<SnapshotReader> r = SnapshotReader::Parse(std::move(bytes).value());
  REQUIRE(r.ok());
  const double parse_ms = lap();
  CHECK(*r->Section(Fourcc("DIDX")) == payload);
  CHECK(*r->Section(kMeta) == small);
  CHECK(r->file_size() == kSize + small.size() + 2 * 16 + 40);
  SUCCEED("50 MB in memory: Finish "
          << finish_ms << " ms, Parse " << parse_ms
          << " ms (crc32c hardware: " << crc32c::HardwareAvailable() << ")");

  // A damaged byte deep inside the big payload is still caught.
  damaged[kSnapshotHeaderSize + kSectionHeaderSize + kSize / 2] ^= 0x10;
  CHECK_THAT(SnapshotReader::Parse(std::move(damaged)).status().message(),
             EndsWith("section 1 ('DIDX') checksum mismatch"));

  const size_t kFileSize = size_t{4} << 20;
  SnapshotWriter fw;
  fw.AddSection(Fourcc("DIDX"), std::string(payload.substr(0, kFileSize)));
  fw.AddSection(kMeta, small);
  TempDir dir;
  const std::string path = dir.file("big.snap");
  lap();
  REQUIRE(fw.WriteFile(path).ok());
  const double write_ms = lap();
  Result<SnapshotReader> f = SnapshotReader::ReadFile(path);
  REQUIRE(f.ok());
  const double read_ms = lap();
  CHECK(*f->Section(Fourcc("DIDX")) ==
        std::string_view(payload).substr(0, kFileSize));
  CHECK(*f->Section(kMeta) == small);
  SUCCEED("4 MB on disk: WriteFile " << write_ms << " ms, ReadFile " << read_ms
                                     << " ms");
}

}  // namespace
}  // namespace techmatch::internal

// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
//
// JSON Lines reading and writing of records (schema: docs/records.md).
// nlohmann::json does the JSON (record_json.cc maps it to records); every
// exception it (or the allocator, or a caller's sink) can throw is caught
// here and turned into a Status.

#include "techmatch/record_io.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <istream>
#include <memory>
#include <new>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <unordered_map>
#include <utility>

#include "record/record_json.h"
#include "record/record_text.h"
#include "util/catch_all.h"

namespace techmatch {
namespace {

using internal::CatchAll;
using internal::CheckMapping;
using internal::IsAsciiSpace;
using internal::MakePlan;
using internal::ParseLine;
using internal::Plan;
using internal::Quote;
using internal::Split;
using internal::ToJson;
using internal::Trim;

using Json = nlohmann::json;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), IsAsciiSpace);
}

// Reads lines in chunks, never holding more than max_line_bytes (+1 for a
// '\r') of one line: a longer line is reported as too long, and consumed up
// to its newline when `skip_long` (lenient reading goes on after it), or
// reported at once otherwise (the read stops there: input without a newline,
// such as /dev/zero, fails after max_line_bytes instead of never).
class LineReader {
 public:
  LineReader(std::istream& in, size_t max_bytes, bool skip_long)
      : in_(in),
        max_(max_bytes),
        skip_long_(skip_long),
        keep_(max_bytes < SIZE_MAX ? max_bytes + 1 : max_bytes),
        buf_(new char[kChunk]) {}

  // False at the end of the input.
  bool Next(std::string* line, bool* too_long) {
    line->clear();
    *too_long = false;
    bool any = false;
    while (true) {
      if (pos_ == end_ && !Fill()) break;
      any = true;
      const char* start = buf_.get() + pos_;
      const auto* nl =
          static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
      size_t len = nl ? static_cast<size_t>(nl - start) : end_ - pos_;
      if (!*too_long && line->size() + len > keep_) {
        *too_long = true;
        std::string().swap(*line);
        if (!skip_long_) return true;
      }
      if (!*too_long) line->append(start, len);
      pos_ += len + (nl ? 1 : 0);
      if (nl) break;
    }
    if (!line->empty() && line->back() == '\r') line->pop_back();
    if (line->size() > max_) *too_long = true;
    return any;
  }

  bool bad() const { return in_.bad(); }

 private:
  static constexpr size_t kChunk = 64 * 1024;

  bool Fill() {
    if (in_.eof() || in_.fail()) return false;
    in_.read(buf_.get(), kChunk);
    pos_ = 0;
    end_ = static_cast<size_t>(in_.gcount());
    return end_ > 0;
  }

  std::istream& in_;
  size_t max_;
  bool skip_long_;
  size_t keep_;  // bytes of a line kept: max_ plus room for a '\r'
  std::unique_ptr<char[]> buf_;
  size_t pos_ = 0, end_ = 0;
};

// Turns stream exceptions off while we read and restores the caller's mask.
class ExceptionMaskGuard {
 public:
  explicit ExceptionMaskGuard(std::ios& s) : s_(s), saved_(s.exceptions()) {
    s_.exceptions(std::ios::goodbit);
  }
  ~ExceptionMaskGuard() {
    try {
      s_.exceptions(saved_);  // sets the mask, then may throw for the state
    } catch (...) {
    }
  }
  ExceptionMaskGuard(const ExceptionMaskGuard&) = delete;
  ExceptionMaskGuard& operator=(const ExceptionMaskGuard&) = delete;

 private:
  std::ios& s_;
  std::ios::iostate saved_;
};

Status ReadStream(std::istream& in, const JsonlReadOptions& options,
                  const std::function<Status(Record&&)>& sink,
                  ReadReport& report, std::string_view source) {
  Status valid = options.Validate();
  if (!valid.ok()) return valid.WithContext("invalid JsonlReadOptions");
  if (!sink) return Status::InvalidArgument("ReadRecordsJsonl: empty sink");
  ExceptionMaskGuard guard(in);
  if (in.fail()) {
    return Status::IOError(std::string(source) + ": stream is not readable");
  }
  const Plan plan = MakePlan(options);
  std::unordered_map<std::string, size_t> first_line[2];  // by kind
  LineReader reader(in, options.max_line_bytes, options.lenient);
  std::string line;
  bool too_long = false;
  while (reader.Next(&line, &too_long)) {
    const size_t line_no = ++report.lines;
    const std::string where =
        std::string(source) + ":" + std::to_string(line_no);
    std::string_view text = line;
    size_t base = 0;
    if (line_no == 1 && text.substr(0, kBom.size()) == kBom) {
      text.remove_prefix(kBom.size());
      base = kBom.size();
    }
    if (!too_long && IsBlank(text)) continue;
    Result<Record> rec = too_long ? Result<Record>(Status::InvalidArgument(
                                        where + ": line is longer than " +
                                        std::to_string(options.max_line_bytes) +
                                        " bytes (max_line_bytes)"))
                                  : ParseLine(text, base, plan, where);
    if (rec.ok()) {
      auto& seen = first_line[rec->kind == RecordKind::kDemand ? 1 : 0];
      auto [it, inserted] = seen.emplace(rec->id, line_no);
      if (!inserted) {
        rec = Status::InvalidArgument(
            where + ": duplicate " + RecordKindName(rec->kind) + " id " +
            Quote(it->first) + " (first seen on line " +
            std::to_string(it->second) + ")");
      }
    }
    if (!rec.ok()) {
      if (!options.lenient) return rec.status();
      ++report.skipped;
      if (report.errors.size() < ReadReport::kMaxErrors) {
        report.errors.push_back(rec.status().message());
      }
      continue;
    }
    ++report.records;
    TECHMATCH_RETURN_IF_ERROR(sink(std::move(*rec)));
  }
  if (reader.bad()) {
    return Status::IOError(std::string(source) + ": read error after line " +
                           std::to_string(report.lines));
  }
  return Status::OK();
}


Status WriteStream(std::ostream& out, const std::vector<Record>& records) {
  std::unordered_map<std::string, size_t> first_index[2];
  for (size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    Status s = r.Validate();
    if (!s.ok()) return s.WithContext("records[" + std::to_string(i) + "]");
    auto [it, inserted] =
        first_index[r.kind == RecordKind::kDemand ? 1 : 0].emplace(r.id, i);
    if (!inserted) {
      return Status::InvalidArgument(
          "records[" + std::to_string(i) + "]: duplicate " +
          RecordKindName(r.kind) + " id " + Quote(r.id) +
          " (first in records[" + std::to_string(it->second) + "])");
    }
  }
  ExceptionMaskGuard guard(out);
  std::string line;
  for (size_t i = 0; i < records.size(); ++i) {
    line = ToJson(records[i]).dump(-1, ' ', false);
    line += '\n';
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
    if (!out) {
      return Status::IOError("write failed at records[" + std::to_string(i) +
                             "]");
    }
  }
  if (!out.flush()) return Status::IOError("write failed on flush");
  return Status::OK();
}

Status WriteFile(const std::string& path, const std::vector<Record>& records) {
  const std::string tmp = path + ".tmp";
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  if (!out) {
    return Status::IOError(path + ": cannot create " + tmp + ": " +
                           std::strerror(errno));
  }
  // Guarded here too, so an exception mid-write still removes the .tmp.
  Status s = CatchAll(path, [&] { return WriteStream(out, records); });
  out.close();
  if (s.ok() && out.fail()) s = Status::IOError("close failed");
  std::error_code ec;
  if (s.ok()) {
    std::filesystem::rename(tmp, path, ec);
    if (ec) s = Status::IOError("cannot rename " + tmp + ": " + ec.message());
  }
  if (!s.ok()) {
    std::filesystem::remove(tmp, ec);
    if (s.code() == StatusCode::kIOError) return s.WithContext(path);
  }
  return s;
}

}  // namespace

Status JsonlReadOptions::Validate() const {
  if (max_line_bytes == 0)
    return Status::InvalidArgument("max_line_bytes is 0");
  for (const auto& [target, sources] : field_map) {
    std::string err = CheckMapping(target, sources);
    if (!err.empty()) {
      return Status::InvalidArgument("field_map[" + Quote(target) +
                                     "]: " + err);
    }
  }
  return Status::OK();
}

Status JsonlReadOptions::AddFieldMap(std::string_view spec) {
  return CatchAll("AddFieldMap", [&]() -> Status {
    if (Trim(spec).empty()) return Status::OK();
    std::map<std::string, std::vector<std::string>> added;
    for (std::string_view entry : Split(spec, ',')) {
      auto bad = [entry](std::string_view why) {
        return Status::InvalidArgument("field map entry " + Quote(entry) +
                                       ": " + std::string(why));
      };
      if (entry.empty()) return bad("empty entry");
      size_t eq = entry.find('=');
      if (eq == std::string_view::npos) return bad("missing '='");
      std::string target(Trim(entry.substr(0, eq)));
      std::vector<std::string> sources;
      for (std::string_view src : Split(entry.substr(eq + 1), '/')) {
        if (src.empty()) return bad("empty source field");
        sources.emplace_back(src);
      }
      std::string err = CheckMapping(target, sources);
      if (!err.empty()) return bad(err);
      if (!added.emplace(target, std::move(sources)).second) {
        return bad("target " + Quote(target) + " mapped twice");
      }
    }
    for (auto& [target, sources] : added)
      field_map[target] = std::move(sources);
    return Status::OK();
  });
}

Result<Record> ParseRecordJson(std::string_view json,
                               const JsonlReadOptions& options,
                               std::string_view where) {
  return CatchAll(where.empty() ? "ParseRecordJson" : where,
                 [&]() -> Result<Record> {
                   Status valid = options.Validate();
                   if (!valid.ok()) {
                     return valid.WithContext("invalid JsonlReadOptions");
                   }
                   return ParseLine(json, 0, MakePlan(options), where);
                 });
}

Status ReadRecordsJsonl(std::istream& in, const JsonlReadOptions& options,
                        const std::function<Status(Record&&)>& sink,
                        ReadReport* report, std::string_view source) {
  ReadReport local;
  ReadReport& rep = report != nullptr ? *report : local;
  return CatchAll(source, [&]() -> Status {
    rep = ReadReport();
    return ReadStream(in, options, sink, rep, source);
  });
}

Result<std::vector<Record>> ReadRecordsJsonlFile(
    const std::string& path, const JsonlReadOptions& options,
    ReadReport* report) {
  return CatchAll(path, [&]() -> Result<std::vector<Record>> {
    std::error_code ec;
    auto st = std::filesystem::status(path, ec);
    if (st.type() == std::filesystem::file_type::not_found) {
      return Status::NotFound(path + ": no such file");
    }
    if (ec) return Status::IOError(path + ": " + ec.message());
    if (std::filesystem::is_directory(st)) {
      return Status::IOError(path + ": is a directory");
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      return Status::IOError(path + ": cannot open: " + std::strerror(errno));
    }
    std::vector<Record> records;
    TECHMATCH_RETURN_IF_ERROR(ReadRecordsJsonl(
        in, options,
        [&records](Record&& r) {
          records.push_back(std::move(r));
          return Status::OK();
        },
        report, path));
    return records;
  });
}

std::string RecordToJson(const Record& record) {
  try {
    return ToJson(record).dump(-1, ' ', false, Json::error_handler_t::replace);
  } catch (...) {
    return std::string();  // only std::bad_alloc can get here
  }
}

Status WriteRecordsJsonl(std::ostream& out,
                         const std::vector<Record>& records) {
  return CatchAll("WriteRecordsJsonl",
                 [&] { return WriteStream(out, records); });
}

Status WriteRecordsJsonlFile(const std::string& path,
                             const std::vector<Record>& records) {
  return CatchAll(path, [&] { return WriteFile(path, records); });
}

}  // namespace techmatch

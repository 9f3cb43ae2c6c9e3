// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Engine snapshots: a directory with a CURRENT pointer and one snapshot
// file per generation (docs/format.md, "Engine snapshots").

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>

#include "engine/engine_impl.h"
#include "engine/options_json.h"
#include "io/coding.h"
#include "io/snapshot_file.h"
#include "record/record_binary.h"
#include "techmatch/record_io.h"
#include "util/catch_all.h"
#include "util/parallel.h"

namespace techmatch {
namespace internal {
namespace {

using nlohmann::json;

/// The engine's own layout version inside the container (META
/// "engine_format"). Bump it when a section's encoding changes; readers of
/// another version refuse the snapshot with NotSupported. Adding a section
/// or a META key does not change it (readers skip what they do not know).
/// 2: RECS holds each record in the binary layout of record_binary.h; 1
/// (still read): as JSON.
constexpr int kEngineFormat = 2;
constexpr int kOldestEngineFormat = 1;

constexpr uint32_t kTagCurrent = Fourcc("CURR");
constexpr uint32_t kTagMeta = Fourcc("META");
constexpr uint32_t kTagRecords = Fourcc("RECS");
constexpr uint32_t kTagLexSupply = Fourcc("LEXS");
constexpr uint32_t kTagLexDemand = Fourcc("LEXD");
constexpr uint32_t kTagEmbedder = Fourcc("EMBD");
constexpr uint32_t kTagDense = Fourcc("DIDX");
constexpr uint32_t kTagScorer = Fourcc("SCOR");
constexpr uint32_t kTagCalibration = Fourcc("CALB");

const char kCurrentName[] = "CURRENT";
const char kFilePrefix[] = "engine-";
const char kFileSuffix[] = ".tms";

// ---------------------------------------------------------------- records

void PutKeys(std::string* out, const std::vector<uint64_t>& keys) {
  PutVarint64(out, keys.size());
  PutFixed64s(out, keys.data(), keys.size());
}

bool ReadKeys(Decoder* in, std::vector<uint64_t>* keys) {
  uint64_t n;
  if (!in->ReadCount(&n, 8)) return false;
  keys->resize(size_t(n));
  return in->ReadFixed64s(keys->data(), size_t(n));
}

using Sink = std::function<bool(std::string_view)>;

/// RECS, handed to `sink` in pieces of about 1 MiB; false as soon as the
/// sink returns false.
bool EmitRecords(const EngineImpl& e, const Sink& sink) {
  constexpr size_t kPiece = size_t{1} << 20;
  std::string recs;
  PutVarint64(&recs, e.docs_.size());
  PutVarint64(&recs, e.live_[0] + e.live_[1]);
  for (uint32_t d = 0; d < e.docs_.size(); ++d) {
    const DocInfo& info = e.docs_[d];
    if (!info.live) continue;
    PutVarint32(&recs, d);
    recs.push_back(info.has_vector ? 1 : 0);
    PutRecordBinary(&recs, info.record);
    PutKeys(&recs, info.title_keys);
    PutVarint64(&recs, info.keyword_keys.size());
    for (const auto& k : info.keyword_keys) PutKeys(&recs, k);
    if (recs.size() >= kPiece) {
      if (!sink(recs)) return false;
      recs.clear();
    }
  }
  return recs.empty() || sink(recs);
}

/// Writes a section whose bytes `emit` hands to a sink in pieces, never
/// whole in memory: a first pass counts them, the second writes them.
/// `emit` must give the same bytes both times.
Status WriteInPieces(SnapshotFileWriter* w, uint32_t tag,
                     const std::function<bool(const Sink&)>& emit) {
  uint64_t length = 0;
  emit([&length](std::string_view piece) {
    length += piece.size();
    return true;
  });
  TECHMATCH_RETURN_IF_ERROR(w->BeginSection(tag, length));
  Status appended;
  emit([&](std::string_view piece) {
    appended = w->AppendSection(piece);
    return appended.ok();
  });
  TECHMATCH_RETURN_IF_ERROR(appended);
  return w->EndSection();
}

// ---------------------------------------------------------------- files

Status SyncDir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IOError("cannot open directory '" + dir + "': " + std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0 && err != EINVAL) {
    return Status::IOError("cannot fsync directory '" + dir + "': " + std::strerror(err));
  }
  return Status::OK();
}

/// The generation named by a snapshot file name, or -1.
long long GenerationOf(const std::string& name) {
  const size_t p = sizeof(kFilePrefix) - 1, s = sizeof(kFileSuffix) - 1;
  if (name.size() <= p + s || name.compare(0, p, kFilePrefix) != 0 ||
      name.compare(name.size() - s, s, kFileSuffix) != 0) {
    return -1;
  }
  long long g = 0;
  for (size_t i = p; i < name.size() - s; ++i) {
    if (name[i] < '0' || name[i] > '9' || g > (1LL << 50)) return -1;
    g = g * 10 + (name[i] - '0');
  }
  return g;
}

std::vector<std::string> ListDirectory(const std::string& dir) {
  std::vector<std::string> out;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return out;
  while (dirent* e = ::readdir(d)) out.push_back(e->d_name);
  ::closedir(d);
  return out;
}

/// Removes generations older than the one before `gen` (a reader that read
/// the old CURRENT may still be opening it) and temporary files a crashed
/// Save left behind (one engine saves to a directory at a time).
void DropOldFiles(const std::string& dir, long long gen) {
  for (const std::string& n : ListDirectory(dir)) {
    const long long g = GenerationOf(n);
    const bool old = g >= 0 && g < gen - 1;
    const bool temp = (n.rfind(kFilePrefix, 0) == 0 || n.rfind(kCurrentName, 0) == 0) &&
                      n.find(".tmp.") != std::string::npos;
    if (old || temp) ::unlink((dir + "/" + n).c_str());
  }
}

Result<std::string> ReadCurrent(const std::string& dir) {
  auto current = SnapshotReader::ReadFile(dir + "/" + kCurrentName);
  if (!current.ok()) return current.status();
  auto name = current->Section(kTagCurrent);
  if (!name.ok()) return Status::Corruption("CURRENT has no file name");
  std::string n(*name);
  if (GenerationOf(n) < 0) return Status::Corruption("CURRENT names no snapshot file");
  return n;
}

/// A section that must be present: Corruption naming the file if absent.
Result<std::string_view> Required(const SnapshotReader& file, uint32_t tag,
                                  const char* name, const std::string& path) {
  if (!file.Has(tag)) {
    return Status::Corruption(path + ": no section '" + name + "'");
  }
  return file.Section(tag);
}

}  // namespace

// ---------------------------------------------------------------- save

namespace {

// Builds the sections one at a time and writes each before building the
// next, so a save needs one section's bytes in memory, not the file's.
Status WriteSections(const EngineImpl& e, SnapshotFileWriter* w) {
  // META keeps the linear weights (or the configured ones) for readers
  // that predate the SCOR section.
  const auto* linear = dynamic_cast<const LinearScorer*>(e.scorer_.get());
  json meta = {{"engine_format", kEngineFormat},
               {"built", e.built_},
               {"options", OptionsToJson(e.options_)},
               {"weights", WeightsToJson(linear != nullptr ? linear->weights()
                                                           : e.options_.scorer.weights)},
               {"scorer", e.scorer_->name()},
               {"supplies", e.live_[0]},
               {"demands", e.live_[1]}};
  TECHMATCH_RETURN_IF_ERROR(w->AddSection(kTagMeta, meta.dump()));
  // The records and the BM25 indexes are most of a large engine's file:
  // they are written in pieces.
  TECHMATCH_RETURN_IF_ERROR(WriteInPieces(
      w, kTagRecords, [&e](const Sink& sink) { return EmitRecords(e, sink); }));
  for (const uint32_t tag : {kTagLexSupply, kTagLexDemand}) {
    const LexicalIndex& lex = *e.lexical_[tag == kTagLexSupply ? 0 : 1];
    TECHMATCH_RETURN_IF_ERROR(
        WriteInPieces(w, tag, [&lex](const Sink& sink) { return lex.Save(sink); }));
  }
  std::string scorer;
  PutLengthPrefixedString(&scorer, e.scorer_->name());
  TECHMATCH_RETURN_IF_ERROR(e.scorer_->Save(&scorer).WithContext("scorer"));
  TECHMATCH_RETURN_IF_ERROR(w->AddSection(kTagScorer, scorer));
  if (!e.calibration_.empty()) {
    // CALB: varint64 queries, varint32 n, n (raw, probability) doubles,
    // then varint32 m and m (raw, probability) doubles of the per-match map.
    std::string cal;
    PutVarint64(&cal, e.calibration_.queries);
    PutVarint32(&cal, uint32_t(e.calibration_.raw.size()));
    for (size_t i = 0; i < e.calibration_.raw.size(); ++i) {
      PutDouble(&cal, e.calibration_.raw[i]);
      PutDouble(&cal, e.calibration_.probability[i]);
    }
    PutVarint32(&cal, uint32_t(e.calibration_.match_raw.size()));
    for (size_t i = 0; i < e.calibration_.match_raw.size(); ++i) {
      PutDouble(&cal, e.calibration_.match_raw[i]);
      PutDouble(&cal, e.calibration_.match_probability[i]);
    }
    TECHMATCH_RETURN_IF_ERROR(w->AddSection(kTagCalibration, cal));
  }
  if (e.built_ || e.external()) {
    {
      std::string emb;
      TECHMATCH_RETURN_IF_ERROR(e.embedder_->Save(&emb));
      TECHMATCH_RETURN_IF_ERROR(w->AddSection(kTagEmbedder, emb));
    }
    std::string idx;
    TECHMATCH_RETURN_IF_ERROR(e.dense_->Save(&idx));
    TECHMATCH_RETURN_IF_ERROR(w->AddSection(kTagDense, idx));
  }
  return Status::OK();
}

}  // namespace

Status EngineImpl::SaveTo(const std::string& dir) const {
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) {
    return Status::IOError("cannot create snapshot directory '" + dir +
                           "': " + std::strerror(errno));
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status::IOError("snapshot path '" + dir + "' is not a directory");
  }
  // One Save per directory at a time: an flock(2) on the directory itself
  // (not on DIR/LOCK, which a long-lived writer such as `techmatch serve`
  // holds while its checkpoints come through here). A second Save fails at
  // once instead of deleting the first one's temporary files, and the
  // temporary files found while holding it are a crashed Save's.
  const int lock_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (lock_fd < 0) {
    return Status::IOError("cannot open snapshot directory '" + dir +
                           "': " + std::strerror(errno));
  }
  struct CloseOnExit {
    int fd;
    ~CloseOnExit() { ::close(fd); }  // releases the lock
  } close_on_exit{lock_fd};
  if (::flock(lock_fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) {
      return Status::FailedPrecondition(
          "snapshot directory '" + dir +
          "' is locked: another Save (another process, or another thread of this one) "
          "is writing into it");
    }
    return Status::IOError("cannot lock snapshot directory '" + dir +
                           "': " + std::strerror(errno));
  }
  // Next generation: one past every file present.
  long long gen = 0;
  for (const std::string& n : ListDirectory(dir)) gen = std::max(gen, GenerationOf(n));
  ++gen;
  char name[64];
  std::snprintf(name, sizeof name, "%s%06lld%s", kFilePrefix, gen, kFileSuffix);
  {
    auto w = SnapshotFileWriter::Create(dir + "/" + name);
    if (!w.ok()) return w.status();
    TECHMATCH_RETURN_IF_ERROR(WriteSections(*this, w->get()));
    TECHMATCH_RETURN_IF_ERROR((*w)->Commit());
  }
  // Switch CURRENT (itself written atomically) to the new file, then drop
  // older generations. A crash before the switch leaves the old CURRENT
  // and its file; after it, the new ones.
  SnapshotWriter current;
  current.AddSection(kTagCurrent, std::string(name));
  TECHMATCH_RETURN_IF_ERROR(current.WriteFile(dir + "/" + kCurrentName));
  DropOldFiles(dir, gen);
  return SyncDir(dir);
}

Status EngineImpl::Save(const std::string& dir) const {
  return CatchAll("engine save", [&]() -> Status {
    // Writers are held off (not readers), so the snapshot is one state.
    std::lock_guard<std::mutex> writer(writer_mu_);
    std::shared_lock<FairSharedMutex> lock(mu_);
    return SaveTo(dir);
  });
}

// ---------------------------------------------------------------- load

namespace {

/// META: the format version (NotSupported for another), the options and
/// whether the engine was built.
Status ReadMeta(const SnapshotReader& file, const std::string& path,
                EngineOptions* options, bool* built, json* meta, int* format) {
  auto bytes = Required(file, kTagMeta, "META", path);
  if (!bytes.ok()) return bytes.status();
  *meta = json::parse(*bytes, nullptr, false);
  if (meta->is_discarded() || !meta->is_object()) {
    return Status::Corruption(path + ": META is not a JSON object");
  }
  auto fmt = meta->find("engine_format");
  if (fmt == meta->end() || !fmt->is_number_integer()) {
    return Status::Corruption(path + ": META has no engine_format");
  }
  if (fmt->get<long long>() < kOldestEngineFormat || fmt->get<long long>() > kEngineFormat) {
    return Status::NotSupported(path + ": engine snapshot format " +
                                std::to_string(fmt->get<long long>()) +
                                ", this build reads formats " +
                                std::to_string(kOldestEngineFormat) + " to " +
                                std::to_string(kEngineFormat));
  }
  *format = int(fmt->get<long long>());
  auto b = meta->find("built");
  auto o = meta->find("options");
  if (b == meta->end() || !b->is_boolean()) {
    return Status::Corruption(path + ": META built: expected true or false");
  }
  if (o == meta->end()) return Status::Corruption(path + ": META has no options");
  *built = b->get<bool>();
  auto parsed = OptionsFromJson(*o);
  if (!parsed.ok()) return parsed.status().WithContext(path + ": META");
  *options = std::move(*parsed);
  ApplyEngineThreads(options);
  return Status::OK();
}

/// The confidence calibration: CALB if present (snapshots without one, or
/// written before it existed, have none).
Status ReadCalibration(const SnapshotReader& file, const std::string& path,
                       ConfidenceCalibration* out) {
  *out = ConfidenceCalibration{};
  if (!file.Has(kTagCalibration)) return Status::OK();
  auto bytes = file.Section(kTagCalibration);
  if (!bytes.ok()) return bytes.status();
  Decoder in(*bytes);
  uint64_t queries = 0;
  uint32_t n = 0;
  if (!in.ReadVarint64(&queries) || !in.ReadVarint32(&n) || n > in.remaining() / 16) {
    return in.Corruption(path + ": CALB");
  }
  ConfidenceCalibration c;
  c.queries = size_t(queries);
  c.raw.resize(n);
  c.probability.resize(n);
  for (uint32_t i = 0; i < n; ++i) {
    if (!in.ReadDouble(&c.raw[i]) || !in.ReadDouble(&c.probability[i])) {
      return in.Corruption(path + ": CALB");
    }
  }
  uint32_t m = 0;
  if (!in.ReadVarint32(&m) || m > in.remaining() / 16) return in.Corruption(path + ": CALB");
  c.match_raw.resize(m);
  c.match_probability.resize(m);
  for (uint32_t i = 0; i < m; ++i) {
    if (!in.ReadDouble(&c.match_raw[i]) || !in.ReadDouble(&c.match_probability[i])) {
      return in.Corruption(path + ": CALB");
    }
  }
  if (in.remaining() != 0) return in.Corruption(path + ": CALB: trailing bytes");
  if (Status v = c.Validate(); !v.ok()) {
    return Status::Corruption(path + ": CALB: " + v.message());
  }
  *out = std::move(c);
  return Status::OK();
}

/// The scorer: SCOR if present, else a linear one from META "weights"
/// (snapshots written before SCOR existed).
Status ReadScorer(const SnapshotReader& file, const json& meta,
                  const EngineOptions& options, const std::string& path,
                  std::unique_ptr<Scorer>* out) {
  if (!file.Has(kTagScorer)) {
    ScorerWeights w = options.scorer.weights;
    if (auto it = meta.find("weights"); it != meta.end()) {
      auto parsed = WeightsFromJson(*it, path + ": META weights");
      if (!parsed.ok()) return parsed.status();
      w = *parsed;
    }
    if (Status v = w.Validate(); !v.ok()) {
      return Status::Corruption(path + ": META weights: " + v.message());
    }
    *out = std::make_unique<LinearScorer>(w);
    return Status::OK();
  }
  auto bytes = file.Section(kTagScorer);
  if (!bytes.ok()) return bytes.status();
  Decoder in(*bytes);
  std::string_view name, rest;
  if (!in.ReadLengthPrefixed(&name) || !in.ReadBytes(in.remaining(), &rest)) {
    return in.Corruption(path + ": SCOR");
  }
  auto scorer = LoadScorer(name, rest);
  if (!scorer.ok()) return scorer.status().WithContext(path);
  *out = std::move(*scorer);
  return Status::OK();
}

/// The lexical indexes (LEXS, LEXD).
Status ReadLexical(const SnapshotReader& file, const std::string& path, EngineImpl* e) {
  const uint32_t lex_tags[2] = {kTagLexSupply, kTagLexDemand};
  const char* lex_names[2] = {"LEXS", "LEXD"};
  for (size_t k = 0; k < 2; ++k) {
    auto bytes = Required(file, lex_tags[k], lex_names[k], path);
    if (!bytes.ok()) return bytes.status();
    // Each chunk's pages leave RAM once decoded (not only the whole
    // section's at the end): the mapped file is never resident at once.
    auto lex = LexicalIndex::Load(*bytes, ResolveThreads(e->options_.threads),
                                  LexicalIndex::kMinChunkBytes,
                                  [&file](std::string_view done) { file.ReleaseBytes(done); });
    if (!lex.ok()) return lex.status().WithContext(path);
    e->lexical_[k] = std::move(*lex);
    file.Release(lex_tags[k]);  // decoded: its pages may leave RAM
  }
  return Status::OK();
}

/// The embedder, and the dense index once built.
Status ReadDense(const SnapshotReader& file, const std::string& path, EngineImpl* e) {
  if (!e->built_ && !e->external()) {
    auto embedder = CreateEmbedder(e->options_.embedder, e->analyzer_);
    if (!embedder.ok()) return embedder.status();
    e->embedder_ = std::move(*embedder);
    return Status::OK();
  }
  auto emb = Required(file, kTagEmbedder, "EMBD", path);
  if (!emb.ok()) return emb.status();
  auto embedder = LoadEmbedder(*emb, e->analyzer_);
  if (!embedder.ok()) return embedder.status().WithContext(path);
  e->embedder_ = std::move(*embedder);
  file.Release(kTagEmbedder);
  auto idx = Required(file, kTagDense, "DIDX", path);
  if (!idx.ok()) return idx.status();
  auto dense = DenseIndex::Load(*idx);
  if (!dense.ok()) return dense.status().WithContext(path);
  e->dense_ = std::move(*dense);
  file.Release(kTagDense);
  if (e->dense_->dim() != e->embedder_->dim()) {
    return Status::Corruption(path + ": dense index and embedder dimensions differ");
  }
  return Status::OK();
}

/// One RECS entry into e->docs_.
Status ReadRecord(Decoder* in, uint64_t total, int64_t* last, int format,
                  const std::string& path, EngineImpl* e) {
  uint32_t doc = 0;
  uint8_t flags = 0;
  if (!in->ReadVarint32(&doc) || !in->ReadFixed8(&flags)) {
    return in->Corruption(path + ": RECS");
  }
  if (int64_t(doc) <= *last || doc >= total || flags > 1) {
    return Status::Corruption(path + ": RECS: bad doc " + std::to_string(doc));
  }
  *last = doc;
  Result<Record> rec = Record();
  if (format >= 2) {
    Status s = GetRecordBinary(in, &*rec);
    if (!s.ok()) rec = s;
  } else {
    std::string_view rec_json;
    if (!in->ReadLengthPrefixed(&rec_json)) return in->Corruption(path + ": RECS");
    rec = ParseRecordJson(rec_json, JsonlReadOptions{});
  }
  if (!rec.ok()) {
    return Status::Corruption(path + ": RECS doc " + std::to_string(doc) + ": " +
                              rec.status().message());
  }
  DocInfo& info = e->docs_[doc];
  info.live = true;
  info.has_vector = flags == 1;
  uint64_t nk = 0;
  if (!ReadKeys(in, &info.title_keys) || !in->ReadCount(&nk, 1)) {
    return in->Corruption(path + ": RECS");
  }
  info.keyword_keys.resize(size_t(nk));
  for (auto& k : info.keyword_keys) {
    if (!ReadKeys(in, &k)) return in->Corruption(path + ": RECS");
  }
  info.record = std::move(*rec);
  const size_t kind = KindIndex(info.record.kind);
  if (!e->ids_[kind].emplace(info.record.id, doc).second) {
    return Status::Corruption(path + ": RECS: " + RecordKindName(info.record.kind) +
                              " \"" + info.record.id + "\" repeated");
  }
  ++e->live_[kind];
  return Status::OK();
}

/// RECS into e->docs_ (CheckRecords then checks them against the indexes).
Status ReadRecords(const SnapshotReader& file, const std::string& path, int format,
                   EngineImpl* e) {
  auto recs = Required(file, kTagRecords, "RECS", path);
  if (!recs.ok()) return recs.status();
  Decoder in(*recs);
  uint64_t total = 0, count = 0;
  if (!in.ReadVarint64(&total) || !in.ReadCount(&count, 4) || total > UINT32_MAX ||
      count > total) {
    return in.Corruption(path + ": RECS");
  }
  e->docs_.resize(size_t(total));
  int64_t last = -1;
  // What has been decoded leaves RAM every 16 MiB, as the BM25 index's
  // chunks do: the mapped file is never resident all at once.
  constexpr size_t kReleaseBytes = size_t{16} << 20;
  size_t released = 0;
  for (uint64_t i = 0; i < count; ++i) {
    TECHMATCH_RETURN_IF_ERROR(ReadRecord(&in, total, &last, format, path, e));
    const size_t done = recs->size() - in.remaining();
    if (done - released >= kReleaseBytes) {
      file.ReleaseBytes(recs->substr(released, done - released));
      released = done;
    }
  }
  file.Release(kTagRecords);
  return in.ExpectEnd(path + ": RECS");
}

/// Every record in its kind's lexical index, every one with a vector in
/// the dense index, and the counts equal.
Status CheckRecords(const std::string& path, const EngineImpl* e) {
  size_t dense_docs = 0;
  for (size_t doc = 0; doc < e->docs_.size(); ++doc) {
    const DocInfo& info = e->docs_[doc];
    if (!info.live) continue;
    if (!e->lexical_[KindIndex(info.record.kind)]->Contains(uint32_t(doc))) {
      return Status::Corruption(path + ": doc " + std::to_string(doc) +
                                " missing from the lexical index");
    }
    if (info.has_vector) {
      if (e->dense_ == nullptr || !e->dense_->Contains(doc)) {
        return Status::Corruption(path + ": doc " + std::to_string(doc) +
                                  " missing from the dense index");
      }
      ++dense_docs;
    }
  }
  if (e->lexical_[0]->size() != e->live_[0] || e->lexical_[1]->size() != e->live_[1] ||
      (e->dense_ != nullptr && e->dense_->size() != dense_docs)) {
    return Status::Corruption(path + ": record counts disagree between sections");
  }
  return Status::OK();
}

Result<std::unique_ptr<Engine>> LoadEngine(const std::string& dir) {
  auto name = ReadCurrent(dir);
  if (!name.ok()) return name.status().WithContext("engine snapshot '" + dir + "'");
  const std::string path = dir + "/" + *name;
  auto file = SnapshotReader::ReadFile(path);
  if (!file.ok()) return file.status();
  auto e = std::make_unique<EngineImpl>();
  json meta;
  int format = 0;
  TECHMATCH_RETURN_IF_ERROR(
      ReadMeta(*file, path, &e->options_, &e->built_, &meta, &format));
  TECHMATCH_RETURN_IF_ERROR(ReadScorer(*file, meta, e->options_, path, &e->scorer_));
  TECHMATCH_RETURN_IF_ERROR(ReadCalibration(*file, path, &e->calibration_));
  auto analyzer = Analyzer::Create(e->options_.analyzer);
  if (!analyzer.ok()) return analyzer.status().WithContext(path);
  e->analyzer_ = std::shared_ptr<const Analyzer>(std::move(*analyzer));
  e->field_weights_ = LexicalFieldWeights(e->options_.lexical);
  // The sections decode independently, on three threads: the lexical
  // indexes (themselves in chunks on the snapshot's threads), the records,
  // and the embedder and dense index on this one; then the records are
  // checked against the indexes. Errors are reported in section order.
  Status lexical, records;
  BackgroundTask lexical_task([&] {
    lexical = CatchAll("engine load: lexical indexes",
                       [&] { return ReadLexical(*file, path, e.get()); });
  });
  BackgroundTask records_task([&] {
    records = CatchAll("engine load: records",
                       [&] { return ReadRecords(*file, path, format, e.get()); });
  });
  const Status dense = ReadDense(*file, path, e.get());
  lexical_task.Join();
  records_task.Join();
  TECHMATCH_RETURN_IF_ERROR(lexical);
  TECHMATCH_RETURN_IF_ERROR(dense);
  TECHMATCH_RETURN_IF_ERROR(records);
  TECHMATCH_RETURN_IF_ERROR(CheckRecords(path, e.get()));
  return std::unique_ptr<Engine>(std::move(e));
}

}  // namespace
}  // namespace internal

Result<std::unique_ptr<Engine>> Engine::Load(const std::string& dir) {
  return internal::CatchAll("engine load",
                            [&]() -> Result<std::unique_ptr<Engine>> {
                              return internal::LoadEngine(dir);
                            });
}

}  // namespace techmatch

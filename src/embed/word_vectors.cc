// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "embed/word_vectors.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <utility>

#include "embed/embedders.h"
#include "io/coding.h"
#include "techmatch/utf8.h"

namespace techmatch::internal {
namespace {

// A binary entry's word longer than this means the file is not word2vec
// binary (or is damaged); without a bound a bad file would be read whole.
constexpr size_t kMaxWordBytes = 4096;

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' ||
                        s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

void SplitFields(std::string_view s, std::vector<std::string_view>* out) {
  out->clear();
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    size_t b = i;
    while (i < s.size() && s[i] != ' ' && s[i] != '\t') ++i;
    if (i > b) out->push_back(s.substr(b, i - b));
  }
}

bool ParseFloat(std::string_view tok, float* v) {
  if (!tok.empty() && tok[0] == '+') tok.remove_prefix(1);
  if (tok.empty()) return false;
  auto r = std::from_chars(tok.data(), tok.data() + tok.size(), *v);
  return r.ec == std::errc() && r.ptr == tok.data() + tok.size();
}

template <typename T>
bool ParseUint(std::string_view tok, T* v) {
  auto r = std::from_chars(tok.data(), tok.data() + tok.size(), *v);
  return !tok.empty() && r.ec == std::errc() &&
         r.ptr == tok.data() + tok.size();
}

// At most 40 bytes of `s`, cut to valid UTF-8, for error messages.
std::string Snippet(std::string_view s) {
  s = s.substr(0, 40);
  size_t bad = FindInvalidUtf8(s);
  if (bad != std::string_view::npos) s = s.substr(0, bad);
  return std::string(s);
}

bool EndsWithNoCase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  s = s.substr(s.size() - suffix.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

// Parses "word v1 ... vd" (fields split on spaces). On failure `why` says
// what is wrong; with check_finite NaN/Inf components are failures too.
bool ParseTextEntry(std::string_view line, size_t dim, bool check_finite,
                    std::vector<std::string_view>* fields, float* vec,
                    std::string* why) {
  SplitFields(line, fields);
  if (fields->size() != dim + 1) {
    *why = "expected a word and " + std::to_string(dim) +
           " components, found " +
           std::to_string(fields->empty() ? 0 : fields->size() - 1) +
           " components";
    return false;
  }
  for (size_t j = 0; j < dim; ++j) {
    std::string_view tok = (*fields)[j + 1];
    if (!ParseFloat(tok, &vec[j])) {
      *why = "component " + std::to_string(j + 1) + " is not a number: \"" +
             Snippet(tok) + "\"";
      return false;
    }
    if (check_finite && !std::isfinite(vec[j])) {
      *why = "component " + std::to_string(j + 1) + " is NaN or infinite";
      return false;
    }
  }
  return true;
}

// The format rule for names other than .bin/.vec/.txt: text if the first
// entry (after the header, skipping blank lines) parses as a text line.
// Binary bytes essentially never form `dim` space-separated numbers.
bool FirstEntryIsText(std::istream& in, size_t dim) {
  const std::streampos pos = in.tellg();
  std::string chunk((size_t{1} << 16) + 32 * dim, '\0');
  in.read(chunk.data(), std::streamsize(chunk.size()));
  const bool at_eof = size_t(in.gcount()) < chunk.size();
  chunk.resize(size_t(in.gcount()));
  in.clear();
  in.seekg(pos);
  size_t start = 0;
  while (start < chunk.size() && (chunk[start] == '\n' || chunk[start] == '\r'))
    ++start;
  size_t end = chunk.find('\n', start);
  if (end == std::string::npos) {
    if (!at_eof) return false;
    end = chunk.size();
  }
  std::vector<std::string_view> fields;
  std::vector<float> vec(dim);
  std::string why;
  return ParseTextEntry(
      TrimRight(std::string_view(chunk).substr(start, end - start)), dim,
      /*check_finite=*/false, &fields, vec.data(), &why);
}

// Normalizes and adds one entry; `where` names it in errors.
template <typename Where>
Status AddEntry(std::string_view word, const float* vec,
                const Analyzer& analyzer, const Where& where,
                WordVectors* out) {
  if (FindInvalidUtf8(word) != std::string_view::npos) {
    return CheckUtf8(word, where() + ": word");
  }
  Result<std::string> norm = analyzer.Normalize(word);
  if (!norm.ok()) return norm.status().WithContext(where());
  // A word that normalizes to nothing can never be looked up.
  if (!norm->empty()) out->Add(std::move(*norm), vec);
  return Status::OK();
}

Status ReadText(std::istream& in, const std::string& path, uint64_t count,
                const Analyzer& analyzer, WordVectors* out) {
  const size_t dim = out->dim;
  std::string line;
  std::vector<std::string_view> fields;
  std::vector<float> vec(dim);
  uint64_t lineno = 1, entries = 0;
  auto where = [&]() { return path + ":" + std::to_string(lineno); };
  while (std::getline(in, line)) {
    ++lineno;
    std::string_view s = TrimRight(line);
    if (s.empty()) continue;
    if (entries == count) {
      return Status::InvalidArgument(where() +
                                     ": more entries than the header's count " +
                                     std::to_string(count));
    }
    std::string why;
    if (!ParseTextEntry(s, dim, /*check_finite=*/true, &fields, vec.data(),
                        &why)) {
      return Status::InvalidArgument(where() + ": " + why);
    }
    TECHMATCH_RETURN_IF_ERROR(
        AddEntry(fields[0], vec.data(), analyzer, where, out));
    ++entries;
  }
  if (in.bad()) return Status::IOError(path + ": read error");
  if (entries != count) {
    return Status::InvalidArgument(
        path + ": the header promises " + std::to_string(count) +
        " words, the file has " + std::to_string(entries) + " (line " +
        std::to_string(lineno) + " is the last)");
  }
  return Status::OK();
}

Status ReadBinary(std::istream& in, const std::string& path, uint64_t count,
                  bool detected, const Analyzer& analyzer, WordVectors* out) {
  const size_t dim = out->dim;
  std::string word;
  std::string buf(4 * dim, '\0');
  std::vector<float> vec(dim);
  uint64_t i = 0;
  auto where = [&]() {
    return path + ": entry " + std::to_string(i + 1) + " of " +
           std::to_string(count) +
           (detected ? " (read as word2vec binary: line 2 is not a text "
                       "entry; name the file .vec to force text)"
                     : "");
  };
  auto is_space = [](int c) {
    return c == '\n' || c == ' ' || c == '\t' || c == '\r';
  };
  for (; i < count; ++i) {
    // word2vec writes '\n' after each vector; other writers write nothing.
    int c = in.get();
    while (c != EOF && is_space(c)) c = in.get();
    if (c == EOF) {
      return Status::InvalidArgument(where() +
                                     ": truncated (the file ends before it)");
    }
    word.clear();
    while (c != EOF && c != ' ') {
      word.push_back(char(c));
      if (word.size() > kMaxWordBytes) {
        return Status::InvalidArgument(where() + ": word longer than " +
                                       std::to_string(kMaxWordBytes) +
                                       " bytes (not a word2vec binary file?)");
      }
      c = in.get();
    }
    if (c == EOF) {
      return Status::InvalidArgument(where() + ": truncated inside the word");
    }
    in.read(buf.data(), std::streamsize(buf.size()));
    if (size_t(in.gcount()) != buf.size()) {
      return Status::InvalidArgument(where() +
                                     ": truncated inside the vector (" +
                                     std::to_string(in.gcount()) + " of " +
                                     std::to_string(buf.size()) + " bytes)");
    }
    for (size_t j = 0; j < dim; ++j) {
      uint32_t bits = DecodeFixed32(buf.data() + 4 * j);
      std::memcpy(&vec[j], &bits, sizeof(float));
      if (!std::isfinite(vec[j])) {
        return Status::InvalidArgument(where() + ": component " +
                                       std::to_string(j + 1) +
                                       " is NaN or infinite");
      }
    }
    TECHMATCH_RETURN_IF_ERROR(AddEntry(word, vec.data(), analyzer, where, out));
  }
  for (int c = in.get(); c != EOF; c = in.get()) {
    if (!is_space(c)) {
      return Status::InvalidArgument(
          path + ": unexpected bytes after the header's " +
          std::to_string(count) + " entries (is the count right?)");
    }
  }
  if (in.bad()) return Status::IOError(path + ": read error");
  return Status::OK();
}

}  // namespace

void WordVectors::Add(std::string word, const float* vector) {
  auto [it, inserted] = index.emplace(std::move(word), uint32_t(words.size()));
  if (!inserted) return;
  words.push_back(it->first);
  vectors.insert(vectors.end(), vector, vector + dim);
}

Status ReadWordVectors(const std::string& path, const Analyzer& analyzer,
                       size_t want_dim, WordVectors* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(path + ": cannot open word vectors file");
  in.seekg(0, std::ios::end);
  const uint64_t file_size = uint64_t(std::max<std::streamoff>(0, in.tellg()));
  in.seekg(0);
  std::string line;
  if (!std::getline(in, line)) {
    return Status::InvalidArgument(path +
                                   ":1: empty file (expected a \"count dim\" "
                                   "header)");
  }
  std::string_view h = line;
  if (h.substr(0, 3) == "\xEF\xBB\xBF") h.remove_prefix(3);
  h = TrimRight(h);
  std::vector<std::string_view> fields;
  SplitFields(h, &fields);
  uint64_t count = 0;
  size_t dim = 0;
  if (fields.size() != 2 || !ParseUint(fields[0], &count) ||
      !ParseUint(fields[1], &dim)) {
    return Status::InvalidArgument(
        path + ":1: bad header \"" + Snippet(h) +
        "\" (expected \"count dim\"; files without one, such as GloVe's, "
        "are not supported)");
  }
  if (count == 0) return Status::InvalidArgument(path + ":1: count is 0");
  if (dim == 0 || dim > kMaxEmbedderDim) {
    return Status::InvalidArgument(path + ":1: dimension " +
                                   std::to_string(dim) + " is not in [1, " +
                                   std::to_string(kMaxEmbedderDim) + "]");
  }
  if (want_dim != 0 && want_dim != dim) {
    return Status::InvalidArgument(
        path + ":1: vectors have dimension " + std::to_string(dim) +
        " but EmbedderOptions.dim is " + std::to_string(want_dim) +
        " (set it to 0 to take the file's)");
  }
  bool binary = false, detected = false;
  if (EndsWithNoCase(path, ".bin")) {
    binary = true;
  } else if (!EndsWithNoCase(path, ".vec") && !EndsWithNoCase(path, ".txt")) {
    binary = !FirstEntryIsText(in, dim);
    detected = binary;
  }
  *out = WordVectors();
  out->dim = dim;
  // Reserve no more than the file could hold: a damaged count must not
  // allocate gigabytes.
  const uint64_t min_entry = binary ? 4 * dim + 2 : 2 * dim + 1;
  const size_t reserve =
      size_t(std::min<uint64_t>(count, file_size / min_entry));
  out->words.reserve(reserve);
  out->index.reserve(reserve);
  out->vectors.reserve(reserve * dim);
  return binary ? ReadBinary(in, path, count, detected, analyzer, out)
                : ReadText(in, path, count, analyzer, out);
}

}  // namespace techmatch::internal

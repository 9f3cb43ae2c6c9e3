// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the tests: locating ../shared data, temp dirs.

#ifndef TECHMATCH_TESTS_TEST_UTIL_H_
#define TECHMATCH_TESTS_TEST_UTIL_H_

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "test_skip.h"

namespace techmatch::testing {

/// Where the shared data sets are expected: TECHMATCH_SHARED_DIR in the
/// environment, else the path configured at build time.
inline std::string SharedRoot() {
  const char* env = std::getenv("TECHMATCH_SHARED_DIR");
  return env ? env : TECHMATCH_SHARED_DIR;
}

/// The shared data directory, or "" when it is absent (tests then skip).
inline std::string SharedDir() {
  std::string dir = SharedRoot();
  std::error_code ec;
  return std::filesystem::is_directory(dir + "/data", ec) ? dir : std::string();
}

/// Path of a file under ../shared/data, or "" if that file is absent.
inline std::string SharedFile(const std::string& rel) {
  std::string dir = SharedDir();
  if (dir.empty()) return "";
  std::string path = dir + "/data/" + rel;
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec) ? path : std::string();
}

/// Why a case needing ../shared/data/<rel> skips: "<path> is absent".
inline std::string Absent(const std::string& rel) {
  return SharedRoot() + "/data/" + rel + " is absent";
}

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// A fresh directory under the system temp dir, removed on destruction.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("techmatch-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path() const { return path_.string(); }
  std::string file(const std::string& name) const {
    return (path_ / name).string();
  }

 private:
  std::filesystem::path path_;
};

}  // namespace techmatch::testing

#endif  // TECHMATCH_TESTS_TEST_UTIL_H_

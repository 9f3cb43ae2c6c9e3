// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// The process's memory as Linux reports it (/proc/self/status).

#ifndef TECHMATCH_UTIL_PROC_STATUS_H_
#define TECHMATCH_UTIL_PROC_STATUS_H_

#include <cstddef>
#include <fstream>
#include <string>

namespace techmatch::internal {

/// A field of /proc/self/status in bytes (VmRSS, VmHWM); 0 if unreadable.
inline size_t ProcStatusBytes(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  const std::string prefix = std::string(field) + ":";
  while (std::getline(in, line)) {
    if (line.rfind(prefix, 0) == 0) {
      try {
        return size_t(std::stoull(line.substr(prefix.size()))) * 1024;
      } catch (...) {
        return 0;
      }
    }
  }
  return 0;
}

/// Resets the peak RSS (VmHWM) to the current RSS (Linux >= 4.0). For
/// benchmarks only: the library never resets the process's figures.
inline bool ResetPeakRss() {
  std::ofstream out("/proc/self/clear_refs");
  out << "5";
  out.flush();
  return bool(out);
}

}  // namespace techmatch::internal

#endif  // TECHMATCH_UTIL_PROC_STATUS_H_

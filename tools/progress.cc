// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "progress.h"

#include <unistd.h>

#include <cmath>
#include <utility>

namespace techmatch::cli {

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// Redraws are cheap, but a terminal flooded with them is slow and the
// numbers unreadable: ten a second is enough to look alive.
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
constexpr int kBarWidth = 24;

}  // namespace

bool IsTerminal(std::FILE* file) { return ::isatty(::fileno(file)) == 1; }

std::string FormatSeconds(double seconds) {
  char buf[64];
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  if (seconds < 60) {
    std::snprintf(buf, sizeof buf, "%.1f s", seconds);
  } else if (seconds < 3600) {
    long s = std::lround(seconds);
    std::snprintf(buf, sizeof buf, "%ld min %02ld s", s / 60, s % 60);
  } else {
    long s = std::lround(seconds);
    std::snprintf(buf, sizeof buf, "%ld h %02ld min", s / 3600, s % 3600 / 60);
  }
  return buf;
}

Progress::Progress(std::string phase, std::string unit, std::FILE* out)
    : phase_(std::move(phase)),
      unit_(std::move(unit)),
      out_(out),
      tty_(IsTerminal(out)),
      start_(Clock::now()),
      last_draw_(start_),
      end_(start_) {}

Progress::~Progress() { Abort(); }

void Progress::Abort() {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  finished_ = true;
  end_ = Clock::now();
  if (tty_ && drawn_) {
    std::fputc('\n', out_);
    std::fflush(out_);
  }
}

void Progress::Update(size_t done, size_t total) {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  // Workers may report out of order; never let the count go backwards
  // within one total.
  if (total != total_) {
    total_ = total;
    done_ = done;
  } else if (done > done_) {
    done_ = done;
  }
  if (!tty_) return;
  Clock::time_point now = Clock::now();
  if (drawn_ && now - last_draw_ < kRedrawInterval) return;
  last_draw_ = now;
  Draw(false);
}

ProgressCallback Progress::Callback() {
  return [this](size_t done, size_t total) { Update(done, total); };
}

void Progress::Finish() {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return;
  finished_ = true;
  end_ = Clock::now();
  Draw(true);
}

double Progress::seconds() const {
  std::lock_guard<std::mutex> lock(mu_);
  if (finished_) return Seconds(end_ - start_);
  return Seconds(Clock::now() - start_);
}

void Progress::Draw(bool final_line) {
  double elapsed = Seconds((final_line ? end_ : Clock::now()) - start_);
  double rate = elapsed > 0 ? double(done_) / elapsed : 0.0;
  char rate_text[64];
  std::snprintf(rate_text, sizeof rate_text, "%.0f %s/s", rate, unit_.c_str());
  if (final_line && done_ == 0 && total_ == 0) {
    // A phase that reported no counts (e.g. saving): just its time.
    std::fprintf(out_, "%s%s: done in %s\n", tty_ && drawn_ ? "\r\033[K" : "",
                 phase_.c_str(), FormatSeconds(elapsed).c_str());
    std::fflush(out_);
    return;
  }
  if (!tty_) {
    // One line per phase, for logs.
    std::fprintf(out_, "%s: %zu %s in %s (%s)\n", phase_.c_str(), done_,
                 unit_.c_str(), FormatSeconds(elapsed).c_str(), rate_text);
    std::fflush(out_);
    return;
  }
  std::string bar;
  double share = total_ > 0 ? double(done_) / double(total_) : 0.0;
  if (share > 1) share = 1;
  int filled = int(share * kBarWidth);
  bar.reserve(kBarWidth + 2);
  bar.push_back('[');
  for (int i = 0; i < kBarWidth; ++i) bar.push_back(i < filled ? '#' : '.');
  bar.push_back(']');
  std::string tail;
  if (final_line) {
    tail = "done in " + FormatSeconds(elapsed);
  } else if (done_ > 0 && total_ > done_ && rate > 0) {
    tail = "ETA " + FormatSeconds(double(total_ - done_) / rate);
  } else {
    tail = "ETA ?";
  }
  // "\033[K" clears what a longer previous line left behind.
  std::fprintf(out_, "\r%-6s %s %zu/%zu  %s  %s\033[K%s", phase_.c_str(),
               bar.c_str(), done_, total_, rate_text, tail.c_str(),
               final_line ? "\n" : "");
  std::fflush(out_);
  drawn_ = true;
}

}  // namespace techmatch::cli

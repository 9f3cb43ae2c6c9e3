// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// techmatch serve: the HTTP/JSON matching service over one index
// directory (docs/api.md), until SIGTERM or SIGINT.

#include <CLI/CLI.hpp>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <thread>

#include "cli_common.h"
#include "commands.h"
#include "server/index_dir.h"
#include "server/service.h"

namespace techmatch::cli {

namespace {

constexpr const char* kCmd = "serve";

// The token: the file's first line, surrounding whitespace dropped.
Result<std::string> ReadToken(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::IOError("--token-file: cannot read '" + path + "'");
  std::string line;
  std::getline(in, line);
  const size_t b = line.find_first_not_of(" \t\r\n");
  const size_t e = line.find_last_not_of(" \t\r\n");
  const std::string token = b == std::string::npos ? "" : line.substr(b, e - b + 1);
  if (token.size() < 16) {
    return Status::InvalidArgument("--token-file '" + path +
                                   "': the token (first line) must be at least 16 characters");
  }
  return token;
}

// SIGTERM / SIGINT (stop) and SIGHUP (a replica reloads): the handler
// writes a byte to this pipe; a watcher thread reads it and acts.
// (Blocking the signals and sigwait-ing is not enough: threads started
// before main — OpenBLAS's — would still receive them.)
int g_signal_pipe[2] = {-1, -1};
constexpr char kStopByte = 1, kReloadByte = 2;

extern "C" void OnStopSignal(int) {
  const char byte = kStopByte;
  [[maybe_unused]] ssize_t n = write(g_signal_pipe[1], &byte, 1);
}

extern "C" void OnReloadSignal(int) {
  const char byte = kReloadByte;
  [[maybe_unused]] ssize_t n = write(g_signal_pipe[1], &byte, 1);
}

bool InstallSignalHandlers() {
  if (pipe(g_signal_pipe) != 0) return false;
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  struct sigaction hup = sa;
  hup.sa_handler = OnReloadSignal;
  return sigaction(SIGTERM, &sa, nullptr) == 0 && sigaction(SIGINT, &sa, nullptr) == 0 &&
         sigaction(SIGHUP, &hup, nullptr) == 0;
}

bool IsLoopback(const std::string& host) {
  return host == "127.0.0.1" || host == "localhost" || host == "::1";
}

}  // namespace

Runner AddServeCommand(CLI::App& app) {
  struct Args {
    std::string index;
    server::ServiceOptions service;
    server::IndexDirOptions dir;
    std::string token_file;
    double max_body_mib = 16;
  };
  auto args = std::make_shared<Args>();
  CLI::App* sub = app.add_subcommand(
      "serve",
      "Serve matches and record writes over HTTP/JSON (docs/api.md) and the operator "
      "page at /, until SIGTERM or SIGINT. Writes are durable when acknowledged (a "
      "write-ahead log in the index directory, folded into new snapshots).");
  sub->add_option("--index", args->index, "Snapshot directory written by `techmatch index`")
      ->required();
  sub->add_option("--bind", args->service.bind, "Address to listen on")->capture_default_str();
  sub->add_option("--port", args->service.port, "TCP port (0: any free port)")
      ->check(CLI::Range(0, 65535))
      ->capture_default_str();
  sub->add_option("--threads", args->service.threads,
                  "HTTP worker threads (each open connection holds one)")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  sub->add_option("--batch-threads", args->service.batch_threads,
                  "Workers per /v1/match/batch request (0: the engine's setting)")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--synonyms", args->service.synonyms_file,
                  "A synonyms file (Solr format) applied to every match; POST /v1/synonyms "
                  "reads it again");
  sub->add_option("--token-file", args->token_file,
                  "File whose first line is a bearer token (>= 16 characters) that writes "
                  "need in \"Authorization: Bearer <token>\"");
  sub->add_flag("--auth-reads", args->service.auth_reads,
                "With --token-file: reads (match, records, stats) need the token too");
  sub->add_option("--checkpoint-writes", args->dir.checkpoint_writes,
                  "Save a snapshot after this many writes (0: not by count)")
      ->capture_default_str();
  sub->add_option("--checkpoint-seconds", args->dir.checkpoint_seconds,
                  "... or this many seconds after the first unsaved write (0: not by time)")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  sub->add_option("--max-body-mib", args->max_body_mib, "Largest request body, MiB")
      ->check(CLI::Range(0.01, 4096.0))
      ->capture_default_str();
  sub->add_option("--max-k", args->service.limits.max_k, "Largest k")
      ->check(CLI::Range(size_t{1}, size_t{10000}))
      ->capture_default_str();
  sub->add_option("--max-batch", args->service.limits.max_batch, "Most queries per batch")
      ->check(CLI::Range(size_t{1}, size_t{100000}))
      ->capture_default_str();
  sub->add_flag("--replica", args->service.replica,
                "Serve the directory read-only beside a primary `techmatch serve` that "
                "writes it (no lock; writes answer 409); POST /v1/reload or SIGHUP "
                "loads the primary's latest snapshot and log");
  sub->add_option("--request-timeout", args->service.request_timeout_seconds,
                  "Seconds: socket timeouts and a batch's time budget")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  return [args]() -> int {
    if (!InstallSignalHandlers()) return Fail(kCmd, "cannot install the signal handlers");
    signal(SIGPIPE, SIG_IGN);

    server::ServiceOptions options = args->service;
    options.limits.max_body_bytes = size_t(args->max_body_mib * 1024 * 1024);
    if (!args->token_file.empty()) {
      auto token = ReadToken(args->token_file);
      if (!token.ok()) return Fail(kCmd, token.status());
      options.token = *token;
    } else if (options.auth_reads) {
      return Fail(kCmd, "--auth-reads needs --token-file");
    }
    if (Status s = options.Validate(); !s.ok()) return Fail(kCmd, s);
    if (!IsLoopback(options.bind) && options.token.empty()) {
      std::fprintf(stderr,
                   "techmatch serve: warning: listening on %s without --token-file: anyone "
                   "who can reach it can change the records\n",
                   options.bind.c_str());
    }

    const auto t0 = std::chrono::steady_clock::now();
    server::IndexDirOptions dir_options = args->dir;
    dir_options.holder = "techmatch serve";
    dir_options.read_only = options.replica;
    auto dir = server::IndexDir::Open(args->index, dir_options);
    if (!dir.ok()) return Fail(kCmd, dir.status());
    const server::IndexDirStats st = (*dir)->stats();
    std::fprintf(stderr, "techmatch serve: %s: %zu records loaded in %.1f s%s",
                 args->index.c_str(), (*dir)->engine().size(), SecondsSince(t0),
                 options.replica ? " (read-only replica)" : "");
    if (st.replayed_ops > 0 || st.torn_bytes_dropped > 0) {
      std::fprintf(stderr, " (%llu writes replayed from the log, %llu torn bytes dropped)",
                   (unsigned long long)st.replayed_ops,
                   (unsigned long long)st.torn_bytes_dropped);
    }
    std::fprintf(stderr, "\n");

    server::Service service(std::move(*dir), options);
    if (Status s = service.Bind(); !s.ok()) return Fail(kCmd, s);
    std::thread signals([&service] {
      for (;;) {
        char byte = 0;
        const ssize_t n = read(g_signal_pipe[0], &byte, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n == 1 && byte == kReloadByte) {
          const Status s = service.Reload();
          std::fprintf(stderr, "techmatch serve: SIGHUP: %s\n",
                       s.ok() ? "reloaded" : s.ToString().c_str());
          continue;
        }
        break;  // stop (or the pipe failed)
      }
      service.Stop();
    });
    // Scripts wait for this line (and read the port from it).
    std::printf("techmatch serve: listening on http://%s:%d/\n", options.bind.c_str(),
                service.port());
    std::fflush(stdout);
    const Status s = service.Run();
    OnStopSignal(0);  // wakes the watcher if no signal came
    signals.join();
    if (!s.ok()) return Fail(kCmd, s);
    std::fprintf(stderr, "techmatch serve: stopped%s\n",
                 options.replica ? "" : "; every write is in the snapshot");
    return 0;
  };
}

}  // namespace techmatch::cli

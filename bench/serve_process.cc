// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "serve_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "bench_util.h"

namespace techmatch::bench {

std::string TechmatchBinary() {
  std::error_code ec;
  const auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  const auto bin = self.parent_path() / "techmatch";
  return std::filesystem::exists(bin, ec) ? bin.string() : std::string();
}

Result<std::unique_ptr<ServeProcess>> ServeProcess::Start(const std::string& binary,
                                                          const std::string& index,
                                                          const std::vector<std::string>& extra,
                                                          double timeout_s) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Status::IOError("pipe failed");
  std::vector<std::string> args = {binary, "serve", "--index", index, "--port", "0"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return Status::IOError("fork failed");
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    execv(binary.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  std::unique_ptr<ServeProcess> p(new ServeProcess(pid, fds[0]));
  std::string line;
  const double deadline = NowSeconds() + timeout_s;
  while (line.find('\n') == std::string::npos) {
    const double left = deadline - NowSeconds();
    pollfd pfd{fds[0], POLLIN, 0};
    if (left <= 0 || poll(&pfd, 1, int(left * 1000) + 1) <= 0) {
      return Status::IOError("techmatch serve did not start within the time limit");
    }
    char buf[256];
    const ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) return Status::IOError("techmatch serve exited before listening");
    line.append(buf, size_t(n));
  }
  const size_t colon = line.rfind(':');
  if (line.find("listening on") == std::string::npos || colon == std::string::npos) {
    return Status::IOError("unexpected first line from techmatch serve: " + line);
  }
  p->port_ = std::atoi(line.c_str() + colon + 1);
  return p;
}

ServeProcess::~ServeProcess() {
  if (exit_code_ < 0) Stop(SIGKILL, 30);
  close(out_fd_);
}

bool ServeProcess::Alive() {
  if (exit_code_ >= 0) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return false;
  }
  return true;
}

int ServeProcess::Stop(int sig, double timeout_s) {
  if (!Alive()) return exit_code_;
  kill(pid_, sig);
  const double deadline = NowSeconds() + timeout_s;
  while (Alive() && NowSeconds() < deadline) usleep(10000);
  if (Alive()) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    exit_code_ = 128 + SIGKILL;
  }
  return exit_code_;
}

int RawHttpStatus(int port, const std::string& request, double timeout_s) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(uint16_t(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{long(timeout_s), long((timeout_s - double(long(timeout_s))) * 1e6)};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  int status = -1;
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
    // The server may answer (413) and close before the whole body is
    // sent: a failed send is not a failure, the answer is what counts.
    size_t sent = 0;
    while (sent < request.size()) {
      const ssize_t n = send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      if (n <= 0) break;
      sent += size_t(n);
    }
    std::string head;
    char buf[4096];
    while (head.find("\r\n") == std::string::npos) {
      const ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) break;
      head.append(buf, size_t(n));
    }
    if (head.rfind("HTTP/1.", 0) == 0 && head.size() > 12) status = std::atoi(head.c_str() + 9);
  }
  close(fd);
  return status;
}

double LoadAverage1() {
  std::ifstream in("/proc/loadavg");
  double v = -1;
  in >> v;
  return v;
}

}  // namespace techmatch::bench

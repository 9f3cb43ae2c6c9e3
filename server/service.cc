// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0

#include "server/service.h"

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "server/match_json.h"
#include "server/service_internal.h"

namespace techmatch::server {

namespace handlers {

using ojson = nlohmann::ordered_json;

void SendJson(httplib::Response& res, int status, const ojson& body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(DumpJsonLine(body) + "\n", "application/json; charset=utf-8");
}

void SendError(httplib::Response& res, const ApiError& error) {
  SendJson(res, error.http_status, error.ToJson());
}

void SendStatus(httplib::Response& res, const Status& status) {
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      return SendError(res, ApiError::Invalid("", status.message()));
    case StatusCode::kNotFound:
      return SendError(res, ApiError::NotFound("", status.message()));
    case StatusCode::kFailedPrecondition:
      return SendError(res, ApiError{409, "failed_precondition", "", status.message()});
    case StatusCode::kIOError:
      return SendError(res, ApiError{503, "unavailable", "", status.ToString()});
    default:
      return SendError(res, ApiError{500, "internal", "", status.ToString()});
  }
}

bool ReadBody(const httplib::Request& req, httplib::Response& res, const ServiceContext& ctx,
              nlohmann::json* body) {
  if (auto e = ParseBody(req.body, ctx.options.limits, body)) {
    SendError(res, *e);
    return false;
  }
  return true;
}

namespace {

ojson StatsJson(const ServiceContext& ctx) {
  const std::shared_ptr<IndexDir> dir = ctx.Dir();
  const IndexDirStats d = dir->stats();
  const double uptime =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - ctx.started).count();
  return ojson{
      {"engine", EngineStatsToJson(dir->engine())},
      {"index_dir",
       {{"log_bytes", d.log_bytes},
        {"writes", d.writes},
        {"writes_since_checkpoint", d.writes_since_checkpoint},
        {"checkpoints", d.checkpoints},
        {"last_checkpoint_seconds", d.last_checkpoint_seconds},
        {"replayed_at_start", d.replayed_ops},
        {"torn_bytes_dropped_at_start", d.torn_bytes_dropped}}},
      {"server",
       {{"role", ctx.options.replica ? "replica" : "primary"},
        {"reloads", ctx.reloads.load()},
        {"uptime_seconds", uptime},
        {"requests", ctx.requests.load()},
        {"queries", ctx.queries.load()},
        {"client_errors", ctx.client_errors.load()},
        {"server_errors", ctx.server_errors.load()},
        {"threads", ctx.options.threads},
        {"auth", ctx.options.token.empty() ? "none"
                 : ctx.options.auth_reads  ? "reads and writes"
                                           : "writes"}}}};
}

bool IsWrite(const httplib::Request& req) {  // what --token-file guards
  return req.method == "PUT" || req.method == "DELETE" ||
         (req.method == "POST" && (req.path == "/v1/snapshot" || req.path == "/v1/reload" ||
                                   req.path == "/v1/synonyms"));
}

}  // namespace
}  // namespace handlers

bool ConstantTimeEquals(const std::string& given, const std::string& secret) {
  // Every byte of `given` is compared (against the secret cycled), so the
  // time depends on the length of what the client sent, not on where the
  // first difference is.
  unsigned diff = given.size() == secret.size() ? 0u : 1u;
  if (secret.empty()) return false;
  for (size_t i = 0; i < given.size(); ++i) {
    diff |= unsigned(static_cast<unsigned char>(given[i]) ^
                     static_cast<unsigned char>(secret[i % secret.size()]));
  }
  return diff == 0;
}

Status ServiceOptions::Validate() const {
  if (port < 0 || port > 65535) return Status::InvalidArgument("port must be 0-65535");
  if (threads < 1 || threads > 4096) return Status::InvalidArgument("threads must be 1-4096");
  if (batch_threads < 0) return Status::InvalidArgument("batch_threads must be >= 0");
  if (!(request_timeout_seconds > 0) || request_timeout_seconds > 3600) {
    return Status::InvalidArgument("request timeout must be in (0, 3600] seconds");
  }
  if (keep_alive_seconds < 1 || keep_alive_seconds > 3600) {
    return Status::InvalidArgument("keep-alive must be 1-3600 seconds");
  }
  if (!(checkpoint_poll_seconds > 0)) {
    return Status::InvalidArgument("checkpoint poll interval must be > 0");
  }
  if (limits.max_k < 1 || limits.max_batch < 1 || limits.max_records < 1 ||
      limits.max_body_bytes < 1024 || limits.max_json_depth < 4) {
    return Status::InvalidArgument("limits too small");
  }
  return Status::OK();
}

struct Service::Impl {
  handlers::ServiceContext ctx;
  httplib::Server http;
  int port = -1;
  std::mutex mu;
  std::condition_variable cv;
  bool stopping = false;
  bool listener_done = false;

  std::mutex reload_mu;  // one reload at a time

  void CheckpointLoop();
  void Configure();
  Status Reload();
  /// Reads options.synonyms_file (if any) into `dir`'s engine.
  Status ApplySynonyms(IndexDir& dir) const;
};

Status Service::Impl::ApplySynonyms(IndexDir& dir) const {
  if (ctx.options.synonyms_file.empty()) return Status::OK();
  auto list = ReadSynonymsFile(ctx.options.synonyms_file);
  if (!list.ok()) return list.status();
  return dir.SetSynonyms(*list);
}

Status Service::Impl::Reload() {
  if (!ctx.options.replica) {
    return Status::FailedPrecondition("only a replica (techmatch serve --replica) reloads");
  }
  std::lock_guard<std::mutex> lock(reload_mu);
  auto fresh = IndexDir::OpenReadOnly(ctx.Dir()->dir());
  if (!fresh.ok()) return fresh.status().WithContext("reload");
  TECHMATCH_RETURN_IF_ERROR(ApplySynonyms(**fresh).WithContext("reload"));
  std::atomic_store(&ctx.dir, std::shared_ptr<IndexDir>(std::move(*fresh)));
  ++ctx.reloads;
  return Status::OK();
}

void Service::Impl::CheckpointLoop() {
  std::unique_lock<std::mutex> lock(mu);
  const auto poll = std::chrono::duration<double>(ctx.options.checkpoint_poll_seconds);
  while (!cv.wait_for(lock, poll, [&] { return stopping; })) {
    if (ctx.options.replica) continue;  // a replica never writes
    const std::shared_ptr<IndexDir> dir = ctx.Dir();
    if (!dir->CheckpointDue()) continue;
    lock.unlock();
    const Status s = dir->Checkpoint();
    if (!s.ok()) std::fprintf(stderr, "techmatch serve: checkpoint: %s\n", s.ToString().c_str());
    lock.lock();
  }
  // A Stop() that came before the listener started running was a no-op
  // for httplib: repeat it until the listener has returned.
  while (!listener_done) {
    lock.unlock();
    http.stop();
    lock.lock();
    cv.wait_for(lock, std::chrono::milliseconds(20), [&] { return listener_done; });
  }
}

void Service::Impl::Configure() {
  using handlers::SendError;
  const ServiceOptions& o = ctx.options;
  const int threads = o.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(size_t(threads)); };
  http.set_payload_max_length(o.limits.max_body_bytes);
  http.set_tcp_nodelay(true);
  http.set_keep_alive_max_count(100000);
  http.set_keep_alive_timeout(o.keep_alive_seconds);
  const auto timeout = std::chrono::duration<double>(o.request_timeout_seconds);
  const time_t sec = time_t(o.request_timeout_seconds);
  const time_t usec = time_t((timeout.count() - double(sec)) * 1e6);
  http.set_read_timeout(sec, usec);
  http.set_write_timeout(sec, usec);

  http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    ++ctx.requests;
    const bool api = req.path.rfind("/v1/", 0) == 0;
    if (!api) return httplib::Server::HandlerResponse::Unhandled;
    const bool write = handlers::IsWrite(req);
    if (!ctx.options.token.empty() && (write || ctx.options.auth_reads)) {
      const std::string auth = req.get_header_value("Authorization");
      const std::string prefix = "Bearer ";
      if (auth.rfind(prefix, 0) != 0 ||
          !ConstantTimeEquals(auth.substr(prefix.size()), ctx.options.token)) {
        res.set_header("WWW-Authenticate", "Bearer");
        SendError(res, ApiError{401, "unauthorized", "Authorization",
                                "this endpoint needs \"Authorization: Bearer <token>\""});
        return httplib::Server::HandlerResponse::Handled;
      }
    }
    if (ctx.options.replica && write && req.path != "/v1/reload" &&
        req.path != "/v1/synonyms") {
      SendError(res, ApiError{409, "read_only_replica", "",
                              "this server is a read-only replica of " + ctx.Dir()->dir() +
                                  ": send writes to the primary, then POST /v1/reload here"});
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_logger([this](const httplib::Request&, const httplib::Response& res) {
    if (res.status >= 500) {
      ++ctx.server_errors;
    } else if (res.status >= 400) {
      ++ctx.client_errors;
    }
  });
  // httplib's own answers (no route: 404, body too large: 413, bad
  // request line: 400) get a JSON body like every other error.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;
    ApiError e{res.status, "http_error", "", "HTTP error " + std::to_string(res.status)};
    if (res.status == 404) e = ApiError::NotFound("", "no such endpoint: " + req.method + " " + req.path);
    if (res.status == 400) {
      e.code = "bad_request";
      e.message = "malformed HTTP request (a POST or PUT without a body still needs "
                  "\"Content-Length: 0\")";
    }
    if (res.status == 413) e.code = "payload_too_large";
    if (res.status == 405) e.code = "method_not_allowed";
    handlers::SendJson(res, e.http_status, e.ToJson());
    return httplib::Server::HandlerResponse::Handled;
  }));
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        SendError(res, ApiError{500, "internal", "", what});
      });

  http.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    handlers::SendJson(res, 200,
                       {{"status", "ok"}, {"records", ctx.Dir()->engine().size()}});
  });
  http.Post("/v1/reload", [this](const httplib::Request&, httplib::Response& res) {
    const auto t0 = std::chrono::steady_clock::now();
    const Status s = Reload();
    if (!s.ok()) return handlers::SendStatus(res, s);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    handlers::SendJson(res, 200, {{"reloaded", true},
                                  {"records", ctx.Dir()->engine().size()},
                                  {"seconds", seconds}});
  });
  http.Post("/v1/synonyms", [this](const httplib::Request&, httplib::Response& res) {
    if (ctx.options.synonyms_file.empty()) {
      return handlers::SendError(
          res, ApiError{409, "no_synonyms_file", "",
                                  "the server was started without --synonyms FILE"});
    }
    const std::shared_ptr<IndexDir> dir = ctx.Dir();
    const Status s = ApplySynonyms(*dir);
    if (!s.ok()) return handlers::SendStatus(res, s);  // the rules in force stay
    const EngineStats st = dir->engine().stats();
    handlers::SendJson(res, 200, {{"rules", st.synonym_rules}, {"source", st.synonyms_source}});
  });
  http.Get("/v1/stats", [this](const httplib::Request&, httplib::Response& res) {
    handlers::SendJson(res, 200, handlers::StatsJson(ctx));
  });
  handlers::AddMatchRoutes(http, ctx);
  handlers::AddRecordRoutes(http, ctx);
  handlers::AddPageRoutes(http);
}

Service::Service(std::shared_ptr<IndexDir> dir, ServiceOptions options) : impl_(new Impl) {
  impl_->ctx.dir = std::move(dir);
  impl_->ctx.options = std::move(options);
}

Status Service::Reload() { return impl_->Reload(); }

Service::~Service() { Stop(); }

Status Service::Bind() {
  TECHMATCH_RETURN_IF_ERROR(impl_->ctx.options.Validate());
  TECHMATCH_RETURN_IF_ERROR(impl_->ApplySynonyms(*impl_->ctx.Dir()));
  impl_->Configure();
  const ServiceOptions& o = impl_->ctx.options;
  if (o.port == 0) {
    impl_->port = impl_->http.bind_to_any_port(o.bind);
  } else if (impl_->http.bind_to_port(o.bind, o.port)) {
    impl_->port = o.port;
  }
  if (impl_->port <= 0) {
    return Status::IOError("cannot listen on " + o.bind + ":" + std::to_string(o.port) +
                           " (address in use, or not an address of this machine)");
  }
  return Status::OK();
}

int Service::port() const { return impl_->port; }

Status Service::Run() {
  if (impl_->port <= 0) return Status::FailedPrecondition("Service::Run before Bind");
  std::thread checkpointer([this] { impl_->CheckpointLoop(); });
  const bool served = impl_->http.listen_after_bind();
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->listener_done = true;
  }
  Stop();
  checkpointer.join();
  // The workers are joined: every acknowledged write is applied. Fold the
  // log into a snapshot so the next start need not replay it.
  Status s = Status::OK();
  const std::shared_ptr<IndexDir> dir = impl_->ctx.Dir();
  if (!impl_->ctx.options.replica && dir->stats().writes_since_checkpoint > 0) {
    s = dir->Checkpoint();
  }
  if (!served && s.ok()) s = Status::IOError("the HTTP listener failed");
  return s;
}

void Service::Stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->cv.notify_all();
  impl_->http.stop();
}

}  // namespace techmatch::server

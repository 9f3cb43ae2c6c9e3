// Copyright 2026 The techmatch Authors.
// SPDX-License-Identifier: Apache-2.0
// Status and Result<T>: how every fallible public call reports failure.

#ifndef TECHMATCH_STATUS_H_
#define TECHMATCH_STATUS_H_

#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>

#include "techmatch/export.h"

namespace techmatch {

/// Error categories. They map 1:1 onto the C API's integer codes, so the
/// numeric values are part of the ABI and never change.
enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 1,     ///< bad input: malformed text, wrong dimension, ...
  kNotFound = 2,            ///< an id, file or key that does not exist
  kFailedPrecondition = 3,  ///< the object is not in a state for this call
  kCorruption = 4,          ///< stored data fails its checks
  kNotSupported = 5,        ///< e.g. a file of an unknown format version
  kIOError = 6,             ///< the operating system refused a read/write
  kInternal = 7,            ///< a third-party library failed unexpectedly
};

/// Returns "OK", "InvalidArgument", ... for a code.
TECHMATCH_EXPORT const char* StatusCodeName(StatusCode code);

/// The outcome of an operation: OK, or a code with a message that names what
/// was wrong (file, line, record id, field).
///
/// Success carries no allocation (leveldb style). Status is a value type;
/// distinct objects may be used from different threads freely.
class TECHMATCH_EXPORT_CLASS [[nodiscard]] Status {
 public:
  Status() noexcept = default;
  Status(StatusCode code, std::string_view message);
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string_view msg) {
    return Status(StatusCode::kInvalidArgument, msg);
  }
  static Status NotFound(std::string_view msg) {
    return Status(StatusCode::kNotFound, msg);
  }
  static Status FailedPrecondition(std::string_view msg) {
    return Status(StatusCode::kFailedPrecondition, msg);
  }
  static Status Corruption(std::string_view msg) {
    return Status(StatusCode::kCorruption, msg);
  }
  static Status NotSupported(std::string_view msg) {
    return Status(StatusCode::kNotSupported, msg);
  }
  static Status IOError(std::string_view msg) {
    return Status(StatusCode::kIOError, msg);
  }
  static Status Internal(std::string_view msg) {
    return Status(StatusCode::kInternal, msg);
  }

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const { return rep_ ? rep_->code : StatusCode::kOk; }
  /// The message without the code name; empty for OK.
  const std::string& message() const;
  /// "OK" or "<CodeName>: <message>".
  std::string ToString() const;

  /// Returns a copy whose message is "<context>: <message>"; OK stays OK.
  Status WithContext(std::string_view context) const;

 private:
  struct Rep {
    StatusCode code;
    std::string message;
  };
  std::unique_ptr<Rep> rep_;
};

/// A value or the Status explaining why there is none (absl::StatusOr style).
///
/// Constructing a Result from an OK Status is a programming error; it is
/// turned into an kInternal error rather than an empty value.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(const T& value) : v_(value) {}             // NOLINT: implicit
  Result(T&& value) : v_(std::move(value)) {}       // NOLINT: implicit
  Result(Status status) : v_(std::move(status)) {   // NOLINT: implicit
    if (std::get<Status>(v_).ok()) {
      v_ = Status::Internal("Result constructed from an OK Status");
    }
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  /// The error, or OK when a value is held.
  Status status() const { return ok() ? Status::OK() : std::get<Status>(v_); }

  /// Access to the value; only valid when ok().
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace techmatch

/// Returns early from the enclosing function if `expr` is not OK.
#define TECHMATCH_RETURN_IF_ERROR(expr)            \
  do {                                             \
    ::techmatch::Status _tm_status = (expr);       \
    if (!_tm_status.ok()) return _tm_status;       \
  } while (0)

#endif  // TECHMATCH_STATUS_H_

// Status and Result: errors as values, with a reason a person can act on.
#pragma once

#include <eventhost/abi.h>

#include <cstring>
#include <string>
#include <utility>
#include <variant>

namespace eventhost {

class Status {
 public:
  Status() = default;  // OK
  Status(eh_status code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status ok() { return {}; }
  static Status invalid(std::string m) { return {EH_ERR_INVALID, std::move(m)}; }
  static Status unavailable(std::string m) { return {EH_ERR_UNAVAILABLE, std::move(m)}; }
  static Status internal(std::string m) { return {EH_ERR_INTERNAL, std::move(m)}; }

  bool is_ok() const { return code_ == EH_OK; }
  explicit operator bool() const { return is_ok(); }
  eh_status code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  eh_status code_ = EH_OK;
  std::string message_;
};

template <typename T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}          // NOLINT: implicit by design, like std::expected
  Result(Status error) : v_(std::move(error)) {}     // NOLINT

  bool is_ok() const { return v_.index() == 0; }
  explicit operator bool() const { return is_ok(); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& value() const& { return std::get<0>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }
  const Status& status() const { return std::get<1>(v_); }

 private:
  std::variant<T, Status> v_;
};

// Copies a message into a caller-owned C buffer, truncating and always NUL-terminating.
inline void copy_error(std::string_view message, char* buf, size_t len) {
  if (buf == nullptr || len == 0) return;
  size_t n = message.size() < len - 1 ? message.size() : len - 1;
  std::memcpy(buf, message.data(), n);
  buf[n] = '\0';
}

inline const char* status_name(eh_status s) {
  switch (s) {
    case EH_OK: return "ok";
    case EH_ERR_INVALID: return "invalid";
    case EH_ERR_NOT_FOUND: return "not_found";
    case EH_ERR_UNAVAILABLE: return "unavailable";
    case EH_ERR_TIMEOUT: return "timeout";
    case EH_ERR_OVERLOADED: return "overloaded";
    case EH_ERR_REJECTED: return "rejected";
    case EH_ERR_INTERNAL: return "internal";
    case EH_ERR_SHUTDOWN: return "shutdown";
  }
  return "unknown";
}

}  // namespace eventhost

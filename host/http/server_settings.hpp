// Limits of the worker's HTTP server, from `[host]`.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace eventhost::host::http {

inline constexpr uint64_t kDefaultMaxBodyBytes = 4 * 1024 * 1024;

struct ServerSettings {
  std::string listen = "127.0.0.1:8080";
  uint32_t max_header_bytes = 16 * 1024;          // request line and headers together; over it: 431
  uint32_t max_headers = 100;                     // header fields; over it: 431
  uint32_t max_connections = 4096;                // beyond it new connections are closed at once
  std::chrono::milliseconds idle_timeout{60000};  // for the next request header on a connection
  std::chrono::milliseconds read_timeout{30000};  // for the body once its header arrived, and for writing the answer
};

}  // namespace eventhost::host::http

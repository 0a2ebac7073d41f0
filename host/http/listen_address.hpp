// `[host] listen` values: "HOST:PORT", "[IPv6]:PORT" or ":PORT" (all interfaces). Port 0 picks a free port.
#pragma once

#include <eventhost/status.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace eventhost::host::http {

struct ListenAddress {
  std::string host;  // "" for every interface
  uint16_t port = 0;
};

Result<ListenAddress> parse_listen_address(std::string_view text);

}  // namespace eventhost::host::http

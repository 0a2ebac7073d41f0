#include "http/listen_address.hpp"

#include <charconv>

namespace eventhost::host::http {

Result<ListenAddress> parse_listen_address(std::string_view text) {
  auto invalid = [&](std::string_view why) {
    return Status::invalid("listen address '" + std::string(text) + "': " + std::string(why));
  };
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return invalid("expected HOST:PORT");
  std::string_view host = text.substr(0, colon);
  std::string_view port = text.substr(colon + 1);
  if (host.starts_with('[')) {
    if (!host.ends_with(']') || host.size() < 3) return invalid("an IPv6 address is written [ADDRESS]:PORT");
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return invalid("an IPv6 address is written [ADDRESS]:PORT");
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    return invalid("the port must be a number from 0 to 65535");
  }
  return ListenAddress{std::string(host), static_cast<uint16_t>(value)};
}

}  // namespace eventhost::host::http

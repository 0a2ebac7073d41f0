#include "url.hpp"

#include <charconv>

namespace eventhost::http_plugin {

Result<Url> parse_url(std::string_view text) {
  auto invalid = [&](std::string_view why) {
    return Status::invalid("url '" + std::string(text) + "': " + std::string(why));
  };
  Url url;
  std::string_view rest;
  auto starts = [&](std::string_view scheme) {
    if (text.size() < scheme.size()) return false;
    for (size_t i = 0; i < scheme.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(text[i])) != scheme[i]) return false;
    }
    return true;
  };
  if (starts("http://")) {
    rest = text.substr(7);
  } else if (starts("https://")) {
    url.tls = true;
    rest = text.substr(8);
  } else {
    return invalid("only http:// and https:// are supported");
  }
  size_t end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, end);
  std::string_view tail = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
  if (authority.find('@') != std::string_view::npos) return invalid("user information in the URL is not supported");
  std::string_view host = authority;
  std::string_view port;
  if (authority.starts_with('[')) {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return invalid("unterminated IPv6 address");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return invalid("unexpected text after the IPv6 address");
      port = after.substr(1);
    }
  } else if (size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (host.empty()) return invalid("no host");
  if (!port.empty()) {
    unsigned value = 0;
    auto [p, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (ec != std::errc() || p != port.data() + port.size() || value == 0 || value > 65535) {
      return invalid("the port must be a number from 1 to 65535");
    }
  }
  if (size_t hash = tail.find('#'); hash != std::string_view::npos) tail = tail.substr(0, hash);
  url.host = std::string(host);
  url.port = port.empty() ? (url.tls ? "443" : "80") : std::string(port);
  url.target = tail.empty() || tail[0] == '?' ? "/" + std::string(tail) : std::string(tail);
  url.host_header = std::string(authority);
  return url;
}

}  // namespace eventhost::http_plugin

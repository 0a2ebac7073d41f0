// http:// and https:// destination URLs, as a subscriber's `uri` gives them.
#pragma once

#include <eventhost/status.hpp>

#include <string>
#include <string_view>

namespace eventhost::http_plugin {

struct Url {
  bool tls = false;
  std::string host;    // without brackets for IPv6
  std::string port;    // explicit or the scheme's default
  std::string target;  // path and query, at least "/"
  std::string host_header;  // as the Host header carries it
};

Result<Url> parse_url(std::string_view text);

}  // namespace eventhost::http_plugin

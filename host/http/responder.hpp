// The opaque eh_http_responder of the ABI: the request a route handler is serving, kept alive until it answers.
#pragma once

#include "http/route_table.hpp"
#include "http/session.hpp"

#include <eventhost/abi.h>

#include <chrono>
#include <memory>
#include <vector>

struct eh_http_responder {
  std::shared_ptr<eventhost::host::http::Session> session;
  std::shared_ptr<eventhost::host::http::Route> route;
  eventhost::host::http::Request request;
  std::vector<eh_http_header> headers;  // point into request
  std::chrono::steady_clock::time_point started;
};

namespace eventhost::host::http {

// http_respond of the host API.
void respond(eh_http_responder* responder, int status, const eh_http_header* headers, size_t header_count,
             eh_str body);

}  // namespace eventhost::host::http

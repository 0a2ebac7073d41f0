#include "http/responder.hpp"

namespace eventhost::host::http {

void respond(eh_http_responder* responder, int status, const eh_http_header* headers, size_t header_count,
             eh_str body) {
  std::unique_ptr<eh_http_responder> r(responder);
  if (status < 100 || status > 599) status = 500;
  auto res = std::make_shared<Response>(static_cast<beast_http::status>(status), r->request.version());
  for (size_t i = 0; i < header_count; ++i) {
    res->insert(boost::beast::string_view(headers[i].name.ptr, headers[i].name.len),
                boost::beast::string_view(headers[i].value.ptr, headers[i].value.len));
  }
  res->body().assign(body.ptr != nullptr ? body.ptr : "", body.len);
  r->route->metrics.record(status, std::chrono::steady_clock::now() - r->started);
  r->session->send(std::move(res));
}

}  // namespace eventhost::host::http

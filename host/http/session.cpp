#include "http/session.hpp"

#include "http/responder.hpp"
#include "http/server_state.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/core/string.hpp>

#include <array>

namespace eventhost::host::http {
namespace {

std::string_view path_of(std::string_view target) {
  size_t q = target.find('?');
  return q == std::string_view::npos ? target : target.substr(0, q);
}

std::string_view sv(boost::beast::string_view s) { return {s.data(), s.size()}; }

bool is_probe(std::string_view path) { return path == "/healthz" || path == "/readyz" || path == "/metrics"; }

}  // namespace

Session::Session(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state)
    : stream_(std::move(socket)), state_(std::move(state)) {}

Session::~Session() {
  state_->connections.fetch_sub(1);
  std::lock_guard lock(state_->mutex);
  state_->sessions.erase(this);
}

void Session::start() {
  {
    std::lock_guard lock(state_->mutex);
    state_->sessions.emplace(this, weak_from_this());
  }
  boost::asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
}

void Session::close_if_idle() {
  boost::asio::post(stream_.get_executor(), [self = shared_from_this()] {
    if (!self->idle_) return;
    self->idle_ = false;
    self->stream_.close();  // its pending header read ends with an error, and nothing else is in flight
  });
}

void Session::read_header() {
  if (state_->closed.load()) return shut();
  idle_ = true;
  header_parser_.emplace();
  header_parser_->header_limit(state_->settings.max_header_bytes);
  header_parser_->body_limit(boost::none);  // the route's limit applies once the path is known
  body_parser_.reset();
  stream_.expires_after(state_->settings.idle_timeout);
  beast_http::async_read_header(stream_, buffer_, *header_parser_,
                                [self = shared_from_this()](boost::beast::error_code ec, size_t) { self->on_header(ec); });
}

void Session::on_header(boost::beast::error_code ec) {
  idle_ = false;
  started_ = std::chrono::steady_clock::now();
  if (ec == beast_http::error::header_limit) {
    return answer(beast_http::status::request_header_fields_too_large, "request header too large", true);
  }
  if (ec == beast_http::error::end_of_stream || ec == boost::beast::error::timeout || ec == boost::asio::error::eof ||
      ec == boost::asio::error::operation_aborted || ec == boost::asio::error::connection_reset) {
    return shut();
  }
  if (ec) return answer(beast_http::status::bad_request, "malformed HTTP request: " + ec.message(), true);

  const auto& req = header_parser_->get();
  version_ = req.version();
  keep_alive_ = req.keep_alive();
  size_t fields = static_cast<size_t>(std::distance(req.begin(), req.end()));
  if (fields > state_->settings.max_headers) {
    return answer(beast_http::status::request_header_fields_too_large,
                  "more than " + std::to_string(state_->settings.max_headers) + " header fields", true);
  }
  std::string_view path = path_of(sv(req.target()));
  if (is_probe(path)) return serve_probe(path);
  auto route = state_->routes.find(path);
  if (!route) {
    bool unread = !header_parser_->is_done();
    if (state_->draining.load()) {
      return answer(beast_http::status::service_unavailable, "shutting down", unread, {}, "5");
    }
    return answer(beast_http::status::not_found, "no route for " + std::string(path), unread);
  }
  auto length = header_parser_->content_length();
  if (length && *length > route->max_body_bytes) {
    return answer(beast_http::status::payload_too_large,
                  "body of " + std::to_string(*length) + " bytes is over the limit of " +
                      std::to_string(route->max_body_bytes),
                  true);
  }
  if (boost::beast::iequals(req[beast_http::field::expect], "100-continue")) {
    auto interim = std::make_shared<beast_http::response<beast_http::empty_body>>(beast_http::status::continue_, version_);
    stream_.expires_after(state_->settings.read_timeout);
    return beast_http::async_write(stream_, *interim,
                                   [self = shared_from_this(), interim, route](boost::beast::error_code wec, size_t) {
                                     if (wec) return self->shut();
                                     self->read_body(route);
                                   });
  }
  read_body(std::move(route));
}

void Session::read_body(std::shared_ptr<Route> route) {
  body_parser_.emplace(std::move(*header_parser_));
  body_parser_->body_limit(route->max_body_bytes);
  stream_.expires_after(state_->settings.read_timeout);
  beast_http::async_read(stream_, buffer_, *body_parser_,
                         [self = shared_from_this(), route](boost::beast::error_code ec, size_t) {
                           self->on_body(ec, route);
                         });
}

void Session::on_body(boost::beast::error_code ec, const std::shared_ptr<Route>& route) {
  if (ec == beast_http::error::body_limit) {
    route->metrics.record(413, std::chrono::steady_clock::now() - started_);
    return answer(beast_http::status::payload_too_large,
                  "body is over the limit of " + std::to_string(route->max_body_bytes) + " bytes", true);
  }
  if (ec == boost::beast::error::timeout || ec == beast_http::error::end_of_stream || ec == boost::asio::error::eof ||
      ec == boost::asio::error::connection_reset || ec == beast_http::error::partial_message) {
    return shut();
  }
  if (ec) return answer(beast_http::status::bad_request, "malformed HTTP request: " + ec.message(), true);
  stream_.expires_never();  // the route answers when its backend has decided, which a deadline must not cut short

  auto* responder = new eh_http_responder{shared_from_this(), route, body_parser_->release(), {}, started_};
  const Request& req = responder->request;
  responder->headers.reserve(static_cast<size_t>(std::distance(req.begin(), req.end())));
  for (const auto& field : req) {
    responder->headers.push_back({{field.name_string().data(), field.name_string().size()},
                                  {field.value().data(), field.value().size()}});
  }
  eh_http_request request{{req.method_string().data(), req.method_string().size()},
                          {path_of(sv(req.target())).data(), path_of(sv(req.target())).size()},
                          responder->headers.data(),
                          responder->headers.size(),
                          {req.body().data(), req.body().size()}};
  if (!state_->routes.invoke(route, request, responder)) {
    delete responder;
    answer(beast_http::status::service_unavailable, "shutting down", false, {}, "5");
  }
}

void Session::serve_probe(std::string_view path) {
  bool unread = !header_parser_->is_done();
  auto method = header_parser_->get().method();
  if (method != beast_http::verb::get && method != beast_http::verb::head) {
    return answer(beast_http::status::method_not_allowed, "use GET", unread, "GET, HEAD");
  }
  auto res = std::make_shared<Response>(beast_http::status::ok, version_);
  res->set(beast_http::field::content_type, "text/plain");
  if (path == "/healthz") {
    res->body() = "ok\n";
  } else if (path == "/readyz") {
    Readyz r = state_->probes.ready ? state_->probes.ready() : Readyz{false, {}};
    res->result(r.ready ? beast_http::status::ok : beast_http::status::service_unavailable);
    res->body() = (r.ready ? "ready\n" : "not ready\n") + r.details;
  } else {
    res->set(beast_http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    if (state_->probes.metrics) res->body() = state_->probes.metrics();
  }
  if (method == beast_http::verb::head) res->body().clear();
  if (unread) keep_alive_ = false;
  write(std::move(res));
}

void Session::answer(beast_http::status status, std::string_view body, bool body_unread, std::string_view allow,
                     std::string_view retry_after) {
  if (status != beast_http::status::not_found || !state_->draining.load()) {
    state_->unrouted.record(static_cast<int>(status), std::chrono::steady_clock::now() - started_);
  }
  auto res = std::make_shared<Response>(status, version_);
  res->set(beast_http::field::content_type, "text/plain");
  if (!allow.empty()) res->set(beast_http::field::allow, allow);
  if (!retry_after.empty()) res->set(beast_http::field::retry_after, retry_after);
  res->body() = std::string(body) + "\n";
  if (body_unread) keep_alive_ = false;
  write(std::move(res));
}

void Session::send(std::shared_ptr<Response> response) {
  boost::asio::post(stream_.get_executor(),
                    [self = shared_from_this(), response = std::move(response)]() mutable {
                      self->write(std::move(response));
                    });
}

void Session::write(std::shared_ptr<Response> response) {
  bool keep_alive = keep_alive_ && !state_->draining.load() && !state_->closed.load();
  response->version(version_);
  response->keep_alive(keep_alive);
  response->prepare_payload();
  stream_.expires_after(state_->settings.read_timeout);
  beast_http::async_write(stream_, *response,
                          [self = shared_from_this(), response, keep_alive](boost::beast::error_code ec, size_t) {
                            self->on_write(ec, keep_alive);
                          });
}

void Session::on_write(boost::beast::error_code ec, bool keep_alive) {
  if (ec || !keep_alive) return shut();
  read_header();
}

void Session::shut() {
  idle_ = false;
  boost::beast::error_code ignored;
  stream_.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
  // Closing with unread bytes would make the kernel reset the connection, and the client could lose the answer
  // (a 413 in particular): read and drop what the client still sends, for a short while.
  stream_.expires_after(std::chrono::milliseconds(500));
  linger();
}

void Session::linger() {
  auto scratch = std::make_shared<std::array<char, 16 * 1024>>();
  stream_.async_read_some(boost::asio::buffer(*scratch),
                          [self = shared_from_this(), scratch](boost::beast::error_code ec, size_t) {
                            if (ec) return self->stream_.close();
                            self->linger();
                          });
}

}  // namespace eventhost::host::http

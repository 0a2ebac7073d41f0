// One HTTP/1.1 connection: reads a request (header, then the body within its route's limit), hands it to a probe
// or a route, writes the answer, and waits for the next request. Everything runs on the connection's strand; the
// answer of a route may come from any thread (send).
#pragma once

#include "http/route_table.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <memory>
#include <optional>

namespace eventhost::host::http {

namespace beast_http = boost::beast::http;
using Response = beast_http::response<beast_http::string_body>;
using Request = beast_http::request<beast_http::string_body>;

struct ServerState;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerState> state);
  ~Session();

  void start();
  // Writes the answer to the request being served; any thread.
  void send(std::shared_ptr<Response> response);
  // Closes the connection if it waits for a request; any thread.
  void close_if_idle();

 private:
  void read_header();
  void on_header(boost::beast::error_code ec);
  void serve_probe(std::string_view path);
  void read_body(std::shared_ptr<Route> route);
  void on_body(boost::beast::error_code ec, const std::shared_ptr<Route>& route);
  // An answer from the server itself; `body_unread` closes the connection after it.
  void answer(beast_http::status status, std::string_view body, bool body_unread,
              std::string_view allow = {}, std::string_view retry_after = {});
  void write(std::shared_ptr<Response> response);
  void on_write(boost::beast::error_code ec, bool keep_alive);
  void shut();
  void linger();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::shared_ptr<ServerState> state_;
  std::optional<beast_http::request_parser<beast_http::empty_body>> header_parser_;
  std::optional<beast_http::request_parser<beast_http::string_body>> body_parser_;
  std::chrono::steady_clock::time_point started_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool idle_ = false;
};

}  // namespace eventhost::host::http

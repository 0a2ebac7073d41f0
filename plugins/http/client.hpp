// An HTTP/1.1 client for one destination: keep-alive connections pooled and reused, connect and request timeouts,
// TLS with the system trust store for https://. It runs on its own thread and io_context (a plugin cannot use the
// worker's), started by the first request, so that creating a sink (as `eventhost validate` does) starts nothing.
#pragma once

#include "delivery_outcome.hpp"
#include "url.hpp"

#include <eventhost/status.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace eventhost::http_plugin {

using Request = boost::beast::http::request<boost::beast::http::string_body>;

struct ClientSettings {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{30000};  // writing the request and reading the whole answer
  size_t max_idle_connections = 64;
  uint64_t max_response_bytes = 4 * 1024 * 1024;
  std::string ca_file;  // PEM file to trust instead of the system store (https only)
};

class Client {
 public:
  using Done = std::function<void(DeliveryOutcome)>;

  static Result<std::unique_ptr<Client>> create(Url url, ClientSettings settings);
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends the request; done runs once, on the client's thread.
  void send(Request request, Done done);

 private:
  struct Connection;
  struct Exchange;

  Client(Url url, ClientSettings settings, std::optional<boost::asio::ssl::context> tls);
  void start_thread();
  void dispatch(const std::shared_ptr<Exchange>& x);
  void connect(const std::shared_ptr<Exchange>& x);
  void on_connected(const std::shared_ptr<Connection>& c, const std::shared_ptr<Exchange>& x);
  void write(const std::shared_ptr<Connection>& c, const std::shared_ptr<Exchange>& x, bool reused);
  void read(const std::shared_ptr<Connection>& c, const std::shared_ptr<Exchange>& x, bool reused);
  void on_failure(const std::shared_ptr<Connection>& c, const std::shared_ptr<Exchange>& x, bool reused,
                  const boost::system::error_code& ec, std::string_view during);
  void on_response(const std::shared_ptr<Connection>& c, const std::shared_ptr<Exchange>& x);

  Url url_;
  ClientSettings settings_;
  std::optional<boost::asio::ssl::context> tls_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::resolver resolver_{io_};
  std::vector<std::shared_ptr<Connection>> idle_;  // touched only on the client's thread
  std::once_flag started_;
  std::thread thread_;
};

}  // namespace eventhost::http_plugin

// The sink's HTTP client against a real loopback server: connection reuse, stale connections, timeouts, refusals.
#include "client.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include <future>
#include <thread>

namespace eventhost::http_plugin {
namespace {

namespace beast_http = boost::beast::http;
using boost::asio::ip::tcp;

// A blocking HTTP/1.1 server, one thread per connection, that answers every request with `answer` after `delay`
// and counts the connections it accepted. `close_after` closes each connection after that many answers.
class TestServer {
 public:
  using Answer = std::function<beast_http::response<beast_http::string_body>(const Request&)>;
  explicit TestServer(Answer answer) : answer_(std::move(answer)), acceptor_(io_, {tcp::v4(), 0}) {
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { accept_loop(); });
  }
  ~TestServer() {
    stopping_ = true;
    boost::system::error_code ec;
    tcp::socket poke(io_);
    poke.connect({boost::asio::ip::make_address("127.0.0.1"), port_}, ec);
    thread_.join();
    for (auto& t : connections_) t.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  int accepted() const { return accepted_.load(); }
  std::vector<Request> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::chrono::milliseconds delay{0};
  int close_after = 0;

 private:
  void accept_loop() {
    for (;;) {
      tcp::socket socket(io_);
      boost::system::error_code ec;
      acceptor_.accept(socket, ec);
      if (stopping_ || ec) return;
      ++accepted_;
      connections_.emplace_back([this, s = std::move(socket)]() mutable { serve(std::move(s)); });
    }
  }
  void serve(tcp::socket socket) {
    boost::beast::flat_buffer buffer;
    for (int served = 0;; ++served) {
      if (close_after != 0 && served == close_after) return;
      Request request;
      boost::system::error_code ec;
      beast_http::read(socket, buffer, request, ec);
      if (ec) return;
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
      }
      std::this_thread::sleep_for(delay);
      auto response = answer_(request);
      response.prepare_payload();
      beast_http::write(socket, response, ec);
      if (ec) return;
    }
  }

  Answer answer_;
  boost::asio::io_context io_;
  tcp::acceptor acceptor_;
  uint16_t port_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
  std::vector<std::thread> connections_;
  std::mutex mutex_;
  std::vector<Request> requests_;
};

beast_http::response<beast_http::string_body> accepted(const Request&) {
  return {beast_http::status::accepted, 11};
}

Request post(const Url& url, std::string body) {
  Request r{beast_http::verb::post, url.target, 11};
  r.set(beast_http::field::host, url.host_header);
  r.body() = std::move(body);
  r.prepare_payload();
  return r;
}

DeliveryOutcome send_and_wait(Client& client, Request request) {
  std::promise<DeliveryOutcome> done;
  client.send(std::move(request), [&](DeliveryOutcome o) { done.set_value(std::move(o)); });
  return done.get_future().get();
}

std::unique_ptr<Client> client_for(const std::string& url, ClientSettings settings = {}) {
  auto u = parse_url(url);
  auto c = Client::create(*u, settings);
  EXPECT_TRUE(c) << c.status().message();
  return std::move(*c);
}

TEST(Client, ReusesKeepAliveConnections) {
  TestServer server(&accepted);
  auto client = client_for(server.url());
  Url url = *parse_url(server.url());
  for (int i = 0; i < 5; ++i) {
    auto o = send_and_wait(*client, post(url, "event " + std::to_string(i)));
    EXPECT_EQ(o.status, EH_OK) << o.detail;
    EXPECT_EQ(o.code, 202);
  }
  EXPECT_EQ(server.accepted(), 1);
  auto seen = server.requests();
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_EQ(seen[4].body(), "event 4");
  EXPECT_EQ(seen[4].target(), "/hook");
}

TEST(Client, AConnectionTheServerClosedIsReplacedWithoutFailingTheDelivery) {
  TestServer server(&accepted);
  server.close_after = 1;
  auto client = client_for(server.url());
  Url url = *parse_url(server.url());
  for (int i = 0; i < 3; ++i) {
    auto o = send_and_wait(*client, post(url, "x"));
    EXPECT_EQ(o.status, EH_OK) << o.detail;
  }
  EXPECT_EQ(server.requests().size(), 3u) << "each request reached the server exactly once";
}

TEST(Client, ConcurrentRequestsOpenMoreConnections) {
  TestServer server(&accepted);
  server.delay = std::chrono::milliseconds(200);
  auto client = client_for(server.url());
  Url url = *parse_url(server.url());
  std::vector<std::promise<DeliveryOutcome>> done(3);
  for (auto& d : done) client->send(post(url, "x"), [&d](DeliveryOutcome o) { d.set_value(std::move(o)); });
  for (auto& d : done) EXPECT_EQ(d.get_future().get().status, EH_OK);
  EXPECT_EQ(server.accepted(), 3);
}

TEST(Client, SlowAnswerTimesOut) {
  TestServer server(&accepted);
  server.delay = std::chrono::milliseconds(1500);
  ClientSettings s;
  s.request_timeout = std::chrono::milliseconds(200);
  auto client = client_for(server.url(), s);
  auto start = std::chrono::steady_clock::now();
  auto o = send_and_wait(*client, post(*parse_url(server.url()), "x"));
  EXPECT_EQ(o.status, EH_ERR_TIMEOUT);
  EXPECT_EQ(o.detail, "reading the answer: timed out");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1200));
}

TEST(Client, RefusedConnectionIsUnavailable) {
  uint16_t port;
  {
    boost::asio::io_context io;
    tcp::acceptor a(io, {tcp::v4(), 0});
    port = a.local_endpoint().port();
  }
  auto client = client_for("http://127.0.0.1:" + std::to_string(port) + "/");
  auto o = send_and_wait(*client, post(*parse_url("http://127.0.0.1/"), "x"));
  EXPECT_EQ(o.status, EH_ERR_UNAVAILABLE);
  EXPECT_NE(o.detail.find("connecting to 127.0.0.1:" + std::to_string(port) + ": Connection refused"), std::string::npos)
      << o.detail;
}

TEST(Client, ErrorAnswersCarryCodeRetryAfterAndBody) {
  TestServer server([](const Request&) {
    beast_http::response<beast_http::string_body> r{beast_http::status::too_many_requests, 11};
    r.set(beast_http::field::retry_after, "2");
    r.body() = "slow down";
    return r;
  });
  auto client = client_for(server.url());
  auto o = send_and_wait(*client, post(*parse_url(server.url()), "x"));
  EXPECT_EQ(o.status, EH_ERR_REJECTED);
  EXPECT_EQ(o.code, 429);
  EXPECT_EQ(o.retry_after_ms, 2000u);
  EXPECT_EQ(o.response_body, "slow down");
}

TEST(Client, HttpsWithAnUntrustedCertificateFailsTheHandshake) {
  // A plain-HTTP server cannot complete TLS: the handshake fails and the delivery is unavailable, never sent in clear.
  TestServer server(&accepted);
  std::string url = server.url();
  url.replace(0, 4, "https");
  auto client = client_for(url);
  auto o = send_and_wait(*client, post(*parse_url(url), "x"));
  EXPECT_EQ(o.status, EH_ERR_UNAVAILABLE);
  EXPECT_NE(o.detail.find("TLS handshake"), std::string::npos) << o.detail;
  EXPECT_TRUE(server.requests().empty());
}

TEST(Client, MissingCaFileIsAConfigError) {
  auto c = Client::create(*parse_url("https://example.com/"), ClientSettings{.ca_file = "/nonexistent/ca.pem"});
  ASSERT_FALSE(c);
  EXPECT_NE(c.status().message().find("ca_file '/nonexistent/ca.pem'"), std::string::npos) << c.status().message();
}

}  // namespace
}  // namespace eventhost::http_plugin

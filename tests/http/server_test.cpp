// The worker's HTTP server on loopback: routes, probes, and every limit a slow or hostile client meets.
#include "http/responder.hpp"
#include "http/server.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <gtest/gtest.h>

#include <thread>

namespace eventhost::host::http {
namespace {

using boost::asio::ip::tcp;

struct Seen {
  std::mutex mutex;
  std::string method, path, body, content_type;
  size_t header_count = 0;
};

void echo(void* arg, const eh_http_request* request, eh_http_responder* responder) {
  auto* seen = static_cast<Seen*>(arg);
  {
    std::lock_guard lock(seen->mutex);
    seen->method.assign(request->method.ptr, request->method.len);
    seen->path.assign(request->path.ptr, request->path.len);
    seen->body.assign(request->body.ptr, request->body.len);
    seen->header_count = request->header_count;
    for (size_t i = 0; i < request->header_count; ++i) {
      if (std::string_view(request->headers[i].name.ptr, request->headers[i].name.len) == "Content-Type") {
        seen->content_type.assign(request->headers[i].value.ptr, request->headers[i].value.len);
      }
    }
  }
  eh_http_header h{{"X-Seen", 6}, {"yes", 3}};
  respond(responder, 202, &h, 1, {"taken", 5});
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerSettings s;
    s.listen = "127.0.0.1:0";
    s.max_header_bytes = 1024;
    s.max_headers = 10;
    s.idle_timeout = std::chrono::milliseconds(300);
    s.read_timeout = std::chrono::milliseconds(300);
    server_ = std::make_unique<Server>(
        io_, s, Probes{[this] { return Readyz{ready_.load(), {}}; }, [] { return "m 1\n"; }});
    ASSERT_TRUE(server_->add_route("/r", "pipeline/p", 16, &echo, &seen_).is_ok());
    server_->start_accepting();
    std::string bound = server_->bound_address();
    port_ = static_cast<uint16_t>(std::stoi(bound.substr(bound.rfind(':') + 1)));
    thread_ = std::thread([this] {
      auto guard = boost::asio::make_work_guard(io_);
      io_.run();
    });
  }
  void TearDown() override {
    server_->close(std::chrono::milliseconds(500));
    io_.stop();
    thread_.join();
  }

  // Sends raw bytes and reads until the server closes (or 3s pass): the whole answer as text.
  std::string exchange(const std::string& raw, std::chrono::milliseconds* closed_after = nullptr) {
    boost::asio::io_context io;
    tcp::socket socket(io);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port_});
    auto start = std::chrono::steady_clock::now();
    boost::asio::write(socket, boost::asio::buffer(raw));
    std::string out;
    struct timeval tv{3, 0};
    setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    boost::system::error_code ec;
    boost::asio::read(socket, boost::asio::dynamic_buffer(out), ec);
    if (closed_after) *closed_after = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
    return out;
  }

  boost::asio::io_context io_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  uint16_t port_ = 0;
  std::atomic<bool> ready_{true};
  Seen seen_;
};

TEST_F(ServerTest, RouteReceivesTheWholeRequestAndItsAnswerIsSent) {
  std::string out = exchange("POST /r?x=1 HTTP/1.1\r\nHost: h\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n"
                             "Connection: close\r\n\r\nhello");
  EXPECT_TRUE(out.starts_with("HTTP/1.1 202 Accepted\r\n")) << out;
  EXPECT_NE(out.find("X-Seen: yes\r\n"), std::string::npos) << out;
  EXPECT_TRUE(out.ends_with("\r\n\r\ntaken")) << out;
  std::lock_guard lock(seen_.mutex);
  EXPECT_EQ(seen_.method, "POST");
  EXPECT_EQ(seen_.path, "/r");
  EXPECT_EQ(seen_.body, "hello");
  EXPECT_EQ(seen_.content_type, "text/plain");
  EXPECT_EQ(seen_.header_count, 4u);
}

TEST_F(ServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  std::string one = "POST /r HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\na";
  std::string out = exchange(one + one + "GET /healthz HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
  size_t n = 0;
  for (size_t at = out.find("HTTP/1.1 202"); at != std::string::npos; at = out.find("HTTP/1.1 202", at + 1)) ++n;
  EXPECT_EQ(n, 2u) << out;
  EXPECT_NE(out.find("HTTP/1.1 200 OK"), std::string::npos) << out;
}

TEST_F(ServerTest, ProbesAnswerGetAndRefuseOtherMethods) {
  EXPECT_TRUE(exchange("GET /healthz HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").ends_with("ok\n"));
  EXPECT_TRUE(exchange("GET /metrics HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").ends_with("m 1\n"));
  EXPECT_TRUE(exchange("GET /readyz HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").starts_with("HTTP/1.1 200"));
  ready_ = false;
  EXPECT_TRUE(exchange("GET /readyz HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n").starts_with("HTTP/1.1 503"));
  std::string post = exchange("POST /healthz HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(post.starts_with("HTTP/1.1 405")) << post;
  EXPECT_NE(post.find("Allow: GET, HEAD\r\n"), std::string::npos) << post;
}

TEST_F(ServerTest, UnknownAndRemovedPathsAre404) {
  EXPECT_TRUE(exchange("POST /nope HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n").starts_with("HTTP/1.1 404"));
  server_->remove_route("/r");
  std::string out = exchange("POST /r HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(out.starts_with("HTTP/1.1 404")) << out;
  EXPECT_TRUE(seen_.method.empty()) << "the handler must not run after its route was removed";
}

TEST_F(ServerTest, DrainingAnswers503ForPathsWithoutRoute) {
  server_->remove_route("/r");
  server_->begin_drain();
  std::string out = exchange("POST /r HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");
  EXPECT_TRUE(out.starts_with("HTTP/1.1 503")) << out;
  EXPECT_NE(out.find("Retry-After: 5\r\n"), std::string::npos) << out;
}

TEST_F(ServerTest, BodyOverTheRouteLimitIs413WithoutReachingTheHandler) {
  std::string by_length = exchange("POST /r HTTP/1.1\r\nHost: h\r\nContent-Length: 17\r\n\r\n12345678901234567");
  EXPECT_TRUE(by_length.starts_with("HTTP/1.1 413")) << by_length;
  EXPECT_NE(by_length.find("over the limit of 16"), std::string::npos) << by_length;
  std::string chunked = exchange("POST /r HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                                 "a\r\n1234567890\r\na\r\n1234567890\r\n0\r\n\r\n");
  EXPECT_TRUE(chunked.starts_with("HTTP/1.1 413")) << chunked;
  EXPECT_TRUE(seen_.method.empty());
  std::string exact = exchange("POST /r HTTP/1.1\r\nHost: h\r\nContent-Length: 16\r\nConnection: close\r\n\r\n"
                               "1234567890123456");
  EXPECT_TRUE(exact.starts_with("HTTP/1.1 202")) << exact;
}

TEST_F(ServerTest, HeaderLimitsAre431) {
  std::string many = "POST /r HTTP/1.1\r\nHost: h\r\n";
  for (int i = 0; i < 10; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
  std::string out = exchange(many + "Content-Length: 0\r\n\r\n");
  EXPECT_TRUE(out.starts_with("HTTP/1.1 431")) << out;
  EXPECT_NE(out.find("more than 10 header fields"), std::string::npos) << out;
  std::string big = exchange("POST /r HTTP/1.1\r\nHost: h\r\nX-Big: " + std::string(2000, 'x') + "\r\n\r\n");
  EXPECT_TRUE(big.starts_with("HTTP/1.1 431")) << big;
  EXPECT_TRUE(seen_.method.empty());
}

TEST_F(ServerTest, MalformedRequestIs400) {
  std::string out = exchange("POST /r HTTP/1.1\r\nHost h\r\n\r\n");
  EXPECT_TRUE(out.starts_with("HTTP/1.1 400")) << out;
}

TEST_F(ServerTest, SilentAndSlowClientsAreCutOff) {
  std::chrono::milliseconds after{0};
  EXPECT_EQ(exchange("", &after), "");
  EXPECT_GE(after.count(), 250);
  EXPECT_LT(after.count(), 2000);
  std::string slow = exchange("POST /r HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n12", &after);
  EXPECT_EQ(slow, "");
  EXPECT_LT(after.count(), 2000);
  EXPECT_TRUE(seen_.method.empty());
}

TEST_F(ServerTest, PathsAreExclusiveAndReserved) {
  Status again = server_->add_route("/r", "pipeline/q", 0, &echo, &seen_);
  EXPECT_EQ(again.message(), "HTTP path /r is already served by pipeline/p");
  EXPECT_EQ(server_->add_route("/metrics", "pipeline/q", 0, &echo, &seen_).message(),
            "HTTP path /metrics is the worker's own");
  EXPECT_EQ(server_->add_route("x", "pipeline/q", 0, &echo, &seen_).message(), "HTTP path 'x' must start with /");
}

TEST_F(ServerTest, ListeningOnATakenPortNamesTheAddress) {
  boost::asio::io_context io;
  ServerSettings s;
  s.listen = server_->bound_address();
  Server second(io, s, Probes{});
  Status st = second.listen();
  EXPECT_EQ(st.code(), EH_ERR_UNAVAILABLE);
  EXPECT_EQ(st.message(), "http: cannot listen on " + s.listen + ": Address already in use");
}

}  // namespace
}  // namespace eventhost::host::http

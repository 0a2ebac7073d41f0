// The HTTP subscriber of bench/peers, the same for every system: the least a Boost.Beast server does (read the
// request, answer 202, keep-alive, one thread), plus counting. Each request's age at arrival is now minus its
// CloudEvents time (the `ce-time` header, or `ce_time` as Redpanda Connect copies Kafka headers), which
// bench/peers/kafka_tool.c set when it wrote the record.
//
//   peers-subscriber PORT COUNT
// Prints the port, FIRST when the first request is in (so a caller can start its clocks), then, when COUNT
// requests have arrived:
//   RESULT requests=N seconds=S events_per_s=E p50_ms=.. p99_ms=..     (seconds from the first to the COUNT-th)
// and goes on answering until killed.
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
using boost::asio::ip::tcp;

namespace {

double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// RFC 3339 in UTC ("2026-11-23T05:40:00.123456Z"); negative when it is not one.
double parse_time(const std::string& text) {
  std::tm tm{};
  const char* rest = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (rest == nullptr) return -1;
  return static_cast<double>(timegm(&tm)) + (*rest == '.' ? std::strtod(rest, nullptr) : 0.0);
}

class Tally {
 public:
  explicit Tally(long expected) : expected_(expected) { ages_.reserve(static_cast<size_t>(expected)); }

  void arrived(const std::string& ce_time) {
    const auto now = std::chrono::steady_clock::now();
    if (count_ == 0) {
      first_ = now;
      std::printf("FIRST\n");
      std::fflush(stdout);
    }
    if (const double sent = parse_time(ce_time); sent > 0) ages_.push_back(wall_seconds() - sent);
    if (++count_ == expected_) report(std::chrono::duration<double>(now - first_).count());
  }

 private:
  void report(double seconds) {
    std::sort(ages_.begin(), ages_.end());
    const auto percentile = [&](size_t p) { return ages_.empty() ? 0.0 : ages_[ages_.size() * p / 100] * 1e3; };
    std::printf("RESULT requests=%ld seconds=%.3f events_per_s=%.0f p50_ms=%.2f p99_ms=%.2f\n", count_, seconds,
                seconds > 0 ? count_ / seconds : 0.0, percentile(50), percentile(99));
    std::fflush(stdout);
  }

  long expected_;
  long count_ = 0;
  std::chrono::steady_clock::time_point first_;
  std::vector<double> ages_;
};

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Tally& tally) : stream_(std::move(socket)), tally_(tally) {}

  void read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (!ec) self->answer();
    });
  }

 private:
  void answer() {
    auto time = request_.find("ce-time");
    if (time == request_.end()) time = request_.find("ce_time");
    tally_.arrived(time == request_.end() ? std::string() : std::string(time->value()));
    response_ = {http::status::accepted, request_.version()};
    response_.keep_alive(request_.keep_alive());
    response_.prepare_payload();
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (!ec && self->response_.keep_alive()) self->read();
    });
  }

  beast::tcp_stream stream_;
  Tally& tally_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::empty_body> response_;
};

void accept(tcp::acceptor& acceptor, Tally& tally) {
  acceptor.async_accept([&acceptor, &tally](beast::error_code ec, tcp::socket socket) {
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Connection>(std::move(socket), tally)->read();
    }
    accept(acceptor, tally);
  });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: peers-subscriber PORT COUNT\n");
    return 2;
  }
  boost::asio::io_context io(1);
  tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::atoi(argv[1]))});
  Tally tally(std::atol(argv[2]));
  std::printf("%u\n", acceptor.local_endpoint().port());
  std::fflush(stdout);
  accept(acceptor, tally);
  io.run();
}

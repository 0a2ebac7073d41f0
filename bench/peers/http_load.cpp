// The HTTP load of bench/peers, the same for every system: POSTs COUNT binary-mode CloudEvents (six attributes,
// BODY_FILE as data) over CONNECTIONS keep-alive connections, and reports what came back.
//
//   peers-http-load PORT PATH RATE COUNT CONNECTIONS BODY_FILE
//
// RATE 0: every connection sends its next request as soon as the answer to the last one is in (the maximum rate).
// RATE > 0: request i is due at start + i / RATE (on connection i % CONNECTIONS) and its latency runs from when it
// was due, not from when it was sent, so a server that falls behind shows it (no coordinated omission).
// Prints: RESULT requests=N seconds=S events_per_s=E p50_ms=.. p99_ms=.. non2xx=N errors=N
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace beast = boost::beast;
namespace http = beast::http;
using boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

std::string rfc3339_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() % 1000000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[64];
  const size_t n = std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(text + n, sizeof text - n, ".%06ldZ", static_cast<long>(micros));
  return text;
}

struct Plan {
  std::string path;
  std::string body;
  double rate;
  long count;
  long connections;
  Clock::time_point start;
  std::vector<double> latencies;
  long non2xx = 0;
  long errors = 0;
  Clock::time_point last_answer;
};

class Client : public std::enable_shared_from_this<Client> {
 public:
  Client(boost::asio::io_context& io, Plan& plan, long first) : stream_(io), timer_(io), plan_(plan), next_(first) {}

  void start(const tcp::endpoint& server) {
    stream_.async_connect(server, [self = shared_from_this()](beast::error_code ec) {
      if (ec) {
        self->plan_.errors++;
        return;
      }
      self->stream_.socket().set_option(tcp::no_delay(true));
      self->wait_until_due();
    });
  }

 private:
  Clock::time_point due() const {
    if (plan_.rate <= 0) return Clock::now();
    return plan_.start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(next_ / plan_.rate));
  }

  void wait_until_due() {
    if (next_ >= plan_.count) return;
    due_ = due();
    timer_.expires_at(due_);
    timer_.async_wait([self = shared_from_this()](beast::error_code) { self->send(); });
  }

  void send() {
    request_ = {http::verb::post, plan_.path, 11};
    request_.set(http::field::host, "127.0.0.1");
    request_.set("ce-specversion", "1.0");
    request_.set("ce-id", "bench-" + std::to_string(next_));
    request_.set("ce-source", "/bench/peers");
    request_.set("ce-type", "com.example.order.created");
    request_.set("ce-time", rfc3339_now());
    request_.set(http::field::content_type, "application/json");
    request_.body() = plan_.body;
    request_.keep_alive(true);
    request_.prepare_payload();
    http::async_write(stream_, request_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return self->failed();
      self->response_ = {};
      http::async_read(self->stream_, self->buffer_, self->response_, [self](beast::error_code ec, size_t) {
        if (ec) return self->failed();
        self->answered();
      });
    });
  }

  void answered() {
    const auto now = Clock::now();
    plan_.latencies.push_back(std::chrono::duration<double>(now - due_).count());
    plan_.last_answer = now;
    if (response_.result_int() / 100 != 2) plan_.non2xx++;
    next_ += plan_.connections;
    wait_until_due();
  }

  void failed() {
    plan_.errors++;
    plan_.last_answer = Clock::now();
  }

  beast::tcp_stream stream_;
  boost::asio::steady_timer timer_;
  Plan& plan_;
  long next_;
  Clock::time_point due_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  beast::flat_buffer buffer_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: peers-http-load PORT PATH RATE COUNT CONNECTIONS BODY_FILE\n");
    return 2;
  }
  std::ifstream file(argv[6]);
  std::stringstream body;
  body << file.rdbuf();
  std::string text = body.str();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  Plan plan{argv[2], text, std::atof(argv[3]), std::atol(argv[4]), std::atol(argv[5]), Clock::now(), {}};
  plan.latencies.reserve(static_cast<size_t>(plan.count));

  boost::asio::io_context io(1);
  const tcp::endpoint server(boost::asio::ip::make_address("127.0.0.1"), static_cast<unsigned short>(std::atoi(argv[1])));
  plan.start = Clock::now();
  for (long c = 0; c < plan.connections && c < plan.count; c++) std::make_shared<Client>(io, plan, c)->start(server);
  io.run();

  const double seconds = std::chrono::duration<double>(plan.last_answer - plan.start).count();
  auto& latencies = plan.latencies;
  std::sort(latencies.begin(), latencies.end());
  const auto percentile = [&](size_t p) { return latencies.empty() ? 0.0 : latencies[latencies.size() * p / 100] * 1e3; };
  std::printf("RESULT requests=%zu seconds=%.3f events_per_s=%.0f p50_ms=%.2f p99_ms=%.2f non2xx=%ld errors=%ld\n",
              latencies.size(), seconds, seconds > 0 ? latencies.size() / seconds : 0.0, percentile(50),
              percentile(99), plan.non2xx, plan.errors);
  return plan.errors == 0 && plan.non2xx == 0 ? 0 : 1;
}

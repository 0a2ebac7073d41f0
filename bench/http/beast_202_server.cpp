// The baseline of bench/http: the least an HTTP/1.1 server on Boost.Beast can do per request (read it, answer 202
// with keep-alive) on one thread. The worker's ingress is measured against it in the same run.
//
//   beast-202-server PORT     (0 picks a free port; the port is printed on stdout)
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace beast = boost::beast;
namespace http = beast::http;
using boost::asio::ip::tcp;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  explicit Connection(tcp::socket socket) : stream_(std::move(socket)) {}
  void read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec) return;
      self->answer();
    });
  }

 private:
  void answer() {
    response_ = {http::status::accepted, request_.version()};
    response_.keep_alive(request_.keep_alive());
    response_.prepare_payload();
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, size_t) {
      if (ec || !self->response_.keep_alive()) return;
      self->read();
    });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::empty_body> response_;
};

void accept(tcp::acceptor& acceptor) {
  acceptor.async_accept([&acceptor](beast::error_code ec, tcp::socket socket) {
    if (!ec) {
      socket.set_option(tcp::no_delay(true), ec);
      std::make_shared<Connection>(std::move(socket))->read();
    }
    accept(acceptor);
  });
}

int main(int argc, char** argv) {
  boost::asio::io_context io(1);
  tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"),
                              static_cast<unsigned short>(argc > 1 ? std::atoi(argv[1]) : 0)});
  std::printf("%u\n", acceptor.local_endpoint().port());
  std::fflush(stdout);
  accept(acceptor);
  io.run();
}

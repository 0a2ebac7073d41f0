#include "client.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>

namespace eventhost::http_plugin {

namespace beast = boost::beast;
namespace beast_http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using boost::asio::ip::tcp;

struct Client::Connection {
  std::unique_ptr<beast::tcp_stream> plain;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls;
  beast::flat_buffer buffer;

  beast::tcp_stream& lowest() { return tls ? beast::get_lowest_layer(*tls) : *plain; }
  template <typename Fn>
  void with_stream(Fn&& fn) {
    if (tls) fn(*tls);
    else fn(*plain);
  }
};

struct Client::Exchange {
  Request request;
  Done done;
  bool retried_fresh = false;
  std::optional<beast_http::response_parser<beast_http::string_body>> parser;
};

Result<std::unique_ptr<Client>> Client::create(Url url, ClientSettings settings) {
  std::optional<ssl::context> tls;
  if (url.tls) {
    tls.emplace(ssl::context::tls_client);
    boost::system::error_code ec;
    if (settings.ca_file.empty()) {
      tls->set_default_verify_paths(ec);
      if (ec) return Status::invalid("cannot load the system trust store: " + ec.message());
    } else {
      tls->load_verify_file(settings.ca_file, ec);
      if (ec) return Status::invalid("ca_file '" + settings.ca_file + "': " + ec.message());
    }
    tls->set_verify_mode(ssl::verify_peer);
  }
  return std::unique_ptr<Client>(new Client(std::move(url), std::move(settings), std::move(tls)));
}

Client::Client(Url url, ClientSettings settings, std::optional<ssl::context> tls)
    : url_(std::move(url)), settings_(std::move(settings)), tls_(std::move(tls)) {}

Client::~Client() {
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

void Client::start_thread() {
  thread_ = std::thread([this] {
    auto guard = boost::asio::make_work_guard(io_);
    io_.run();
  });
}

void Client::send(Request request, Done done) {
  std::call_once(started_, [this] { start_thread(); });
  auto x = std::make_shared<Exchange>();
  x->request = std::move(request);
  x->done = std::move(done);
  boost::asio::post(io_, [this, x] { dispatch(x); });
}

void Client::dispatch(const std::shared_ptr<Exchange>& x) {
  if (idle_.empty()) return connect(x);
  auto c = std::move(idle_.back());
  idle_.pop_back();
  write(c, x, true);
}

void Client::connect(const std::shared_ptr<Exchange>& x) {
  resolver_.async_resolve(url_.host, url_.port, [this, x](boost::system::error_code ec, tcp::resolver::results_type results) {
    if (ec) return x->done(outcome_of_error(ec, "resolving " + url_.host));
    auto c = std::make_shared<Connection>();
    if (tls_) c->tls = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(io_, *tls_);
    else c->plain = std::make_unique<beast::tcp_stream>(io_);
    c->lowest().expires_after(settings_.connect_timeout);
    c->lowest().async_connect(results, [this, c, x](boost::system::error_code cec, const tcp::endpoint&) {
      if (cec) return x->done(outcome_of_error(cec, "connecting to " + url_.host_header));
      on_connected(c, x);
    });
  });
}

void Client::on_connected(const std::shared_ptr<Connection>& c, const std::shared_ptr<Exchange>& x) {
  boost::system::error_code ignored;
  c->lowest().socket().set_option(tcp::no_delay(true), ignored);
  if (!c->tls) return write(c, x, false);
  boost::system::error_code not_an_address;
  boost::asio::ip::make_address(url_.host, not_an_address);
  if (not_an_address && !SSL_set_tlsext_host_name(c->tls->native_handle(), url_.host.c_str())) {
    return x->done(outcome_of_error(boost::system::error_code(static_cast<int>(::ERR_get_error()),
                                                              boost::asio::error::get_ssl_category()),
                                    "TLS server name"));
  }
  c->tls->set_verify_callback(ssl::host_name_verification(url_.host));
  c->tls->async_handshake(ssl::stream_base::client, [this, c, x](boost::system::error_code ec) {
    if (ec) return x->done(outcome_of_error(ec, "TLS handshake with " + url_.host_header));
    write(c, x, false);
  });
}

void Client::write(const std::shared_ptr<Connection>& c, const std::shared_ptr<Exchange>& x, bool reused) {
  c->lowest().expires_after(settings_.request_timeout);
  c->with_stream([&](auto& stream) {
    beast_http::async_write(stream, x->request, [this, c, x, reused](boost::system::error_code ec, size_t) {
      if (ec) return on_failure(c, x, reused, ec, "sending the request");
      read(c, x, reused);
    });
  });
}

void Client::read(const std::shared_ptr<Connection>& c, const std::shared_ptr<Exchange>& x, bool reused) {
  x->parser.emplace();
  x->parser->body_limit(settings_.max_response_bytes);
  c->with_stream([&](auto& stream) {
    beast_http::async_read(stream, c->buffer, *x->parser, [this, c, x, reused](boost::system::error_code ec, size_t) {
      if (ec) return on_failure(c, x, reused, ec, "reading the answer");
      on_response(c, x);
    });
  });
}

void Client::on_failure(const std::shared_ptr<Connection>& c, const std::shared_ptr<Exchange>& x, bool reused,
                        const boost::system::error_code& ec, std::string_view during) {
  boost::system::error_code ignored;
  c->lowest().socket().close(ignored);
  // A pooled connection the server closed while it sat idle fails before any answer arrives: that request never
  // reached the subscriber, so it goes once more on a fresh connection.
  bool stale = reused && !x->retried_fresh && (!x->parser || !x->parser->got_some()) && ec != beast::error::timeout;
  if (stale) {
    x->retried_fresh = true;
    return connect(x);
  }
  x->done(outcome_of_error(ec, during));
}

void Client::on_response(const std::shared_ptr<Connection>& c, const std::shared_ptr<Exchange>& x) {
  auto response = x->parser->release();
  c->lowest().expires_never();
  if (response.keep_alive() && idle_.size() < settings_.max_idle_connections) {
    idle_.push_back(c);
  } else {
    boost::system::error_code ignored;
    c->lowest().socket().shutdown(tcp::socket::shutdown_both, ignored);
    c->lowest().socket().close(ignored);
  }
  ce::HttpMessage message;
  for (const auto& field : response) {
    message.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  }
  message.body = std::move(response.body());
  x->done(outcome_of_response(static_cast<int>(response.result_int()), message));
}

}  // namespace eventhost::http_plugin

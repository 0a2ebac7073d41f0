#include "https_exchange.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>
#include <rapidjson/document.h>

namespace eventhost::apiserver {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
using asio::ip::tcp;

Result<std::unique_ptr<ssl::context>> make_tls_context(const ClusterAccess& access) {
  auto tls = std::make_unique<ssl::context>(ssl::context::tls_client);
  boost::system::error_code ec;
  tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1,
                   ec);
  tls->add_certificate_authority(asio::buffer(access.ca_pem), ec);
  if (ec) return Status::invalid("the cluster CA is not a valid PEM certificate: " + ec.message());
  tls->set_verify_mode(ssl::verify_peer, ec);
  if (!access.client_cert_pem.empty()) {
    tls->use_certificate_chain(asio::buffer(access.client_cert_pem), ec);
    if (ec) return Status::invalid("the client certificate is not valid PEM: " + ec.message());
    tls->use_private_key(asio::buffer(access.client_key_pem), ssl::context::pem, ec);
    if (ec) return Status::invalid("the client key is not valid PEM or does not match the certificate: " + ec.message());
  }
  return tls;
}

namespace {

constexpr std::chrono::seconds kConnectTimeout{10};

class Exchange final : public HttpsExchange, public std::enable_shared_from_this<Exchange> {
 public:
  Exchange(asio::io_context& io, ssl::context& tls, ServerAddress server, std::chrono::seconds idle_timeout,
           Handlers handlers, uint64_t max_body)
      : server_(std::move(server)),
        max_body_(max_body),
        idle_timeout_(idle_timeout),
        handlers_(std::move(handlers)),
        resolver_(io),
        stream_(io, tls) {}

  void run(http::request<http::string_body> request) {
    request_ = std::move(request);
    resolver_.async_resolve(server_.host, server_.port,
                            [self = shared_from_this()](const boost::system::error_code& ec, tcp::resolver::results_type r) {
                              self->on_resolve(ec, std::move(r));
                            });
  }

  void read_more() override {
    if (!paused_ || cancelled_) return;
    paused_ = false;
    read_body();
  }

  void cancel() override {
    if (cancelled_) return;
    cancelled_ = true;
    resolver_.cancel();
    boost::system::error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
  }

 private:
  void on_resolve(const boost::system::error_code& ec, const tcp::resolver::results_type& results) {
    if (ec) return fail("resolving " + server_.host, ec);
    beast::get_lowest_layer(stream_).expires_after(kConnectTimeout);
    beast::get_lowest_layer(stream_).async_connect(
        results, [self = shared_from_this()](const boost::system::error_code& e, const tcp::endpoint&) {
          self->on_connect(e);
        });
  }

  void on_connect(const boost::system::error_code& ec) {
    if (ec) return fail("connecting to " + server_.url, ec);
    boost::system::error_code parse_ec;
    asio::ip::make_address(server_.host, parse_ec);
    if (parse_ec) SSL_set_tlsext_host_name(stream_.native_handle(), server_.host.c_str());  // SNI for names only
    stream_.set_verify_callback(ssl::host_name_verification(server_.host));
    beast::get_lowest_layer(stream_).expires_after(kConnectTimeout);
    stream_.async_handshake(ssl::stream_base::client,
                            [self = shared_from_this()](const boost::system::error_code& e) { self->on_handshake(e); });
  }

  void on_handshake(const boost::system::error_code& ec) {
    if (ec) return fail("TLS handshake with " + server_.url, ec);
    beast::get_lowest_layer(stream_).expires_after(idle_timeout_);
    http::async_write(stream_, request_, [self = shared_from_this()](const boost::system::error_code& e, size_t) {
      self->on_write(e);
    });
  }

  void on_write(const boost::system::error_code& ec) {
    if (ec) return fail("sending the request", ec);
    if (max_body_ == 0) {
      parser_.body_limit(boost::none);  // a watch never ends; the watcher bounds the lines it keeps
    } else {
      parser_.body_limit(max_body_);
    }
    beast::get_lowest_layer(stream_).expires_after(idle_timeout_);
    http::async_read_header(stream_, buffer_, parser_,
                            [self = shared_from_this()](const boost::system::error_code& e, size_t) {
                              self->on_header(e);
                            });
  }

  void on_header(const boost::system::error_code& ec) {
    if (ec) return fail("reading the answer", ec);
    handlers_.on_status(parser_.get().result_int());
    if (!cancelled_) read_body();
  }

  void read_body() {
    if (parser_.is_done()) return finish();
    parser_.get().body().data = chunk_;
    parser_.get().body().size = sizeof chunk_;
    beast::get_lowest_layer(stream_).expires_after(idle_timeout_);
    http::async_read_some(stream_, buffer_, parser_,
                          [self = shared_from_this()](boost::system::error_code e, size_t) { self->on_read(e); });
  }

  void on_read(boost::system::error_code ec) {
    if (ec == http::error::need_buffer) ec = {};
    if (ec) return fail("reading the answer", ec);
    size_t got = sizeof chunk_ - parser_.get().body().size;
    bool more = got == 0 || handlers_.on_body(std::string_view(chunk_, got));
    if (cancelled_) return;
    if (parser_.is_done()) return finish();
    if (more) {
      read_body();
    } else {
      paused_ = true;
    }
  }

  void finish() {
    if (cancelled_) return;
    cancelled_ = true;
    boost::system::error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
    handlers_.on_end({});
  }

  void fail(const std::string& during, const boost::system::error_code& ec) {
    if (cancelled_) return;
    cancelled_ = true;
    std::string why = ec == beast::error::timeout       ? "timed out"
                      : ec == http::error::body_limit ? "the answer is larger than " + std::to_string(max_body_) + " bytes"
                                                      : ec.message();
    boost::system::error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
    handlers_.on_end(during + ": " + why);
  }

  ServerAddress server_;
  uint64_t max_body_;
  std::chrono::seconds idle_timeout_;
  Handlers handlers_;
  tcp::resolver resolver_;
  beast::ssl_stream<beast::tcp_stream> stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response_parser<http::buffer_body> parser_;
  char chunk_[64 * 1024];
  bool paused_ = false;
  bool cancelled_ = false;
};

}  // namespace

namespace {

http::request<http::string_body> make_request(http::verb method, const ServerAddress& server,
                                              const std::string& bearer_token, std::string target) {
  http::request<http::string_body> req{method, target, 11};
  bool ipv6 = server.host.find(':') != std::string::npos;
  req.set(http::field::host, (ipv6 ? "[" + server.host + "]" : server.host) + ":" + server.port);
  req.set(http::field::user_agent, "eventhost");
  req.set(http::field::accept, "application/json");
  if (!bearer_token.empty()) req.set(http::field::authorization, "Bearer " + bearer_token);
  return req;
}

std::shared_ptr<HttpsExchange> start_request(asio::io_context& io, ssl::context& tls, const ServerAddress& server,
                                             http::request<http::string_body> req, std::chrono::seconds idle_timeout,
                                             HttpsExchange::Handlers handlers, uint64_t max_body) {
  auto x = std::make_shared<Exchange>(io, tls, server, idle_timeout, std::move(handlers), max_body);
  x->run(std::move(req));
  return x;
}

HttpsExchange::Handlers collect(std::function<void(Result<HttpAnswer>)> done) {
  auto answer = std::make_shared<HttpAnswer>();
  HttpsExchange::Handlers h;
  h.on_status = [answer](unsigned status) { answer->status = status; };
  h.on_body = [answer](std::string_view bytes) {
    answer->body.append(bytes);
    return true;
  };
  h.on_end = [answer, done = std::move(done)](std::string error) {
    if (!error.empty()) return done(Status::unavailable(std::move(error)));
    done(std::move(*answer));
  };
  return h;
}

}  // namespace

std::shared_ptr<HttpsExchange> HttpsExchange::start(asio::io_context& io, ssl::context& tls,
                                                    const ServerAddress& server, const std::string& bearer_token,
                                                    std::string target, std::chrono::seconds idle_timeout,
                                                    Handlers handlers, uint64_t max_body) {
  return start_request(io, tls, server, make_request(http::verb::get, server, bearer_token, std::move(target)),
                       idle_timeout, std::move(handlers), max_body);
}

std::shared_ptr<HttpsExchange> fetch(asio::io_context& io, ssl::context& tls, const ServerAddress& server,
                                     const std::string& bearer_token, std::string target, std::chrono::seconds timeout,
                                     size_t max_body, std::function<void(Result<HttpAnswer>)> done) {
  return HttpsExchange::start(io, tls, server, bearer_token, std::move(target), timeout, collect(std::move(done)),
                              max_body);
}

std::shared_ptr<HttpsExchange> send_json(asio::io_context& io, ssl::context& tls, const ServerAddress& server,
                                         const std::string& bearer_token, Method method, std::string target,
                                         std::string json_body, std::chrono::seconds timeout, size_t max_body,
                                         std::function<void(Result<HttpAnswer>)> done) {
  auto req = make_request(method == Method::post ? http::verb::post : http::verb::put, server, bearer_token,
                          std::move(target));
  req.set(http::field::content_type, "application/json");
  req.body() = std::move(json_body);
  req.prepare_payload();
  return start_request(io, tls, server, std::move(req), timeout, collect(std::move(done)), max_body);
}

std::string status_message(std::string_view body) {
  rapidjson::Document d;
  d.Parse(body.data(), body.size());
  if (!d.HasParseError() && d.IsObject()) {
    auto m = d.FindMember("message");
    if (m != d.MemberEnd() && m->value.IsString()) return m->value.GetString();
  }
  std::string s(body.substr(0, 200));
  for (char& c : s) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return s;
}

std::string describe_answer(unsigned status, std::string_view body, const std::string& plural) {
  std::string message = status_message(body);
  switch (status) {
    case 401:
      return "unauthorized (HTTP 401): the API server refused the credentials (" + message + ")";
    case 403:
      return "forbidden (HTTP 403): the source needs get, list and watch on " + plural + " (" + message + ")";
    default:
      return "HTTP " + std::to_string(status) + ": " + message;
  }
}

}  // namespace eventhost::apiserver

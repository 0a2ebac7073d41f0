#include "http/server.hpp"

#include "http/listen_address.hpp"
#include "http/server_state.hpp"
#include "http/session.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/strand.hpp>
#include <spdlog/spdlog.h>

#include <thread>

namespace eventhost::host::http {
namespace {

using boost::asio::ip::tcp;

void accept_next(const std::shared_ptr<ServerState>& state) {
  std::lock_guard lock(state->mutex);
  if (!state->acceptor || state->closed.load()) return;
  state->acceptor->async_accept(boost::asio::make_strand(state->io),
                                [state](boost::system::error_code ec, tcp::socket socket) {
                                  if (ec == boost::asio::error::operation_aborted || state->closed.load()) return;
                                  if (!ec) {
                                    if (state->connections.fetch_add(1) >= state->settings.max_connections) {
                                      state->connections.fetch_sub(1);
                                      spdlog::warn("http: {} connections open, refusing another",
                                                   state->settings.max_connections);
                                      socket.close(ec);
                                    } else {
                                      socket.set_option(tcp::no_delay(true), ec);
                                      std::make_shared<Session>(std::move(socket), state)->start();
                                    }
                                  } else {
                                    spdlog::warn("http: accept failed: {}", ec.message());
                                  }
                                  accept_next(state);
                                });
}

}  // namespace

Server::Server(boost::asio::io_context& io, ServerSettings settings, Probes probes)
    : state_(std::make_shared<ServerState>(io, std::move(settings), std::move(probes))) {}

Server::~Server() { close(std::chrono::milliseconds(0)); }

Status Server::listen() {
  std::lock_guard lock(state_->mutex);
  if (state_->listen_result) return *state_->listen_result;
  auto fail = [&](const std::string& why) {
    state_->listen_result = Status::unavailable("http: cannot listen on " + state_->settings.listen + ": " + why);
    return *state_->listen_result;
  };
  auto address = parse_listen_address(state_->settings.listen);
  if (!address) return fail(address.status().message());
  boost::system::error_code ec;
  tcp::resolver resolver(state_->io);
  auto results = resolver.resolve(address->host.empty() ? "::" : address->host, std::to_string(address->port),
                                  tcp::resolver::passive | tcp::resolver::numeric_service, ec);
  if (ec || results.empty()) return fail(ec ? ec.message() : "the host name resolves to nothing");
  tcp::endpoint endpoint = results.begin()->endpoint();
  tcp::acceptor acceptor(state_->io);
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec && address->host.empty()) acceptor.set_option(boost::asio::ip::v6_only(false), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(boost::asio::socket_base::max_listen_connections, ec);
  if (ec) return fail(ec.message());
  auto local = acceptor.local_endpoint(ec);
  std::string host = local.address().is_v6() ? "[" + local.address().to_string() + "]" : local.address().to_string();
  state_->bound = host + ":" + std::to_string(local.port());
  state_->acceptor.emplace(std::move(acceptor));
  state_->listen_result = Status::ok();
  spdlog::info("http: listening on {}", state_->bound);
  return Status::ok();
}

bool Server::listening() const {
  std::lock_guard lock(state_->mutex);
  return state_->acceptor.has_value();
}

std::string Server::bound_address() const {
  std::lock_guard lock(state_->mutex);
  return state_->bound;
}

Status Server::add_route(const std::string& path, const std::string& pipeline, uint64_t max_body_bytes,
                         eh_http_handler handler, void* arg) {
  if (path.empty() || path[0] != '/') return Status::invalid("HTTP path '" + path + "' must start with /");
  if (path == "/healthz" || path == "/readyz" || path == "/metrics") {
    return Status::invalid("HTTP path " + path + " is the worker's own");
  }
  if (Status s = listen(); !s.is_ok()) return s;
  auto route = std::make_shared<Route>();
  route->path = path;
  route->pipeline = pipeline;
  route->max_body_bytes = max_body_bytes != 0 ? max_body_bytes : kDefaultMaxBodyBytes;
  route->handler = handler;
  route->arg = arg;
  return state_->routes.add(std::move(route));
}

void Server::remove_route(std::string_view path) { state_->routes.remove(path); }

const RouteTable& Server::routes() const { return state_->routes; }

const RouteMetrics& Server::unrouted() const { return state_->unrouted; }

void Server::start_accepting() {
  {
    std::lock_guard lock(state_->mutex);
    if (!state_->acceptor || state_->accepting) return;
    state_->accepting = true;
  }
  accept_next(state_);
}

void Server::begin_drain() { state_->draining.store(true); }

void Server::close(std::chrono::milliseconds grace) {
  if (state_->closed.exchange(true)) return;
  std::vector<std::shared_ptr<Session>> open;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->acceptor) {
      boost::system::error_code ignored;
      state_->acceptor->close(ignored);
      state_->acceptor.reset();
    }
    for (auto& [raw, weak] : state_->sessions) {
      if (auto s = weak.lock()) open.push_back(std::move(s));
    }
  }
  for (auto& s : open) s->close_if_idle();
  open.clear();
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (state_->connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace eventhost::host::http

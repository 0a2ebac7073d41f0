// What the server shares with its connections, which may outlive it by a few handlers.
#pragma once

#include "http/route_table.hpp"
#include "http/server.hpp"
#include "http/server_settings.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace eventhost::host::http {

class Session;

struct ServerState {
  ServerState(boost::asio::io_context& io_context, ServerSettings s, Probes p)
      : io(io_context), settings(std::move(s)), probes(std::move(p)) {}

  boost::asio::io_context& io;
  const ServerSettings settings;
  const Probes probes;
  RouteTable routes;
  RouteMetrics unrouted;  // answers given without a route: 404, 405, 431, ...

  std::atomic<bool> draining{false};
  std::atomic<bool> closed{false};
  std::atomic<uint32_t> connections{0};

  std::mutex mutex;  // guards what follows
  std::optional<boost::asio::ip::tcp::acceptor> acceptor;
  std::optional<Status> listen_result;
  std::string bound;
  bool accepting = false;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
};

}  // namespace eventhost::host::http

// The worker's one HTTP/1.1 server (Boost.Beast) on the worker pool: plugin routes (the broker and channel ingress),
// and the probes /healthz, /readyz and /metrics.
//
// It listens when told to (an explicit `[host] listen`) or when the first route is added, and accepts connections
// once the worker has started every pipeline, so that no request meets a half-started worker.
#pragma once

#include "http/route_table.hpp"
#include "http/server_settings.hpp"

#include <eventhost/status.hpp>

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <string>

namespace eventhost::host::http {

struct Readyz {
  bool ready = false;
  std::string details;  // why not ready, one reason per line
};

struct Probes {
  std::function<Readyz()> ready;            // /readyz answers 200 when ready, else 503 with the details
  std::function<std::string()> metrics;     // /metrics body, Prometheus text format 0.0.4
};

struct ServerState;

class Server {
 public:
  Server(boost::asio::io_context& io, ServerSettings settings, Probes probes);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens (once; later calls answer the first outcome). The error names the address and the reason.
  Status listen();
  bool listening() const;
  std::string bound_address() const;  // "HOST:PORT" with the real port, once listening

  Status add_route(const std::string& path, const std::string& pipeline, uint64_t max_body_bytes,
                   eh_http_handler handler, void* arg);
  void remove_route(std::string_view path);
  const RouteTable& routes() const;
  const RouteMetrics& unrouted() const;  // answers given without a route (404, 405, 431, ...)

  void start_accepting();
  // Shutdown, first step: unknown paths answer 503 instead of 404, and answers close their connection.
  void begin_drain();
  // Shutdown, last step: stops accepting, closes idle connections, and waits up to `grace` for the others.
  void close(std::chrono::milliseconds grace);

 private:
  std::shared_ptr<ServerState> state_;  // shared with every connection, which may outlive the server
};

}  // namespace eventhost::host::http

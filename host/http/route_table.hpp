// The HTTP routes plugins registered (http_route_add), each with its own request metrics.
#pragma once

#include "runtime/pipeline_metrics.hpp"

#include <eventhost/abi.h>
#include <eventhost/status.hpp>

#include <array>
#include <atomic>
#include <map>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

namespace eventhost::host::http {

// What a route answered: counts per status code and the time from a complete request to its answer.
class RouteMetrics {
 public:
  void record(int status, std::chrono::steady_clock::duration latency) {
    codes_[index(status)].fetch_add(1, std::memory_order_relaxed);
    latency_.observe(latency);
  }
  // fn(int status, uint64_t count) for every status answered at least once.
  template <typename Fn>
  void for_each_status(Fn&& fn) const {
    for (size_t i = 0; i < codes_.size(); ++i) {
      if (uint64_t n = codes_[i].load(std::memory_order_relaxed); n != 0) fn(static_cast<int>(i) + 100, n);
    }
  }
  const LatencyHistogram& latency() const { return latency_; }

 private:
  static size_t index(int status) { return status >= 100 && status <= 599 ? static_cast<size_t>(status - 100) : 499; }
  std::array<std::atomic<uint64_t>, 500> codes_{};
  LatencyHistogram latency_;
};

struct Route {
  std::string path;
  std::string pipeline;  // of the plugin instance that registered it: the metrics label
  uint64_t max_body_bytes;
  eh_http_handler handler;
  void* arg;
  RouteMetrics metrics;
};

class RouteTable {
 public:
  // Fails when another route serves the path.
  Status add(std::shared_ptr<Route> route);
  // Waits for handler calls under way, so the handler is never called after this returns.
  void remove(std::string_view path);
  std::shared_ptr<Route> find(std::string_view path) const;
  // Calls the route's handler unless the route was removed meanwhile; false when it was.
  bool invoke(const std::shared_ptr<Route>& route, const eh_http_request& request, eh_http_responder* responder) const;
  // Every route ever added (the latest per path and pipeline), so that metrics survive a source's stop.
  std::vector<std::shared_ptr<const Route>> all() const;

 private:
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::shared_ptr<Route>, std::less<>> active_;
  std::vector<std::shared_ptr<const Route>> all_;
};

}  // namespace eventhost::host::http

// The eh_host handle a plugin instance receives: who it is, and where its events go.
#pragma once

#include "runtime/timers.hpp"

#include <eventhost/abi.h>

#include <spdlog/logger.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace eventhost::host {

class Inlet;
class Readiness;
namespace http {
class Server;
}

}  // namespace eventhost::host

struct eh_host {
  std::string name;       // the Knative object's name (source, trigger, ...) or the pipeline's
  std::string ns;
  std::string pipeline;
  std::string kind;       // "source", "sink", "filter", "delivery-policy"
  std::string plugin;
  eventhost::host::TimerService* timers = nullptr;
  eventhost::host::Inlet* inlet = nullptr;  // sources only: where emit hands events
  eventhost::host::http::Server* http = nullptr;  // the worker's HTTP server, for http_route_add
  std::shared_ptr<spdlog::logger> logger;
  eventhost::host::Readiness* readiness = nullptr;   // where health_set reports
  std::function<void(bool leading)> on_leadership;    // electors only: the worker starts or stops singletons

  std::mutex metrics_mutex;
  std::map<std::string, uint64_t> metrics;  // plugin counters from metric_add
  std::map<std::string, int64_t> gauges;    // plugin gauges from gauge_set
};

namespace eventhost::host {

const eh_host_api* host_api();

}  // namespace eventhost::host

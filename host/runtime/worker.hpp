// The worker: builds buses and pipelines from a validated config, runs them on a thread pool, and drains on stop.
#pragma once

#include "config/model.hpp"
#include "http/server.hpp"
#include "runtime/memory_bus.hpp"
#include "runtime/pipeline.hpp"
#include "runtime/readiness.hpp"
#include "runtime/singletons.hpp"
#include "runtime/timers.hpp"

#include <eventhost/status.hpp>

#include <boost/asio/io_context.hpp>

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace eventhost::host {

class Worker {
 public:
  explicit Worker(config::WorkerConfig config);
  ~Worker();

  // Creates every plugin instance; the first failure is returned with its file, place and reason.
  Status build();
  // Runs until request_stop (or SIGINT/SIGTERM when handle_signals), then drains within the shutdown grace.
  // Returns the process exit code.
  int run(bool handle_signals);
  void request_stop();

 private:
  std::unique_ptr<eh_host> context_for(const config::PipelineSpec& p, const config::PluginSpec& plugin,
                                       const char* kind);
  Result<std::unique_ptr<PluginInstance>> instantiate(const config::PipelineSpec& p, const config::PluginSpec& plugin,
                                                      const char* kind);
  Result<std::unique_ptr<Target>> target_for(const config::Destination& d, const config::PipelineSpec& p,
                                             bool replies);
  Status build_pipeline(const config::PipelineSpec& spec);
  Status on_pool(const std::function<Status()>& fn);  // runs fn on a worker thread and waits for it
  void drain();

  config::WorkerConfig config_;
  boost::asio::io_context io_;
  TimerService timers_{io_};
  http::Server http_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> ready_{false};  // every pipeline started, not draining: /readyz
  Readiness readiness_;              // and nothing else holds it back
  std::map<std::string, std::unique_ptr<MemoryBus>> buses_;
  std::vector<std::unique_ptr<Pipeline>> pipelines_;
  Singletons singletons_{io_, [this] { request_stop(); }};  // the elector, and the sources it gates

  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stop_requested_ = false;
};

// CPUs this process may use: its affinity mask, further limited by a cgroup v2 CPU quota (a container's limit).
unsigned available_cpus();

}  // namespace eventhost::host

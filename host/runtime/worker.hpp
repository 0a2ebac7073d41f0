// The worker: builds buses and pipelines from a validated config, runs them on a thread pool, and drains on stop.
#pragma once

#include "config/model.hpp"
#include "config/watch.hpp"
#include "http/server.hpp"
#include "runtime/memory_bus.hpp"
#include "runtime/pipeline.hpp"
#include "runtime/readiness.hpp"
#include "runtime/singletons.hpp"
#include "runtime/reload_plan.hpp"
#include "runtime/timers.hpp"

#include <eventhost/status.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

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
  // While running, reload the config from `args` (as `eventhost run` read it) on SIGHUP and when the files change.
  // `log_level_fixed`: the command line set the log level, so the config's does not apply.
  void enable_reload(std::vector<std::string> args, bool log_level_fixed);
  // Runs until request_stop (or SIGINT/SIGTERM when handle_signals), then drains within the shutdown grace.
  // Returns the process exit code.
  int run(bool handle_signals);
  void request_stop();
  void request_reload();

 private:
  std::unique_ptr<eh_host> context_for(const config::PipelineSpec& p, const config::PluginSpec& plugin,
                                       const char* kind);
  Result<std::unique_ptr<PluginInstance>> instantiate(const config::PipelineSpec& p, const config::PluginSpec& plugin,
                                                      const char* kind);
  Result<std::unique_ptr<Target>> target_for(const config::Destination& d, const config::PipelineSpec& p,
                                             bool replies);
  // Creates a pipeline's plugin instances; nothing runs and nothing refers to it yet.
  Result<std::unique_ptr<Pipeline>> build_pipeline(const config::PipelineSpec& spec);
  void install(std::unique_ptr<Pipeline> pipeline, const config::PipelineSpec& spec);
  Status on_pool(const std::function<Status()>& fn);  // runs fn on a worker thread and waits for it
  void await_signal(boost::asio::signal_set& signals);
  void drain();

  // Config reload (worker_reload.cpp), on the thread that runs `run`.
  void watch_config();
  void reload();
  void refuse_reload(const std::string& reason);
  // Returns what failed to start; the rest of the plan is in effect.
  std::vector<std::string> apply(config::WorkerConfig& next, const ReloadPlan& plan,
                                 std::vector<std::unique_ptr<Pipeline>> built);
  void drain_stopped(std::vector<std::unique_ptr<Pipeline>> stopped, std::vector<std::unique_ptr<MemoryBus>> buses);
  std::string reload_metrics() const;

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
  mutable std::mutex topology_mutex_;  // a reload changing buses_ and pipelines_ against /metrics reading them

  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stop_requested_ = false;
  bool reload_requested_ = false;
  std::atomic<int> stop_signal_{0};  // SIGINT or SIGTERM once one asked for the stop

  unsigned pool_size_ = 0;                // threads running io_
  std::vector<std::string> reload_args_;  // empty: no reload
  bool log_level_fixed_ = false;
  std::unique_ptr<config::ConfigWatcher> watcher_;
  // Pipelines removed by a reload that still held events after the grace, and the buses they may still offer to:
  // kept until every event is done or the worker exits, never destroyed under a delivery.
  std::vector<std::unique_ptr<Pipeline>> retired_;
  std::vector<std::unique_ptr<MemoryBus>> retired_buses_;
  std::atomic<uint64_t> generation_{1};  // of the running config: 1 at start, +1 per applied change
  std::atomic<uint64_t> reloads_applied_{0};
  std::atomic<uint64_t> reloads_refused_{0};
  std::atomic<uint64_t> reloads_failed_{0};
};

// CPUs this process may use: its affinity mask, further limited by a cgroup v2 CPU quota (a container's limit).
unsigned available_cpus();

}  // namespace eventhost::host

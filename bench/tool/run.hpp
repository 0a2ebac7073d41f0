// One benchmark run of one plugin: what it is given (Subject, Workload) and what came out (RunResult).
#pragma once

#include "histogram.hpp"
#include "plugins/loaded_plugin.hpp"
#include "runtime/event_impl.hpp"

#include <eventhost/status.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace eventhost::bench {

struct Subject {
  host::PluginHandle plugin;
  std::string config_json;
  std::string config_origin;  // "--config", a file name, or "defaults": named in create errors
};

struct Workload {
  const std::vector<eh_event>* events = nullptr;  // cycled through
  uint64_t count = 100000;                        // measured events
  uint64_t warmup = 1000;                         // sent first, not counted
  double rate = 0;                                // sinks: events per second; 0 = as fast as the sink accepts
  uint32_t max_in_flight = 64;                    // sinks and sources
  unsigned threads = 1;                           // sinks and sources: io threads, like [host] threads
  std::chrono::milliseconds timeout{30000};       // sinks: per attempt; 0 = none
  std::chrono::milliseconds duration{0};          // stop measuring after this long; 0 = no limit
};

// Shown while a run goes on; written by the run, read by the progress line.
struct Progress {
  std::atomic<uint64_t> done{0};
  std::atomic<uint64_t> total{0};
  std::atomic<bool> warming_up{false};
  std::string label;
};

struct RunResult {
  uint64_t events = 0;     // measured
  uint64_t warmup = 0;
  double seconds = 0;
  Histogram latency;       // nanoseconds
  std::string latency_meaning;
  double cpu_user_seconds = 0;
  double cpu_system_seconds = 0;
  uint64_t peak_rss_bytes = 0;
  bool peak_rss_per_run = false;  // false: the process's peak so far (the kernel could not reset it)
  uint64_t timer_overhead_ns = 0; // what one clock read pair costs here: part of every latency
  std::map<std::string, uint64_t> outcomes;  // by kind: pass/drop, ok/timeout/..., retry/dead_letter/...
  std::map<std::string, uint64_t> errors;    // the outcomes that are failures

  double events_per_second() const { return seconds > 0 ? static_cast<double>(events) / seconds : 0; }
  double cpu_ns_per_event() const {
    return events > 0 ? (cpu_user_seconds + cpu_system_seconds) * 1e9 / static_cast<double>(events) : 0;
  }
  void merge(const RunResult& other);
};

// Runs the subject once: a fresh instance, the warm-up, the measured events.
Result<RunResult> run_once(const Subject& subject, const Workload& workload, Progress& progress);

}  // namespace eventhost::bench

// Wall time, CPU time (getrusage: every thread of the process) and peak resident memory over a measured stretch.
#pragma once

#include <chrono>
#include <cstdint>

namespace eventhost::bench {

struct RunResult;

class Measurement {
 public:
  // Resets the kernel's peak-RSS mark when it can (/proc/self/clear_refs), then takes the start readings.
  void start();
  // Takes the end readings into `result`; call once.
  void stop(RunResult& result) const;

  static uint64_t timer_overhead_ns();

 private:
  std::chrono::steady_clock::time_point wall_;
  double user_ = 0;
  double system_ = 0;
  bool rss_reset_ = false;
};

}  // namespace eventhost::bench

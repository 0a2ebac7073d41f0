// Per-pipeline counters and latency histograms, updated lock-free on the data path.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace eventhost::host {

// A Prometheus-style latency histogram with fixed bounds (seconds), from 100µs to 10s.
class LatencyHistogram {
 public:
  static constexpr std::array<double, 15> kBounds = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                     0.05,   0.1,     0.25,   0.5,   1,      2.5,   10};

  void observe(std::chrono::steady_clock::duration d) {
    auto us = std::chrono::duration_cast<std::chrono::microseconds>(d).count();
    double seconds = static_cast<double>(us) / 1e6;
    size_t i = 0;
    while (i < kBounds.size() && seconds > kBounds[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);  // buckets_[kBounds.size()] is +Inf
    sum_us_.fetch_add(static_cast<uint64_t>(us), std::memory_order_relaxed);
  }

  // Cumulative count of observations <= kBounds[i] (i == kBounds.size(): all of them).
  uint64_t cumulative(size_t i) const {
    uint64_t n = 0;
    for (size_t j = 0; j <= i; ++j) n += buckets_[j].load(std::memory_order_relaxed);
    return n;
  }
  uint64_t count() const { return cumulative(kBounds.size()); }
  double sum_seconds() const { return static_cast<double>(sum_us_.load(std::memory_order_relaxed)) / 1e6; }

 private:
  std::array<std::atomic<uint64_t>, kBounds.size() + 1> buckets_{};
  std::atomic<uint64_t> sum_us_{0};
};

struct PipelineMetrics {
  std::atomic<uint64_t> received{0};
  std::atomic<uint64_t> filtered{0};
  std::atomic<uint64_t> delivered{0};
  std::atomic<uint64_t> retried{0};
  std::atomic<uint64_t> dead_lettered{0};
  std::atomic<uint64_t> dropped{0};
  std::atomic<uint64_t> failed{0};
  std::atomic<uint64_t> replies{0};
  std::atomic<uint64_t> overloaded{0};
  LatencyHistogram delivery_latency;  // one observation per attempt at the sink, success or not

  std::string summary() const {
    return "received=" + std::to_string(received) + " filtered=" + std::to_string(filtered) +
           " delivered=" + std::to_string(delivered) + " retried=" + std::to_string(retried) +
           " dead_lettered=" + std::to_string(dead_lettered) + " dropped=" + std::to_string(dropped) +
           " failed=" + std::to_string(failed) + " replies=" + std::to_string(replies) +
           " overloaded=" + std::to_string(overloaded);
  }
};

}  // namespace eventhost::host

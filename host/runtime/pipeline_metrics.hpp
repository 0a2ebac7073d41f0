// Per-pipeline counters, updated lock-free on the data path.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>

namespace eventhost::host {

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

  std::string summary() const {
    return "received=" + std::to_string(received) + " filtered=" + std::to_string(filtered) +
           " delivered=" + std::to_string(delivered) + " retried=" + std::to_string(retried) +
           " dead_lettered=" + std::to_string(dead_lettered) + " dropped=" + std::to_string(dropped) +
           " failed=" + std::to_string(failed) + " replies=" + std::to_string(replies) +
           " overloaded=" + std::to_string(overloaded);
  }
};

}  // namespace eventhost::host

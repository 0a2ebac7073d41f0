// The driver shape for plugins the worker calls synchronously (filters, delivery policies): a warm-up, one untimed
// pass for throughput and CPU time, then one pass that times every call for the latency histogram, so the clock
// reads do not count against throughput. On the calling thread, like one worker thread.
#pragma once

#include "measurement.hpp"
#include "run.hpp"

#include <array>
#include <chrono>
#include <string_view>

namespace eventhost::bench {

// call(const eh_event&) returns the index of its outcome in `names`; `failures` marks the ones that are errors.
template <size_t N, typename Call>
RunResult call_loop(const Workload& w, Progress& progress, const char* meaning,
                    const std::array<std::string_view, N>& names, const std::array<bool, N>& failures, Call&& call) {
  const auto& events = *w.events;
  size_t next = 0;
  auto next_event = [&]() -> const eh_event& {
    const eh_event& ev = events[next];
    next = next + 1 == events.size() ? 0 : next + 1;
    return ev;
  };
  RunResult result;
  result.latency_meaning = meaning;
  result.warmup = w.warmup;
  result.timer_overhead_ns = Measurement::timer_overhead_ns();

  progress.warming_up = true;
  progress.total = w.warmup;
  for (uint64_t i = 0; i < w.warmup; ++i) {
    call(next_event());
    if ((i & 1023) == 0) progress.done = i;
  }
  progress.warming_up = false;
  progress.total = w.count * 2;
  progress.done = 0;

  std::array<uint64_t, N> counts{};
  auto deadline = w.duration.count() > 0 ? std::chrono::steady_clock::now() + w.duration
                                         : std::chrono::steady_clock::time_point::max();
  Measurement m;
  m.start();
  uint64_t done = 0;
  for (; done < w.count; ++done) {
    ++counts[call(next_event())];
    if ((done & 1023) == 1023) {
      progress.done = done;
      if (std::chrono::steady_clock::now() >= deadline) {
        ++done;
        break;
      }
    }
  }
  m.stop(result);
  result.events = done;

  for (uint64_t i = 0; i < done; ++i) {
    const eh_event& ev = next_event();
    auto t0 = std::chrono::steady_clock::now();
    call(ev);
    auto t1 = std::chrono::steady_clock::now();
    result.latency.record(static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count()));
    if ((i & 1023) == 0) progress.done = done + i;
  }
  for (size_t k = 0; k < N; ++k) {
    if (counts[k] == 0) continue;
    result.outcomes[std::string(names[k])] = counts[k];
    if (failures[k]) result.errors[std::string(names[k])] = counts[k];
  }
  return result;
}

}  // namespace eventhost::bench

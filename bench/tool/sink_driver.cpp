// Sinks are driven through the host's PluginTarget on an io_context, as a pipeline delivers: at most max_in_flight
// deliveries outstanding, each send posted to a worker thread, each completion handed back through the io_context.
// At a fixed rate, latency counts from when an event was due, not from when a slot freed (no coordinated omission).
#include "drivers.hpp"
#include "measurement.hpp"
#include "runtime/target.hpp"
#include "runtime/timers.hpp"

#include <eventhost/status.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

namespace eventhost::bench {
namespace {

using Clock = std::chrono::steady_clock;

class Deliveries {
 public:
  explicit Deliveries(uint32_t max_in_flight) : max_(max_in_flight) {}

  void acquire() {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return in_flight_ < max_; });
    ++in_flight_;
  }
  void complete(const host::AttemptResult& r, Clock::time_point due, bool counted) {
    auto now = Clock::now();
    {
      std::lock_guard lock(mutex_);
      if (counted) {
        result.latency.record(static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now - due).count()));
        std::string kind = status_name(r.status);
        ++result.outcomes[kind];
        if (!r.ok()) ++result.errors[kind];
      }
      --in_flight_;
    }
    room_.notify_all();
  }
  void wait_idle() {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return in_flight_ == 0; });
  }
  RunResult result;  // guarded by mutex_ until wait_idle() returns

 private:
  const uint32_t max_;
  std::mutex mutex_;
  std::condition_variable room_;
  uint32_t in_flight_ = 0;
};

}  // namespace

Result<RunResult> run_sink(const Subject& subject, const Workload& w, Progress& progress) {
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  host::TimerService timers(io);
  auto instance = make_instance(subject, &timers, nullptr);
  if (!instance) return instance.status();
  host::PluginTarget target(std::move(*instance), "plugin:" + subject.plugin->name(), io, timers);
  Deliveries deliveries(w.max_in_flight);
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < std::max(1u, w.threads); ++i) pool.emplace_back([&io] { io.run(); });

  const auto& events = *w.events;
  auto send = [&](uint64_t i, Clock::time_point due, bool counted) {
    deliveries.acquire();
    const eh_event& ev = events[i % events.size()];
    boost::asio::post(io, [&, due, counted, ev = &ev] {
      target.send(*ev, w.timeout, [&, due, counted](host::AttemptResult r) {
        deliveries.complete(r, due, counted);
        if (counted) progress.done.fetch_add(1, std::memory_order_relaxed);
      });
    });
  };

  progress.warming_up = true;
  progress.total = w.warmup;
  for (uint64_t i = 0; i < w.warmup; ++i) {
    send(i, Clock::now(), false);
    progress.done = i;
  }
  deliveries.wait_idle();
  progress.warming_up = false;
  progress.total = w.count;
  progress.done = 0;

  deliveries.result.timer_overhead_ns = Measurement::timer_overhead_ns();
  Measurement m;
  m.start();
  auto t0 = Clock::now();
  auto deadline = w.duration.count() > 0 ? t0 + w.duration : Clock::time_point::max();
  uint64_t sent = 0;
  for (; sent < w.count; ++sent) {
    Clock::time_point due = Clock::now();
    if (w.rate > 0) {
      due = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(sent / w.rate));
      std::this_thread::sleep_until(due);
    }
    if (due >= deadline) break;
    send(w.warmup + sent, due, true);
  }
  deliveries.wait_idle();
  m.stop(deliveries.result);

  timers.close();
  guard.reset();
  io.stop();
  for (auto& t : pool) t.join();

  RunResult result = std::move(deliveries.result);
  result.events = sent;
  result.warmup = w.warmup;
  result.latency_meaning = w.rate > 0 ? "from when the event was due to its completion" : "deliver to completion";
  return result;
}

}  // namespace eventhost::bench

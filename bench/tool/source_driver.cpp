// Sources are drained as fast as they emit: emit answers at once and the completion follows on the io_context (as a
// pipeline whose sink takes no time), with at most max_in_flight outstanding; beyond that emit answers
// EH_ERR_OVERLOADED and the source is resumed when there is room, as the worker does. The histogram holds the time
// between one accepted emit and the next.
#include "drivers.hpp"
#include "measurement.hpp"
#include "runtime/inlet.hpp"
#include "runtime/timers.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <condition_variable>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace eventhost::bench {
namespace {

using Clock = std::chrono::steady_clock;

class DrainInlet final : public host::Inlet {
 public:
  DrainInlet(boost::asio::io_context& io, const Workload& w, Progress& progress)
      : io_(io), w_(w), progress_(progress) {}

  void attach(host::PluginInstance* source) { source_ = source; }

  eh_status offer(host::EventPtr& event, host::Completion done, bool) override {
    std::unique_lock lock(mutex_);
    if (finished_) return EH_ERR_SHUTDOWN;
    if (in_flight_ >= w_.max_in_flight) {
      want_resume_ = true;
      ++overloaded_;
      return EH_ERR_OVERLOADED;
    }
    ++in_flight_;
    ++accepted_;
    auto now = Clock::now();
    if (accepted_ > w_.warmup) {
      if (accepted_ > w_.warmup + 1) {
        result.latency.record(static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now - last_).count()));
      }
      progress_.done.store(accepted_ - w_.warmup, std::memory_order_relaxed);
    } else {
      progress_.done.store(accepted_, std::memory_order_relaxed);
    }
    last_ = now;
    if (accepted_ == w_.warmup) begin_measuring();
    if (accepted_ == w_.warmup + w_.count) finish();
    event.reset();
    lock.unlock();
    boost::asio::post(io_, [this, done = std::move(done)] {
      done(EH_OK);
      bool resume = false;
      {
        std::lock_guard inner(mutex_);
        --in_flight_;
        resume = std::exchange(want_resume_, false);
      }
      changed_.notify_all();
      if (resume) source_->plugin().resume(source_->instance());
    });
    return EH_OK;
  }

  // Waits for the measured events or the deadline, whichever comes first; then no more emits are taken.
  void wait_finished(Clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    changed_.wait_until(lock, deadline, [&] { return finished_; });
    if (!finished_) finish();
  }
  void wait_idle() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return in_flight_ == 0; });
  }
  // Called before start when there is no warm-up.
  void begin_if_no_warmup() {
    std::lock_guard lock(mutex_);
    if (w_.warmup == 0) begin_measuring();
  }

  uint64_t measured() {
    std::lock_guard lock(mutex_);
    return accepted_ > w_.warmup ? accepted_ - w_.warmup : 0;
  }
  uint64_t overloaded() {
    std::lock_guard lock(mutex_);
    return overloaded_;
  }

  RunResult result;  // guarded by mutex_ until wait_idle() returns

 private:
  void begin_measuring() {  // under mutex_
    progress_.warming_up = false;
    progress_.total = w_.count;
    measurement_.start();
  }
  void finish() {  // under mutex_
    finished_ = true;
    if (accepted_ >= w_.warmup) measurement_.stop(result);
    changed_.notify_all();
  }

  boost::asio::io_context& io_;
  const Workload& w_;
  Progress& progress_;
  host::PluginInstance* source_ = nullptr;
  std::mutex mutex_;
  std::condition_variable changed_;
  uint32_t in_flight_ = 0;
  uint64_t accepted_ = 0;
  uint64_t overloaded_ = 0;
  bool want_resume_ = false;
  bool finished_ = false;
  Clock::time_point last_;
  Measurement measurement_;
};

// Runs fn on a worker thread and waits for it: start and stop run there, as in the worker.
template <typename Fn>
auto on_pool(boost::asio::io_context& io, Fn fn) {
  std::packaged_task<decltype(fn())()> task(std::move(fn));
  auto result = task.get_future();
  boost::asio::post(io, [&task] { task(); });
  return result.get();
}

}  // namespace

Result<RunResult> run_source(const Subject& subject, const Workload& w, Progress& progress) {
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  host::TimerService timers(io);
  DrainInlet inlet(io, w, progress);
  auto instance = make_instance(subject, &timers, &inlet);
  if (!instance) return instance.status();
  host::PluginInstance& source = **instance;
  inlet.attach(&source);
  std::vector<std::thread> pool;
  for (unsigned i = 0; i < std::max(1u, w.threads); ++i) pool.emplace_back([&io] { io.run(); });
  auto shut_down = [&] {
    timers.close();
    guard.reset();
    io.stop();
    for (auto& t : pool) t.join();
  };

  progress.warming_up = w.warmup > 0;
  progress.total = w.warmup;
  progress.done = 0;
  inlet.result.timer_overhead_ns = Measurement::timer_overhead_ns();
  inlet.begin_if_no_warmup();
  char err[512] = {0};
  eh_status started = on_pool(io, [&] { return source.plugin().start(source.instance(), err, sizeof err); });
  if (started != EH_OK) {
    shut_down();
    return Status(started, subject.plugin->name() + ": source failed to start: " + (err[0] ? err : status_name(started)));
  }
  auto deadline = w.duration.count() > 0 ? Clock::now() + w.duration : Clock::time_point::max();
  inlet.wait_finished(deadline);
  on_pool(io, [&] {
    source.plugin().stop(source.instance());
    return 0;
  });
  inlet.wait_idle();
  shut_down();

  if (inlet.measured() == 0 && w.count > 0) {
    return Status(EH_ERR_TIMEOUT, subject.plugin->name() + ": the source emitted no event past the warm-up of " +
                                      std::to_string(w.warmup) + " within --duration");
  }
  RunResult result = std::move(inlet.result);
  result.events = inlet.measured();
  result.warmup = w.warmup;
  result.latency_meaning = "time between one emit and the next";
  result.outcomes["emitted"] = result.events;
  if (uint64_t n = inlet.overloaded(); n > 0) result.outcomes["overloaded (flow control)"] = n;
  return result;
}

}  // namespace eventhost::bench

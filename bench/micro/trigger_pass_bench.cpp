// One pass through a memory-backed trigger: an event offered to a MemoryBus, taken by one trigger Pipeline (with an
// attributes filter, as a trigger has), delivered to a sink plugin that completes at once, and finished. Built from
// the host's runtime classes on an io_context with one thread, like `[host] threads = 1`.
#include "bench_support.hpp"
#include "runtime/memory_bus.hpp"
#include "runtime/pipeline.hpp"
#include "runtime/target.hpp"
#include "runtime/timers.hpp"

#include <benchmark/benchmark.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace eventhost::bench {
namespace {

using Clock = std::chrono::steady_clock;

class Trigger {
 public:
  explicit Trigger(uint32_t max_in_flight) : guard_(io_.get_executor()) {
    auto filter = instantiate(EH_BENCH_ATTRIBUTES_PLUGIN, R"({"attributes":{"type":"dev.knative.sources.ping"}})",
                              &timers_, &error_);
    auto sink = instantiate(EH_BENCH_INSTANT_SINK_PLUGIN, "{}", &timers_, &error_);
    if (!filter || !sink) return;
    config::PipelineSpec spec;
    spec.name = "trigger/default/bench";
    spec.object_name = "bench";
    spec.ns = "default";
    spec.intake_bus = bus_.id();
    spec.max_in_flight = max_in_flight;
    host::PipelineParts parts;
    parts.filters.push_back(std::move(filter));
    parts.sink = std::make_unique<host::PluginTarget>(std::move(sink), "plugin:instant", io_, timers_);
    pipeline_ = std::make_unique<host::Pipeline>(spec, std::move(parts), io_, timers_, stopping_);
    bus_.subscribe(pipeline_.get());
    thread_ = std::thread([this] { io_.run(); });
  }
  ~Trigger() {
    if (thread_.joinable()) {
      wait_delivered(offered_);
      timers_.close();
      guard_.reset();
      io_.stop();
      thread_.join();
    }
  }

  bool ok() const { return pipeline_ != nullptr; }
  const std::string& error() const { return error_; }

  // Offers until the bus takes the event; a full trigger answers overloaded, as it would to a source.
  void offer(host::EventPtr event) {
    while (bus_.offer(event, [](eh_status) {}) == EH_ERR_OVERLOADED) std::this_thread::yield();
    ++offered_;
  }
  void wait_delivered(uint64_t n) const {
    while (pipeline_->metrics().delivered.load(std::memory_order_acquire) < n) std::this_thread::yield();
  }
  uint64_t offered() const { return offered_; }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard_;
  host::TimerService timers_{io_};
  std::atomic<bool> stopping_{false};
  host::MemoryBus bus_{"broker/default/bench", io_};
  std::unique_ptr<host::Pipeline> pipeline_;
  std::thread thread_;
  std::string error_;
  uint64_t offered_ = 0;
};

std::vector<host::EventPtr> make_events(const CloudEvent& proto, size_t n) {
  std::vector<host::EventPtr> events;
  events.reserve(n);
  for (size_t i = 0; i < n; ++i) events.push_back(std::make_unique<eh_event>(eh_event{proto}));
  return events;
}

// Throughput: batches of events offered as fast as the trigger takes them (max_in_flight = range(0)); the time of a
// batch runs until its last event is delivered.
void BM_TriggerPass_Throughput(benchmark::State& state) {
  Trigger trigger(static_cast<uint32_t>(state.range(0)));
  if (!trigger.ok()) return state.SkipWithError(trigger.error().c_str());
  constexpr size_t kBatch = 1000;
  CloudEvent proto = standard_event();
  for (auto _ : state) {
    auto events = make_events(proto, kBatch);
    auto t0 = Clock::now();
    for (auto& e : events) trigger.offer(std::move(e));
    trigger.wait_delivered(trigger.offered());
    state.SetIterationTime(std::chrono::duration<double>(Clock::now() - t0).count());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBatch));
}
BENCHMARK(BM_TriggerPass_Throughput)->Arg(1)->Arg(64)->Arg(1024)->UseManualTime()->Unit(benchmark::kMicrosecond);

// Latency: one event at a time, from offer to delivered; p50/p99 over every event of the run.
void BM_TriggerPass_Latency(benchmark::State& state) {
  Trigger trigger(64);
  if (!trigger.ok()) return state.SkipWithError(trigger.error().c_str());
  CloudEvent proto = standard_event();
  std::vector<double> samples;
  samples.reserve(1 << 20);
  for (auto _ : state) {
    auto event = std::make_unique<eh_event>(eh_event{proto});
    auto t0 = Clock::now();
    trigger.offer(std::move(event));
    trigger.wait_delivered(trigger.offered());
    double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    state.SetIterationTime(seconds);
    if (samples.size() < samples.capacity()) samples.push_back(seconds * 1e9);
  }
  std::sort(samples.begin(), samples.end());
  auto at = [&](double q) { return samples[std::min(samples.size() - 1, static_cast<size_t>(q * samples.size()))]; };
  state.counters["p50_ns"] = at(0.50);
  state.counters["p99_ns"] = at(0.99);
}
BENCHMARK(BM_TriggerPass_Latency)->UseManualTime()->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace eventhost::bench

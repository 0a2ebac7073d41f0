// The delivery engine's bookkeeping per event: reserving and releasing an in-flight slot, one attempt through a
// PluginTarget (completion state, hand-off back to the io_context), arming and cancelling the per-attempt timeout,
// and the retry policy's decision through its descriptor. Single-threaded: the io_context is polled by the caller.
#include "bench_support.hpp"
#include "runtime/pipeline.hpp"
#include "runtime/target.hpp"
#include "runtime/timers.hpp"

#include <benchmark/benchmark.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace eventhost::bench {
namespace {

void BM_Delivery_ReserveRelease(benchmark::State& state) {
  boost::asio::io_context io;
  host::TimerService timers(io);
  std::atomic<bool> stopping{false};
  config::PipelineSpec spec;
  spec.name = "trigger/default/bench";
  spec.max_in_flight = 64;
  host::Pipeline pipeline(spec, host::PipelineParts{}, io, timers, stopping);
  for (auto _ : state) {
    benchmark::DoNotOptimize(pipeline.try_reserve(false));
    pipeline.release_reservation();
  }
}
BENCHMARK(BM_Delivery_ReserveRelease)->Threads(1)->Threads(2);

void BM_Delivery_PluginTargetAttempt(benchmark::State& state) {
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  host::TimerService timers(io);
  std::string error;
  auto sink = instantiate(EH_BENCH_INSTANT_SINK_PLUGIN, "{}", &timers, &error);
  if (!sink) return state.SkipWithError(error.c_str());
  host::PluginTarget target(std::move(sink), "plugin:instant", io, timers);
  eh_event ev{standard_event()};
  const auto timeout = std::chrono::milliseconds(state.range(0));
  uint64_t delivered = 0;
  for (auto _ : state) {
    target.send(ev, timeout, [&](host::AttemptResult r) { delivered += r.ok() ? 1 : 0; });
    io.poll();
  }
  timers.close();
  io.poll();
  if (delivered != static_cast<uint64_t>(state.iterations())) state.SkipWithError("an attempt did not succeed");
}
// 0: no per-attempt timeout; 30000: a timeout timer is armed and cancelled on every attempt.
BENCHMARK(BM_Delivery_PluginTargetAttempt)->ArgName("timeout_ms")->Arg(0)->Arg(30000);

void BM_Delivery_TimerStartCancel(benchmark::State& state) {
  boost::asio::io_context io;
  auto guard = boost::asio::make_work_guard(io);
  host::TimerService timers(io);
  for (auto _ : state) {
    uint64_t id = timers.start(std::chrono::milliseconds(30000), [] {});
    io.poll();
    benchmark::DoNotOptimize(timers.cancel(id));
    io.poll();
  }
  timers.close();
  io.poll();
}
BENCHMARK(BM_Delivery_TimerStartCancel);

void BM_Delivery_RetryDecide_Plugin(benchmark::State& state) {
  std::string error;
  auto policy = instantiate(EH_BENCH_RETRY_PLUGIN,
                            R"({"retry":5,"backoff_policy":"exponential","backoff_delay":200,"retry_after_max":0})",
                            nullptr, &error);
  if (!policy) return state.SkipWithError(error.c_str());
  eh_event ev{standard_event()};
  const eh_plugin& d = policy->plugin();
  void* inst = policy->instance();
  const eh_delivery_result failed{EH_ERR_UNAVAILABLE, 503, 0, {"Service Unavailable", 19}, {}};
  uint32_t attempt = 0;
  for (auto _ : state) {
    attempt = attempt % 6 + 1;
    benchmark::DoNotOptimize(d.decide(inst, &ev, attempt, &failed, 1));
  }
}
BENCHMARK(BM_Delivery_RetryDecide_Plugin);

}  // namespace
}  // namespace eventhost::bench

// The cost of one event crossing the plugin boundary and back: the attributes filter's match() called through the
// loaded descriptor (plugin -> EventRef -> host event_get -> back) against the same logic written directly in C++
// over the host's event, and a sink's deliver whose completion comes straight back.
#include "bench_support.hpp"
#include "runtime/event_impl.hpp"

#include <benchmark/benchmark.h>

#include <chrono>
#include <string_view>
#include <utility>
#include <vector>

namespace eventhost::bench {
namespace {

constexpr const char* kAttributesConfig =
    R"({"attributes":{"type":"dev.knative.sources.ping","source":"/apis/v1/namespaces/default/pingsources/bench","subject":""}})";

// The attributes filter's rule, compiled into the caller.
struct DirectAttributes {
  std::vector<std::pair<std::string, std::string>> wanted{
      {"type", "dev.knative.sources.ping"}, {"source", "/apis/v1/namespaces/default/pingsources/bench"}, {"subject", ""}};

  bool match(const CloudEvent& ev) const {
    for (const auto& [name, value] : wanted) {
      auto actual = ev.get(name);
      if (!actual || (!value.empty() && *actual != value)) return false;
    }
    return true;
  }
};

struct Filter {
  std::unique_ptr<host::PluginInstance> instance;
  std::string error;
  Filter() { instance = instantiate(EH_BENCH_ATTRIBUTES_PLUGIN, kAttributesConfig, nullptr, &error); }
};

void BM_Boundary_AttributesMatch_Plugin(benchmark::State& state) {
  Filter f;
  if (!f.instance) return state.SkipWithError(f.error.c_str());
  eh_event ev{standard_event()};
  const eh_plugin& d = f.instance->plugin();
  void* inst = f.instance->instance();
  for (auto _ : state) benchmark::DoNotOptimize(d.match(inst, &ev));
  if (d.match(inst, &ev) != 1) state.SkipWithError("the standard event should pass the filter");
}
BENCHMARK(BM_Boundary_AttributesMatch_Plugin);

void BM_Boundary_AttributesMatch_Direct(benchmark::State& state) {
  DirectAttributes direct;
  eh_event ev{standard_event()};
  for (auto _ : state) {
    benchmark::DoNotOptimize(&ev);
    benchmark::DoNotOptimize(direct.match(ev.ce));
  }
}
BENCHMARK(BM_Boundary_AttributesMatch_Direct);

// Both ways in one loop, interleaved in blocks, so the ratio is measured under the same conditions.
void BM_Boundary_AttributesMatch_Ratio(benchmark::State& state) {
  Filter f;
  if (!f.instance) return state.SkipWithError(f.error.c_str());
  DirectAttributes direct;
  eh_event ev{standard_event()};
  const eh_plugin& d = f.instance->plugin();
  void* inst = f.instance->instance();
  constexpr int kBlock = 1000;
  std::chrono::nanoseconds plugin_time{0}, direct_time{0};
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < kBlock; ++i) benchmark::DoNotOptimize(d.match(inst, &ev));
    auto t1 = std::chrono::steady_clock::now();
    for (int i = 0; i < kBlock; ++i) {
      benchmark::DoNotOptimize(&ev);
      benchmark::DoNotOptimize(direct.match(ev.ce));
    }
    auto t2 = std::chrono::steady_clock::now();
    plugin_time += t1 - t0;
    direct_time += t2 - t1;
  }
  double calls = static_cast<double>(state.iterations()) * kBlock;
  state.counters["plugin_ns"] = static_cast<double>(plugin_time.count()) / calls;
  state.counters["direct_ns"] = static_cast<double>(direct_time.count()) / calls;
  state.counters["ratio"] = static_cast<double>(plugin_time.count()) / static_cast<double>(direct_time.count());
}
BENCHMARK(BM_Boundary_AttributesMatch_Ratio);

void BM_Boundary_EventGet_HostApi(benchmark::State& state) {
  const eh_host_api* api = host::host_api();
  eh_event ev{standard_event()};
  constexpr std::string_view kName = "subject";
  for (auto _ : state) {
    eh_str value{};
    benchmark::DoNotOptimize(api->event_get(&ev, eh_str{kName.data(), kName.size()}, &value, nullptr));
    benchmark::DoNotOptimize(value);
  }
}
BENCHMARK(BM_Boundary_EventGet_HostApi);

void BM_Boundary_EventGet_Direct(benchmark::State& state) {
  eh_event ev{standard_event()};
  for (auto _ : state) {
    benchmark::DoNotOptimize(&ev);
    benchmark::DoNotOptimize(ev.ce.get("subject"));
  }
}
BENCHMARK(BM_Boundary_EventGet_Direct);

// deliver into the plugin, completion back out through the C callback: a sink's round trip without the pipeline.
void BM_Boundary_SinkDeliver_Plugin(benchmark::State& state) {
  std::string error;
  auto sink = instantiate(EH_BENCH_INSTANT_SINK_PLUGIN, "{}", nullptr, &error);
  if (!sink) return state.SkipWithError(error.c_str());
  eh_event ev{standard_event()};
  uint64_t completed = 0;
  auto done = [](void* arg, const eh_delivery_result* r, eh_event*) {
    if (r->status == EH_OK) ++*static_cast<uint64_t*>(arg);
  };
  const eh_plugin& d = sink->plugin();
  void* inst = sink->instance();
  for (auto _ : state) d.deliver(inst, &ev, done, &completed);
  if (completed != static_cast<uint64_t>(state.iterations())) state.SkipWithError("a delivery did not complete");
}
BENCHMARK(BM_Boundary_SinkDeliver_Plugin);

}  // namespace
}  // namespace eventhost::bench

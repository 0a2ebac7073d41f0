// The CloudEvent value type and its codecs: build, copy, read; JSON encode and decode; HTTP binary-mode decode.
// The codecs first: their unqualified quoted() calls must not meet std::quoted, which later headers bring in.
#include <eventhost/cloudevents/http.hpp>
#include <eventhost/cloudevents/json.hpp>

#include "bench_support.hpp"

#include <benchmark/benchmark.h>

namespace eventhost::bench {
namespace {

void BM_Event_Build(benchmark::State& state) {
  const std::string data = kib_json_data();
  for (auto _ : state) {
    CloudEvent ev;
    ev.set("specversion", "1.0");
    ev.set("id", "5f2c3b0e-9a1d-4c8e-8f00-1d2e3f4a5b6c");
    ev.set("source", "/apis/v1/namespaces/default/pingsources/bench", EH_ATTR_URI_REF);
    ev.set("type", "dev.knative.sources.ping");
    ev.set("subject", "orders/42");
    ev.set("time", "2026-11-23T03:00:00Z", EH_ATTR_TIMESTAMP);
    ev.set("datacontenttype", "application/json");
    ev.set_data(data);
    benchmark::DoNotOptimize(ev);
  }
}
BENCHMARK(BM_Event_Build);

void BM_Event_Copy(benchmark::State& state) {
  const CloudEvent ev = standard_event();
  for (auto _ : state) {
    CloudEvent copy = ev;
    benchmark::DoNotOptimize(copy);
  }
}
BENCHMARK(BM_Event_Copy);

// Reads the four attributes a trigger filter and a sink typically look at.
void BM_Event_Read4(benchmark::State& state) {
  const CloudEvent ev = standard_event();
  for (auto _ : state) {
    benchmark::DoNotOptimize(ev.get("type"));
    benchmark::DoNotOptimize(ev.get("source"));
    benchmark::DoNotOptimize(ev.get("id"));
    benchmark::DoNotOptimize(ev.get("subject"));
  }
}
BENCHMARK(BM_Event_Read4);

void BM_Json_Encode(benchmark::State& state) {
  const CloudEvent ev = standard_event();
  size_t bytes = 0;
  for (auto _ : state) {
    std::string json = ce::to_json(ev);
    bytes += json.size();
    benchmark::DoNotOptimize(json);
  }
  state.SetBytesProcessed(static_cast<int64_t>(bytes));
}
BENCHMARK(BM_Json_Encode);

void BM_Json_Decode(benchmark::State& state) {
  const std::string json = ce::to_json(standard_event());
  for (auto _ : state) {
    auto ev = ce::from_json(json);
    if (!ev) return state.SkipWithError(ev.status().message().c_str());
    benchmark::DoNotOptimize(ev);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_Json_Decode);

void BM_HttpBinary_Decode(benchmark::State& state) {
  const ce::HttpMessage message = ce::to_http_binary(standard_event());
  for (auto _ : state) {
    auto ev = ce::from_http(message);
    if (!ev) return state.SkipWithError(ev.status().message().c_str());
    benchmark::DoNotOptimize(ev);
  }
}
BENCHMARK(BM_HttpBinary_Decode);

}  // namespace
}  // namespace eventhost::bench

BENCHMARK_MAIN();

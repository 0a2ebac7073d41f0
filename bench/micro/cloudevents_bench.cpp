// The CloudEvents codecs on issue 3's typical event: six attributes, two extensions and 1 KiB of JSON data,
// decoded and encoded in every mode. Decoding starts from what a transport library hands over (a body, or headers
// already parsed into name/value pairs). The "allocs" counter is the heap allocations of one call.
#include <eventhost/cloudevents/http.hpp>
#include <eventhost/cloudevents/json.hpp>
#include <eventhost/cloudevents/kafka.hpp>

#include "allocation_counter.hpp"
#include "cloudevents_typical_event.hpp"

#include <benchmark/benchmark.h>
#include <rapidjson/reader.h>

#include <string>

namespace eventhost::bench {
namespace {

// The typical event with `extra` more String extensions, for showing what each further attribute costs.
CloudEvent event_with_extensions(int extra) {
  CloudEvent ev = typical_event();
  for (int i = 0; i < extra; ++i) ev.set("ext" + std::to_string(i), "value-" + std::to_string(i));
  return ev;
}

template <typename Fn>
void report_allocations(benchmark::State& state, Fn&& one_call) {
  state.counters["allocs"] = testing::allocations_during(one_call);
}

// Decodes into one reused event, as a receiver loop can: after the first call the event's storage fits, so a
// binary-mode decode allocates nothing. `allocs` is counted after that warm-up call.
template <typename DecodeInto>
void run_decode_into(benchmark::State& state, DecodeInto decode_into) {
  CloudEvent ev;
  for (auto _ : state) {
    if (Status s = decode_into(ev); !s) return state.SkipWithError(s.message().c_str());
    benchmark::DoNotOptimize(ev);
  }
  report_allocations(state, [&] { benchmark::DoNotOptimize(decode_into(ev)); });
}

template <typename Decode>
void run_decode(benchmark::State& state, Decode decode) {
  for (auto _ : state) {
    auto ev = decode();
    if (!ev) return state.SkipWithError(ev.status().message().c_str());
    benchmark::DoNotOptimize(ev);
  }
  report_allocations(state, [&] { benchmark::DoNotOptimize(decode()); });
}

template <typename Encode>
void run_encode(benchmark::State& state, Encode encode) {
  for (auto _ : state) benchmark::DoNotOptimize(encode());
  report_allocations(state, [&] { benchmark::DoNotOptimize(encode()); });
}

void BM_Ce_Json_Decode(benchmark::State& state) {
  const std::string json = ce::to_json(typical_event());
  run_decode(state, [&] { return ce::from_json(json); });
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_Ce_Json_Decode);

// The floor under BM_Ce_Json_Decode: RapidJSON alone reading the same document in situ, as from_json has it do,
// into a handler that keeps nothing. What from_json takes beyond this is its own work.
void BM_Ce_Json_RapidJsonOnly(benchmark::State& state) {
  const std::string json = ce::to_json(typical_event());
  std::string copy;
  for (auto _ : state) {
    copy.assign(json);
    rapidjson::InsituStringStream stream(copy.data());
    rapidjson::BaseReaderHandler<> ignore;
    rapidjson::Reader reader;
    benchmark::DoNotOptimize(reader.Parse<ce::detail::kJsonParseFlags | rapidjson::kParseInsituFlag>(stream, ignore));
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * json.size()));
}
BENCHMARK(BM_Ce_Json_RapidJsonOnly);

void BM_Ce_Json_Encode(benchmark::State& state) {
  const CloudEvent ev = typical_event();
  run_encode(state, [&] { return ce::to_json(ev); });
}
BENCHMARK(BM_Ce_Json_Encode);

void BM_Ce_HttpStructured_Decode(benchmark::State& state) {
  const ce::HttpMessage message = ce::to_http_structured(typical_event());
  run_decode(state, [&] { return ce::from_http(message); });
}
BENCHMARK(BM_Ce_HttpStructured_Decode);

void BM_Ce_HttpStructured_Encode(benchmark::State& state) {
  const CloudEvent ev = typical_event();
  run_encode(state, [&] { return ce::to_http_structured(ev); });
}
BENCHMARK(BM_Ce_HttpStructured_Encode);

void BM_Ce_HttpBinary_Decode(benchmark::State& state) {
  const ce::HttpMessage message = ce::to_http_binary(typical_event());
  run_decode(state, [&] { return ce::from_http(message); });
}
BENCHMARK(BM_Ce_HttpBinary_Decode);

// `allocs` does not grow with the number of extensions: no allocation per attribute. (Past ten attributes it is one
// more than for the typical event, as the event's index outgrows what a new CloudEvent reserves.)
void BM_Ce_HttpBinary_Decode_Extensions(benchmark::State& state) {
  const ce::HttpMessage message = ce::to_http_binary(event_with_extensions(static_cast<int>(state.range(0))));
  run_decode(state, [&] { return ce::from_http(message); });
}
BENCHMARK(BM_Ce_HttpBinary_Decode_Extensions)->Arg(0)->Arg(8)->Arg(32);

void BM_Ce_HttpBinary_DecodeInto(benchmark::State& state) {
  const ce::HttpMessage message = ce::to_http_binary(typical_event());
  run_decode_into(state, [&](CloudEvent& ev) { return ce::from_http(message, ev); });
}
BENCHMARK(BM_Ce_HttpBinary_DecodeInto);

void BM_Ce_HttpBinary_Encode(benchmark::State& state) {
  const CloudEvent ev = typical_event();
  run_encode(state, [&] { return ce::to_http_binary(ev); });
}
BENCHMARK(BM_Ce_HttpBinary_Encode);

void BM_Ce_HttpBatch10_Decode(benchmark::State& state) {
  const ce::HttpMessage message = ce::to_http_batch(std::vector<CloudEvent>(10, typical_event()));
  run_decode(state, [&] { return ce::events_from_http(message); });
  state.SetItemsProcessed(state.iterations() * 10);
}
BENCHMARK(BM_Ce_HttpBatch10_Decode);

void BM_Ce_KafkaBinary_Decode(benchmark::State& state) {
  const ce::KafkaRecord record = ce::to_kafka_binary(typical_event());
  run_decode(state, [&] { return ce::from_kafka(record); });
}
BENCHMARK(BM_Ce_KafkaBinary_Decode);

void BM_Ce_KafkaBinary_DecodeInto(benchmark::State& state) {
  const ce::KafkaRecord record = ce::to_kafka_binary(typical_event());
  run_decode_into(state, [&](CloudEvent& ev) { return ce::from_kafka(record, ev); });
}
BENCHMARK(BM_Ce_KafkaBinary_DecodeInto);

void BM_Ce_KafkaBinary_Encode(benchmark::State& state) {
  const CloudEvent ev = typical_event();
  run_encode(state, [&] { return ce::to_kafka_binary(ev); });
}
BENCHMARK(BM_Ce_KafkaBinary_Encode);

void BM_Ce_KafkaStructured_Decode(benchmark::State& state) {
  const ce::KafkaRecord record = ce::to_kafka_structured(typical_event());
  run_decode(state, [&] { return ce::from_kafka(record); });
}
BENCHMARK(BM_Ce_KafkaStructured_Decode);

}  // namespace
}  // namespace eventhost::bench

BENCHMARK_MAIN();

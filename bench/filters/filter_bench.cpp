// Filters per event, driven the way the worker drives them: the plugin loaded by the host's loader, created through
// PluginInstance with the host's function table, match() called through the descriptor on a host event.
//   exact-attribute filter (`attributes`), each Subscriptions API dialect (`dialects`), typical CESQL expressions
//   (`cesql`, and one through `dialects`), each on an event that passes unless the name says otherwise.
#include "plugins/loaded_plugin.hpp"
#include "runtime/event_impl.hpp"
#include "runtime/host_context.hpp"
#include "runtime/plugin_instance.hpp"

#include <benchmark/benchmark.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace {

using eventhost::CloudEvent;
namespace host = eventhost::host;

// A typical broker event: the required attributes, subject, time, content type, three extensions, 256 bytes of data.
CloudEvent order_event() {
  CloudEvent ev;
  ev.set("specversion", "1.0");
  ev.set("id", "5f2c3b0e-9a1d-4c8e-8f00-1d2e3f4a5b6c");
  ev.set("source", "/shop/eu-west-1/orders", EH_ATTR_URI_REF);
  ev.set("type", "com.example.order.created");
  ev.set("subject", "Orders/42");
  ev.set("time", "2026-11-23T03:00:00Z", EH_ATTR_TIMESTAMP);
  ev.set("datacontenttype", "application/json");
  ev.set("region", "eu-west-1");
  ev.set("priority", "5", EH_ATTR_INTEGER);
  ev.set("urgent", "true", EH_ATTR_BOOLEAN);
  ev.set_data(std::string(256, 'x'));
  return ev;
}

std::unique_ptr<host::PluginInstance> instantiate(const char* path, const std::string& config_json,
                                                  std::string& error) {
  host::LoadResult loaded = host::load_plugin(path);
  if (!loaded.plugin) {
    error = loaded.failure.to_string();
    return nullptr;
  }
  auto context = std::make_unique<eh_host>();
  context->name = "bench";
  context->ns = "default";
  context->pipeline = "trigger/default/bench";
  context->kind = "filter";
  context->plugin = loaded.plugin->name();
  context->logger = spdlog::default_logger();
  eventhost::config::PluginSpec spec{loaded.plugin, config_json, "bench", {path, 1, 1}};
  auto instance = host::PluginInstance::create(spec, std::move(context));
  if (!instance) {
    error = instance.status().message();
    return nullptr;
  }
  return std::move(*instance);
}

// Times match() of `plugin` configured with `config_json` on the order event (with `change` applied).
template <typename Change>
void run_filter(benchmark::State& state, const char* plugin, const std::string& config_json, int expected,
                Change change) {
  std::string error;
  auto filter = instantiate(plugin, config_json, error);
  if (!filter) return state.SkipWithError(error.c_str());
  eh_event ev{order_event()};
  change(ev.ce);
  const eh_plugin& d = filter->plugin();
  void* instance = filter->instance();
  if (d.match(instance, &ev) != expected) return state.SkipWithError("unexpected verdict: the benchmark is wrong");
  for (auto _ : state) {
    benchmark::DoNotOptimize(&ev);
    benchmark::DoNotOptimize(d.match(instance, &ev));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void run_filter(benchmark::State& state, const char* plugin, const std::string& config_json, int expected = 1) {
  run_filter(state, plugin, config_json, expected, [](CloudEvent&) {});
}

std::string dialects(const std::string& filters) { return "{\"filters\": " + filters + "}"; }
std::string cesql(const std::string& expression) { return "{\"expression\": \"" + expression + "\"}"; }

// ---- filter.attributes (exact match) ----

void BM_Attributes_ExactType(benchmark::State& state) {
  run_filter(state, EH_BENCH_ATTRIBUTES_PLUGIN, R"({"attributes": {"type": "com.example.order.created"}})");
}
BENCHMARK(BM_Attributes_ExactType);

void BM_Attributes_ExactTypeMismatch(benchmark::State& state) {
  run_filter(state, EH_BENCH_ATTRIBUTES_PLUGIN, R"({"attributes": {"type": "com.example.order.deleted"}})", 0);
}
BENCHMARK(BM_Attributes_ExactTypeMismatch);

void BM_Attributes_ThreeKeys(benchmark::State& state) {
  run_filter(state, EH_BENCH_ATTRIBUTES_PLUGIN,
             R"({"attributes": {"type": "com.example.order.created", "source": "/shop/eu-west-1/orders", "region": ""}})");
}
BENCHMARK(BM_Attributes_ThreeKeys);

// ---- Subscriptions API dialects ----

void BM_Dialect_Exact(benchmark::State& state) {
  run_filter(state, EH_BENCH_DIALECTS_PLUGIN, dialects(R"([{"exact": {"type": "com.example.order.created"}}])"));
}
BENCHMARK(BM_Dialect_Exact);

void BM_Dialect_Prefix(benchmark::State& state) {
  run_filter(state, EH_BENCH_DIALECTS_PLUGIN, dialects(R"([{"prefix": {"type": "com.example."}}])"));
}
BENCHMARK(BM_Dialect_Prefix);

void BM_Dialect_Suffix(benchmark::State& state) {
  run_filter(state, EH_BENCH_DIALECTS_PLUGIN, dialects(R"([{"suffix": {"source": "/orders"}}])"));
}
BENCHMARK(BM_Dialect_Suffix);

void BM_Dialect_All(benchmark::State& state) {
  run_filter(state, EH_BENCH_DIALECTS_PLUGIN,
             dialects(R"([{"all": [{"prefix": {"type": "com.example."}}, {"exact": {"region": "eu-west-1"}}]}])"));
}
BENCHMARK(BM_Dialect_All);

void BM_Dialect_AnySecondBranch(benchmark::State& state) {
  run_filter(state, EH_BENCH_DIALECTS_PLUGIN,
             dialects(R"([{"any": [{"exact": {"region": "us-east-1"}}, {"suffix": {"type": ".created"}}]}])"));
}
BENCHMARK(BM_Dialect_AnySecondBranch);

void BM_Dialect_Not(benchmark::State& state) {
  run_filter(state, EH_BENCH_DIALECTS_PLUGIN, dialects(R"([{"not": {"suffix": {"type": ".deleted"}}}])"));
}
BENCHMARK(BM_Dialect_Not);

void BM_Dialect_Cesql(benchmark::State& state) {
  run_filter(state, EH_BENCH_DIALECTS_PLUGIN,
             dialects(R"([{"cesql": "type = 'com.example.order.created' AND source LIKE '/shop/%'"}])"));
}
BENCHMARK(BM_Dialect_Cesql);

void BM_Dialect_ThreeEntries(benchmark::State& state) {
  run_filter(state, EH_BENCH_DIALECTS_PLUGIN,
             dialects(R"([{"prefix": {"type": "com.example.order."}}, {"not": {"exact": {"urgent": "false"}}},
                          {"any": [{"exact": {"region": "us-east-1"}}, {"prefix": {"region": "eu-"}}]}])"));
}
BENCHMARK(BM_Dialect_ThreeEntries);

// ---- CESQL (the `cesql` plugin) ----

void BM_Cesql_TypeAndSourceLike(benchmark::State& state) {
  run_filter(state, EH_BENCH_CESQL_PLUGIN, cesql("type = 'com.example.order.created' AND source LIKE '/shop/%'"));
}
BENCHMARK(BM_Cesql_TypeAndSourceLike);

void BM_Cesql_TypeAndSourceLikeMismatch(benchmark::State& state) {
  run_filter(state, EH_BENCH_CESQL_PLUGIN, cesql("type = 'com.example.order.deleted' AND source LIKE '/shop/%'"), 0);
}
BENCHMARK(BM_Cesql_TypeAndSourceLikeMismatch);

void BM_Cesql_InSet(benchmark::State& state) {
  run_filter(state, EH_BENCH_CESQL_PLUGIN,
             cesql("type IN ('com.example.order.deleted', 'com.example.order.updated', 'com.example.order.shipped', "
                   "'com.example.order.paid', 'com.example.order.created')"));
}
BENCHMARK(BM_Cesql_InSet);

void BM_Cesql_IntegerAndBoolean(benchmark::State& state) {
  run_filter(state, EH_BENCH_CESQL_PLUGIN, cesql("priority >= 3 AND urgent AND region IN ('eu-west-1', 'us-east-1')"));
}
BENCHMARK(BM_Cesql_IntegerAndBoolean);

void BM_Cesql_Functions(benchmark::State& state) {
  run_filter(state, EH_BENCH_CESQL_PLUGIN, cesql("LOWER(subject) LIKE 'orders/%' AND LENGTH(id) = 36"));
}
BENCHMARK(BM_Cesql_Functions);

void BM_Cesql_ConcatAndCasts(benchmark::State& state) {
  run_filter(state, EH_BENCH_CESQL_PLUGIN,
             cesql("CONCAT(region, ':', STRING(priority)) = 'eu-west-1:5' AND INT('42') = 42"));
}
BENCHMARK(BM_Cesql_ConcatAndCasts);

void BM_Cesql_ExistsAndLikeInfix(benchmark::State& state) {
  run_filter(state, EH_BENCH_CESQL_PLUGIN, cesql("EXISTS subject AND NOT EXISTS dataschema AND type LIKE '%.order.%'"));
}
BENCHMARK(BM_Cesql_ExistsAndLikeInfix);

void BM_Cesql_MissingAttributeError(benchmark::State& state) {
  // Fails with a missingAttribute error, counted on the instance (metric_add takes the host context's lock).
  run_filter(state, EH_BENCH_CESQL_PLUGIN, cesql("tenant = 'acme'"), 0);
}
BENCHMARK(BM_Cesql_MissingAttributeError);

}  // namespace

BENCHMARK_MAIN();

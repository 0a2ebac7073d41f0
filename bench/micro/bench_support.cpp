#include "bench_support.hpp"

#include <spdlog/spdlog.h>

namespace eventhost::bench {

std::string kib_json_data() {
  std::string data = "{\"message\":\"";
  while (data.size() < 1024 - 2) data += 'x';
  data += "\"}";
  return data;
}

CloudEvent standard_event() {
  CloudEvent ev;
  ev.set("specversion", "1.0");
  ev.set("id", "5f2c3b0e-9a1d-4c8e-8f00-1d2e3f4a5b6c");
  ev.set("source", "/apis/v1/namespaces/default/pingsources/bench", EH_ATTR_URI_REF);
  ev.set("type", "dev.knative.sources.ping");
  ev.set("subject", "orders/42");
  ev.set("time", "2026-11-23T03:00:00Z", EH_ATTR_TIMESTAMP);
  ev.set("datacontenttype", "application/json");
  ev.set_data(kib_json_data());
  return ev;
}

std::unique_ptr<host::PluginInstance> instantiate(const std::string& path, const std::string& config_json,
                                                  host::TimerService* timers, std::string* error) {
  host::LoadResult loaded = host::load_plugin(path);
  if (!loaded.plugin) {
    *error = loaded.failure.to_string();
    return nullptr;
  }
  auto context = std::make_unique<eh_host>();
  context->name = "bench";
  context->ns = "default";
  context->pipeline = "bench";
  context->kind = host::kind_name(loaded.plugin->kind());
  context->plugin = loaded.plugin->name();
  context->timers = timers;
  context->logger = spdlog::default_logger();
  config::PluginSpec spec{loaded.plugin, config_json, "bench", {path, 1, 1}};
  auto instance = host::PluginInstance::create(spec, std::move(context));
  if (!instance) {
    *error = instance.status().message();
    return nullptr;
  }
  return std::move(*instance);
}

}  // namespace eventhost::bench

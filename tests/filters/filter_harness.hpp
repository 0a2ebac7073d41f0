// Drives a filter plugin the way the worker does: loaded by the host's loader, created with the host's real
// function table and an instance context, asked to match host events.
#pragma once

#include "plugins/loaded_plugin.hpp"
#include "runtime/event_impl.hpp"
#include "runtime/host_context.hpp"

#include <eventhost/event.hpp>

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>

namespace filters_test {

// A created filter instance; destroyed with the object.
class FilterInstance {
 public:
  FilterInstance(eventhost::host::PluginHandle plugin, std::unique_ptr<eh_host> context, void* instance)
      : plugin_(std::move(plugin)), context_(std::move(context)), instance_(instance) {}
  ~FilterInstance() { plugin_->descriptor->destroy(instance_); }
  FilterInstance(const FilterInstance&) = delete;
  FilterInstance& operator=(const FilterInstance&) = delete;

  bool matches(const eventhost::CloudEvent& event) const {
    eh_event e{event};
    return matches(e);
  }
  bool matches(const eh_event& event) const { return plugin_->descriptor->match(instance_, &event) == 1; }
  uint64_t counter(const std::string& name) const {
    std::lock_guard lock(context_->metrics_mutex);
    auto it = context_->metrics.find(name);
    return it == context_->metrics.end() ? 0 : it->second;
  }

 private:
  eventhost::host::PluginHandle plugin_;
  std::unique_ptr<eh_host> context_;
  void* instance_;
};

// The plugin whose path meson passes in `env_var`.
class FilterPlugin {
 public:
  explicit FilterPlugin(const char* env_var) {
    const char* path = std::getenv(env_var);
    if (path == nullptr) {
      error_ = std::string(env_var) + " is not set (run through meson test)";
      return;
    }
    auto loaded = eventhost::host::load_plugin(path);
    plugin_ = loaded.plugin;
    if (!plugin_) error_ = loaded.failure.to_string();
  }

  const eh_plugin* descriptor() const { return plugin_ ? plugin_->descriptor : nullptr; }
  const std::string& load_error() const { return error_; }

  // Creates an instance from config JSON; nullptr with the plugin's reason in *error when it refuses.
  std::unique_ptr<FilterInstance> create(std::string_view config_json, std::string* error = nullptr) const {
    auto context = std::make_unique<eh_host>();
    context->name = "test";
    context->ns = "default";
    context->pipeline = "trigger/default/test";
    context->kind = "filter";
    context->plugin = plugin_->name();
    context->logger = spdlog::default_logger();
    char err[512] = {};
    void* instance = nullptr;
    eh_status s = plugin_->descriptor->create(eventhost::host::host_api(), context.get(),
                                              eh_str{config_json.data(), config_json.size()}, &instance, err,
                                              sizeof err);
    if (error != nullptr) *error = err;
    if (s != EH_OK) return nullptr;
    return std::make_unique<FilterInstance>(plugin_, std::move(context), instance);
  }

  // The reason create() gives for refusing `config_json`; fails the test when it is accepted.
  std::string refusal(std::string_view config_json) const {
    std::string error;
    auto instance = create(config_json, &error);
    EXPECT_EQ(instance, nullptr) << config_json << " was accepted";
    return error;
  }

 private:
  eventhost::host::PluginHandle plugin_;
  std::string error_;
};

// A valid event (id, source, type, specversion) plus the given attributes: {name, value, type}.
inline eventhost::CloudEvent event_with(
    std::initializer_list<std::tuple<std::string_view, std::string_view, eh_attr_type>> attributes = {}) {
  eventhost::CloudEvent event;
  event.set("specversion", "1.0");
  event.set("id", "e1");
  event.set("source", "/shop/orders", EH_ATTR_URI_REF);
  event.set("type", "com.example.order.created");
  for (const auto& [name, value, type] : attributes) event.set(name, value, type);
  return event;
}

}  // namespace filters_test

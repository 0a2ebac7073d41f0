// A live plugin instance: its context, its instance pointer, and a reference that keeps its library loaded.
#pragma once

#include "config/model.hpp"
#include "runtime/host_context.hpp"

#include <eventhost/status.hpp>

#include <memory>

namespace eventhost::host {

class PluginInstance {
 public:
  // Calls the plugin's create; a failure names the plugin, the config location and the plugin's reason.
  static Result<std::unique_ptr<PluginInstance>> create(const config::PluginSpec& spec,
                                                        std::unique_ptr<eh_host> context);
  ~PluginInstance();
  PluginInstance(const PluginInstance&) = delete;
  PluginInstance& operator=(const PluginInstance&) = delete;

  const eh_plugin& plugin() const { return *handle_->descriptor; }
  uint32_t flags() const { return handle_->flags(); }  // EH_PLUGIN_* bits
  void* instance() const { return instance_; }
  eh_host& context() { return *context_; }

 private:
  PluginInstance(PluginHandle h, std::unique_ptr<eh_host> c, void* i)
      : handle_(std::move(h)), context_(std::move(c)), instance_(i) {}

  PluginHandle handle_;  // declared first: destroyed last, after destroy() has run
  std::unique_ptr<eh_host> context_;
  void* instance_;
};

}  // namespace eventhost::host

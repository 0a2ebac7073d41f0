#include "runtime/plugin_instance.hpp"

#include "runtime/readiness.hpp"

namespace eventhost::host {

Result<std::unique_ptr<PluginInstance>> PluginInstance::create(const config::PluginSpec& spec,
                                                               std::unique_ptr<eh_host> context) {
  const eh_plugin& d = *spec.plugin->descriptor;
  char err[512] = {0};
  void* instance = nullptr;
  eh_status s = EH_ERR_INTERNAL;
  try {
    s = d.create(host_api(), context.get(), eh_str{spec.config_json.data(), spec.config_json.size()}, &instance,
                 err, sizeof err);
  } catch (...) {
    // A plugin that lets an exception escape its C boundary: still refuse it instead of dying.
    copy_error("exception escaped the plugin's create", err, sizeof err);
  }
  if (s != EH_OK || instance == nullptr) {
    std::string where = spec.where.file + ":" + std::to_string(spec.where.line) + ":" + std::to_string(spec.where.column);
    return Status(EH_ERR_INVALID, where + ": " + spec.key_path + ": plugin '" + d.name + "' (" + spec.plugin->path +
                                      ") rejected its config: " + (err[0] != '\0' ? err : status_name(s)));
  }
  return std::unique_ptr<PluginInstance>(new PluginInstance(spec.plugin, std::move(context), instance));
}

PluginInstance::~PluginInstance() {
  handle_->descriptor->destroy(instance_);
  if (context_->readiness != nullptr) context_->readiness->forget(context_.get());  // its reasons go with it
}

}  // namespace eventhost::host

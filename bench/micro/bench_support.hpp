// What the micro benchmarks share: the standard event (six attributes, 1 KiB JSON data, as in the peer
// comparison of issue 8) and loading a built plugin into a live instance the way the worker does.
#pragma once

#include "plugins/loaded_plugin.hpp"
#include "runtime/host_context.hpp"
#include "runtime/plugin_instance.hpp"

#include <eventhost/event.hpp>

#include <memory>
#include <string>

namespace eventhost::bench {

// specversion, id, source, type, subject, time, datacontenttype and 1 KiB of JSON data.
CloudEvent standard_event();
std::string kib_json_data();

// Loads the shared object at `path` with the host's loader and creates an instance with `config_json`.
// Returns null and sets *error on failure.
std::unique_ptr<host::PluginInstance> instantiate(const std::string& path, const std::string& config_json,
                                                  host::TimerService* timers, std::string* error);

}  // namespace eventhost::bench

// Finds the plugin to benchmark: a shared object by path (anything with a '/'), or a name looked up like the worker
// does (EVENTHOST_PLUGIN_PATH, the build tree, the installed plugin dir).
#pragma once

#include "plugins/loaded_plugin.hpp"

#include <eventhost/status.hpp>

#include <optional>
#include <string>

namespace eventhost::bench {

// `kind` narrows a name registered under several kinds (a source and a sink may share one).
Result<host::PluginHandle> find_plugin(const std::string& name_or_path, std::optional<eh_plugin_kind> kind);

std::optional<eh_plugin_kind> parse_kind(const std::string& word);

}  // namespace eventhost::bench

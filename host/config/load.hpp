// From config files to a validated WorkerConfig: read, expand ${ENV}, validate the host's tables, find the plugins,
// validate every plugin's config against its schema, and expand brokers, triggers, channels, subscriptions and
// sources into pipelines. Nothing is started here, so `eventhost validate` and a reload use it as is.
#pragma once

#include "config/diagnostic.hpp"
#include "config/env_expand.hpp"
#include "config/model.hpp"
#include "plugins/registry.hpp"

#include <optional>
#include <string>
#include <vector>

namespace eventhost::config {

std::optional<WorkerConfig> load_worker_config(const std::vector<std::string>& args, const EnvLookup& env,
                                               host::PluginRegistry& registry, Diagnostics& diags);

}  // namespace eventhost::config

// Validates a TOML table against a config schema (eh_config_key[], the same for plugins and for the host's own
// tables) and produces the JSON config a plugin receives: given values, defaults filled in, unset keys null,
// durations as integer milliseconds.
#pragma once

#include "config/diagnostic.hpp"

#include <eventhost/abi.h>
#include <toml++/toml.h>

#include <span>
#include <string>
#include <vector>

namespace eventhost::config {

using Schema = std::span<const eh_config_key>;

// `path` names the table in messages ("triggers[0].subscriber"); keys listed in `host_keys` are consumed by the
// host (e.g. "plugin", "sink") and neither checked nor passed on. Returns "" when there were errors.
std::string check_against_schema(const toml::table& table, Schema schema, const std::string& path,
                                 const std::vector<std::string>& host_keys, Diagnostics& diags);

const char* config_type_name(eh_config_type type);

}  // namespace eventhost::config

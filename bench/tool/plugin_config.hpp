// A plugin's config for the bench, checked against the plugin's schema exactly as the worker checks a pipeline
// file: from a JSON object on the command line (--config) or from a TOML file (--config-file).
#pragma once

#include <eventhost/abi.h>
#include <eventhost/status.hpp>

#include <string>

namespace eventhost::bench {

// The JSON config the plugin's create receives (defaults filled in), or every problem found, one per line, as
// "--config: key: reason" or "FILE:LINE:COL: key: reason".
Result<std::string> config_from_json(const std::string& json, const eh_plugin& plugin);
Result<std::string> config_from_toml_file(const std::string& path, const eh_plugin& plugin);
// No config given: the schema's defaults, or the missing required keys.
Result<std::string> default_config(const eh_plugin& plugin);

}  // namespace eventhost::bench

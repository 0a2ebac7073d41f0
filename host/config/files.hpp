// Reading config files: files or directories of *.toml (a mounted ConfigMap), parsed and env-expanded.
#pragma once

#include "config/diagnostic.hpp"
#include "config/env_expand.hpp"

#include <toml++/toml.h>

#include <string>
#include <vector>

namespace eventhost::config {

struct ConfigFile {
  std::string path;
  toml::table table;
};

// The *.toml files named by `args` (a directory contributes its top-level *.toml files in name order, skipping
// hidden entries such as a ConfigMap's "..data").
std::vector<std::string> list_config_files(const std::vector<std::string>& args, Diagnostics& diags);

std::vector<ConfigFile> read_config_files(const std::vector<std::string>& paths, const EnvLookup& env,
                                          Diagnostics& diags);

}  // namespace eventhost::config

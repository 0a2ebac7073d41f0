// ${VAR} and ${VAR:-default} in config string values, so one shipped config serves many places.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace eventhost::config {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

EnvLookup process_environment();

// Expands every reference; "$${" is a literal "${". An unset variable without a default is an error (the reason is
// written to *error and nullopt returned): silently using an empty string hides typos in deployments.
std::optional<std::string> expand_env(std::string_view text, const EnvLookup& env, std::string* error);

}  // namespace eventhost::config

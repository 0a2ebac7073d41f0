// Turns a `filters` array (as the host hands it over: JSON converted from TOML) into a dialect tree, refusing
// anything the Subscriptions API forbids or that could never match, with the index path of the offending entry:
//   filters[1].any[0]: unknown dialect 'prefx' (did you mean 'prefix'?)
#pragma once

#include "dialect_tree.hpp"

#include <rapidjson/document.h>

namespace eventhost::dialects {

// Throws std::invalid_argument("PATH: reason") for an invalid filter.
Node compile(const rapidjson::Value& filters);

}  // namespace eventhost::dialects

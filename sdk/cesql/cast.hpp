// The type casts of spec 3.7, used both implicitly by operators and functions and explicitly by INT, BOOL and
// STRING.
#pragma once

#include "scalar.hpp"
#include "scratch.hpp"

#include <optional>
#include <string_view>

namespace eventhost::cesql {

// A 32-bit base 10 integer with an optional leading sign, nothing else (no spaces, no empty string).
std::optional<int32_t> parse_integer(std::string_view text);
// "true" or "false" in any letter case.
std::optional<bool> parse_boolean(std::string_view text);

struct CastResult {
  Scalar value;  // on failure the zero value of the target type, as the spec requires
  bool ok;
};

// Casts a present (not missing) value to `to`. Integer -> String writes into `scratch`.
CastResult cast(const Scalar& value, Type to, Scratch& scratch);

}  // namespace eventhost::cesql

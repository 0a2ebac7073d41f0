// Durations as users write them: ISO 8601 like Knative ("PT0.2S", "P1DT2H") or short forms ("200ms", "5s").
#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace eventhost::config {

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text);

}  // namespace eventhost::config

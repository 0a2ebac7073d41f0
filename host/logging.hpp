// spdlog on stderr, human-readable or one JSON object per line.
#pragma once

#include <string>

namespace eventhost::host {

void setup_logging(const std::string& level, const std::string& format);

}  // namespace eventhost::host

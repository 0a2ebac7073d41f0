// "Did you mean ...?" for misspelt keys and names.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace eventhost::config {

// The closest candidate within a small edit distance, or empty.
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "".
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace eventhost::config

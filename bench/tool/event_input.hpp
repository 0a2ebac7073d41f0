// The events a run sends: synthetic ones, or recorded ones from a file of CloudEvents in JSON, one per line.
#pragma once

#include "runtime/event_impl.hpp"

#include <eventhost/status.hpp>

#include <string>
#include <vector>

namespace eventhost::bench {

// 16 distinct events: types dev.eventhost.bench.0 .. .3 (so a filter sees passes and drops), subjects item-0 ..
// item-15, source /eventhost/bench, a fixed time, and `data_size` bytes of JSON data (none when 0).
std::vector<eh_event> synthetic_events(size_t data_size);

// Every non-blank line decoded with ce::from_json; the first bad one fails the whole file as "FILE:LINE: reason".
Result<std::vector<eh_event>> read_events_file(const std::string& path);

}  // namespace eventhost::bench

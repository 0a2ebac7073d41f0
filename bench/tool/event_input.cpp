#include "event_input.hpp"

#include <eventhost/cloudevents/json.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace eventhost::bench {
namespace {

std::string json_data(size_t seq, size_t size) {
  std::string data = "{\"seq\":" + std::to_string(seq) + ",\"payload\":\"";
  constexpr std::string_view kEnd = "\"}";
  while (data.size() + kEnd.size() < size) data += 'x';
  data += kEnd;
  return data;
}

}  // namespace

std::vector<eh_event> synthetic_events(size_t data_size) {
  std::vector<eh_event> events(16);
  for (size_t i = 0; i < events.size(); ++i) {
    CloudEvent& ev = events[i].ce;
    ev.set("specversion", "1.0");
    ev.set("id", "bench-" + std::to_string(i));
    ev.set("source", "/eventhost/bench", EH_ATTR_URI_REF);
    ev.set("type", "dev.eventhost.bench." + std::to_string(i % 4));
    ev.set("subject", "item-" + std::to_string(i));
    ev.set("time", "2026-01-01T00:00:00Z", EH_ATTR_TIMESTAMP);
    if (data_size > 0) {
      ev.set("datacontenttype", "application/json");
      ev.set_data(json_data(i, data_size));
    }
  }
  return events;
}

Result<std::vector<eh_event>> read_events_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::invalid(path + ": cannot open: " + std::strerror(errno));
  std::vector<eh_event> events;
  std::string line;
  for (size_t number = 1; std::getline(in, line); ++number) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto ev = ce::from_json(line);
    if (!ev) return Status::invalid(path + ":" + std::to_string(number) + ": " + ev.status().message());
    events.push_back(eh_event{std::move(*ev)});
  }
  if (events.empty()) return Status::invalid(path + ": no events (expected one CloudEvent JSON object per line)");
  return events;
}

}  // namespace eventhost::bench

// The command-line tools for people who write filters:
//   eventhost cesql 'EXPR' [--event FILE] [--json]      evaluate one CESQL expression against one event
//   eventhost filter CONFIG... --trigger NAME           which events read from stdin (JSON lines) a trigger passes
// Both return the process exit code and print their own errors.
#pragma once

#include <string>
#include <vector>

namespace eventhost::host {

struct CesqlCommand {
  std::string expression;
  std::string event_file;  // structured-mode JSON event; "-" reads stdin; empty uses the default event
  bool json = false;
};
int run_cesql_command(const CesqlCommand& command);

struct FilterCommand {
  std::vector<std::string> configs;
  std::string trigger;  // NAME, or NAMESPACE/NAME
};
int run_filter_command(const FilterCommand& command);

}  // namespace eventhost::host

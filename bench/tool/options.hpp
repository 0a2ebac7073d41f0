// The command line of eventhost-bench.
#pragma once

#include <eventhost/abi.h>
#include <eventhost/status.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace eventhost::bench {

struct PluginConfigSource {
  std::optional<std::string> json;  // --config
  std::optional<std::string> file;  // --config-file
};

struct Options {
  std::vector<std::string> plugins;  // one, or two with --compare
  bool compare = false;
  std::optional<eh_plugin_kind> kind;
  PluginConfigSource config;         // for the plugin, or for both with --compare
  PluginConfigSource config_b;       // --config-b / --config-file-b: B's own, with --compare
  std::optional<std::string> input;
  std::optional<uint64_t> events;
  uint64_t warmup = 1000;
  uint64_t data_size = 1024;
  double rate = 0;
  uint32_t max_in_flight = 64;
  unsigned threads = 1;
  uint64_t timeout_ms = 30000;
  double duration_seconds = 0;
  unsigned rounds = 3;
  bool json = false;
  std::string output;
  bool progress = false;
  bool help = false;
};

// args excludes the program name.
Result<Options> parse_options(const std::vector<std::string>& args);
std::string usage();

}  // namespace eventhost::bench

// The results for people (a table) and for CI (JSON), for one plugin or a comparison of two.
#pragma once

#include "run.hpp"

#include <string>

namespace eventhost::bench {

struct Settings {
  std::string input;  // "synthetic (16 events, 1024 B data)" or the file
  const Workload* workload = nullptr;
  unsigned rounds = 1;
};

struct Measured {
  host::PluginHandle plugin;
  RunResult result;
};

std::string table_report(const Measured& m, const Settings& s);
std::string json_report(const Measured& m, const Settings& s);
// Ratios are B / A: above 1 means B has more events/s, or more latency, CPU or memory.
std::string compare_table(const Measured& a, const Measured& b, const Settings& s);
std::string compare_json(const Measured& a, const Measured& b, const Settings& s);

// "812 ns", "12.4 µs", "3.10 ms", "1.25 s"
std::string format_duration_ns(double ns);

}  // namespace eventhost::bench

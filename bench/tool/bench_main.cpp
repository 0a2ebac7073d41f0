// eventhost-bench: benchmark one plugin, or compare two, the way the worker drives them.
#include "event_input.hpp"
#include "options.hpp"
#include "plugin_config.hpp"
#include "plugin_lookup.hpp"
#include "progress_line.hpp"
#include "report.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

namespace eventhost::bench {
namespace {

constexpr int kUsageError = 2;
constexpr int kRunError = 1;

int fail(int code, const std::string& message) {
  std::fprintf(stderr, "eventhost-bench: %s\n", message.c_str());
  if (code == kUsageError) std::fprintf(stderr, "(eventhost-bench --help shows the options)\n");
  return code;
}

Result<Subject> subject_for(const std::string& plugin, const Options& o, const PluginConfigSource& config) {
  auto handle = find_plugin(plugin, o.kind);
  if (!handle) return handle.status();
  const eh_plugin& d = *(*handle)->descriptor;
  Result<std::string> json = config.json   ? config_from_json(*config.json, d)
                             : config.file ? config_from_toml_file(*config.file, d)
                                           : default_config(d);
  if (!json) return json.status();
  std::string origin = config.json ? "--config" : config.file ? *config.file : "defaults";
  return Subject{*handle, std::move(*json), origin};
}

int run(const Options& o) {
  spdlog::set_default_logger(spdlog::stderr_color_mt("eventhost-bench"));

  std::vector<eh_event> events;
  std::string input;
  if (o.input) {
    auto read = read_events_file(*o.input);
    if (!read) return fail(kUsageError, read.status().message());
    events = std::move(*read);
    input = *o.input + " (" + std::to_string(events.size()) + " events)";
  } else {
    events = synthetic_events(o.data_size);
    input = "synthetic (" + std::to_string(events.size()) + " events, " + std::to_string(o.data_size) + " B data)";
  }

  std::vector<Subject> subjects;
  for (size_t i = 0; i < o.plugins.size(); ++i) {
    const PluginConfigSource& config = i == 1 && (o.config_b.json || o.config_b.file) ? o.config_b : o.config;
    auto s = subject_for(o.plugins[i], o, config);
    if (!s) return fail(kUsageError, s.status().message());
    subjects.push_back(std::move(*s));
  }
  if (subjects.size() == 2 && subjects[0].plugin->kind() != subjects[1].plugin->kind()) {
    return fail(kUsageError, "--compare: " + subjects[0].plugin->name() + " is a " +
                                 host::kind_name(subjects[0].plugin->kind()) + " but " + subjects[1].plugin->name() +
                                 " is a " + host::kind_name(subjects[1].plugin->kind()));
  }

  Workload w;
  w.events = &events;
  // Filters and policies take tens of nanoseconds an event: they need more events for a stable figure.
  eh_plugin_kind kind = subjects.front().plugin->kind();
  uint64_t synthetic_count = kind == EH_KIND_FILTER || kind == EH_KIND_DELIVERY_POLICY ? 1000000 : 100000;
  w.count = o.events.value_or(o.input ? events.size() : synthetic_count);
  w.warmup = o.warmup;
  w.rate = o.rate;
  w.max_in_flight = o.max_in_flight;
  w.threads = o.threads;
  w.timeout = std::chrono::milliseconds(o.timeout_ms);
  w.duration = std::chrono::milliseconds(static_cast<int64_t>(o.duration_seconds * 1000));

  Progress progress;
  std::unique_ptr<ProgressLine> line;
  bool terminal = isatty(STDERR_FILENO) == 1;
  if (terminal || o.progress) line = std::make_unique<ProgressLine>(progress, terminal);

  std::vector<Measured> measured;
  for (const auto& s : subjects) measured.push_back({s.plugin, {}});
  unsigned rounds = o.compare ? o.rounds : 1;
  for (unsigned round = 0; round < rounds; ++round) {
    for (size_t k = 0; k < subjects.size(); ++k) {
      size_t which = round % 2 == 0 ? k : subjects.size() - 1 - k;  // A B, B A, ...: drift hits both alike
      progress.label = subjects.size() > 1 ? std::string(which == 0 ? "A " : "B ") + subjects[which].plugin->name()
                                           : subjects[which].plugin->name();
      auto r = run_once(subjects[which], w, progress);
      if (!r) {
        line.reset();
        return fail(kRunError, r.status().message());
      }
      measured[which].result.merge(*r);
    }
  }
  line.reset();

  Settings settings{input, &w, rounds};
  std::string report = measured.size() == 2
                           ? (o.json ? compare_json(measured[0], measured[1], settings)
                                     : compare_table(measured[0], measured[1], settings))
                           : (o.json ? json_report(measured[0], settings) : table_report(measured[0], settings));
  if (o.output.empty()) {
    std::fwrite(report.data(), 1, report.size(), stdout);
    std::fflush(stdout);
    return 0;
  }
  std::ofstream out(o.output);
  out << report;
  if (!out.flush()) return fail(kRunError, o.output + ": cannot write the report");
  return 0;
}

}  // namespace
}  // namespace eventhost::bench

int main(int argc, char** argv) {
  using namespace eventhost::bench;
  auto options = parse_options(std::vector<std::string>(argv + 1, argv + argc));
  if (!options) return fail(kUsageError, options.status().message());
  if (options->help) {
    std::cout << usage();
    return 0;
  }
  return run(*options);
}

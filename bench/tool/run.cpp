#include "run.hpp"

#include "drivers.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace eventhost::bench {

void RunResult::merge(const RunResult& other) {
  events += other.events;
  warmup += other.warmup;
  seconds += other.seconds;
  latency.merge(other.latency);
  if (latency_meaning.empty()) latency_meaning = other.latency_meaning;
  cpu_user_seconds += other.cpu_user_seconds;
  cpu_system_seconds += other.cpu_system_seconds;
  peak_rss_bytes = std::max(peak_rss_bytes, other.peak_rss_bytes);
  peak_rss_per_run = peak_rss_per_run || other.peak_rss_per_run;
  timer_overhead_ns = std::max(timer_overhead_ns, other.timer_overhead_ns);
  for (const auto& [k, n] : other.outcomes) outcomes[k] += n;
  for (const auto& [k, n] : other.errors) errors[k] += n;
}

Result<std::unique_ptr<host::PluginInstance>> make_instance(const Subject& subject, host::TimerService* timers,
                                                            host::Inlet* inlet) {
  auto context = std::make_unique<eh_host>();
  context->name = "bench";
  context->ns = "default";
  context->pipeline = "bench";
  context->kind = host::kind_name(subject.plugin->kind());
  context->plugin = subject.plugin->name();
  context->timers = timers;
  context->inlet = inlet;
  context->logger = spdlog::default_logger();
  config::PluginSpec spec{subject.plugin, subject.config_json, "config", {subject.config_origin, 1, 1}};
  return host::PluginInstance::create(spec, std::move(context));
}

Result<RunResult> run_once(const Subject& subject, const Workload& workload, Progress& progress) {
  switch (subject.plugin->kind()) {
    case EH_KIND_FILTER: return run_filter(subject, workload, progress);
    case EH_KIND_DELIVERY_POLICY: return run_policy(subject, workload, progress);
    case EH_KIND_SINK: return run_sink(subject, workload, progress);
    case EH_KIND_SOURCE: return run_source(subject, workload, progress);
  }
  return Status::invalid(subject.plugin->path + ": unknown plugin kind " + std::to_string(subject.plugin->kind()));
}

}  // namespace eventhost::bench

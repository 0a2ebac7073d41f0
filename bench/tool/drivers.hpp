// One driver per plugin kind, each driving the plugin the way the worker's runtime does.
#pragma once

#include "run.hpp"
#include "runtime/host_context.hpp"
#include "runtime/plugin_instance.hpp"

#include <memory>

namespace eventhost::bench {

// A fresh instance of the subject with a host context like the worker's (pipeline "bench").
Result<std::unique_ptr<host::PluginInstance>> make_instance(const Subject& subject, host::TimerService* timers,
                                                            host::Inlet* inlet);

Result<RunResult> run_filter(const Subject& subject, const Workload& workload, Progress& progress);
Result<RunResult> run_policy(const Subject& subject, const Workload& workload, Progress& progress);
Result<RunResult> run_sink(const Subject& subject, const Workload& workload, Progress& progress);
Result<RunResult> run_source(const Subject& subject, const Workload& workload, Progress& progress);

}  // namespace eventhost::bench

// What a config reload changes: every pipeline has a fingerprint (its canonical config: plugins by path and version
// with their validated settings, the buses it reads and writes, its delivery), and the plan compares the running
// config with the new one by pipeline name. Unchanged pipelines keep running untouched.
#pragma once

#include "config/model.hpp"

#include <string>
#include <vector>

namespace eventhost::host {

// Equal for two specs exactly when a running pipeline of one can serve as the other. Where a pipeline was written
// (file, line, key path) is left out: moving a trigger within its file restarts nothing.
std::string fingerprint(const config::PipelineSpec& spec);

// Every pipeline of a config: the broker and channel ingresses, then the others.
std::vector<const config::PipelineSpec*> all_pipelines(const config::WorkerConfig& config);

struct ReloadPlan {
  std::vector<std::string> stop;                   // running pipelines that are removed or changed
  std::vector<const config::PipelineSpec*> start;  // new or changed pipelines, in the new config
  std::vector<std::string> unchanged;              // pipelines that keep running
  std::vector<std::string> buses_added;            // memory buses
  std::vector<std::string> buses_removed;
  // [host] settings that differ and cannot change while running, as "host.KEY: OLD -> NEW".
  std::vector<std::string> needs_restart;

  bool changes_pipelines() const { return !stop.empty() || !start.empty() || !buses_added.empty() || !buses_removed.empty(); }
};

ReloadPlan plan_reload(const config::WorkerConfig& running, const config::WorkerConfig& next);

}  // namespace eventhost::host

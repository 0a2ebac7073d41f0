// `eventhost filter CONFIG... --trigger NAME < events.jsonl`: loads the config as `run` would, creates the
// trigger's filter plugins through the real loader, and prints for each input line whether the event passes.
//
// Output, one line per non-blank input line, fields separated by one tab:
//   LINE  pass     ID        the event passes every filter of the trigger
//   LINE  drop     ID        a filter refused it
//   LINE  invalid  REASON    the line is not a CloudEvent in JSON format (the exit code is then 1)
// and a summary on stderr.
#include "cli_filters.hpp"

#include "config/load.hpp"
#include "config/suggest.hpp"
#include "logging.hpp"
#include "runtime/event_impl.hpp"
#include "runtime/host_context.hpp"
#include "runtime/plugin_instance.hpp"
#include "runtime/timers.hpp"

#include <eventhost/cloudevents/json.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

namespace eventhost::host {
namespace {

int fail(const std::string& message) {
  std::fprintf(stderr, "eventhost: %s\n", message.c_str());
  return 1;
}

// The trigger named NAME (in any namespace, when only one has it) or NAMESPACE/NAME.
const config::PipelineSpec* find_trigger(const config::WorkerConfig& cfg, const std::string& wanted,
                                         std::string& error) {
  std::vector<const config::PipelineSpec*> found;
  std::vector<std::string> names;
  for (const auto& p : cfg.pipelines) {
    if (!p.name.starts_with("trigger/")) continue;
    std::string qualified = p.ns + "/" + p.object_name;
    names.push_back(p.object_name);
    names.push_back(qualified);
    if (wanted == qualified || wanted == p.object_name) found.push_back(&p);
  }
  if (found.size() == 1) return found.front();
  if (found.empty()) {
    error = "no trigger '" + wanted + "' in the config" + config::did_you_mean(wanted, names);
  } else {
    error = "trigger '" + wanted + "' exists in several namespaces; name it NAMESPACE/NAME:";
    for (const auto* p : found) error += " " + p->ns + "/" + p->object_name;
  }
  return nullptr;
}

}  // namespace

int run_filter_command(const FilterCommand& command) {
  if (command.configs.empty()) return fail("filter needs at least one CONFIG file or directory");
  if (command.trigger.empty()) return fail("filter needs --trigger NAME");
  PluginRegistry registry;
  config::Diagnostics diags;
  auto cfg = config::load_worker_config(command.configs, config::process_environment(), registry, diags);
  if (!cfg) {
    std::fprintf(stderr, "%s\n", diags.to_string().c_str());
    return 1;
  }
  std::string error;
  const config::PipelineSpec* trigger = find_trigger(*cfg, command.trigger, error);
  if (trigger == nullptr) return fail(error);

  setup_logging("warn", "text");
  boost::asio::io_context io;  // filters may start timers; nothing runs them here
  TimerService timers(io);
  std::vector<std::unique_ptr<PluginInstance>> filters;
  for (const auto& spec : trigger->filters) {
    auto context = std::make_unique<eh_host>();
    context->name = trigger->object_name;
    context->ns = trigger->ns;
    context->pipeline = trigger->name;
    context->kind = "filter";
    context->plugin = spec.plugin->name();
    context->timers = &timers;
    context->logger = spdlog::default_logger();
    auto instance = PluginInstance::create(spec, std::move(context));
    if (!instance) {  // a config error: it starts with FILE:LINE:COL, like every config error
      std::fprintf(stderr, "%s\n", instance.status().message().c_str());
      return 1;
    }
    filters.push_back(std::move(*instance));
  }

  size_t line_number = 0, passed = 0, dropped = 0, invalid = 0;
  std::string line;
  eh_event event;
  while (std::getline(std::cin, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto decoded = ce::from_json(line);
    if (!decoded) {
      ++invalid;
      std::printf("%zu\tinvalid\t%s\n", line_number, decoded.status().message().c_str());
      continue;
    }
    event.ce = std::move(*decoded);
    bool pass = true;
    for (const auto& f : filters) {
      if (f->plugin().match(f->instance(), &event) == 0) {
        pass = false;
        break;
      }
    }
    ++(pass ? passed : dropped);
    std::printf("%zu\t%s\t%.*s\n", line_number, pass ? "pass" : "drop", static_cast<int>(event.ce.id().size()),
                event.ce.id().data());
  }
  std::fflush(stdout);
  std::fprintf(stderr, "eventhost: trigger %s: %zu pass, %zu drop, %zu invalid\n", trigger->name.c_str(), passed,
               dropped, invalid);
  timers.close();
  return invalid == 0 ? 0 : 1;
}

}  // namespace eventhost::host

#include "cli.hpp"

#include "cli_filters.hpp"
#include "config/load.hpp"
#include "config/schema_check.hpp"
#include "logging.hpp"
#include "plugins/registry.hpp"
#include "runtime/worker.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#ifndef EVENTHOST_VERSION
#error "EVENTHOST_VERSION must be defined by the build"
#endif

namespace eventhost::host {
namespace {

constexpr const char* kUsage = R"(eventhost: runs event pipelines made of plugins (a Knative Eventing data plane)

usage:
  eventhost run CONFIG...              run the pipelines of CONFIG (files or directories of *.toml)
  eventhost validate CONFIG...         check CONFIG and every plugin's settings, start nothing
  eventhost plugins list               plugins on the search path, with kind and version
  eventhost plugins describe NAME      a plugin's settings: keys, types, defaults, docs
  eventhost cesql 'EXPR' [--event FILE] [--json]
                                       evaluate a CESQL expression against one JSON event (default: a minimal one)
  eventhost filter CONFIG... --trigger NAME < events.jsonl
                                       print which events (one JSON event per line) pass the trigger's filters
  eventhost --version | --help

options:
  --log-level trace|debug|info|warn|error   overrides [host] log_level
  --log-format text|json                    overrides [host] log_format

Plugins are searched in $EVENTHOST_PLUGIN_PATH, [host] plugin_path, the build tree, then )" EVENTHOST_PLUGINDIR R"(.
)";

struct Args {
  std::string command;
  std::vector<std::string> operands;
  std::string log_level;
  std::string log_format;
  std::string event_file;  // cesql --event
  std::string trigger;     // filter --trigger
  bool json = false;       // cesql --json
};

bool parse(int argc, char** argv, Args& out, std::string& error) {
  bool options_ended = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (options_ended || a == "-" || !a.starts_with("-")) {
      if (out.command.empty()) out.command = a;
      else out.operands.push_back(a);
      continue;
    }
    auto value = [&](std::string& into) {
      if (i + 1 >= argc) {
        error = a + " needs a value";
        return false;
      }
      into = argv[++i];
      return true;
    };
    if (a == "--log-level") {
      if (!value(out.log_level)) return false;
    } else if (a == "--log-format") {
      if (!value(out.log_format)) return false;
    } else if (a == "--event") {
      if (!value(out.event_file)) return false;
    } else if (a == "--trigger") {
      if (!value(out.trigger)) return false;
    } else if (a == "--json") {
      out.json = true;
    } else if (a == "--") {
      options_ended = true;  // what follows is operands, e.g. a CESQL expression starting with '-'
    } else if (a == "--help" || a == "-h") {
      out.command = "help";
    } else if (a == "--version") {
      out.command = "version";
    } else {
      error = "unknown option " + a;
      return false;
    }
  }
  return true;
}

// A config error already starts with FILE:LINE:COL, the way compilers report, so editors can jump to it.
int config_error(const std::string& message) {
  std::fprintf(stderr, "%s\n", message.c_str());
  return 1;
}

int fail(const std::string& message) {
  std::fprintf(stderr, "eventhost: %s\n", message.c_str());
  return 1;
}

std::optional<config::WorkerConfig> load(const std::vector<std::string>& files, PluginRegistry& registry) {
  config::Diagnostics diags;
  auto cfg = config::load_worker_config(files, config::process_environment(), registry, diags);
  if (!cfg) std::fprintf(stderr, "%s\n", diags.to_string().c_str());
  return cfg;
}

int cmd_validate(const Args& args) {
  if (args.operands.empty()) return fail("validate needs at least one CONFIG file or directory");
  PluginRegistry registry;
  auto cfg = load(args.operands, registry);
  if (!cfg) return 1;
  std::string summary = "ok: " + std::to_string(cfg->files.size()) + " file(s), " +
                        std::to_string(cfg->buses.size()) + " broker(s)/channel(s), " +
                        std::to_string(cfg->pipelines.size()) + " pipeline(s)\n";
  for (const auto& p : cfg->pipelines) summary += "  " + p.name + "\n";
  // Plugins check what their schema cannot express (a cron expression, a CESQL filter) when created; creating
  // starts nothing, so validate creates every instance and throws them away.
  setup_logging("warn", "text");
  Worker worker(std::move(*cfg));
  if (Status s = worker.build(); !s.is_ok()) return config_error(s.message());
  std::fputs(summary.c_str(), stdout);
  return 0;
}

int cmd_run(const Args& args) {
  if (args.operands.empty()) return fail("run needs at least one CONFIG file or directory");
  PluginRegistry registry;
  auto cfg = load(args.operands, registry);
  if (!cfg) return 1;
  setup_logging(args.log_level.empty() ? cfg->host.log_level : args.log_level,
                args.log_format.empty() ? cfg->host.log_format : args.log_format);
  Worker worker(std::move(*cfg));
  if (Status s = worker.build(); !s.is_ok()) return config_error(s.message());
  worker.enable_reload(args.operands, !args.log_level.empty());
  return worker.run(true);
}

void describe(const LoadedPlugin& p) {
  const eh_plugin& d = *p.descriptor;
  std::printf("%s %s (%s)\n  %s\n  file: %s\n  ABI %u.%u\n\nsettings:\n", d.name, d.version, kind_name(d.kind),
              d.description != nullptr ? d.description : "", p.path.c_str(), d.abi_major, d.abi_minor);
  if (d.schema_len == 0) std::printf("  (none)\n");
  for (size_t i = 0; i < d.schema_len; ++i) {
    const eh_config_key& k = d.schema[i];
    std::string type = k.type == EH_CONFIG_ENUM ? std::string(k.choices) : config::config_type_name(k.type);
    std::string when = k.required ? "required"
                                  : (k.default_json != nullptr ? "default " + std::string(k.default_json) : "optional");
    std::printf("  %-18s %-20s %-22s %s\n", k.key, type.c_str(), when.c_str(), k.doc != nullptr ? k.doc : "");
  }
  std::printf("\n");
}

int cmd_plugins(const Args& args) {
  PluginRegistry registry;
  registry.scan(plugin_search_path({}));
  std::string sub = args.operands.empty() ? "list" : args.operands[0];
  if (sub == "list") {
    std::printf("%-16s %-16s %-10s %s\n", "NAME", "KIND", "VERSION", "PATH");
    for (const auto& [key, p] : registry.plugins()) {
      std::printf("%-16s %-16s %-10s %s\n", key.first.c_str(), kind_name(p->kind()), p->descriptor->version,
                  p->path.c_str());
    }
    for (const auto& f : registry.failures()) std::printf("refused: %s\n", f.to_string().c_str());
    return 0;
  }
  if (sub == "describe") {
    if (args.operands.size() != 2) return fail("usage: eventhost plugins describe NAME");
    auto found = registry.find_all(args.operands[1]);
    if (found.empty()) {
      std::string error;
      registry.find(args.operands[1], EH_KIND_SOURCE, &error);
      return fail(error);
    }
    for (const auto& p : found) describe(*p);
    return 0;
  }
  return fail("unknown plugins command '" + sub + "' (use list or describe)");
}

}  // namespace

int run_cli(int argc, char** argv) {
  Args args;
  std::string error;
  if (!parse(argc, argv, args, error)) return fail(error + " (see eventhost --help)");
  if (args.command.empty() || args.command == "help") {
    std::fputs(kUsage, args.command.empty() ? stderr : stdout);
    return args.command.empty() ? 1 : 0;
  }
  if (args.command == "version") {
    std::printf("eventhost %s (plugin ABI %d.%d)\n", EVENTHOST_VERSION, EH_ABI_MAJOR, EH_ABI_MINOR);
    return 0;
  }
  if ((!args.event_file.empty() || args.json) && args.command != "cesql") {
    return fail("--event and --json belong to the cesql command");
  }
  if (!args.trigger.empty() && args.command != "filter") return fail("--trigger belongs to the filter command");
  if (args.command == "run") return cmd_run(args);
  if (args.command == "validate") return cmd_validate(args);
  if (args.command == "plugins") return cmd_plugins(args);
  if (args.command == "cesql") {
    if (args.operands.size() != 1) return fail("usage: eventhost cesql 'EXPR' [--event FILE] [--json]");
    return run_cesql_command({args.operands[0], args.event_file, args.json});
  }
  if (args.command == "filter") return run_filter_command({args.operands, args.trigger});
  return fail("unknown command '" + args.command + "' (see eventhost --help)");
}

}  // namespace eventhost::host

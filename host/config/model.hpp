// The validated worker config: what the runtime builds. Every Knative word has been expanded into pipelines and
// every plugin's config checked against its schema.
#pragma once

#include "config/diagnostic.hpp"
#include "http/server_settings.hpp"
#include "plugins/loaded_plugin.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace eventhost::config {

struct PluginSpec {
  host::PluginHandle plugin;
  std::string config_json;
  std::string key_path;   // where it was declared, for messages
  Location where;
};

// Where a pipeline sends its events: a sink plugin, or a broker/channel of this worker.
struct Destination {
  std::optional<PluginSpec> plugin;
  std::string bus;        // bus id when not a plugin
  std::string display;    // a URI, "plugin:NAME" or the bus id: used in logs and knativeerrordest
  bool fail_when_full = false;  // a bus with no room fails the attempt at once instead of waiting (HTTP ingress)
};

struct DeliverySpec {
  std::optional<PluginSpec> policy;           // none: a failed attempt is final
  std::optional<Destination> dead_letter;
  std::chrono::milliseconds timeout{0};       // 0: no limit per attempt
};

struct PipelineSpec {
  std::string name;       // unique: "trigger/NS/NAME", "subscription/NS/NAME", "source/NS/NAME" or "pipeline/NAME"
  std::string object_name;
  std::string ns;
  Location where;
  std::optional<PluginSpec> source;   // a source plugin, or
  std::string intake_bus;             // the broker/channel a trigger or subscription reads
  std::vector<PluginSpec> filters;
  Destination sink;
  std::optional<Destination> reply;   // where a sink's replies go
  DeliverySpec delivery;
  uint32_t max_in_flight = 64;
  bool inline_dispatch = false;  // filters and the sink's deliver on the emitting thread (source plugins only)
};

// A broker or channel of this worker.
struct BusSpec {
  std::string id;         // "broker/NS/NAME" or "channel/NS/NAME"
  std::string name;
  std::string ns;
  bool channel = false;
  std::string backend;
  Location where;
  std::optional<PipelineSpec> ingress;  // HTTP ingress POST /NS/NAME: an `http` source into this bus
};

struct HostSettings {
  unsigned threads = 0;
  std::chrono::milliseconds shutdown_grace{30000};
  std::vector<std::string> plugin_path;
  std::string log_level = "info";
  std::string log_format = "text";
  std::string ns = "default";
  host::http::ServerSettings http;  // listen address and limits of the HTTP server
  bool listen_explicit = false;     // `listen` was given: serve the probes even when no route needs the server
};

struct WorkerConfig {
  HostSettings host;
  std::optional<PluginSpec> election;  // [election]: the elector plugin; none: singleton sources run on every replica
  std::vector<BusSpec> buses;
  std::vector<PipelineSpec> pipelines;
  std::vector<std::string> files;
};

inline std::string bus_id(bool channel, const std::string& ns, const std::string& name) {
  return std::string(channel ? "channel/" : "broker/") + ns + "/" + name;
}

}  // namespace eventhost::config

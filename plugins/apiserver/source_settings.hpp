// The `apiserver` source's configuration, read from the host-validated JSON: which resources to watch (apiVersion,
// kind, label selector), in which namespaces, the owner filter and the event mode. Every refusal names the key.
#pragma once

#include "change_event.hpp"
#include "credentials.hpp"
#include "object_tracker.hpp"

#include <eventhost/config.hpp>
#include <eventhost/status.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace eventhost::apiserver {

struct ResourceSpec {
  std::string api_version;  // "v1" (core group) or "<group>/<version>"
  std::string kind;         // e.g. "Event"
  std::string label_selector;
};

// Knative's `owner`: only objects whose controller (the ownerReference with controller: true) has this apiVersion
// and/or kind pass; an empty field matches any value. Objects without a controller never pass.
struct OwnerFilter {
  std::string api_version;
  std::string kind;
  bool passes(const ObjectMeta& meta) const;
};

struct SourceSettings {
  std::vector<ResourceSpec> resources;
  std::vector<std::string> namespaces;  // empty: all namespaces
  std::optional<OwnerFilter> owner;
  EventMode mode = EventMode::reference;
  Credentials credentials;
  std::chrono::milliseconds reconnect_delay{1000};
  std::chrono::milliseconds reconnect_delay_max{30000};
  std::chrono::seconds watch_timeout{300};
};

Result<SourceSettings> read_settings(const Config& config);

// Separately for tests: the `resources` and `owner` values.
Result<std::vector<ResourceSpec>> parse_resources(const rapidjson::Value& value);
Result<OwnerFilter> parse_owner(const rapidjson::Value& value);
// True for a valid Kubernetes namespace name (an RFC 1123 label).
bool is_namespace_name(std::string_view name);

}  // namespace eventhost::apiserver

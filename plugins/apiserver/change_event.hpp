// Kubernetes objects to Knative ApiServerSource events: reading an object's metadata, and the event for a change
// (type, source, subject, extensions, data) in Reference or Resource mode. Pure functions, no I/O.
#pragma once

#include "object_tracker.hpp"

#include <eventhost/status.hpp>

#include <rapidjson/document.h>

#include <string>
#include <string_view>

namespace eventhost::apiserver {

enum class EventMode { reference, resource };

// Reads apiVersion, kind, metadata.{name,namespace,uid,resourceVersion} and the controller ownerReference.
// `fallback_api_version` / `fallback_kind` fill in list items, which the API server sends without them.
Result<ObjectMeta> read_meta(const rapidjson::Value& object, std::string_view fallback_api_version,
                             std::string_view fallback_kind);

// The object as JSON text with apiVersion and kind first (added when the API server left them out).
std::string object_json(const rapidjson::Value& object, std::string_view api_version, std::string_view kind);

struct ResourceName {
  std::string plural;  // from discovery, e.g. "events"
  bool namespaced = true;
};

// Everything of the event except id and time.
struct ChangeEvent {
  std::string type;     // dev.knative.apiserver.{resource,ref}.{add,update,delete}
  std::string source;   // the API server URL
  std::string subject;  // /apis/<apiVersion>/namespaces/<ns>/<plural>/<name>
  std::string kind, api_version, name, ns;  // extensions kind, apiversion, name, namespace (ns empty: left out)
  std::string data;     // application/json
};

ChangeEvent make_change_event(const ObjectChange& change, EventMode mode, const ResourceName& resource,
                              std::string_view source_url);

// The subject Knative gives an object: /apis/<apiVersion>/namespaces/<ns>/<plural>/<name>; the core group's
// apiVersion "v1" gives /apis/v1/... as in Knative. Cluster-scoped objects: /apis/<apiVersion>/<plural>/<name>.
std::string subject_of(const ObjectMeta& meta, const ResourceName& resource);

}  // namespace eventhost::apiserver

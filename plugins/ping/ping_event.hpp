// The event a ping source emits on each tick, built as a plain CloudEvent so it can be tested without a host.
// Its shape is Knative PingSource's.
#pragma once

#include <eventhost/event.hpp>
#include <eventhost/status.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace eventhost::ping {

inline constexpr std::string_view kPingEventType = "dev.knative.sources.ping";

// What every event of one ping source carries, fixed when the source is created.
struct PingPayload {
  std::optional<std::string> data;  // raw bytes: data_base64 is already decoded
  std::string content_type;
};

// From the config values. data and data_base64 are mutually exclusive; an empty value counts as unset, as in
// Knative.
Result<PingPayload> make_payload(std::optional<std::string> data, std::optional<std::string> data_base64,
                                 std::string content_type);

// "/apis/v1/namespaces/<ns>/pingsources/<name>"
std::string ping_source_uri(std::string_view ns, std::string_view name);

// "2024-03-31T00:30:00Z"
std::string format_rfc3339_utc(std::chrono::sys_seconds instant);

// A fresh random (version 4) UUID in its canonical text form.
std::string random_uuid();

CloudEvent make_ping_event(std::string_view source_uri, const PingPayload& payload, std::chrono::sys_seconds tick,
                           std::string_view id);

}  // namespace eventhost::ping

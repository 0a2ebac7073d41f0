// The host's own config tables, declared with the same schema type as plugins so they are validated, reported and
// documented the same way.
#pragma once

#include "config/schema_check.hpp"

namespace eventhost::config::vocabulary {

Schema host();
Schema pipeline();
Schema bus();           // [brokers.NAME] and [channels.NAME]
Schema trigger();
Schema subscription();
Schema source();        // the host's keys of [[sources]]; the rest belongs to the plugin
Schema delivery();      // the host's keys of a delivery table; the rest belongs to the policy plugin

// Keys of a destination table ({uri}, {broker}, {channel} or {plugin, ...}).
inline constexpr const char* kDestinationKinds[] = {"uri", "broker", "channel", "plugin"};

inline constexpr const char* kDefaultDeliveryPolicy = "retry";
inline constexpr const char* kUriSinkPlugin = "http";
inline constexpr const char* kIngressSourcePlugin = "http";
inline constexpr const char* kAttributesFilterPlugin = "attributes";
inline constexpr const char* kDialectsFilterPlugin = "dialects";  // CloudEvents Subscriptions API filter dialects

}  // namespace eventhost::config::vocabulary

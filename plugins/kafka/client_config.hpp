// librdkafka configuration from the plugin keys plus the user's `kafka` table of librdkafka properties.
//
// The `kafka` table may nest (`kafka.security.protocol = "SASL_SSL"` in TOML is a nested table; it is read as the
// property "security.protocol"); values may be strings, integers, floats or booleans. Errors name the property but
// never its value, because values are often secrets (sasl.password, ssl.key.password, ...).
#pragma once

#include <eventhost/status.hpp>

#include <librdkafka/rdkafka.h>
#include <rapidjson/document.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace eventhost::kafka {

using Properties = std::vector<std::pair<std::string, std::string>>;

struct ConfDeleter {
  void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
};
using ConfPtr = std::unique_ptr<rd_kafka_conf_t, ConfDeleter>;

// A property the plugin sets itself, and the key the user sets it with instead (or why it cannot be changed).
struct ManagedProperty {
  const char* name;
  const char* instead;
};

// Flattens the `kafka` table into dotted property names, in order.
Result<Properties> flatten_properties(const rapidjson::Value& table);

// `own` first, then `user` (which may not touch `managed`). Each failure reads "kafka.<name>: <reason>".
Result<ConfPtr> make_conf(const Properties& own, const Properties& user, const std::vector<ManagedProperty>& managed);

}  // namespace eventhost::kafka

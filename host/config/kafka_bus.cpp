#include "config/kafka_bus.hpp"

#include <algorithm>
#include <array>

namespace eventhost::config {
namespace {

constexpr std::array<const char*, 6> kKafkaOnlyBusKeys = {"topic", "bootstrap_servers", "partitions",
                                                          "replication_factor", "ack_timeout", "kafka"};

// librdkafka properties the bus sets from its own keys.
struct BusManagedProperty {
  const char* name;
  const char* instead;
};
constexpr BusManagedProperty kBusManaged[] = {
    {"message.timeout.ms", "set ack_timeout on the bus instead"},
    {"delivery.timeout.ms", "set ack_timeout on the bus instead"},
};

// Dotted names of the properties in a (possibly nested) `kafka` table, with the node that sets each.
void flatten_names(const toml::table& t, const std::string& prefix,
                   std::vector<std::pair<std::string, const toml::node*>>& out) {
  for (auto&& [k, v] : t) {
    std::string name = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const toml::table* nested = v.as_table()) {
      flatten_names(*nested, name, out);
    } else {
      out.emplace_back(name, &v);
    }
  }
}

}  // namespace

std::string default_bus_topic(bool channel, const std::string& ns, const std::string& name) {
  return channel ? "knative-messaging-kafka." + ns + "." + name : "knative-broker-" + ns + "-" + name;
}

std::string trigger_consumer_group(const std::string& ns, const std::string& name) {
  return "knative-trigger-" + ns + "-" + name;
}

std::string subscription_consumer_group(const std::string& ns, const std::string& channel, const std::string& name) {
  return "kafka." + ns + "." + channel + "." + name;
}

bool is_kafka_only_bus_key(const std::string& key) {
  return std::find(kKafkaOnlyBusKeys.begin(), kKafkaOnlyBusKeys.end(), key) != kKafkaOnlyBusKeys.end();
}

std::string topic_name_problem(const std::string& topic) {
  if (topic.empty() || topic.size() > 249) return "must be 1 to 249 characters long";
  if (topic == "." || topic == "..") return "cannot be '.' or '..'";
  for (char c : topic) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-';
    if (!ok) return std::string("has '") + c + "': a topic name takes only a-z A-Z 0-9 . _ -";
  }
  return {};
}

std::optional<KafkaBusSettings> read_kafka_bus(const toml::table& t, const eventhost::Config& cfg, bool channel,
                                               const std::string& ns, const std::string& name,
                                               const std::string& path, Diagnostics& diags) {
  const std::string what = std::string("a Kafka-backed ") + (channel ? "channel" : "broker");
  size_t errors = diags.items().size();
  KafkaBusSettings s;
  if (!cfg.has("bootstrap_servers")) {
    diags.add(Location::of(t.source()), path + ".bootstrap_servers", "missing: " + what + " needs bootstrap_servers");
  } else {
    s.bootstrap_servers = cfg.string("bootstrap_servers");
  }
  s.topic = cfg.has("topic") ? cfg.string("topic") : default_bus_topic(channel, ns, name);
  if (std::string why = topic_name_problem(s.topic); !why.empty()) {
    const toml::node* at = t.get("topic");
    diags.add(Location::of(at != nullptr ? at->source() : t.source()), path + ".topic",
              "\"" + s.topic + "\" " + why + (at != nullptr ? "" : " (the default topic name; set topic)"));
  }
  s.partitions = cfg.integer("partitions");
  if (s.partitions != -1 && (s.partitions < 1 || s.partitions > 100000)) {
    diags.add(Location::of(t.get("partitions")->source()), path + ".partitions", "must be -1 (the cluster's default) or 1 to 100000");
  }
  s.replication_factor = cfg.integer("replication_factor");
  if (s.replication_factor != -1 && (s.replication_factor < 1 || s.replication_factor > 32767)) {
    diags.add(Location::of(t.get("replication_factor")->source()), path + ".replication_factor",
              "must be -1 (the cluster's default) or 1 to 32767");
  }
  s.ack_timeout = cfg.duration("ack_timeout");
  if (s.ack_timeout.count() < 1 || s.ack_timeout.count() > INT32_MAX) {
    diags.add(Location::of(t.get("ack_timeout")->source()), path + ".ack_timeout", "must be between 1ms and 24 days");
  }
  if (const toml::node* props = t.get("kafka")) {
    if (const toml::table* pt = props->as_table()) {
      std::vector<std::pair<std::string, const toml::node*>> names;
      flatten_names(*pt, "", names);
      for (const auto& [prop, node] : names) {
        for (const auto& managed : kBusManaged) {
          if (prop == managed.name) {
            diags.add(Location::of(node->source()), path + ".kafka." + prop, std::string("managed by the bus: ") + managed.instead);
          }
        }
      }
      s.properties = *pt;
    }
  }
  if (diags.items().size() != errors) return std::nullopt;
  return s;
}

toml::table kafka_producer_table(const KafkaBusSettings& bus) {
  toml::table props = bus.properties;
  props.insert("message.timeout.ms", static_cast<int64_t>(bus.ack_timeout.count()));
  toml::table t;
  t.insert("bootstrap_servers", bus.bootstrap_servers);
  t.insert("topic", bus.topic);
  t.insert("content_mode", "binary");
  t.insert("create_topics", true);
  t.insert("partitions", bus.partitions);
  t.insert("replication_factor", bus.replication_factor);
  t.insert("kafka", std::move(props));
  return t;
}

toml::table kafka_consumer_table(const KafkaBusSettings& bus, const KafkaReader& reader) {
  toml::table t;
  t.insert("bootstrap_servers", bus.bootstrap_servers);
  toml::array topics;
  topics.push_back(bus.topic);
  t.insert("topics", std::move(topics));
  t.insert("consumer_group", reader.consumer_group);
  t.insert("initial_offset", reader.initial_offset);
  t.insert("ordering", reader.ordering);
  t.insert("max_in_flight", static_cast<int64_t>(reader.max_in_flight));
  t.insert("position_extensions", true);
  if (!bus.properties.empty()) t.insert("kafka", bus.properties);
  return t;
}

}  // namespace eventhost::config

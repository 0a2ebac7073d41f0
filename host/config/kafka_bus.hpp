// Kafka-backed brokers and channels are pure config: the bus is a topic, its ingress and every destination naming it
// are the `kafka` sink plugin on that topic, and each trigger or subscription is a pipeline whose source is the
// `kafka` source plugin reading the topic in its own consumer group. This file turns a bus's settings into those
// plugin tables; load.cpp validates them against the plugins' schemas like any other plugin config.
#pragma once

#include "config/diagnostic.hpp"

#include <eventhost/config.hpp>
#include <toml++/toml.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace eventhost::config {

inline constexpr const char* kKafkaPlugin = "kafka";  // both the source and the sink

struct KafkaBusSettings {
  std::string topic;
  std::string bootstrap_servers;
  int64_t partitions = 10;           // of the topic when the bus creates it
  int64_t replication_factor = -1;   // -1: the Kafka cluster's default
  std::chrono::milliseconds ack_timeout{10000};
  toml::table properties;            // the user's `kafka` table of librdkafka properties, as written
};

// What a trigger or subscription asks of its consumer.
struct KafkaReader {
  std::string consumer_group;
  std::string ordering = "unordered";     // ordered | unordered
  std::string initial_offset = "earliest";
  uint32_t max_in_flight = 64;
};

// Knative's names: topic knative-broker-<ns>-<name> / knative-messaging-kafka.<ns>.<name>; groups
// knative-trigger-<ns>-<name> / kafka.<ns>.<channel>.<subscription>.
std::string default_bus_topic(bool channel, const std::string& ns, const std::string& name);
std::string trigger_consumer_group(const std::string& ns, const std::string& name);
std::string subscription_consumer_group(const std::string& ns, const std::string& channel, const std::string& name);

// The Kafka settings of a bus table already checked against vocabulary::bus(); `bus_name` is e.g.
// "broker 'default'". Reports misuse to `diags` under `path` and returns nullopt.
std::optional<KafkaBusSettings> read_kafka_bus(const toml::table& t, const eventhost::Config& cfg, bool channel,
                                               const std::string& ns, const std::string& name,
                                               const std::string& path, Diagnostics& diags);

// The keys of vocabulary::bus() that only a Kafka-backed bus takes; a memory bus that sets one is refused.
bool is_kafka_only_bus_key(const std::string& key);

// The `kafka` sink table writing to the bus: binary mode, keyed by partitionkey, idempotent with acks=all (always,
// in the plugin), the topic created on first use, and the bus's ack_timeout as librdkafka's message.timeout.ms.
toml::table kafka_producer_table(const KafkaBusSettings& bus);

// The `kafka` source table reading the bus for one trigger or subscription, with knativekafkapartition/offset.
toml::table kafka_consumer_table(const KafkaBusSettings& bus, const KafkaReader& reader);

// Legal Kafka topic name: 1-249 of [a-zA-Z0-9._-], not "." or "..". Empty when fine, else why not.
std::string topic_name_problem(const std::string& topic);

}  // namespace eventhost::config

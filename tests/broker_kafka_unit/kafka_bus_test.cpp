// The naming rules and the plugin tables of config/kafka_bus, on their own.
#include "config/kafka_bus.hpp"

#include <gtest/gtest.h>

namespace eventhost::config {
namespace {

TEST(KafkaBusNames, FollowKnative) {
  EXPECT_EQ(default_bus_topic(false, "shop", "default"), "knative-broker-shop-default");
  EXPECT_EQ(default_bus_topic(true, "shop", "orders"), "knative-messaging-kafka.shop.orders");
  EXPECT_EQ(trigger_consumer_group("shop", "orders"), "knative-trigger-shop-orders");
  EXPECT_EQ(subscription_consumer_group("shop", "orders", "enrich"), "kafka.shop.orders.enrich");
}

TEST(KafkaBusNames, TopicNameRules) {
  EXPECT_EQ(topic_name_problem("knative-broker-default-default"), "");
  EXPECT_EQ(topic_name_problem("a.b_C-9"), "");
  EXPECT_EQ(topic_name_problem(""), "must be 1 to 249 characters long");
  EXPECT_EQ(topic_name_problem(std::string(249, 'a')), "");
  EXPECT_EQ(topic_name_problem(std::string(250, 'a')), "must be 1 to 249 characters long");
  EXPECT_EQ(topic_name_problem("."), "cannot be '.' or '..'");
  EXPECT_EQ(topic_name_problem(".."), "cannot be '.' or '..'");
  EXPECT_EQ(topic_name_problem("x{y}"), "has '{': a topic name takes only a-z A-Z 0-9 . _ -");
}

TEST(KafkaBusTables, KafkaOnlyKeys) {
  for (const char* key : {"topic", "bootstrap_servers", "partitions", "replication_factor", "ack_timeout", "kafka"}) {
    EXPECT_TRUE(is_kafka_only_bus_key(key)) << key;
  }
  EXPECT_FALSE(is_kafka_only_bus_key("namespace"));
  EXPECT_FALSE(is_kafka_only_bus_key("backend"));
  EXPECT_FALSE(is_kafka_only_bus_key("delivery"));
}

TEST(KafkaBusTables, TheUsersPropertiesAreKeptAsWritten) {
  KafkaBusSettings bus;
  bus.topic = "t";
  bus.bootstrap_servers = "b:1";
  bus.properties.insert("security", toml::table{{"protocol", "SSL"}});
  toml::table producer = kafka_producer_table(bus);
  const toml::table& props = *producer["kafka"].as_table();
  EXPECT_EQ(props["security"]["protocol"].value<std::string>(), "SSL");
  EXPECT_EQ(props["message.timeout.ms"].value<int64_t>(), 10000);
  EXPECT_TRUE(bus.properties.get("message.timeout.ms") == nullptr) << "the bus's own table is not changed";

  toml::table consumer = kafka_consumer_table(bus, KafkaReader{"g", "ordered", "latest", 5});
  EXPECT_EQ(consumer["consumer_group"].value<std::string>(), "g");
  EXPECT_EQ(consumer["ordering"].value<std::string>(), "ordered");
  EXPECT_EQ(consumer["initial_offset"].value<std::string>(), "latest");
  EXPECT_EQ(consumer["max_in_flight"].value<int64_t>(), 5);
  EXPECT_EQ(consumer["kafka"]["security"]["protocol"].value<std::string>(), "SSL");

  KafkaBusSettings plain = bus;
  plain.properties = {};
  EXPECT_FALSE(kafka_consumer_table(plain, KafkaReader{}).contains("kafka"));
}

}  // namespace
}  // namespace eventhost::config

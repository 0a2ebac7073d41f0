// What a Kafka-backed broker or channel expands into when the config is loaded with the real plugins: which
// pipelines, which plugin configs, and the one-line reason for every misuse.
#include "config/load.hpp"

#include "temp_dir.hpp"

#include <eventhost/config.hpp>
#include <gtest/gtest.h>

#include <map>

namespace eventhost::config {
namespace {

using testing::TempDir;

struct Loaded {
  std::optional<WorkerConfig> config;
  std::string errors;
};

class KafkaExpansion : public ::testing::Test {
 protected:
  Loaded load(const std::string& toml, std::map<std::string, std::string> env = {}) {
    path_ = dir_.write("pipelines.toml", toml);
    host::PluginRegistry registry;
    Diagnostics diags;
    auto lookup = [env](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    return Loaded{load_worker_config({path_}, lookup, registry, diags), diags.to_string()};
  }

  static const PipelineSpec& pipeline(const WorkerConfig& c, const std::string& name) {
    for (const auto& p : c.pipelines) {
      if (p.name == name) return p;
    }
    throw std::runtime_error("no pipeline " + name);
  }

  // The plugin config a spec carries, for typed reads.
  static eventhost::Config config_of(const PluginSpec& spec) { return eventhost::Config(spec.config_json); }

  std::string at(int line, int column) const { return path_ + ":" + std::to_string(line) + ":" + std::to_string(column) + ": "; }

  std::string path_;
  TempDir dir_;
};

constexpr const char* kBroker = R"(
[brokers.default]
backend = "kafka"
bootstrap_servers = "127.0.0.1:9092"

[[triggers]]
name = "orders"
broker = "default"
filter.attributes = { type = "com.example.order.created" }
subscriber.uri = "http://127.0.0.1:9090/orders"
delivery_order = "ordered"
max_in_flight = 7

[[triggers]]
name = "audit"
broker = "default"
subscriber.plugin = "log"
delivery = { dead_letter_sink.broker = "default" }

[[sources]]
name = "heartbeat"
plugin = "ping"
schedule = "*/1 * * * *"
sink.broker = "default"
)";

TEST_F(KafkaExpansion, BrokerIngressWritesToTheBrokerTopic) {
  auto l = load(kBroker);
  ASSERT_TRUE(l.config) << l.errors;
  ASSERT_EQ(l.config->buses.size(), 1u);
  const BusSpec& bus = l.config->buses[0];
  EXPECT_EQ(bus.backend, "kafka");
  ASSERT_TRUE(bus.ingress);
  EXPECT_EQ(bus.ingress->source->plugin->name(), "http");
  EXPECT_TRUE(bus.ingress->sink.bus.empty()) << "a Kafka broker is no in-process bus";
  ASSERT_TRUE(bus.ingress->sink.plugin);
  const PluginSpec& sink = *bus.ingress->sink.plugin;
  EXPECT_EQ(sink.plugin->name(), "kafka");
  EXPECT_EQ(sink.plugin->descriptor->kind, EH_KIND_SINK);
  auto cfg = config_of(sink);
  EXPECT_EQ(cfg.string("bootstrap_servers"), "127.0.0.1:9092");
  EXPECT_EQ(cfg.string("topic"), "knative-broker-default-default");
  EXPECT_EQ(cfg.string("content_mode"), "binary");
  EXPECT_TRUE(cfg.boolean("create_topics"));
  EXPECT_EQ(cfg.integer("partitions"), 10);
  EXPECT_EQ(cfg.integer("replication_factor"), -1);
  EXPECT_EQ(cfg.raw("kafka")["message.timeout.ms"].GetInt64(), 10000) << "ack_timeout's default";
  EXPECT_EQ(bus.ingress->sink.display, "broker/default/default");
}

TEST_F(KafkaExpansion, EachTriggerReadsTheTopicInItsOwnConsumerGroup) {
  auto l = load(kBroker);
  ASSERT_TRUE(l.config) << l.errors;
  const PipelineSpec& orders = pipeline(*l.config, "trigger/default/orders");
  EXPECT_TRUE(orders.intake_bus.empty()) << "the memory intake is not used";
  ASSERT_TRUE(orders.source);
  EXPECT_EQ(orders.source->plugin->name(), "kafka");
  EXPECT_EQ(orders.source->plugin->descriptor->kind, EH_KIND_SOURCE);
  auto src = config_of(*orders.source);
  EXPECT_EQ(src.string("bootstrap_servers"), "127.0.0.1:9092");
  EXPECT_EQ(src.strings("topics"), std::vector<std::string>{"knative-broker-default-default"});
  EXPECT_EQ(src.string("consumer_group"), "knative-trigger-default-orders");
  EXPECT_EQ(src.string("ordering"), "ordered");
  EXPECT_EQ(src.string("initial_offset"), "earliest");
  EXPECT_TRUE(src.boolean("position_extensions"));
  EXPECT_EQ(src.integer("max_in_flight"), 7) << "the trigger's limit reaches the source too";
  EXPECT_EQ(orders.max_in_flight, 7u);
  ASSERT_EQ(orders.filters.size(), 1u);
  EXPECT_EQ(orders.filters[0].plugin->name(), "attributes");
  ASSERT_TRUE(orders.sink.plugin);
  EXPECT_EQ(orders.sink.plugin->plugin->name(), "http");

  const PipelineSpec& audit = pipeline(*l.config, "trigger/default/audit");
  auto audit_src = config_of(*audit.source);
  EXPECT_EQ(audit_src.string("consumer_group"), "knative-trigger-default-audit");
  EXPECT_EQ(audit_src.string("ordering"), "unordered") << "Knative's default delivery order";
  EXPECT_EQ(audit_src.integer("max_in_flight"), 64);
}

TEST_F(KafkaExpansion, RepliesDeadLettersAndSourcesNamingTheBrokerWriteToItsTopic) {
  auto l = load(kBroker);
  ASSERT_TRUE(l.config) << l.errors;
  auto expect_broker_sink = [](const Destination& d, const std::string& what) {
    ASSERT_TRUE(d.plugin) << what;
    EXPECT_TRUE(d.bus.empty()) << what;
    EXPECT_EQ(d.plugin->plugin->name(), "kafka") << what;
    EXPECT_EQ(d.plugin->plugin->descriptor->kind, EH_KIND_SINK) << what;
    EXPECT_EQ(eventhost::Config(d.plugin->config_json).string("topic"), "knative-broker-default-default") << what;
    EXPECT_EQ(d.display, "broker/default/default") << what;
  };
  const PipelineSpec& orders = pipeline(*l.config, "trigger/default/orders");
  ASSERT_TRUE(orders.reply);
  expect_broker_sink(*orders.reply, "reply");
  const PipelineSpec& audit = pipeline(*l.config, "trigger/default/audit");
  ASSERT_TRUE(audit.delivery.dead_letter);
  expect_broker_sink(*audit.delivery.dead_letter, "dead letter");
  expect_broker_sink(pipeline(*l.config, "source/default/heartbeat").sink, "source sink");
}

// A two-step chain: each subscription's reply feeds the next channel.
constexpr const char* kChannelChain = R"(
[channels.orders]
backend = "kafka"
namespace = "shop"
bootstrap_servers = "k1:9092,k2:9092"

[channels.shipping]
backend = "kafka"
namespace = "shop"
bootstrap_servers = "k1:9092"
topic = "shipping-requests"

[[subscriptions]]
name = "enrich"
namespace = "shop"
channel = "orders"
subscriber.uri = "http://127.0.0.1:9091/"
reply.channel = "shipping"

[[subscriptions]]
name = "ship"
namespace = "shop"
channel = "shipping"
subscriber.uri = "http://127.0.0.1:9092/"
initial_offset = "latest"
)";

TEST_F(KafkaExpansion, ChannelAndSubscriptionChain) {
  std::string offset_on_channel = kChannelChain;  // line 6, at the end of [channels.orders]
  offset_on_channel.insert(offset_on_channel.find("\n\n[channels.shipping]") + 1, "initial_offset = \"latest\"\n");
  auto l = load(offset_on_channel);
  ASSERT_FALSE(l.config);
  EXPECT_EQ(l.errors.rfind(at(6, 1) + "channels.orders.initial_offset: unknown key\n", 0), 0u)
      << "initial_offset belongs to the subscription: " << l.errors;
  l = load(kChannelChain);
  ASSERT_TRUE(l.config) << l.errors;
  ASSERT_EQ(l.config->buses.size(), 2u);
  auto ingress = config_of(*l.config->buses[0].ingress->sink.plugin);
  EXPECT_EQ(ingress.string("topic"), "knative-messaging-kafka.shop.orders");
  EXPECT_EQ(ingress.string("bootstrap_servers"), "k1:9092,k2:9092");

  const PipelineSpec& enrich = pipeline(*l.config, "subscription/shop/enrich");
  EXPECT_TRUE(enrich.intake_bus.empty());
  auto src = config_of(*enrich.source);
  EXPECT_EQ(src.strings("topics"), std::vector<std::string>{"knative-messaging-kafka.shop.orders"});
  EXPECT_EQ(src.string("consumer_group"), "kafka.shop.orders.enrich");
  EXPECT_EQ(src.string("initial_offset"), "earliest");
  ASSERT_TRUE(enrich.reply && enrich.reply->plugin);
  EXPECT_EQ(config_of(*enrich.reply->plugin).string("topic"), "shipping-requests");

  const PipelineSpec& ship = pipeline(*l.config, "subscription/shop/ship");
  auto ship_src = config_of(*ship.source);
  EXPECT_EQ(ship_src.strings("topics"), std::vector<std::string>{"shipping-requests"});
  EXPECT_EQ(ship_src.string("consumer_group"), "kafka.shop.shipping.ship");
  EXPECT_EQ(ship_src.string("initial_offset"), "latest");
  EXPECT_FALSE(ship.reply) << "a subscription without reply has none";
}

TEST_F(KafkaExpansion, LibrdkafkaPropertiesAndSecretsReachEveryClient) {
  auto l = load(R"(
[brokers.default]
backend = "kafka"
bootstrap_servers = "127.0.0.1:9092"
ack_timeout = "3s"
partitions = 3
replication_factor = 2
kafka = { "security.protocol" = "SASL_PLAINTEXT", "sasl.mechanisms" = "PLAIN", "sasl.password" = "${KAFKA_PASSWORD}" }

[[triggers]]
name = "t"
broker = "default"
subscriber.plugin = "log"
)",
                {{"KAFKA_PASSWORD", "s3cret"}});
  ASSERT_TRUE(l.config) << l.errors;
  auto sink = config_of(*l.config->buses[0].ingress->sink.plugin);
  EXPECT_EQ(sink.integer("partitions"), 3);
  EXPECT_EQ(sink.integer("replication_factor"), 2);
  const auto& props = sink.raw("kafka");
  EXPECT_STREQ(props["security.protocol"].GetString(), "SASL_PLAINTEXT");
  EXPECT_STREQ(props["sasl.password"].GetString(), "s3cret");
  EXPECT_EQ(props["message.timeout.ms"].GetInt64(), 3000);
  auto src = config_of(*pipeline(*l.config, "trigger/default/t").source);
  EXPECT_STREQ(src.raw("kafka")["sasl.password"].GetString(), "s3cret");
  EXPECT_FALSE(src.raw("kafka").HasMember("message.timeout.ms")) << "a producer setting, not the consumer's";
}

TEST_F(KafkaExpansion, MemoryBusesStayInProcess) {
  auto l = load(R"(
[brokers.default]

[[triggers]]
name = "t"
broker = "default"
subscriber.plugin = "log"
)");
  ASSERT_TRUE(l.config) << l.errors;
  EXPECT_EQ(l.config->buses[0].ingress->sink.bus, "broker/default/default");
  const PipelineSpec& t = l.config->pipelines[0];
  EXPECT_EQ(t.intake_bus, "broker/default/default");
  EXPECT_FALSE(t.source);
  EXPECT_EQ(t.reply->bus, "broker/default/default");
}

// ---- misuse ----

TEST_F(KafkaExpansion, KafkaOnlyKeysOnAMemoryBroker) {
  auto l = load(R"(
[brokers.default]
topic = "orders"
bootstrap_servers = "127.0.0.1:9092"
)");
  ASSERT_FALSE(l.config);
  EXPECT_EQ(l.errors, at(4, 1) + "brokers.default.bootstrap_servers: only a Kafka-backed broker takes this key (set backend = \"kafka\")\n" +
                          at(3, 1) + "brokers.default.topic: only a Kafka-backed broker takes this key (set backend = \"kafka\")");
}

TEST_F(KafkaExpansion, KafkaOnlyKeysOnATriggerOfAMemoryBroker) {
  auto l = load(R"(
[brokers.default]

[[triggers]]
name = "t"
broker = "default"
subscriber.plugin = "log"
delivery_order = "ordered"
)");
  ASSERT_FALSE(l.config);
  EXPECT_EQ(l.errors, at(8, 18) + "triggers[0].delivery_order: only for a Kafka-backed broker or channel; broker/default/default is in memory");
}

TEST_F(KafkaExpansion, KafkaBrokerNeedsBootstrapServers) {
  auto l = load(R"(
[brokers.default]
backend = "kafka"
)");
  ASSERT_FALSE(l.config);
  EXPECT_EQ(l.errors, at(2, 1) + "brokers.default.bootstrap_servers: missing: a Kafka-backed broker needs bootstrap_servers");
}

TEST_F(KafkaExpansion, UnknownBackend) {
  auto l = load(R"(
[brokers.default]
backend = "rabbitmq"
)");
  ASSERT_FALSE(l.config);
  EXPECT_NE(l.errors.find("brokers.default.backend"), std::string::npos) << l.errors;
  EXPECT_NE(l.errors.find("memory|kafka"), std::string::npos) << l.errors;
}

TEST_F(KafkaExpansion, IllegalTopicNames) {
  auto l = load(R"(
[brokers.default]
backend = "kafka"
bootstrap_servers = "127.0.0.1:9092"
topic = "orders/{type}"
)");
  ASSERT_FALSE(l.config);
  EXPECT_EQ(l.errors, at(5, 9) + "brokers.default.topic: \"orders/{type}\" has '/': a topic name takes only a-z A-Z 0-9 . _ -");

  l = load(R"(
[brokers."my broker"]
backend = "kafka"
bootstrap_servers = "127.0.0.1:9092"
)");
  ASSERT_FALSE(l.config);
  EXPECT_EQ(l.errors, at(2, 1) + "brokers.my broker.topic: \"knative-broker-default-my broker\" has ' ': a topic name takes only "
                                 "a-z A-Z 0-9 . _ - (the default topic name; set topic)");
}

TEST_F(KafkaExpansion, PropertiesTheBusManagesAreRefused) {
  auto l = load(R"(
[brokers.default]
backend = "kafka"
bootstrap_servers = "127.0.0.1:9092"
kafka.message.timeout.ms = 5000
)");
  ASSERT_FALSE(l.config);
  EXPECT_EQ(l.errors, at(5, 28) + "brokers.default.kafka.message.timeout.ms: managed by the bus: set ack_timeout on the bus instead");
}

TEST_F(KafkaExpansion, TopicCreationSettingsOutOfRange) {
  auto l = load(R"(
[brokers.default]
backend = "kafka"
bootstrap_servers = "127.0.0.1:9092"
partitions = 0
replication_factor = -2
)");
  ASSERT_FALSE(l.config);
  EXPECT_EQ(l.errors, at(5, 14) + "brokers.default.partitions: must be -1 (the cluster's default) or 1 to 100000\n" +
                          at(6, 22) + "brokers.default.replication_factor: must be -1 (the cluster's default) or 1 to 32767");
}

TEST_F(KafkaExpansion, TriggerLimitsAndOrderChoices) {
  auto l = load(R"(
[brokers.default]
backend = "kafka"
bootstrap_servers = "127.0.0.1:9092"

[[triggers]]
name = "big"
broker = "default"
subscriber.plugin = "log"
max_in_flight = 200000

[[triggers]]
name = "odd"
broker = "default"
subscriber.plugin = "log"
delivery_order = "random"
)");
  ASSERT_FALSE(l.config);
  EXPECT_NE(l.errors.find(at(10, 17) + "triggers[0].max_in_flight: must be at most 100000 on a Kafka-backed broker or channel"),
            std::string::npos)
      << l.errors;
  EXPECT_NE(l.errors.find("triggers[1].delivery_order"), std::string::npos) << l.errors;
  EXPECT_NE(l.errors.find("ordered|unordered"), std::string::npos) << l.errors;
}

TEST_F(KafkaExpansion, ABrokenKafkaBrokerIsReportedOnceNotByEveryUser) {
  auto l = load(R"(
[brokers.default]
backend = "kafka"

[[triggers]]
name = "t"
broker = "default"
subscriber.plugin = "log"

[[sources]]
name = "heartbeat"
plugin = "ping"
schedule = "*/1 * * * *"
sink.broker = "default"
)");
  ASSERT_FALSE(l.config);
  EXPECT_EQ(l.errors, at(2, 1) + "brokers.default.bootstrap_servers: missing: a Kafka-backed broker needs bootstrap_servers");
}

}  // namespace
}  // namespace eventhost::config

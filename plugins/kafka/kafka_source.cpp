// The `kafka` source (Knative KafkaSource): see consumer.hpp and docs/kafka.md.
#include "consumer.hpp"

#include <eventhost/plugin.hpp>

#include <stdexcept>

namespace eventhost::kafka {
namespace {

ConsumerSettings read_settings(const Host& host, const Config& config) {
  ConsumerSettings s;
  s.bootstrap_servers = config.string("bootstrap_servers");
  s.topics = config.strings("topics");
  std::string ns = host.context("namespace");
  s.identity = {ns.empty() ? "default" : ns, host.context("name")};
  s.group_id = config.has("consumer_group") ? config.string("consumer_group")
                                            : "knative-kafka-source-" + s.identity.ns + "-" + s.identity.name;
  s.initial_offset = config.string("initial_offset");
  s.ordered = config.string("ordering") == "ordered";
  int64_t max_in_flight = config.integer("max_in_flight");
  if (max_in_flight < 1 || max_in_flight > 100000) throw std::invalid_argument("max_in_flight: must be between 1 and 100000");
  s.max_in_flight = static_cast<uint32_t>(max_in_flight);
  s.commit_interval = config.duration("commit_interval");
  if (s.commit_interval.count() < 1) throw std::invalid_argument("commit_interval: must be at least 1ms");
  s.key_type = *parse_key_type(config.string("key_type"));
  s.position_extensions = config.boolean("position_extensions");
  if (config.has("kafka")) {
    auto props = flatten_properties(config.raw("kafka"));
    if (!props) throw std::invalid_argument(props.status().message());
    s.properties = std::move(props).value();
  }
  return s;
}

std::unique_ptr<Consumer> make_consumer(Host host, const Config& config) {
  auto consumer = Consumer::create(host, read_settings(host, config));
  if (!consumer) throw std::invalid_argument(consumer.status().message());
  return std::move(consumer).value();
}

}  // namespace

class KafkaSource final : public Source {
 public:
  static constexpr PluginInfo info{"kafka", "1.0.0",
                                   "Reads Kafka topics into events, like Knative KafkaSource"};
  static constexpr eh_config_key schema[] = {
      required_key("bootstrap_servers", EH_CONFIG_STRING, "Kafka bootstrap servers, host:port[,host:port...]"),
      required_key("topics", EH_CONFIG_STRING_LIST, "Topics to read"),
      optional_key("consumer_group", EH_CONFIG_STRING, nullptr,
                   "Consumer group; default knative-kafka-source-<namespace>-<name>"),
      enum_key("initial_offset", "earliest|latest", "\"latest\"",
               "Where a consumer group without committed offsets starts"),
      enum_key("ordering", "ordered|unordered", "\"ordered\"",
               "ordered: one event in flight per partition; unordered: up to max_in_flight"),
      optional_key("max_in_flight", EH_CONFIG_INTEGER, "100",
                   "Events in flight at once (unordered; ordered: one per partition)"),
      optional_key("commit_interval", EH_CONFIG_DURATION, "\"1s\"", "How often finished offsets are committed"),
      enum_key("key_type", "string|int|float|byte-array", "\"string\"",
               "How the record key is read into the key/partitionkey extensions"),
      optional_key("position_extensions", EH_CONFIG_BOOLEAN, "false",
                   "Add knativekafkapartition and knativekafkaoffset to every event, as Knative's Kafka triggers do"),
      optional_key("kafka", EH_CONFIG_TABLE, nullptr,
                   "Extra librdkafka properties, e.g. { \"security.protocol\" = \"SASL_SSL\" }"),
  };

  KafkaSource(Host host, const Config& config) : consumer_(make_consumer(host, config)) {}

  Status start() { return consumer_->start(); }
  void stop() { consumer_->stop(); }
  void resume() { consumer_->resume(); }

 private:
  std::unique_ptr<Consumer> consumer_;
};

}  // namespace eventhost::kafka

EVENTHOST_PLUGIN(eventhost::kafka::KafkaSource)

// The `kafka` sink (Knative KafkaSink): see producer.hpp, shared_producer.hpp and docs/kafka.md.
#include "shared_producer.hpp"

#include <stdexcept>

namespace eventhost::kafka {
namespace {

ProducerSettings read_settings(const Config& config) {
  ProducerSettings s;
  s.bootstrap_servers = config.string("bootstrap_servers");
  s.topic = config.string("topic");
  if (config.has("default_topic")) s.default_topic = config.string("default_topic");
  s.structured = config.string("content_mode") == "structured";
  s.create_topics = config.boolean("create_topics");
  int64_t partitions = config.integer("partitions");
  int64_t replication = config.integer("replication_factor");
  if (partitions > INT32_MAX || partitions < INT32_MIN) throw std::invalid_argument("partitions: out of range");
  if (replication > INT16_MAX || replication < INT16_MIN) throw std::invalid_argument("replication_factor: out of range");
  s.partitions = static_cast<int32_t>(partitions);
  s.replication_factor = static_cast<int16_t>(replication);
  if (config.has("kafka")) {
    auto props = flatten_properties(config.raw("kafka"));
    if (!props) throw std::invalid_argument(props.status().message());
    s.properties = std::move(props).value();
  }
  return s;
}

std::unique_ptr<SharedProducer> make_producer(Host host, const Config& config) {
  auto producer = SharedProducer::acquire(host, read_settings(config));
  if (!producer) throw std::invalid_argument(producer.status().message());
  return std::move(producer).value();
}

}  // namespace

class KafkaSink final : public Sink {
 public:
  static constexpr PluginInfo info{"kafka", "1.0.0", "Writes events to Kafka topics, like Knative KafkaSink"};
  static constexpr eh_config_key schema[] = {
      required_key("bootstrap_servers", EH_CONFIG_STRING, "Kafka bootstrap servers, host:port[,host:port...]"),
      required_key("topic", EH_CONFIG_STRING,
                   "Topic name or template: {attribute}, {data:/json/pointer}, {{ and }} for braces"),
      optional_key("default_topic", EH_CONFIG_STRING, nullptr,
                   "Topic for events whose template value is missing; unset: such deliveries fail"),
      enum_key("content_mode", "binary|structured", "\"binary\"", "CloudEvents Kafka binding content mode"),
      optional_key("create_topics", EH_CONFIG_BOOLEAN, "false", "Create missing topics through the Admin API"),
      optional_key("partitions", EH_CONFIG_INTEGER, "-1", "Partitions of created topics; -1: the broker default"),
      optional_key("replication_factor", EH_CONFIG_INTEGER, "-1",
                   "Replication factor of created topics; -1: the broker default"),
      optional_key("kafka", EH_CONFIG_TABLE, nullptr,
                   "Extra librdkafka properties, e.g. { \"message.timeout.ms\" = \"30000\" }"),
  };

  KafkaSink(Host host, const Config& config) : producer_(make_producer(host, config)) {}

  void deliver(EventRef event, Completion done) { producer_->producer().deliver(event, std::move(done)); }

 private:
  std::unique_ptr<SharedProducer> producer_;
};

}  // namespace eventhost::kafka

EVENTHOST_PLUGIN(eventhost::kafka::KafkaSink)

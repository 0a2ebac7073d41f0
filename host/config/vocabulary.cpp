#include "config/vocabulary.hpp"

#include <eventhost/plugin.hpp>

namespace eventhost::config::vocabulary {

using eventhost::enum_key;
using eventhost::optional_key;
using eventhost::required_key;

namespace {

constexpr eh_config_key kHost[] = {
    optional_key("threads", EH_CONFIG_INTEGER, "0", "Worker threads; 0 means the CPUs available to the process"),
    optional_key("shutdown_grace", EH_CONFIG_DURATION, "\"30s\"", "How long SIGTERM waits for in-flight events"),
    optional_key("plugin_path", EH_CONFIG_STRING_LIST, nullptr, "Extra plugin directories, relative to the file"),
    enum_key("log_level", "trace|debug|info|warn|error", "\"info\"", "Minimum log level"),
    enum_key("log_format", "text|json", "\"text\"", "Log line format"),
    optional_key("namespace", EH_CONFIG_STRING, "\"default\"", "Namespace of objects that name none"),
    optional_key("listen", EH_CONFIG_STRING, "\"127.0.0.1:8080\"",
                 "HTTP server address HOST:PORT (ingress and probes); unset: $EVENTHOST_LISTEN, else 127.0.0.1:8080"),
    optional_key("http_max_header_bytes", EH_CONFIG_INTEGER, "16384", "Largest request line and header (431 above)"),
    optional_key("http_max_headers", EH_CONFIG_INTEGER, "100", "Most header fields in one request (431 above)"),
    optional_key("http_max_connections", EH_CONFIG_INTEGER, "4096", "Most open HTTP connections; more are closed"),
    optional_key("http_idle_timeout", EH_CONFIG_DURATION, "\"60s\"", "Wait for the next request header on a connection"),
    optional_key("http_read_timeout", EH_CONFIG_DURATION, "\"30s\"", "Wait for a request body, and for an answer to be sent"),
};

constexpr const char* kDispatchDoc =
    "pool: filters and the sink's deliver run on the worker pool; inline: on the thread that emitted the event";

constexpr eh_config_key kPipeline[] = {
    required_key("name", EH_CONFIG_STRING, "Pipeline name, unique"),
    required_key("source", EH_CONFIG_TABLE, "The source plugin: { plugin = \"NAME\", ...its keys }"),
    optional_key("filters", EH_CONFIG_TABLE, nullptr, "Filter plugins, all must pass: [{ plugin = \"NAME\", ... }]"),
    required_key("sink", EH_CONFIG_TABLE, "Destination: { uri }, { broker }, { channel } or { plugin, ... }"),
    optional_key("delivery", EH_CONFIG_TABLE, nullptr, "Retries and dead letters (Knative delivery spec)"),
    optional_key("max_in_flight", EH_CONFIG_INTEGER, "64", "Events in the pipeline at once"),
    enum_key("dispatch", "pool|inline", "\"pool\"", kDispatchDoc),
};

constexpr eh_config_key kBus[] = {
    optional_key("namespace", EH_CONFIG_STRING, nullptr, "Namespace; defaults to [host] namespace"),
    optional_key("delivery", EH_CONFIG_TABLE, nullptr, "Delivery defaults of its triggers or subscriptions, key by key"),
    enum_key("backend", "memory|kafka", "\"memory\"",
             "Where events are kept: memory (in-process, not durable) or kafka (a topic; see docs/kafka.md)"),
    optional_key("bootstrap_servers", EH_CONFIG_STRING, nullptr, "kafka: bootstrap servers, host:port[,host:port...]"),
    optional_key("topic", EH_CONFIG_STRING, nullptr,
                 "kafka: the topic; default knative-broker-<ns>-<name> (channels knative-messaging-kafka.<ns>.<name>)"),
    optional_key("partitions", EH_CONFIG_INTEGER, "10", "kafka: partitions of the topic when it is created; -1: cluster default"),
    optional_key("replication_factor", EH_CONFIG_INTEGER, "-1", "kafka: replication factor of the created topic; -1: cluster default"),
    optional_key("ack_timeout", EH_CONFIG_DURATION, "\"10s\"",
                 "kafka: how long a write waits for Kafka's acknowledgement (ingress answers 503 after it)"),
    optional_key("kafka", EH_CONFIG_TABLE, nullptr, "kafka: librdkafka properties (SASL, TLS, ...); ${ENV} for secrets"),
};

constexpr eh_config_key kTrigger[] = {
    required_key("name", EH_CONFIG_STRING, "Trigger name, unique in its namespace"),
    required_key("broker", EH_CONFIG_STRING, "Broker in the trigger's namespace"),
    optional_key("namespace", EH_CONFIG_STRING, nullptr, "Namespace; defaults to [host] namespace"),
    optional_key("filter", EH_CONFIG_TABLE, nullptr, "{ attributes = { type = \"...\" } }: exact match, empty matches any"),
    optional_key("filters", EH_CONFIG_TABLE, nullptr, "Subscriptions API dialects (exact, prefix, suffix, all, any, not, cesql); replaces filter"),
    required_key("subscriber", EH_CONFIG_TABLE, "Destination of matching events"),
    optional_key("delivery", EH_CONFIG_TABLE, nullptr, "Retries and dead letters (Knative delivery spec)"),
    optional_key("max_in_flight", EH_CONFIG_INTEGER, "64", "Deliveries in flight at once for this trigger"),
    enum_key("delivery_order", "ordered|unordered", nullptr,
             "Kafka-backed broker: ordered (one in flight per partition) or unordered (default)"),
    enum_key("initial_offset", "earliest|latest", nullptr,
             "Kafka-backed broker: where a new consumer group starts (default earliest)"),
};

constexpr eh_config_key kSubscription[] = {
    required_key("name", EH_CONFIG_STRING, "Subscription name, unique in its namespace"),
    required_key("channel", EH_CONFIG_STRING, "Channel in the subscription's namespace"),
    optional_key("namespace", EH_CONFIG_STRING, nullptr, "Namespace; defaults to [host] namespace"),
    required_key("subscriber", EH_CONFIG_TABLE, "Destination of every event of the channel"),
    optional_key("reply", EH_CONFIG_TABLE, nullptr, "Destination of the subscriber's replies"),
    optional_key("delivery", EH_CONFIG_TABLE, nullptr, "Retries and dead letters (Knative delivery spec)"),
    optional_key("max_in_flight", EH_CONFIG_INTEGER, "64", "Deliveries in flight at once"),
    enum_key("delivery_order", "ordered|unordered", nullptr,
             "Kafka-backed channel: ordered (one in flight per partition) or unordered (default)"),
    enum_key("initial_offset", "earliest|latest", nullptr,
             "Kafka-backed channel: where a new consumer group starts (default earliest)"),
};

constexpr eh_config_key kSource[] = {
    required_key("name", EH_CONFIG_STRING, "Source name, unique in its namespace"),
    required_key("plugin", EH_CONFIG_STRING, "Source plugin"),
    optional_key("namespace", EH_CONFIG_STRING, nullptr, "Namespace; defaults to [host] namespace"),
    required_key("sink", EH_CONFIG_TABLE, "Destination: { broker }, { channel }, { uri } or { plugin, ... }"),
    optional_key("max_in_flight", EH_CONFIG_INTEGER, "64", "Events in flight at once"),
    enum_key("dispatch", "pool|inline", "\"pool\"", kDispatchDoc),
};

constexpr eh_config_key kDelivery[] = {
    optional_key("plugin", EH_CONFIG_STRING, "\"retry\"", "Delivery policy plugin"),
    optional_key("dead_letter_sink", EH_CONFIG_TABLE, nullptr, "Destination of events that could not be delivered"),
    optional_key("timeout", EH_CONFIG_DURATION, nullptr, "Time limit of one delivery attempt"),
};

}  // namespace

Schema host() { return kHost; }
Schema pipeline() { return kPipeline; }
Schema bus() { return kBus; }
Schema trigger() { return kTrigger; }
Schema subscription() { return kSubscription; }
Schema source() { return kSource; }
Schema delivery() { return kDelivery; }

}  // namespace eventhost::config::vocabulary

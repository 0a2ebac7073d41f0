// The KafkaSink engine: an idempotent librdkafka producer (acks=all) that writes each event as one record in the
// binary or structured content mode of the CloudEvents Kafka binding, keyed by the `partitionkey` extension, to the
// topic its template names. A delivery completes from the record's delivery report: EH_OK once the broker
// acknowledged it; EH_ERR_UNAVAILABLE when Kafka could not be reached within message.timeout.ms (so retries and dead
// letters apply); EH_ERR_REJECTED for records Kafka refuses for good (too large, not authorised).
//
// The librdkafka client is created on the first delivery (create() must not start I/O) and served by one poller
// thread the producer owns. Readiness follows ClusterHealth (client_health.hpp) and reaches every attached host;
// while the cluster is unreachable, deliveries fail at once with EH_ERR_UNAVAILABLE instead of each waiting out
// message.timeout.ms (so the ingress answers 503 right away), and librdkafka's own reconnecting tells when it is back. With create_topics, a topic is created through the Admin API before its first record;
// the answer is cached per topic, and deliveries for a topic being created wait for it.
#pragma once

#include "client_config.hpp"
#include "client_health.hpp"
#include "topic_template.hpp"

#include <eventhost/plugin.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

namespace eventhost::kafka {

struct ProducerSettings {
  std::string bootstrap_servers;
  std::string topic;                       // template, see topic_template.hpp
  std::optional<std::string> default_topic;  // where events go whose template lacks a value
  bool structured = false;
  bool create_topics = false;
  int32_t partitions = -1;          // -1: the broker's default
  int16_t replication_factor = -1;  // -1: the broker's default
  Properties properties;
};

class Producer {
 public:
  // Checks the settings; `host` is attached.
  static Result<std::unique_ptr<Producer>> create(Host host, ProducerSettings settings);
  ~Producer();  // outstanding records are purged: their deliveries complete with EH_ERR_SHUTDOWN
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  void deliver(EventRef event, Completion done);

  // Instances using this producer: they hear its readiness, and it logs as the first of them.
  void attach(Host host) { health_.watch(host); }
  void detach(Host host) { health_.unwatch(host); }
  bool reachable() const { return health_.reachable(); }

 private:
  struct Record;
  struct TopicState;

  Producer(ProducerSettings settings, TopicTemplate topic, ConfPtr conf);

  Status ensure_client();
  void produce(Record record, Completion done);
  // Takes `headers` (destroys them when the record is refused); key and value are copied. A literal topic goes
  // through its handle; any other by name, which librdkafka looks up under its client-wide lock.
  void produce(const std::string& topic, std::optional<std::string_view> key, std::optional<std::string_view> value,
               rd_kafka_headers_t* headers, Completion done);
  rd_kafka_topic_t* literal_handle();
  bool topic_ready(const std::string& topic);
  void with_topic(const std::string& topic, Record record, Completion done);
  void on_topic_created(const std::string& topic, rd_kafka_resp_err_t err, const std::string& reason);
  void poll_loop();

  static void dr_msg_cb(rd_kafka_t*, const rd_kafka_message_t*, void*);
  static void background_event_cb(rd_kafka_t*, rd_kafka_event_t*, void*);
  static void error_cb(rd_kafka_t*, int, const char*, void*);
  static int stats_cb(rd_kafka_t*, char*, size_t, void*);
  static void log_cb(const rd_kafka_t*, int, const char*, const char*);

  const ProducerSettings settings_;
  ClusterHealth health_;
  const TopicTemplate topic_;
  ConfPtr conf_;
  int message_timeout_ms_ = 300000;  // librdkafka's default; read from conf_

  std::mutex client_mutex_;
  std::atomic<rd_kafka_t*> rk_{nullptr};  // set once: deliveries that see it skip the mutex
  // The handle of a topic template without placeholders, made by its first produce. Not before: a handle asks for the
  // topic's metadata at once, and a broker that creates topics on a metadata request would create it with its default
  // partitions ahead of create_topics.
  std::atomic<rd_kafka_topic_t*> literal_topic_{nullptr};
  std::thread poller_;
  std::atomic<bool> stopping_{false};

  std::mutex topics_mutex_;
  std::map<std::string, TopicState> topics_;  // create_topics only
};

// How a delivery report's error reads as a delivery result.
eh_status delivery_status(rd_kafka_resp_err_t err);

}  // namespace eventhost::kafka

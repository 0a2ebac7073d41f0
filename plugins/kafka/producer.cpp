#include "producer.hpp"

#include <eventhost/cloudevents/kafka.hpp>

#include <algorithm>
#include <cstdlib>
#include <pthread.h>

namespace eventhost::kafka {

struct Producer::Record {
  std::string topic;
  ce::KafkaRecord kafka;
};

struct Producer::TopicState {
  bool ready = false;
  std::vector<std::pair<Record, Completion>> waiting;  // deliveries for the topic while it is being created
};

namespace {

constexpr int kPollTimeoutMs = 100;
constexpr int kAdminTimeoutMs = 30000;
constexpr int kPurgeWaitMs = 5000;

CloudEvent copy_event(const EventRef& ref) {
  CloudEvent ev;
  ref.for_each([&](std::string_view name, std::string_view value, eh_attr_type type) {
    ev.set(name, value, type);
    return true;
  });
  if (auto data = ref.data()) ev.set_data(*data);
  return ev;
}

// The record's headers in the binary content mode, straight from the host's event: librdkafka copies each name and
// value, so nothing is built in between.
rd_kafka_headers_t* binary_headers(const EventRef& ref) {
  rd_kafka_headers_t* headers = rd_kafka_headers_new(12);
  std::string name(ce::kKafkaPrefix);
  ref.for_each([&](std::string_view attribute, std::string_view value, eh_attr_type) {
    if (attribute == "datacontenttype") {
      rd_kafka_header_add(headers, ce::kKafkaContentType.data(), static_cast<ssize_t>(ce::kKafkaContentType.size()),
                          value.data(), static_cast<ssize_t>(value.size()));
    } else {
      name.resize(ce::kKafkaPrefix.size());
      name.append(attribute);
      rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()), value.data(),
                          static_cast<ssize_t>(value.size()));
    }
    return true;
  });
  return headers;
}

rd_kafka_headers_t* record_headers(const ce::KafkaRecord& record) {
  rd_kafka_headers_t* headers = rd_kafka_headers_new(record.headers.size());
  for (const auto& [name, value] : record.headers) {
    rd_kafka_header_add(headers, name.data(), static_cast<ssize_t>(name.size()), value.data(),
                        static_cast<ssize_t>(value.size()));
  }
  return headers;
}

void fail(Completion& done, eh_status status, const std::string& detail) { done.fail(status, detail); }

}  // namespace

eh_status delivery_status(rd_kafka_resp_err_t err) {
  switch (err) {
    case RD_KAFKA_RESP_ERR_NO_ERROR:
      return EH_OK;
    case RD_KAFKA_RESP_ERR__PURGE_QUEUE:
    case RD_KAFKA_RESP_ERR__PURGE_INFLIGHT:
    case RD_KAFKA_RESP_ERR__DESTROY:
      return EH_ERR_SHUTDOWN;
    case RD_KAFKA_RESP_ERR__QUEUE_FULL:
      return EH_ERR_OVERLOADED;
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_INVALID_RECORD:
    case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
      return EH_ERR_REJECTED;
    default:
      return EH_ERR_UNAVAILABLE;  // timed out, unreachable, unknown topic, leader changes: worth retrying
  }
}

Result<std::unique_ptr<Producer>> Producer::create(Host host, ProducerSettings settings) {
  auto topic = TopicTemplate::parse(settings.topic);
  if (!topic) return Status::invalid("topic: " + topic.status().message());
  if (settings.default_topic) {
    if (auto why = topic_name_violation(*settings.default_topic); !why.empty()) {
      return Status::invalid("default_topic: \"" + *settings.default_topic + "\" " + why);
    }
  }
  if (settings.partitions == 0 || settings.partitions < -1) return Status::invalid("partitions: must be -1 or at least 1");
  if (settings.replication_factor == 0 || settings.replication_factor < -1) {
    return Status::invalid("replication_factor: must be -1 or at least 1");
  }
  Properties own = {
      {"bootstrap.servers", settings.bootstrap_servers},
      {"enable.idempotence", "true"},
      {"acks", "all"},
      {"client.id", "eventhost"},
      {"statistics.interval.ms", kStatisticsIntervalMs},
  };
  std::vector<ManagedProperty> managed = {
      {"bootstrap.servers", "use bootstrap_servers"},
      {"enable.idempotence", "the sink always writes with an idempotent producer"},
      {"acks", "the sink always waits for all in-sync replicas (acks=all)"},
      {"statistics.interval.ms", "the plugin reads the statistics for /readyz"},
  };
  auto conf = make_conf(own, settings.properties, managed);
  if (!conf) return conf.status();
  std::unique_ptr<Producer> producer(new Producer(std::move(settings), std::move(topic).value(), std::move(conf).value()));
  producer->attach(host);
  return producer;
}

Producer::Producer(ProducerSettings settings, TopicTemplate topic, ConfPtr conf)
    : settings_(std::move(settings)),
      health_(settings_.bootstrap_servers),
      topic_(std::move(topic)),
      conf_(std::move(conf)) {
  char value[32];
  size_t size = sizeof value;
  if (rd_kafka_conf_get(conf_.get(), "message.timeout.ms", value, &size) == RD_KAFKA_CONF_OK) {
    message_timeout_ms_ = std::max(1, std::atoi(value));
  }
}

Producer::~Producer() {
  if (rk_ == nullptr) return;
  rd_kafka_purge(rk_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  rd_kafka_flush(rk_, kPurgeWaitMs);  // serves the purged records' delivery reports
  stopping_ = true;
  poller_.join();
  rd_kafka_poll(rk_, 0);
  {
    std::lock_guard lock(topics_mutex_);
    for (auto& [name, state] : topics_) {
      for (auto& [record, done] : state.waiting) fail(done, EH_ERR_SHUTDOWN, "kafka sink: shutting down");
    }
  }
  if (rd_kafka_topic_t* handle = literal_topic_.load()) rd_kafka_topic_destroy(handle);
  rd_kafka_destroy(rk_);
}

Status Producer::ensure_client() {
  if (rk_.load(std::memory_order_acquire) != nullptr) return Status::ok();
  std::lock_guard lock(client_mutex_);
  if (rk_.load(std::memory_order_relaxed) != nullptr) return Status::ok();
  rd_kafka_conf_t* conf = rd_kafka_conf_dup(conf_.get());
  rd_kafka_conf_set_opaque(conf, this);
  rd_kafka_conf_set_dr_msg_cb(conf, &Producer::dr_msg_cb);
  rd_kafka_conf_set_error_cb(conf, &Producer::error_cb);
  rd_kafka_conf_set_stats_cb(conf, &Producer::stats_cb);
  rd_kafka_conf_set_log_cb(conf, &Producer::log_cb);
  if (settings_.create_topics) rd_kafka_conf_set_background_event_cb(conf, &Producer::background_event_cb);
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    return Status(EH_ERR_UNAVAILABLE, std::string("kafka sink: ") + err);
  }
  rk_.store(rk, std::memory_order_release);
  poller_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "eh-kafka-sink");
    poll_loop();
  });
  return Status::ok();
}

void Producer::poll_loop() {
  while (!stopping_) rd_kafka_poll(rk_, kPollTimeoutMs);
}

void Producer::deliver(EventRef event, Completion done) {
  std::string resolved;
  const std::string* topic = topic_.literal();
  if (topic == nullptr) {
    auto r = topic_.resolve(event);
    if (r) {
      resolved = std::move(r).value();
    } else if (settings_.default_topic && r.status().code() == EH_ERR_NOT_FOUND) {
      resolved = *settings_.default_topic;
    } else {
      fail(done, EH_ERR_INVALID, r.status().message());
      return;
    }
    topic = &resolved;
  }
  if (!health_.reachable()) {
    fail(done, EH_ERR_UNAVAILABLE, "kafka sink: " + health_.reason());
    return;
  }
  if (Status s = ensure_client(); !s) {
    fail(done, s.code(), s.message());
    return;
  }
  auto key = event.get("partitionkey");
  if (settings_.create_topics && !topic_ready(*topic)) {
    // Kept until the topic exists: a copy, because the host's event is gone once deliver returns.
    std::optional<std::string> owned_key;
    if (key) owned_key.emplace(*key);
    Record record{*topic, settings_.structured ? ce::to_kafka_structured(copy_event(event), std::move(owned_key))
                                               : ce::to_kafka_binary(copy_event(event), std::move(owned_key))};
    with_topic(*topic, std::move(record), std::move(done));
    return;
  }
  if (settings_.structured) {
    ce::KafkaRecord record = ce::to_kafka_structured(copy_event(event));
    produce(*topic, key, record.value, record_headers(record), std::move(done));
    return;
  }
  produce(*topic, key, event.data(), binary_headers(event), std::move(done));
}

void Producer::produce(Record record, Completion done) {
  produce(record.topic, record.kafka.key, record.kafka.value, record_headers(record.kafka), std::move(done));
}

void Producer::produce(const std::string& topic, std::optional<std::string_view> key,
                       std::optional<std::string_view> value, rd_kafka_headers_t* headers, Completion done) {
  auto* completion = new Completion(std::move(done));
  rd_kafka_vu_t args[6] = {};
  rd_kafka_topic_t* handle = topic_.literal() != nullptr && topic == *topic_.literal() ? literal_handle() : nullptr;
  if (handle != nullptr) {
    args[0].vtype = RD_KAFKA_VTYPE_RKT;
    args[0].u.rkt = handle;
  } else {
    args[0].vtype = RD_KAFKA_VTYPE_TOPIC;
    args[0].u.cstr = topic.c_str();
  }
  args[1].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
  args[1].u.i = RD_KAFKA_MSG_F_COPY;
  // Null pointers for a null key or value (a tombstone).
  args[2].vtype = RD_KAFKA_VTYPE_KEY;
  args[2].u.mem = {key ? const_cast<char*>(key->data()) : nullptr, key ? key->size() : 0};
  args[3].vtype = RD_KAFKA_VTYPE_VALUE;
  args[3].u.mem = {value ? const_cast<char*>(value->data()) : nullptr, value ? value->size() : 0};
  args[4].vtype = RD_KAFKA_VTYPE_HEADERS;
  args[4].u.headers = headers;
  args[5].vtype = RD_KAFKA_VTYPE_OPAQUE;
  args[5].u.ptr = completion;
  if (rd_kafka_error_t* error = rd_kafka_produceva(rk_, args, std::size(args))) {
    rd_kafka_resp_err_t err = rd_kafka_error_code(error);
    rd_kafka_error_destroy(error);
    rd_kafka_headers_destroy(headers);  // taken only on success
    std::unique_ptr<Completion> owned(completion);
    fail(*owned, delivery_status(err), "kafka sink: " + topic + ": " + rd_kafka_err2str(err));
  }
}

rd_kafka_topic_t* Producer::literal_handle() {
  rd_kafka_topic_t* handle = literal_topic_.load(std::memory_order_acquire);
  if (handle != nullptr) return handle;
  rd_kafka_topic_t* made = rd_kafka_topic_new(rk_, topic_.literal()->c_str(), nullptr);
  if (made == nullptr) return nullptr;  // produce names the topic instead, and reports what librdkafka says of it
  if (literal_topic_.compare_exchange_strong(handle, made, std::memory_order_acq_rel)) return made;
  rd_kafka_topic_destroy(made);  // another delivery made one first
  return handle;
}

bool Producer::topic_ready(const std::string& topic) {
  std::lock_guard lock(topics_mutex_);
  auto it = topics_.find(topic);
  return it != topics_.end() && it->second.ready;
}

void Producer::with_topic(const std::string& topic, Record record, Completion done) {
  bool queued = false;
  bool ask = false;
  {
    std::lock_guard lock(topics_mutex_);
    TopicState& state = topics_[topic];
    if (!state.ready) {
      queued = true;
      ask = state.waiting.empty();  // the first delivery for the topic asks for it; later ones wait with it
      state.waiting.emplace_back(std::move(record), std::move(done));
    }
  }
  if (!queued) {
    produce(std::move(record), std::move(done));
    return;
  }
  if (!ask) return;
  char err[256];
  rd_kafka_NewTopic_t* nt =
      rd_kafka_NewTopic_new(topic.c_str(), settings_.partitions, settings_.replication_factor, err, sizeof err);
  if (nt == nullptr) {
    on_topic_created(topic, RD_KAFKA_RESP_ERR__INVALID_ARG, err);
    return;
  }
  rd_kafka_AdminOptions_t* options = rd_kafka_AdminOptions_new(rk_, RD_KAFKA_ADMIN_OP_CREATETOPICS);
  // The deliveries waiting for the topic wait no longer than a record would (message.timeout.ms).
  int timeout_ms = std::min(kAdminTimeoutMs, message_timeout_ms_);
  rd_kafka_AdminOptions_set_operation_timeout(options, timeout_ms, err, sizeof err);
  rd_kafka_AdminOptions_set_request_timeout(options, timeout_ms, err, sizeof err);
  rd_kafka_AdminOptions_set_opaque(options, new std::string(topic));
  rd_kafka_queue_t* background = rd_kafka_queue_get_background(rk_);
  rd_kafka_CreateTopics(rk_, &nt, 1, options, background);
  rd_kafka_queue_destroy(background);
  rd_kafka_AdminOptions_destroy(options);
  rd_kafka_NewTopic_destroy(nt);
  health_.log(EH_LOG_INFO, "kafka sink: creating topic " + topic);
}

void Producer::on_topic_created(const std::string& topic, rd_kafka_resp_err_t err, const std::string& reason) {
  std::vector<std::pair<Record, Completion>> waiting;
  bool ok = err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS;
  {
    std::lock_guard lock(topics_mutex_);
    auto it = topics_.find(topic);
    if (it == topics_.end()) return;
    waiting = std::move(it->second.waiting);
    if (ok) {
      it->second.ready = true;
      it->second.waiting.clear();
    } else {
      topics_.erase(it);  // not cached: the next delivery asks again
    }
  }
  if (!ok) {
    health_.log(EH_LOG_WARN, "kafka sink: cannot create topic " + topic + ": " + reason);
    bool permanent = err == RD_KAFKA_RESP_ERR_INVALID_PARTITIONS || err == RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR ||
                     err == RD_KAFKA_RESP_ERR_POLICY_VIOLATION || err == RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION ||
                     err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED || err == RD_KAFKA_RESP_ERR__INVALID_ARG;
    for (auto& [record, done] : waiting) {
      fail(done, permanent ? EH_ERR_REJECTED : EH_ERR_UNAVAILABLE, "kafka sink: cannot create topic " + topic + ": " + reason);
    }
    return;
  }
  for (auto& [record, done] : waiting) produce(std::move(record), std::move(done));
}

void Producer::dr_msg_cb(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
  std::unique_ptr<Completion> done(static_cast<Completion*>(m->_private));
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    done->ok();
    return;
  }
  // Not rd_kafka_message_errstr: for a produced record that returns its payload, which is no C string.
  std::string detail = std::string("kafka sink: ") + rd_kafka_topic_name(m->rkt) + ": " + rd_kafka_err2name(m->err) +
                       ": " + rd_kafka_err2str(m->err);
  done->fail(delivery_status(m->err), detail);
}

void Producer::background_event_cb(rd_kafka_t*, rd_kafka_event_t* ev, void* opaque) {
  auto* self = static_cast<Producer*>(opaque);
  if (rd_kafka_event_type(ev) == RD_KAFKA_EVENT_CREATETOPICS_RESULT) {
    std::unique_ptr<std::string> topic(static_cast<std::string*>(rd_kafka_event_opaque(ev)));
    rd_kafka_resp_err_t err = rd_kafka_event_error(ev);
    std::string reason = err ? rd_kafka_event_error_string(ev) : "";
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      size_t n = 0;
      const rd_kafka_topic_result_t** results =
          rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n);
      for (size_t i = 0; i < n; ++i) {
        err = rd_kafka_topic_result_error(results[i]);
        if (err) reason = rd_kafka_topic_result_error_string(results[i]) ? rd_kafka_topic_result_error_string(results[i]) : rd_kafka_err2str(err);
      }
    }
    self->on_topic_created(*topic, err, reason);
  }
  rd_kafka_event_destroy(ev);
}

void Producer::error_cb(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto* self = static_cast<Producer*>(opaque);
  self->health_.log(EH_LOG_WARN, std::string("kafka sink: ") + rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err)) +
                                     ": " + reason);
  self->health_.on_error(rk, err, reason);
}

// Runs on the poller thread, inside rd_kafka_poll.
int Producer::stats_cb(rd_kafka_t*, char* json, size_t json_len, void* opaque) {
  auto* self = static_cast<Producer*>(opaque);
  if (auto stats = parse_stats(std::string_view(json, json_len))) {
    self->health_.on_stats(*stats);
  } else {
    self->health_.log(EH_LOG_WARN, "kafka sink: " + stats.status().message());
  }
  return 0;  // librdkafka frees json
}

void Producer::log_cb(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  auto* self = static_cast<Producer*>(rd_kafka_opaque(rk));
  eh_log_level l = level <= 3 ? EH_LOG_ERROR : level == 4 ? EH_LOG_WARN : level <= 6 ? EH_LOG_INFO : EH_LOG_DEBUG;
  self->health_.log(l, std::string("librdkafka ") + facility + ": " + message);
}

}  // namespace eventhost::kafka

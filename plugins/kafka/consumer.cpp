#include "consumer.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <pthread.h>

namespace eventhost::kafka {

struct Consumer::Partition {
  std::string topic;
  int32_t partition = 0;
  uint64_t id = 0;  // fresh per assignment, so completions from an earlier assignment are recognised
  PartitionProgress progress;
  rd_kafka_queue_t* queue = nullptr;  // this partition's own fetch queue
  // Records taken from the queue and not emitted yet, in offset order; the front may be one the pipeline answered
  // "overloaded" to. Taking them early empties librdkafka's queue while these still feed the pipeline, so a fetcher
  // woken then (unpark) has refilled the queue before the pipeline runs dry.
  std::deque<MessagePtr> ahead;
  int64_t ahead_bytes = 0;
  int64_t record_bytes = 1024;        // the size of the last record taken: an estimate for the ones queued
  int64_t next_offset = -1;           // after the last record taken from the queue; -1 before the first
  bool maybe_parked = false;          // the queue came near librdkafka's limit since it was last empty

  static int64_t bytes_of(const rd_kafka_message_t& m) { return static_cast<int64_t>(m.len + m.key_len); }
  void push_ahead(MessagePtr m) {
    next_offset = m->offset + 1;
    record_bytes = std::max<int64_t>(1, bytes_of(*m));
    ahead_bytes += bytes_of(*m);
    ahead.push_back(std::move(m));
  }
  void pop_ahead() {
    ahead_bytes -= bytes_of(*ahead.front());
    ahead.pop_front();
  }
  void drop_ahead() {
    ahead.clear();
    ahead_bytes = 0;
  }

  ~Partition() {
    if (queue == nullptr) return;
    rd_kafka_queue_cb_event_enable(queue, nullptr, nullptr);  // returns once no wake-up runs any more
    rd_kafka_queue_destroy(queue);
  }
};

// Completions arrive on any thread; they land here and wake the consumer thread.
struct Consumer::Inbox {
  std::mutex mutex;
  std::vector<Finished> items;
  rd_kafka_queue_t* wake = nullptr;  // the consumer queue while it exists

  // Only the first completion since the last take() wakes the thread: the take() that this wake-up leads to
  // collects the later ones too, and a wake-up per completion would cost a context switch per event.
  void push(Finished f) {
    std::lock_guard lock(mutex);
    items.push_back(f);
    if (items.size() == 1 && wake != nullptr) rd_kafka_queue_yield(wake);
  }
  void poke() {
    std::lock_guard lock(mutex);
    if (wake != nullptr) rd_kafka_queue_yield(wake);
  }
  // librdkafka calls this from its own threads when records arrive in a partition queue that was empty.
  static void on_partition_queue(rd_kafka_t*, void* opaque) { static_cast<Inbox*>(opaque)->poke(); }
  std::vector<Finished> take() {
    std::lock_guard lock(mutex);
    return std::exchange(items, {});
  }
  void set_wake(rd_kafka_queue_t* q) {
    std::lock_guard lock(mutex);
    wake = q;
  }
};

namespace {

constexpr int kPollTimeoutMs = 100;
constexpr int64_t kTakeBatch = 512;  // records taken from a partition queue at once, at most

// Views into the message, valid while it lives; `r.headers` keeps its storage, so a record costs no allocation here.
void view_record(const rd_kafka_message_t& m, ce::KafkaRecordView& r) {
  auto view = [](const void* bytes, size_t size) -> std::optional<std::string_view> {
    if (bytes == nullptr) return std::nullopt;
    return std::string_view(static_cast<const char*>(bytes), size);
  };
  r.key = view(m.key, m.key_len);
  r.value = view(m.payload, m.len);
  r.headers.clear();
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(&m, &headers) != RD_KAFKA_RESP_ERR_NO_ERROR) return;
  const char* name = nullptr;
  const void* value = nullptr;
  size_t size = 0;
  for (size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
    r.headers.emplace_back(name, view(value, size).value_or(std::string_view{}));
  }
}

OwnedEvent to_owned(const Host& host, const CloudEvent& event) {
  OwnedEvent out = host.new_event();
  event.for_each([&](const AttributeView& a) {
    out.set(a.name, a.value, a.type);
    return true;
  });
  if (event.has_data()) out.set_data(event.data());
  return out;
}

struct ListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* l) const { rd_kafka_topic_partition_list_destroy(l); }
};
using ListPtr = std::unique_ptr<rd_kafka_topic_partition_list_t, ListDeleter>;

bool cooperative(rd_kafka_t* rk) { return std::strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE") == 0; }

}  // namespace

Result<std::unique_ptr<Consumer>> Consumer::create(Host host, ConsumerSettings settings) {
  if (settings.topics.empty()) return Status::invalid("topics: give at least one topic");
  if (settings.max_in_flight < 1) return Status::invalid("max_in_flight: must be at least 1");
  Properties own = {
      {"bootstrap.servers", settings.bootstrap_servers},
      {"group.id", settings.group_id},
      {"auto.offset.reset", settings.initial_offset},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"client.id", "eventhost"},
      {"statistics.interval.ms", kStatisticsIntervalMs},
      // A partition whose queue was full is fetched again only once the broker thread looks at it, at the latest
      // when the Fetch request in flight returns; that one long-polls up to fetch.wait.max.ms when its partitions
      // have no new data (librdkafka's default 500 ms), stalling a backlog drain that long (bench/RESULTS.md).
      // The user's `kafka` table may set it back.
      {"fetch.wait.max.ms", "100"},
      // Prefetched records wait in each partition's own queue, and librdkafka bounds each queue by these (its
      // defaults, 64 MiB and 100000 records, would hold per partition). Smaller fetches per partition keep fewer
      // fetch responses pinned by a few unread records; a smaller queue starves the partition between the broker
      // thread's looks at it (bench/RESULTS.md has the sweep).
      {"queued.max.messages.kbytes", "2048"},
      {"fetch.message.max.bytes", "262144"},
      {"queued.min.messages", "10000"},
  };
  std::vector<ManagedProperty> managed = {
      {"bootstrap.servers", "use bootstrap_servers"},
      {"group.id", "use consumer_group"},
      {"auto.offset.reset", "use initial_offset"},
      {"enable.auto.commit", "offsets are committed after events are finished"},
      {"enable.auto.offset.store", "offsets are committed after events are finished"},
      {"statistics.interval.ms", "the plugin reads the statistics for /readyz and consumer_lag"},
  };
  auto conf = make_conf(own, settings.properties, managed);
  if (!conf) return conf.status();
  return std::unique_ptr<Consumer>(new Consumer(host, std::move(settings), std::move(conf).value()));
}

namespace {

int64_t conf_number(rd_kafka_conf_t* conf, const char* name) {
  char value[64];
  size_t size = sizeof value;
  if (rd_kafka_conf_get(conf, name, value, &size) != RD_KAFKA_CONF_OK) return 0;
  return std::strtoll(value, nullptr, 10);
}

}  // namespace

Consumer::Consumer(Host host, ConsumerSettings settings, ConfPtr conf)
    : host_(host),
      settings_(std::move(settings)),
      health_(settings_.bootstrap_servers),
      conf_(std::move(conf)),
      inbox_(std::make_shared<Inbox>()),
      queue_records_(std::max<int64_t>(1, conf_number(conf_.get(), "queued.min.messages"))),
      queue_bytes_(std::max<int64_t>(1, conf_number(conf_.get(), "queued.max.messages.kbytes") * 1024)),
      ahead_records_(std::max<int64_t>(1, queue_records_ / 2)),
      ahead_bytes_(std::max<int64_t>(1, queue_bytes_ / 2)) {
  health_.watch(host_);
}

Consumer::~Consumer() {
  if (thread_.joinable()) {
    stopping_ = true;
    abort_ = true;
    inbox_->poke();
    thread_.join();
  }
}

Status Consumer::start() {
  if (rk_ != nullptr) return Status::ok();
  rd_kafka_conf_t* conf = rd_kafka_conf_dup(conf_.get());
  rd_kafka_conf_set_opaque(conf, this);
  rd_kafka_conf_set_rebalance_cb(conf, &Consumer::rebalance_cb);
  rd_kafka_conf_set_offset_commit_cb(conf, &Consumer::offset_commit_cb);
  rd_kafka_conf_set_error_cb(conf, &Consumer::error_cb);
  rd_kafka_conf_set_stats_cb(conf, &Consumer::stats_cb);
  rd_kafka_conf_set_log_cb(conf, &Consumer::log_cb);
  char err[512];
  rk_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (rk_ == nullptr) {
    rd_kafka_conf_destroy(conf);
    return Status::invalid(std::string("kafka consumer: ") + err);
  }
  rd_kafka_poll_set_consumer(rk_);
  queue_ = rd_kafka_queue_get_consumer(rk_);
  ListPtr topics(rd_kafka_topic_partition_list_new(static_cast<int>(settings_.topics.size())));
  for (const auto& t : settings_.topics) rd_kafka_topic_partition_list_add(topics.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
  if (rd_kafka_resp_err_t e = rd_kafka_subscribe(rk_, topics.get()); e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    close_consumer();
    return Status::invalid(std::string("kafka consumer: subscribe: ") + rd_kafka_err2str(e));
  }
  inbox_->set_wake(queue_);
  next_commit_ = std::chrono::steady_clock::now() + settings_.commit_interval;
  thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "eh-kafka-source");  // at most 15 characters
    run();
  });
  return Status::ok();
}

void Consumer::stop() {
  stopping_ = true;
  inbox_->poke();
}

void Consumer::resume() {
  resume_requested_ = true;
  inbox_->poke();
}

bool Consumer::wait_closed(std::chrono::milliseconds timeout) {
  std::unique_lock lock(closed_mutex_);
  return closed_cv_.wait_for(lock, timeout, [this] { return closed_; });
}

void Consumer::run() {
  while (!abort_) {
    if (auto done = inbox_->take(); !done.empty()) apply_finished(done);
    if (resume_requested_.exchange(false)) {
      overloaded_ = false;
      dispatch_all();
    }
    if (stopping_ && intake_open_) {
      intake_open_ = false;
      for (auto& [key, p] : partitions_) p->drop_ahead();  // never emitted: read again by the partition's next owner
    }
    if (!intake_open_ && in_flight_ == 0) break;
    auto now = std::chrono::steady_clock::now();
    if (now >= next_commit_) {
      commit_all(false);
      next_commit_ = now + settings_.commit_interval;
    }
    // Rebalances, statistics and errors come through the consumer queue; records arriving in an empty partition
    // queue wake this poll too (Inbox::on_partition_queue).
    if (rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_, kPollTimeoutMs)) handle_message(MessagePtr(m));
    dispatch_all();
  }
  if (auto done = inbox_->take(); !done.empty()) apply_finished(done);
  close_consumer();
}

void Consumer::close_consumer() {
  // A yield left pending on the consumer queue would cut rd_kafka_consumer_close's own wait short and leave it
  // hanging: stop yielding, then let one poll take any pending yield (records it returns were never emitted).
  inbox_->set_wake(nullptr);
  while (rd_kafka_message_t* m = rd_kafka_consumer_poll(rk_, 0)) rd_kafka_message_destroy(m);
  commit_all(true);
  rd_kafka_consumer_close(rk_);  // revokes the assignment, which commits again through on_rebalance
  partitions_.clear();           // their queues and records belong to rk_: release them first
  by_id_.clear();
  rd_kafka_queue_destroy(queue_);
  queue_ = nullptr;
  rd_kafka_destroy(rk_);
  rk_ = nullptr;
  {
    std::lock_guard lock(closed_mutex_);
    closed_ = true;
  }
  closed_cv_.notify_all();
}

// Only errors: records go to the partition queues, which are never forwarded to the consumer queue.
void Consumer::handle_message(MessagePtr m) {
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR && m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF) {
    host_.warn(std::string("kafka consumer: ") + rd_kafka_err2name(m->err) + ": " + rd_kafka_message_errstr(m.get()));
  }
}

Consumer::Partition* Consumer::find(const char* topic, int32_t partition) {
  auto it = partitions_.find({topic, partition});
  return it == partitions_.end() ? nullptr : it->second.get();
}

bool Consumer::may_emit(const Partition& p) const {
  if (in_flight_ >= settings_.max_in_flight) return false;
  return !settings_.ordered || p.progress.in_flight() == 0;
}

Consumer::EmitResult Consumer::emit(Partition& p, const rd_kafka_message_t& m) {
  RecordOrigin origin{p.topic, m.partition, m.offset, std::nullopt};
  rd_kafka_timestamp_type_t ts_type;
  if (int64_t ts = rd_kafka_message_timestamp(&m, &ts_type); ts >= 0) origin.timestamp_ms = ts;
  view_record(m, record_);
  map_record(record_, origin, settings_.identity, settings_.key_type, mapped_);
  if (settings_.position_extensions) {
    mapped_.event.set("knativekafkapartition", std::to_string(m.partition), EH_ATTR_INTEGER);
    mapped_.event.set("knativekafkaoffset", std::to_string(m.offset));  // an int64: wider than a CloudEvents Integer
  }
  OwnedEvent event = to_owned(host_, mapped_.event);
  std::weak_ptr<Inbox> inbox = inbox_;
  uint64_t id = p.id;
  int64_t offset = m.offset;
  eh_status s = host_.emit(event, [inbox, id, offset](eh_status status) {
    if (auto box = inbox.lock()) box->push({id, offset, status});
  });
  switch (s) {
    case EH_OK:
      p.progress.emitted(offset);
      ++in_flight_;
      counters_.emitted.fetch_add(1, std::memory_order_relaxed);
      return EmitResult::emitted;
    case EH_ERR_OVERLOADED:
    case EH_ERR_SHUTDOWN:  // the pipeline stops: stop() follows
      overloaded_ = true;
      return EmitResult::wait;
    default:
      // The host refused this event for good; holding it would stall the partition forever.
      host_.error("kafka consumer: " + p.topic + "/" + std::to_string(m.partition) + "@" + std::to_string(offset) +
                  " not emitted (" + status_name(s) + "); committed past it");
      host_.count("records_refused");
      p.progress.emitted(offset);
      p.progress.finished(offset, PartitionProgress::Outcome::done);
      return EmitResult::dropped;
  }
}

bool Consumer::dispatch_one(Partition& p) {
  if (!intake_open_ || stopping_ || overloaded_ || !may_emit(p)) return false;
  take_ahead(p);
  if (p.ahead.empty()) return false;
  if (emit(p, *p.ahead.front()) == EmitResult::wait) return false;
  p.pop_ahead();
  return true;
}

// Refills p.ahead once it is down to half of either limit, in one batch up to the limits, so librdkafka's queue is
// locked once per batch rather than once per record.
void Consumer::take_ahead(Partition& p) {
  const auto held = static_cast<int64_t>(p.ahead.size());
  if (held * 2 > ahead_records_ || p.ahead_bytes * 2 > ahead_bytes_) return;
  // Within half of a limit counts as parked: an estimate that errs towards "parked" costs at most one refetch, one
  // that misses a stall of up to a second. librdkafka counts the payload bytes of the records queued; the last
  // record's size stands in for the others'.
  if (!p.maybe_parked) {
    const auto queued = static_cast<int64_t>(rd_kafka_queue_length(p.queue));
    p.maybe_parked = queued * 2 >= queue_records_ || queued * p.record_bytes * 2 >= queue_bytes_;
  }
  rd_kafka_message_t* batch[kTakeBatch];
  const int64_t room = std::min(ahead_records_ - held, (ahead_bytes_ - p.ahead_bytes) / p.record_bytes);
  const auto want = static_cast<size_t>(std::clamp<int64_t>(room, 1, kTakeBatch));
  const ssize_t taken = std::max<ssize_t>(0, rd_kafka_consume_batch_queue(p.queue, 0, batch, want));
  for (ssize_t i = 0; i < taken; ++i) {
    MessagePtr m(batch[i]);
    if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      handle_message(std::move(m));
      continue;
    }
    p.push_ahead(std::move(m));
  }
  // Fewer than asked: the queue is empty now, and the seek goes to the record after the last one just taken.
  if (static_cast<size_t>(taken) < want && p.maybe_parked) unpark(p);
}

// librdkafka 2.0.2 stops fetching a partition whose queue reached queued.min.messages or queued.max.messages.kbytes,
// and looks at it again only when its broker thread wakes for something else: another partition's fetch response,
// or after up to a second when every partition of that broker is parked so. Reading the queue does not wake it; a
// seek does ("seek done"). Seeking to the next record is safe only now that the queue is empty: the seek drops what
// is queued and any fetch response in flight for this partition, and fetching resumes at the record after the last
// one taken. The records taken ahead feed the pipeline meanwhile. Newer librdkafka versions have
// fetch.queue.backoff.ms for this.
void Consumer::unpark(Partition& p) {
  p.maybe_parked = false;
  ListPtr list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), p.topic.c_str(), p.partition)->offset = p.next_offset;
  if (rd_kafka_error_t* e = rd_kafka_seek_partitions(rk_, list.get(), 0)) {  // 0: asynchronous, returns at once
    host_.warn("kafka consumer: seek " + p.topic + "/" + std::to_string(p.partition) + ": " + rd_kafka_error_string(e));
    rd_kafka_error_destroy(e);
  }
  counters_.unparks.fetch_add(1, std::memory_order_relaxed);
  host_.count("fetch_wakeups");
}

// One record per partition and round: under unordered's shared limit, no partition with a backlog starves the others.
void Consumer::dispatch_all() {
  for (bool progressed = true; progressed;) {
    progressed = false;
    for (auto& [key, p] : partitions_) progressed = dispatch_one(*p) || progressed;
  }
}

void Consumer::apply_finished(const std::vector<Finished>& done) {
  for (const Finished& f : done) {
    --in_flight_;
    counters_.finished.fetch_add(1, std::memory_order_relaxed);
    auto it = by_id_.find(f.partition_id);
    if (it == by_id_.end()) continue;  // revoked meanwhile: the next owner delivers it again
    auto outcome = f.status == EH_ERR_SHUTDOWN ? PartitionProgress::Outcome::held : PartitionProgress::Outcome::done;
    it->second->progress.finished(f.offset, outcome);
  }
  overloaded_ = false;  // one of our events left the pipeline: there is room to try again
  dispatch_all();
}

void Consumer::commit(bool sync, const std::vector<Partition*>& which) {
  ListPtr list(rd_kafka_topic_partition_list_new(static_cast<int>(which.size())));
  std::vector<std::pair<Partition*, int64_t>> positions;
  for (Partition* p : which) {
    if (auto pos = p->progress.commit_position()) {
      rd_kafka_topic_partition_list_add(list.get(), p->topic.c_str(), p->partition)->offset = *pos;
      positions.emplace_back(p, *pos);
    }
  }
  if (positions.empty()) return;
  rd_kafka_resp_err_t e = rd_kafka_commit(rk_, list.get(), sync ? 0 : 1);
  if (e != RD_KAFKA_RESP_ERR_NO_ERROR) {
    host_.warn(std::string("kafka consumer: commit: ") + rd_kafka_err2str(e));
    return;
  }
  // An asynchronous commit that fails later is undone in on_commit_result, so the next round sends it again.
  for (auto& [p, pos] : positions) p->progress.committed(pos);
  counters_.commits.fetch_add(1, std::memory_order_relaxed);
}

void Consumer::commit_all(bool sync) {
  std::vector<Partition*> all;
  for (auto& [key, p] : partitions_) all.push_back(p.get());
  commit(sync, all);
}

void Consumer::on_commit_result(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* offsets) {
  if (err == RD_KAFKA_RESP_ERR__NO_OFFSET) return;  // nothing to commit
  for (int i = 0; offsets != nullptr && i < offsets->cnt; ++i) {
    const auto& tp = offsets->elems[i];
    if (tp.err == RD_KAFKA_RESP_ERR_NO_ERROR && err == RD_KAFKA_RESP_ERR_NO_ERROR) continue;
    host_.warn("kafka consumer: commit of " + std::string(tp.topic) + "/" + std::to_string(tp.partition) + "@" +
               std::to_string(tp.offset) + " failed: " + rd_kafka_err2str(tp.err ? tp.err : err));
    if (Partition* p = find(tp.topic, tp.partition)) p->progress.commit_failed(tp.offset);
  }
}

void Consumer::on_rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts) {
  const bool coop = cooperative(rk_);
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    open_partitions(parts);
    if (coop) {
      if (rd_kafka_error_t* e = rd_kafka_incremental_assign(rk_, parts)) {
        host_.error(std::string("kafka consumer: assign: ") + rd_kafka_error_string(e));
        rd_kafka_error_destroy(e);
      }
    } else {
      rd_kafka_assign(rk_, parts);
    }
    host_.info("kafka consumer: assigned " + std::to_string(parts->cnt) + " partition(s)");
    return;
  }
  std::vector<Partition*> revoked;
  if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) {
    for (int i = 0; i < parts->cnt; ++i) {
      if (Partition* p = find(parts->elems[i].topic, parts->elems[i].partition)) revoked.push_back(p);
    }
  } else {
    host_.error(std::string("kafka consumer: rebalance: ") + rd_kafka_err2str(err));
    for (auto& [key, p] : partitions_) revoked.push_back(p.get());
  }
  if (!rd_kafka_assignment_lost(rk_)) commit(true, revoked);
  for (Partition* p : revoked) {
    by_id_.erase(p->id);
    partitions_.erase({p->topic, p->partition});
  }
  if (coop && err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) {
    if (rd_kafka_error_t* e = rd_kafka_incremental_unassign(rk_, parts)) rd_kafka_error_destroy(e);
  } else {
    rd_kafka_assign(rk_, nullptr);
  }
}

// Before the assignment starts fetching: a partition queue forwarded to nothing by the application keeps librdkafka
// from forwarding it to the consumer queue when fetching starts, so no record of it ever lands there.
void Consumer::open_partitions(rd_kafka_topic_partition_list_t* parts) {
  for (int i = 0; i < parts->cnt; ++i) {
    auto p = std::make_unique<Partition>();
    p->topic = parts->elems[i].topic;
    p->partition = parts->elems[i].partition;
    p->id = next_partition_id_++;
    p->queue = rd_kafka_queue_get_partition(rk_, p->topic.c_str(), p->partition);
    rd_kafka_queue_forward(p->queue, nullptr);
    rd_kafka_queue_cb_event_enable(p->queue, &Inbox::on_partition_queue, inbox_.get());
    by_id_[p->id] = p.get();
    partitions_[{p->topic, p->partition}] = std::move(p);
  }
}

void Consumer::rebalance_cb(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* parts, void* opaque) {
  static_cast<Consumer*>(opaque)->on_rebalance(err, parts);
}

void Consumer::offset_commit_cb(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* offsets,
                                void* opaque) {
  static_cast<Consumer*>(opaque)->on_commit_result(err, offsets);
}

void Consumer::on_stats(std::string_view json) {
  auto stats = parse_stats(json);
  if (!stats) {
    host_.warn("kafka consumer: " + stats.status().message());
    return;
  }
  health_.on_stats(*stats);
  int64_t lag = 0;
  for (const PartitionLag& p : stats->lags) {
    if (find(p.topic.c_str(), p.partition) != nullptr) lag += p.lag;
  }
  host_.gauge("consumer_lag", lag);
}

void Consumer::error_cb(rd_kafka_t* rk, int err, const char* reason, void* opaque) {
  auto* self = static_cast<Consumer*>(opaque);
  self->host_.warn(std::string("kafka consumer: ") + rd_kafka_err2name(static_cast<rd_kafka_resp_err_t>(err)) + ": " +
                   reason);
  self->health_.on_error(rk, err, reason);
}

// Runs on the consumer thread, inside rd_kafka_consumer_poll (the main queue is forwarded to the consumer queue).
int Consumer::stats_cb(rd_kafka_t*, char* json, size_t json_len, void* opaque) {
  static_cast<Consumer*>(opaque)->on_stats(std::string_view(json, json_len));
  return 0;  // librdkafka frees json
}

void Consumer::log_cb(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  auto* self = static_cast<Consumer*>(rd_kafka_opaque(rk));
  eh_log_level l = level <= 3 ? EH_LOG_ERROR : level == 4 ? EH_LOG_WARN : level <= 6 ? EH_LOG_INFO : EH_LOG_DEBUG;
  self->host_.log(l, std::string("librdkafka ") + facility + ": " + message);
}

}  // namespace eventhost::kafka

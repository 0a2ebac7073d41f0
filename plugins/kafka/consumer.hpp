// The KafkaSource engine: one librdkafka consumer on a thread the plugin owns. Records become events
// (record_mapping), are emitted with a completion, and offsets are committed only up to the longest finished prefix
// of each partition (PartitionProgress): periodically, when partitions are revoked, and at the end.
//
// Flow control: ordered delivery keeps one event in flight per partition, unordered up to max_in_flight in total.
// Each partition is read from its own librdkafka queue (rd_kafka_queue_get_partition, not forwarded to the consumer
// queue) into records taken ahead, in batches, up to half as much as the queue may hold. A partition at its limit,
// or every partition while the pipeline answers EH_ERR_OVERLOADED, is simply not emitted from: what librdkafka
// prefetched stays queued (at most queued.max.messages.kbytes per partition, and half as much taken ahead), so
// nothing is paused or dropped. A queue that librdkafka stopped fetching because it was full is woken once a batch
// drained it (unpark), while the records taken ahead still feed the pipeline.
//
// Readiness follows ClusterHealth (client_health.hpp). Every statistics report sets the gauge consumer_lag: the sum
// over the assigned partitions of librdkafka's consumer_lag (high watermark minus committed offset).
#pragma once

#include "client_config.hpp"
#include "client_health.hpp"
#include "partition_progress.hpp"
#include "record_mapping.hpp"

#include <eventhost/host.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace eventhost::kafka {

struct ConsumerSettings {
  std::string bootstrap_servers;
  std::vector<std::string> topics;
  std::string group_id;
  std::string initial_offset = "latest";  // earliest | latest
  bool ordered = true;
  uint32_t max_in_flight = 100;
  std::chrono::milliseconds commit_interval{1000};
  KeyType key_type = KeyType::string;
  bool position_extensions = false;  // add knativekafkapartition and knativekafkaoffset (Kafka-backed triggers)
  SourceIdentity identity;
  Properties properties;  // the user's librdkafka properties
};

// Counters a test or /metrics can read.
struct ConsumerCounters {
  std::atomic<uint64_t> emitted{0};
  std::atomic<uint64_t> finished{0};
  std::atomic<uint64_t> commits{0};
  std::atomic<uint64_t> unparks{0};  // seeks that woke librdkafka's fetcher for a drained partition (Consumer::unpark)
};

class Consumer {
 public:
  // Checks the settings and builds the librdkafka configuration; starts nothing.
  static Result<std::unique_ptr<Consumer>> create(Host host, ConsumerSettings settings);
  ~Consumer();  // stops the thread at once if it still runs, commits what is finished, closes the consumer
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  Status start();
  void stop();    // non-blocking: intake ends; the thread commits and closes once emitted events are finished
  void resume();  // the pipeline has room again
  // Waits until the thread has closed the consumer after stop(); for tests and the destructor.
  bool wait_closed(std::chrono::milliseconds timeout);

  const ConsumerCounters& counters() const { return counters_; }

 private:
  struct Partition;
  struct Inbox;
  struct Finished {
    uint64_t partition_id;
    int64_t offset;
    eh_status status;
  };
  struct MessageDeleter {
    void operator()(rd_kafka_message_t* m) const { rd_kafka_message_destroy(m); }
  };
  using MessagePtr = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;

  Consumer(Host host, ConsumerSettings settings, ConfPtr conf);

  void run();
  void handle_message(MessagePtr message);
  void apply_finished(const std::vector<Finished>& done);
  bool dispatch_one(Partition& p);  // emits the partition's next record if it may; true if one was taken
  void take_ahead(Partition& p);
  void unpark(Partition& p);
  void dispatch_all();
  bool may_emit(const Partition& p) const;
  enum class EmitResult { emitted, wait, dropped };
  EmitResult emit(Partition& p, const rd_kafka_message_t& message);
  void open_partitions(rd_kafka_topic_partition_list_t* partitions);
  void commit(bool sync, const std::vector<Partition*>& which);
  void commit_all(bool sync);
  void on_rebalance(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions);
  void on_commit_result(rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* offsets);
  Partition* find(const char* topic, int32_t partition);
  void close_consumer();

  static void rebalance_cb(rd_kafka_t*, rd_kafka_resp_err_t, rd_kafka_topic_partition_list_t*, void*);
  static void offset_commit_cb(rd_kafka_t*, rd_kafka_resp_err_t, rd_kafka_topic_partition_list_t*, void*);
  void on_stats(std::string_view json);

  static void error_cb(rd_kafka_t*, int, const char*, void*);
  static int stats_cb(rd_kafka_t*, char*, size_t, void*);
  static void log_cb(const rd_kafka_t*, int, const char*, const char*);

  const Host host_;
  const ConsumerSettings settings_;
  ClusterHealth health_;
  ConfPtr conf_;  // handed to rd_kafka_new by start()
  rd_kafka_t* rk_ = nullptr;
  rd_kafka_queue_t* queue_ = nullptr;
  std::shared_ptr<Inbox> inbox_;
  // librdkafka's limits of each partition queue (queued.min.messages, queued.max.messages.kbytes); a partition holds
  // up to half as much again taken ahead of the pipeline, so that its queue refills while those are emitted. (As much
  // again was no faster in the relay and held 5-10 MiB more: bench/RESULTS.md.)
  const int64_t queue_records_;
  const int64_t queue_bytes_;
  const int64_t ahead_records_;
  const int64_t ahead_bytes_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> abort_{false};
  std::atomic<bool> resume_requested_{false};

  // Owned by the consumer thread (the rebalance and commit callbacks run on it, inside poll).
  std::map<std::pair<std::string, int32_t>, std::unique_ptr<Partition>> partitions_;
  std::unordered_map<uint64_t, Partition*> by_id_;
  uint64_t next_partition_id_ = 1;
  ce::KafkaRecordView record_;  // the record being emitted, and the event it maps to: reused, so their storage is too
  MappedEvent mapped_;
  size_t in_flight_ = 0;
  bool overloaded_ = false;
  bool intake_open_ = true;
  std::chrono::steady_clock::time_point next_commit_;

  ConsumerCounters counters_;
  std::mutex closed_mutex_;
  std::condition_variable closed_cv_;
  bool closed_ = false;
};

}  // namespace eventhost::kafka

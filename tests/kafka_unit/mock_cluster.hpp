// librdkafka's in-process mock cluster with small helpers to write and read records and to read committed offsets.
#pragma once

#include <eventhost/cloudevents/kafka.hpp>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace eventhost::testing {

// Kafka protocol API keys used for fault injection.
inline constexpr int16_t kApiProduce = 0;
inline constexpr int16_t kApiOffsetCommit = 8;

struct ReadRecord {
  int32_t partition;
  int64_t offset;
  ce::KafkaRecord record;
};

class MockCluster {
 public:
  explicit MockCluster(int brokers = 1);
  ~MockCluster();
  MockCluster(const MockCluster&) = delete;
  MockCluster& operator=(const MockCluster&) = delete;

  const std::string& bootstrap() const { return bootstrap_; }
  rd_kafka_mock_cluster_t* handle() const { return cluster_; }

  void create_topic(const std::string& topic, int partitions);
  // Writes records synchronously; each value to the given partition.
  void produce(const std::string& topic, int32_t partition, const std::vector<std::string>& values,
               const std::optional<std::string>& key = std::nullopt,
               const std::vector<std::pair<std::string, std::string>>& headers = {});
  // Reads every partition of the topic from the beginning until `count` records arrived or `timeout` passed.
  std::vector<ReadRecord> read(const std::string& topic, int partitions, size_t count,
                               std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // The group's committed offset per partition (-1001 when none).
  std::map<int32_t, int64_t> committed(const std::string& group, const std::string& topic, int partitions);
  // Waits until the committed offsets equal `expected`.
  bool wait_committed(const std::string& group, const std::string& topic, const std::map<int32_t, int64_t>& expected,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10));
  int partition_count(const std::string& topic);

 private:
  rd_kafka_t* rk_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  std::string bootstrap_;
};

}  // namespace eventhost::testing

// The KafkaSource engine against librdkafka's mock cluster: ordering, contiguous commits, shutdown, backpressure.
#include "consumer.hpp"
#include "fake_host.hpp"
#include "mock_cluster.hpp"

#include <gtest/gtest.h>

#include <set>
#include <thread>

namespace eventhost::kafka {
namespace {

using namespace std::chrono_literals;
using testing::FakeHost;
using testing::MockCluster;

std::vector<std::string> values(int n, const std::string& prefix = "v") {
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) out.push_back(prefix + std::to_string(i));
  return out;
}

class ConsumerTest : public ::testing::Test {
 protected:
  std::unique_ptr<Consumer> consumer(bool ordered, uint32_t max_in_flight, std::string group = "g1",
                                     Properties extra = {}) {
    ConsumerSettings s;
    s.bootstrap_servers = cluster_.bootstrap();
    s.topics = {"t"};
    s.group_id = std::move(group);
    s.initial_offset = "earliest";
    s.ordered = ordered;
    s.max_in_flight = max_in_flight;
    s.commit_interval = 100ms;
    s.identity = {"ns1", "src"};
    s.properties = {{"session.timeout.ms", "6000"}, {"fetch.wait.max.ms", "50"}};
    s.properties.insert(s.properties.end(), extra.begin(), extra.end());
    auto c = Consumer::create(host_.host(), s);
    EXPECT_TRUE(c) << c.status().message();
    return std::move(c).value();
  }

  // Finishes whatever is emitted until `total` events were emitted; calls resume like the host does.
  void drive(Consumer& c, size_t total, std::chrono::seconds limit = 30s) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (host_.emitted_count() < total && std::chrono::steady_clock::now() < deadline) {
      if (host_.finish_all() > 0) c.resume();
      std::this_thread::sleep_for(5ms);
    }
    host_.finish_all();
  }

  MockCluster cluster_;
  FakeHost host_;
};

TEST_F(ConsumerTest, OrderedKeepsOneEventInFlightPerPartitionAndCommitsEverything) {
  cluster_.create_topic("t", 2);
  cluster_.produce("t", 0, values(10, "a"));
  cluster_.produce("t", 1, values(10, "b"));
  auto c = consumer(true, 100);
  ASSERT_TRUE(c->start());
  ASSERT_TRUE(host_.wait_emitted(2));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(host_.emitted_count(), 2u) << "ordered: the next record of a partition waits for the previous one";

  drive(*c, 20);
  ASSERT_EQ(host_.emitted_count(), 20u);
  EXPECT_EQ(host_.max_unfinished(), 2u);
  std::map<std::string, std::vector<std::string>> per_partition;
  for (const auto& e : host_.events()) per_partition[std::string(*e.get("subject")).substr(0, 11)].push_back(std::string(e.data()));
  EXPECT_EQ(per_partition["partition:0"], values(10, "a"));
  EXPECT_EQ(per_partition["partition:1"], values(10, "b"));
  EXPECT_TRUE(cluster_.wait_committed("g1", "t", {{0, 10}, {1, 10}}));
  c->stop();
  EXPECT_TRUE(c->wait_closed(10s));
}

TEST_F(ConsumerTest, UnorderedCommitsOnlyTheContiguousFinishedPrefix) {
  cluster_.create_topic("t", 1);
  cluster_.produce("t", 0, values(10));
  auto c = consumer(false, 10);
  ASSERT_TRUE(c->start());
  ASSERT_TRUE(host_.wait_emitted(10));
  for (size_t i : {0, 1, 2, 4, 5, 6, 7, 8, 9}) host_.finish(i);
  EXPECT_TRUE(cluster_.wait_committed("g1", "t", {{0, 3}}));
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(cluster_.committed("g1", "t", 1), (std::map<int32_t, int64_t>{{0, 3}})) << "offset 3 is unfinished";
  host_.finish(3);
  EXPECT_TRUE(cluster_.wait_committed("g1", "t", {{0, 10}}));
  c->stop();
  EXPECT_TRUE(c->wait_closed(10s));
}

TEST_F(ConsumerTest, UnorderedNeverExceedsMaxInFlight) {
  cluster_.create_topic("t", 3);
  for (int p = 0; p < 3; ++p) cluster_.produce("t", p, values(50));
  auto c = consumer(false, 7);
  ASSERT_TRUE(c->start());
  ASSERT_TRUE(host_.wait_emitted(7));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(host_.emitted_count(), 7u);
  drive(*c, 150);
  EXPECT_EQ(host_.emitted_count(), 150u);
  EXPECT_LE(host_.max_unfinished(), 7u);
  EXPECT_TRUE(cluster_.wait_committed("g1", "t", {{0, 50}, {1, 50}, {2, 50}}));
}

TEST_F(ConsumerTest, ShutdownCompletionIsNeverCommittedPastAndIsDeliveredAgain) {
  cluster_.create_topic("t", 1);
  cluster_.produce("t", 0, values(5));
  {
    auto c = consumer(false, 10);
    ASSERT_TRUE(c->start());
    ASSERT_TRUE(host_.wait_emitted(5));
    host_.finish(0);
    host_.finish(1, EH_ERR_SHUTDOWN);
    for (size_t i = 2; i < 5; ++i) host_.finish(i);
    c->stop();
    ASSERT_TRUE(c->wait_closed(10s));
  }
  EXPECT_EQ(cluster_.committed("g1", "t", 1), (std::map<int32_t, int64_t>{{0, 1}}));

  FakeHost second;
  ConsumerSettings s;
  s.bootstrap_servers = cluster_.bootstrap();
  s.topics = {"t"};
  s.group_id = "g1";
  s.initial_offset = "latest";  // a committed offset exists, so this does not matter
  s.identity = {"ns1", "src"};
  auto c2 = Consumer::create(second.host(), s);
  ASSERT_TRUE(c2);
  ASSERT_TRUE((*c2)->start());
  ASSERT_TRUE(second.wait_emitted(1));
  EXPECT_EQ(*second.events()[0].get("id"), "partition:0/offset:1");
  (*c2)->stop();
  second.finish_all();
  EXPECT_TRUE((*c2)->wait_closed(10s));
}

TEST_F(ConsumerTest, StopWaitsForEmittedEventsThenCommitsThem) {
  cluster_.create_topic("t", 1);
  cluster_.produce("t", 0, values(3));
  auto c = consumer(false, 10);
  ASSERT_TRUE(c->start());
  ASSERT_TRUE(host_.wait_emitted(3));
  c->stop();
  EXPECT_FALSE(c->wait_closed(300ms)) << "emitted events are still in flight";
  host_.finish_all();
  ASSERT_TRUE(c->wait_closed(10s));
  EXPECT_EQ(cluster_.committed("g1", "t", 1), (std::map<int32_t, int64_t>{{0, 3}}));
}

TEST_F(ConsumerTest, OverloadedPipelineStopsReadingAndLosesNothing) {
  cluster_.create_topic("t", 2);
  cluster_.produce("t", 0, values(300, "a"));
  cluster_.produce("t", 1, values(300, "b"));
  host_.set_capacity(5);
  auto c = consumer(false, 50);
  ASSERT_TRUE(c->start());
  ASSERT_TRUE(host_.wait_emitted(5));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(host_.emitted_count(), 5u);
  EXPECT_GT(host_.overloaded_answers(), 0u);
  drive(*c, 600);
  ASSERT_EQ(host_.emitted_count(), 600u);
  EXPECT_LE(host_.max_unfinished(), 5u);
  std::set<std::string> ids;
  std::map<char, std::vector<std::string>> order;
  for (const auto& e : host_.events()) {
    ids.insert(std::string(*e.get("id")));
    order[e.data()[0]].push_back(std::string(e.data()));
  }
  EXPECT_EQ(ids.size(), 600u) << "no record twice";
  EXPECT_EQ(order['a'], values(300, "a")) << "nothing skipped, in partition order";
  EXPECT_EQ(order['b'], values(300, "b"));
  EXPECT_TRUE(cluster_.wait_committed("g1", "t", {{0, 300}, {1, 300}}));
}

// Partition queues far smaller than the backlog: librdkafka stops fetching a full one, and the consumer's seek once it
// is drained (Consumer::unpark) must neither skip nor repeat a record.
TEST_F(ConsumerTest, PartitionsDrainedAfterLibrdkafkasQueueLimitAreWokenAndLoseNothing) {
  constexpr int kPerPartition = 1500;
  auto big = [](const std::string& prefix) {
    std::vector<std::string> out = values(kPerPartition, prefix);
    for (auto& v : out) v.resize(1000, '.');
    return out;
  };
  cluster_.create_topic("t", 2);
  cluster_.produce("t", 0, big("a"));
  cluster_.produce("t", 1, big("b"));
  auto c = consumer(false, 40, "g1",
                    {{"queued.max.messages.kbytes", "64"}, {"fetch.message.max.bytes", "16384"}});
  ASSERT_TRUE(c->start());
  drive(*c, 2 * kPerPartition, 60s);
  ASSERT_EQ(host_.emitted_count(), 2u * kPerPartition);
  std::map<char, std::vector<std::string>> order;
  for (const auto& e : host_.events()) order[e.data()[0]].push_back(std::string(e.data()));
  EXPECT_EQ(order['a'], big("a")) << "every record once, in partition order";
  EXPECT_EQ(order['b'], big("b"));
  EXPECT_GT(c->counters().unparks.load(), 0u) << "the queues never came near their limit: the test tests nothing";
  EXPECT_TRUE(cluster_.wait_committed("g1", "t", {{0, kPerPartition}, {1, kPerPartition}}));
}

TEST_F(ConsumerTest, OrderedPartitionWaitsForItsEventInFlight) {
  cluster_.create_topic("t", 1);
  cluster_.produce("t", 0, values(200));
  auto c = consumer(true, 4);
  ASSERT_TRUE(c->start());
  ASSERT_TRUE(host_.wait_emitted(1));
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(host_.emitted_count(), 1u) << "the next record waits until the one in flight finished";
  drive(*c, 200);
  ASSERT_EQ(host_.emitted_count(), 200u);
  std::vector<std::string> got;
  for (const auto& e : host_.events()) got.emplace_back(e.data());
  EXPECT_EQ(got, values(200));
  EXPECT_TRUE(cluster_.wait_committed("g1", "t", {{0, 200}}));
}

TEST_F(ConsumerTest, APartitionWaitingForItsEventDoesNotHoldBackTheOthers) {
  cluster_.create_topic("t", 2);
  cluster_.produce("t", 0, values(5, "a"));
  cluster_.produce("t", 1, values(100, "b"));
  auto c = consumer(true, 100);
  ASSERT_TRUE(c->start());
  std::set<size_t> done;
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (host_.emitted_count() < 101 && std::chrono::steady_clock::now() < deadline) {
    auto events = host_.events();
    for (size_t i = 0; i < events.size(); ++i) {
      if (events[i].data()[0] == 'b' && done.insert(i).second) host_.finish(i);
    }
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_EQ(host_.emitted_count(), 101u) << "all of partition 1 while partition 0's first event is in flight";
  drive(*c, 105);
  EXPECT_TRUE(cluster_.wait_committed("g1", "t", {{0, 5}, {1, 100}}));
}

TEST_F(ConsumerTest, FailedCommitsAreRetried) {
  cluster_.create_topic("t", 1);
  cluster_.produce("t", 0, values(4));
  rd_kafka_mock_push_request_errors(cluster_.handle(), testing::kApiOffsetCommit, 3,
                                    RD_KAFKA_RESP_ERR_OFFSET_METADATA_TOO_LARGE,
                                    RD_KAFKA_RESP_ERR_OFFSET_METADATA_TOO_LARGE,
                                    RD_KAFKA_RESP_ERR_OFFSET_METADATA_TOO_LARGE);
  auto c = consumer(false, 10);
  ASSERT_TRUE(c->start());
  ASSERT_TRUE(host_.wait_emitted(4));
  host_.finish_all();
  EXPECT_TRUE(cluster_.wait_committed("g1", "t", {{0, 4}}));
  bool warned = false;
  for (const auto& line : host_.logs()) warned = warned || line.find("commit of t/0@4 failed") != std::string::npos;
  EXPECT_TRUE(warned);
}

TEST_F(ConsumerTest, RefusedEventsAreReportedAndSkipped) {
  cluster_.create_topic("t", 1);
  cluster_.produce("t", 0, values(2));
  host_.set_refusal(EH_ERR_INVALID);
  auto c = consumer(false, 10);
  ASSERT_TRUE(c->start());
  EXPECT_TRUE(cluster_.wait_committed("g1", "t", {{0, 2}}));
  bool logged = false;
  for (const auto& line : host_.logs()) logged = logged || line.find("t/0@1 not emitted (invalid)") != std::string::npos;
  EXPECT_TRUE(logged);
}

TEST(ConsumerSettingsTest, BadSettingsAreRefusedBeforeAnythingStarts) {
  FakeHost host;
  ConsumerSettings s;
  s.bootstrap_servers = "127.0.0.1:1";
  s.group_id = "g";
  auto c = Consumer::create(host.host(), s);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.status().message(), "topics: give at least one topic");
  s.topics = {"t"};
  s.properties = {{"enable.auto.commit", "true"}};
  c = Consumer::create(host.host(), s);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.status().message(),
            "kafka.enable.auto.commit: set by the plugin; offsets are committed after events are finished");
}

}  // namespace
}  // namespace eventhost::kafka

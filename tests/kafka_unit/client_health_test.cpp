// Readiness and consumer lag of the Kafka engines: librdkafka's statistics read, a producer and a consumer on the mock
// cluster while its broker goes down and comes back, and the consumer_lag gauge following commits.
#include "client_health.hpp"
#include "consumer.hpp"
#include "delivery_probe.hpp"
#include "fake_host.hpp"
#include "mock_cluster.hpp"
#include "producer.hpp"

#include <gtest/gtest.h>


namespace eventhost::kafka {
namespace {

using namespace std::chrono_literals;
using testing::FakeHost;
using testing::DeliveryProbe;
using testing::MockCluster;
using testing::Outcome;

TEST(ParseStats, BrokersUpAndLagOfAssignedPartitions) {
  auto stats = parse_stats(R"({
    "brokers": {
      "GroupCoordinator": {"source": "logical", "state": "INIT"},
      ":0/internal": {"source": "internal", "state": "UP"},
      "127.0.0.1:9092/1": {"source": "learned", "state": "UP"}
    },
    "topics": {"t": {"partitions": {
      "0": {"partition": 0, "consumer_lag": 7},
      "1": {"partition": 1, "consumer_lag": -1},
      "-1": {"partition": -1, "consumer_lag": -1}
    }}}})");
  ASSERT_TRUE(stats) << stats.status().message();
  EXPECT_TRUE(stats->broker_up);
  ASSERT_EQ(stats->lags.size(), 1u);
  EXPECT_EQ(stats->lags[0].topic, "t");
  EXPECT_EQ(stats->lags[0].partition, 0);
  EXPECT_EQ(stats->lags[0].lag, 7);
}

TEST(ParseStats, OnlyTheInternalBrokerUpIsNotReachable) {
  auto stats = parse_stats(R"({"brokers": {
      ":0/internal": {"source": "internal", "state": "UP"},
      "127.0.0.1:9092/bootstrap": {"source": "configured", "state": "TRY_CONNECT"}}})");
  ASSERT_TRUE(stats);
  EXPECT_FALSE(stats->broker_up);
  EXPECT_FALSE(parse_stats("not json"));
}

TEST(ClusterHealth, AllBrokersDownUntilABrokerIsUp) {
  FakeHost a, b;
  ClusterHealth health("k:9092");
  health.watch(a.host());
  health.on_error(nullptr, RD_KAFKA_RESP_ERR__TRANSPORT, "k:9092/bootstrap: Connection refused");
  EXPECT_TRUE(a.ready()) << "one broker's transport error alone is not unreachable";
  health.on_error(nullptr, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, "1/1 brokers are down");
  EXPECT_FALSE(health.reachable());
  EXPECT_FALSE(a.ready());
  EXPECT_EQ(a.health_reason(), "kafka k:9092: all brokers down (k:9092/bootstrap: Connection refused)");
  health.watch(b.host());
  EXPECT_FALSE(b.ready()) << "a watcher added while unreachable hears it at once";
  health.on_stats({false, {}});
  EXPECT_FALSE(a.ready());
  health.on_stats({true, {}});
  EXPECT_TRUE(a.ready());
  EXPECT_TRUE(b.ready());
  health.unwatch(b.host());
  health.on_error(nullptr, RD_KAFKA_RESP_ERR__AUTHENTICATION, "SASL handshake failed");
  EXPECT_EQ(a.health_reason(), "kafka k:9092: authentication failed: SASL handshake failed");
  EXPECT_TRUE(b.ready()) << "unwatched";
}

CloudEvent sample_event() {
  CloudEvent e;
  e.set("specversion", "1.0");
  e.set("id", "e-1");
  e.set("source", "/orders", EH_ATTR_URI_REF);
  e.set("type", "order.created");
  return e;
}

std::optional<Outcome> send(FakeHost& host, Producer& p, std::chrono::milliseconds timeout) {
  eh_event ev{sample_event()};
  DeliveryProbe d;
  p.deliver(EventRef(host.host().api(), &ev), d.completion(host.host().api()));
  return d.wait(timeout);
}

TEST(ProducerHealth, NotReadyWhileTheBrokerIsDownAndWritesFailAtOnce) {
  MockCluster cluster;
  cluster.create_topic("out", 1);
  FakeHost host;
  ProducerSettings s;
  s.bootstrap_servers = cluster.bootstrap();
  s.topic = "out";
  s.properties = {{"reconnect.backoff.max.ms", "200"}};
  auto p = Producer::create(host.host(), s);
  ASSERT_TRUE(p) << p.status().message();
  auto ok = send(host, **p, 10s);
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, EH_OK) << ok->detail;

  rd_kafka_mock_broker_set_down(cluster.handle(), 1);
  ASSERT_TRUE(host.wait_ready(false));
  EXPECT_NE(host.health_reason().find("kafka " + cluster.bootstrap() + ": all brokers down"), std::string::npos)
      << host.health_reason();
  auto refused = send(host, **p, 1s);
  ASSERT_TRUE(refused) << "a write while Kafka is down fails at once, not after message.timeout.ms";
  EXPECT_EQ(refused->status, EH_ERR_UNAVAILABLE);
  EXPECT_NE(refused->detail.find("all brokers down"), std::string::npos) << refused->detail;

  rd_kafka_mock_broker_set_up(cluster.handle(), 1);
  ASSERT_TRUE(host.wait_ready(true)) << "no write needed to notice the broker is back";
  auto again = send(host, **p, 10s);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, EH_OK) << again->detail;
}

ConsumerSettings consumer_settings(const MockCluster& cluster) {
  ConsumerSettings s;
  s.bootstrap_servers = cluster.bootstrap();
  s.topics = {"t"};
  s.group_id = "g1";
  s.initial_offset = "earliest";
  s.ordered = false;
  s.max_in_flight = 100;
  s.commit_interval = 100ms;
  s.identity = {"ns1", "src"};
  s.properties = {{"session.timeout.ms", "6000"}, {"fetch.wait.max.ms", "50"}, {"reconnect.backoff.max.ms", "200"}};
  return s;
}

TEST(ConsumerHealth, NotReadyWhileTheBrokerIsDown) {
  MockCluster cluster;
  cluster.create_topic("t", 1);
  FakeHost host;
  auto c = Consumer::create(host.host(), consumer_settings(cluster));
  ASSERT_TRUE(c) << c.status().message();
  ASSERT_TRUE((*c)->start());
  ASSERT_TRUE(host.wait_gauge("consumer_lag", 0)) << "statistics arrive";
  EXPECT_TRUE(host.ready());
  rd_kafka_mock_broker_set_down(cluster.handle(), 1);
  ASSERT_TRUE(host.wait_ready(false));
  EXPECT_NE(host.health_reason().find("all brokers down"), std::string::npos) << host.health_reason();
  rd_kafka_mock_broker_set_up(cluster.handle(), 1);
  EXPECT_TRUE(host.wait_ready(true));
  (*c)->stop();
  EXPECT_TRUE((*c)->wait_closed(10s));
}

TEST(ConsumerHealth, LagIsTheHighWatermarkMinusTheCommittedOffset) {
  MockCluster cluster;
  cluster.create_topic("t", 1);
  cluster.produce("t", 0, {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"});
  FakeHost host;
  auto c = Consumer::create(host.host(), consumer_settings(cluster));
  ASSERT_TRUE(c) << c.status().message();
  ASSERT_TRUE((*c)->start());
  ASSERT_TRUE(host.wait_emitted(10));
  for (size_t i = 0; i < 4; ++i) host.finish(i);
  ASSERT_TRUE(cluster.wait_committed("g1", "t", {{0, 4}}));
  EXPECT_TRUE(host.wait_gauge("consumer_lag", 6)) << "last: " << host.gauge("consumer_lag").value_or(-1);
  host.finish_all();
  EXPECT_TRUE(host.wait_gauge("consumer_lag", 0)) << "last: " << host.gauge("consumer_lag").value_or(-1);
  cluster.produce("t", 0, {"10", "11"});
  ASSERT_TRUE(host.wait_emitted(12));
  EXPECT_TRUE(host.wait_gauge("consumer_lag", 2)) << "unfinished events are lag; last: "
                                                  << host.gauge("consumer_lag").value_or(-1);
  host.finish_all();
  (*c)->stop();
  EXPECT_TRUE((*c)->wait_closed(10s));
}

}  // namespace
}  // namespace eventhost::kafka

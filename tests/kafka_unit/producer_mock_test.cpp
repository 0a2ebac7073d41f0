// The KafkaSink engine against librdkafka's mock cluster: content modes, keys, topic templates, failures.
#include "delivery_probe.hpp"
#include "fake_host.hpp"
#include "mock_cluster.hpp"
#include "producer.hpp"
#include "shared_producer.hpp"

#include <eventhost/cloudevents/json.hpp>

#include <gtest/gtest.h>


namespace eventhost::kafka {
namespace {

using namespace std::chrono_literals;
using testing::FakeHost;
using testing::DeliveryProbe;
using testing::MockCluster;
using testing::Outcome;


CloudEvent sample_event() {
  CloudEvent e;
  e.set("specversion", "1.0");
  e.set("id", "e-1");
  e.set("source", "/orders", EH_ATTR_URI_REF);
  e.set("type", "order.created");
  e.set("namespace", "team-a");
  e.set("partitionkey", "customer-7");
  e.set("datacontenttype", "application/json");
  e.set_data(std::string_view(R"({"total":12,"meta":{"region":"eu"}})"));
  return e;
}

class ProducerTest : public ::testing::Test {
 protected:
  std::unique_ptr<Producer> producer(ProducerSettings s) {
    if (s.bootstrap_servers.empty()) s.bootstrap_servers = cluster_.bootstrap();
    auto p = Producer::create(host_.host(), std::move(s));
    EXPECT_TRUE(p) << p.status().message();
    return std::move(p).value();
  }
  Outcome send(Producer& p, const CloudEvent& event) {
    eh_event ev{event};
    DeliveryProbe d;
    p.deliver(EventRef(host_.host().api(), &ev), d.completion(host_.host().api()));
    auto r = d.wait();
    EXPECT_TRUE(r.has_value()) << "no delivery report";
    return r.value_or(Outcome{EH_ERR_INTERNAL, "no answer"});
  }
  MockCluster cluster_;
  FakeHost host_;
};

TEST_F(ProducerTest, BinaryModeWithPartitionKey) {
  cluster_.create_topic("out", 1);
  ProducerSettings s;
  s.topic = "out";
  auto p = producer(s);
  CloudEvent event = sample_event();
  Outcome r = send(*p, event);
  ASSERT_EQ(r.status, EH_OK) << r.detail;
  auto records = cluster_.read("out", 1, 1);
  ASSERT_EQ(records.size(), 1u);
  const ce::KafkaRecord& rec = records[0].record;
  EXPECT_EQ(rec.key, "customer-7");
  EXPECT_EQ(rec.header("ce_id"), "e-1");
  EXPECT_EQ(rec.header("content-type"), "application/json");
  EXPECT_FALSE(rec.header("ce_datacontenttype"));
  auto back = ce::from_kafka(rec);
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_EQ(*back, event);
}

TEST_F(ProducerTest, StructuredMode) {
  cluster_.create_topic("out", 1);
  ProducerSettings s;
  s.topic = "out";
  s.structured = true;
  auto p = producer(s);
  CloudEvent event = sample_event();
  ASSERT_EQ(send(*p, event).status, EH_OK);
  auto records = cluster_.read("out", 1, 1);
  ASSERT_EQ(records.size(), 1u);
  const ce::KafkaRecord& rec = records[0].record;
  EXPECT_EQ(rec.key, "customer-7");
  EXPECT_EQ(rec.header("content-type"), "application/cloudevents+json; charset=UTF-8");
  EXPECT_FALSE(rec.header("ce_id"));
  auto back = ce::from_kafka(rec);
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_EQ(back->id(), "e-1");
  EXPECT_EQ(back->data(), event.data());
}

TEST_F(ProducerTest, NoPartitionKeyMeansNoKey) {
  cluster_.create_topic("out", 1);
  ProducerSettings s;
  s.topic = "out";
  auto p = producer(s);
  CloudEvent event = sample_event();
  event.remove("partitionkey");
  ASSERT_EQ(send(*p, event).status, EH_OK);
  auto records = cluster_.read("out", 1, 1);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0].record.key, std::nullopt);
}

TEST_F(ProducerTest, TopicTemplateRoutesByAttributeAndData) {
  cluster_.create_topic("events-team-a", 1);
  cluster_.create_topic("region-eu", 1);
  ProducerSettings s;
  s.topic = "events-{namespace}";
  auto p = producer(s);
  ASSERT_EQ(send(*p, sample_event()).status, EH_OK);
  EXPECT_EQ(cluster_.read("events-team-a", 1, 1).size(), 1u);

  ProducerSettings d;
  d.topic = "region-{data:/meta/region}";
  auto pd = producer(d);
  ASSERT_EQ(send(*pd, sample_event()).status, EH_OK);
  EXPECT_EQ(cluster_.read("region-eu", 1, 1).size(), 1u);
}

TEST_F(ProducerTest, MissingTemplateValueFailsOrUsesTheDefaultTopic) {
  cluster_.create_topic("unrouted", 1);
  ProducerSettings s;
  s.topic = "events-{tenant}";
  auto p = producer(s);
  Outcome r = send(*p, sample_event());
  EXPECT_EQ(r.status, EH_ERR_INVALID);
  EXPECT_EQ(r.detail, "topic template \"events-{tenant}\": the event has no attribute 'tenant'");

  s.default_topic = "unrouted";
  auto pd = producer(s);
  ASSERT_EQ(send(*pd, sample_event()).status, EH_OK);
  EXPECT_EQ(cluster_.read("unrouted", 1, 1).size(), 1u);

  ProducerSettings bad;
  bad.topic = "region-{data:/meta}";  // an object: not a usable value, the default does not hide that
  bad.default_topic = "unrouted";
  auto pb = producer(bad);
  r = send(*pb, sample_event());
  EXPECT_EQ(r.status, EH_ERR_INVALID);
  EXPECT_NE(r.detail.find("is an object"), std::string::npos) << r.detail;
}

TEST_F(ProducerTest, UnreachableKafkaIsUnavailableAfterTheMessageTimeout) {
  ProducerSettings s;
  s.bootstrap_servers = "127.0.0.1:1";
  s.topic = "out";
  s.properties = {{"message.timeout.ms", "500"}};
  auto p = producer(s);
  auto started = std::chrono::steady_clock::now();
  Outcome r = send(*p, sample_event());
  EXPECT_EQ(r.status, EH_ERR_UNAVAILABLE) << r.detail;
  // The reason is librdkafka's text for the error, not the record's payload read as a C string.
  EXPECT_EQ(r.detail, "kafka sink: out: _MSG_TIMED_OUT: Local: Message timed out");
  EXPECT_GE(std::chrono::steady_clock::now() - started, 400ms);
}

TEST_F(ProducerTest, RetriableProduceErrorsAreRetriedWithoutDuplicates) {
  cluster_.create_topic("out", 1);
  ProducerSettings s;
  s.topic = "out";
  auto p = producer(s);
  rd_kafka_mock_push_request_errors(cluster_.handle(), testing::kApiProduce, 2,
                                    RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS);
  ASSERT_EQ(send(*p, sample_event()).status, EH_OK);
  EXPECT_EQ(cluster_.read("out", 1, 2, 2s).size(), 1u);
}

TEST_F(ProducerTest, OversizedRecordIsRejected) {
  cluster_.create_topic("out", 1);
  ProducerSettings s;
  s.topic = "out";
  s.properties = {{"message.max.bytes", "1000"}};
  auto p = producer(s);
  CloudEvent event = sample_event();
  event.set_data(std::string(5000, 'x'));
  Outcome r = send(*p, event);
  EXPECT_EQ(r.status, EH_ERR_REJECTED) << r.detail;
}

TEST_F(ProducerTest, SinksWithEqualSettingsShareOneProducerAndEachHearsItsReadiness) {
  cluster_.create_topic("out", 1);
  cluster_.create_topic("other", 1);
  ProducerSettings s;
  s.bootstrap_servers = cluster_.bootstrap();
  s.topic = "out";
  s.properties = {{"reconnect.backoff.max.ms", "200"}};
  FakeHost second;
  auto a = SharedProducer::acquire(host_.host(), s);
  auto b = SharedProducer::acquire(second.host(), s);
  ASSERT_TRUE(a && b);
  EXPECT_EQ(&(*a)->producer(), &(*b)->producer());
  ProducerSettings o = s;
  o.topic = "other";
  auto c = SharedProducer::acquire(host_.host(), o);
  ASSERT_TRUE(c);
  EXPECT_NE(&(*c)->producer(), &(*a)->producer()) << "another topic, another producer";

  ASSERT_EQ(send((*a)->producer(), sample_event()).status, EH_OK);
  rd_kafka_mock_broker_set_down(cluster_.handle(), 1);
  EXPECT_TRUE(host_.wait_ready(false));
  EXPECT_TRUE(second.wait_ready(false)) << "every sink sharing the producer is not ready";
  rd_kafka_mock_broker_set_up(cluster_.handle(), 1);
  EXPECT_TRUE(second.wait_ready(true));

  Producer* shared = &(*a)->producer();
  a->reset();
  ASSERT_EQ(send((*b)->producer(), sample_event()).status, EH_OK) << "the producer outlives the first share";
  auto d = SharedProducer::acquire(host_.host(), s);
  ASSERT_TRUE(d);
  EXPECT_EQ(&(*d)->producer(), shared);
  EXPECT_EQ(cluster_.read("out", 1, 2).size(), 2u);
}

// Topic creation needs the Admin API, which librdkafka's mock cluster does not serve (no controller): it is tested
// against the real broker in tests/kafka_e2e.

TEST(ProducerSettingsTest, BadSettingsAreRefused) {
  FakeHost host;
  ProducerSettings s;
  s.bootstrap_servers = "127.0.0.1:1";
  s.topic = "events-{";
  auto p = Producer::create(host.host(), s);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.status().message(), "topic: '{' at position 7 is not closed");
  s.topic = "ok";
  s.default_topic = "not ok";
  p = Producer::create(host.host(), s);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.status().message(), "default_topic: \"not ok\" contains ' ' (allowed: a-z A-Z 0-9 . _ -)");
  s.default_topic.reset();
  s.properties = {{"acks", "1"}};
  p = Producer::create(host.host(), s);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.status().message(), "kafka.acks: set by the plugin; the sink always waits for all in-sync replicas (acks=all)");
  s.properties.clear();
  s.partitions = 0;
  p = Producer::create(host.host(), s);
  ASSERT_FALSE(p);
  EXPECT_EQ(p.status().message(), "partitions: must be -1 or at least 1");
}

}  // namespace
}  // namespace eventhost::kafka

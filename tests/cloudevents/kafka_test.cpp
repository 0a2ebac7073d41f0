#include "test_events.hpp"

#include <eventhost/cloudevents/kafka.hpp>

#include <gtest/gtest.h>

namespace eventhost::ce {
namespace {

using test::as_json_decodes;
using test::every_type_event;
using test::minimal_event;
using test::as_binary_decodes;

KafkaRecord binary_record(std::vector<std::pair<std::string, std::string>> extra = {}) {
  KafkaRecord r{std::nullopt, {{"ce_specversion", "1.0"}, {"ce_id", "1"}, {"ce_source", "/s"}, {"ce_type", "t"}},
                std::nullopt};
  for (auto& h : extra) r.headers.push_back(std::move(h));
  return r;
}

TEST(KafkaBinary, RoundTripsEveryAttributeType) {
  CloudEvent e = every_type_event();
  KafkaRecord r = to_kafka_binary(e);
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("ce_extstring"), "Euro € 😀 \"quoted\" 100%");  // Kafka headers are UTF-8: no escaping
  EXPECT_FALSE(r.header("ce_datacontenttype"));
  EXPECT_EQ(r.value, std::string(e.data()));
  EXPECT_FALSE(r.key);
  auto decoded = from_kafka(r);
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().message();
  EXPECT_EQ(*decoded, as_binary_decodes(e));
}

TEST(KafkaBinary, TellsNullValueFromEmptyValue) {
  CloudEvent e = minimal_event();
  EXPECT_FALSE(to_kafka_binary(e).value);
  EXPECT_EQ(*from_kafka(to_kafka_binary(e)), e);
  e.set_data(std::string_view{});
  EXPECT_EQ(to_kafka_binary(e).value, "");
  EXPECT_EQ(*from_kafka(to_kafka_binary(e)), e);
}

TEST(KafkaBinary, RefusesInvalidRecords) {
  KafkaRecord r = binary_record();
  r.headers[0].second = "0.3";
  EXPECT_EQ(from_kafka(r).status().message(), "ce_specversion: unsupported value '0.3'");
  EXPECT_EQ(from_kafka(binary_record({{"ce_datacontenttype", "text/plain"}})).status().message(),
            "ce_datacontenttype: not allowed in binary mode, where content-type carries datacontenttype");
  EXPECT_EQ(from_kafka(binary_record({{"ce_Ext", "x"}})).status().message(),
            "ce_Ext: 'Ext' is not an attribute name");
  EXPECT_EQ(from_kafka(binary_record({{"ce_type", "u"}})).status().message(),
            "ce_type: header appears more than once");
  EXPECT_EQ(from_kafka(binary_record({{"ce_ext", "\xC0\xA0"}})).status().message().rfind("ce_ext: invalid UTF-8", 0),
            0u);
  KafkaRecord missing = binary_record();
  missing.headers.pop_back();
  EXPECT_EQ(from_kafka(missing).status().message(), "ce_type: required attribute is missing");
}

TEST(KafkaStructured, RoundTripsEveryAttributeType) {
  CloudEvent e = every_type_event();
  KafkaRecord r = to_kafka_structured(e);
  EXPECT_EQ(r.header("content-type"), "application/cloudevents+json; charset=UTF-8");
  auto decoded = from_kafka(r);
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().message();
  EXPECT_EQ(*decoded, as_json_decodes(e));
}

TEST(KafkaStructured, RefusesUnknownFormatsAndNullValues) {
  KafkaRecord xml{std::nullopt, {{"content-type", "application/cloudevents+xml"}}, "<event/>"};
  EXPECT_TRUE(is_unsupported_format(from_kafka(xml).status()));
  KafkaRecord empty{std::nullopt, {{"content-type", "application/cloudevents+json"}}, std::nullopt};
  EXPECT_EQ(from_kafka(empty).status().message(), "structured record has a null value");
  KafkaRecord old{std::nullopt, {{"content-type", "application/cloudevents+json"}},
                  R"({"specversion":"0.3","id":"1","source":"/s","type":"t"})"};
  EXPECT_EQ(from_kafka(old).status().message(), "specversion: unsupported value '0.3'");
}

// A consumer decodes views straight into its client's message: the same records give the same events and errors.
TEST(KafkaRecordView, DecodesLikeTheRecordItViews) {
  CloudEvent with_key = every_type_event();
  with_key.set("partitionkey", "k");
  const std::vector<KafkaRecord> records = {
      to_kafka_binary(every_type_event()),
      to_kafka_binary(with_key, partitionkey_key(with_key)),
      to_kafka_binary(minimal_event()),
      to_kafka_structured(every_type_event()),
      binary_record({{"ce_type", "duplicate"}}),
      binary_record({{"ce_Bad", "x"}}),
      {std::nullopt, {{"content-type", "application/cloudevents+xml"}}, "<event/>"},
      {std::nullopt, {{"content-type", "application/cloudevents+json"}}, std::nullopt},
  };
  for (const KafkaRecord& record : records) {
    KafkaRecordView view = view_of(record);
    EXPECT_EQ(view.key, record.key);
    EXPECT_EQ(view.value, record.value);
    auto from_record = from_kafka(record);
    auto from_view = from_kafka(view);
    ASSERT_EQ(from_view.is_ok(), from_record.is_ok()) << from_record.status().message();
    if (from_record.is_ok()) {
      EXPECT_EQ(*from_view, *from_record);
    } else {
      EXPECT_EQ(from_view.status().message(), from_record.status().message());
    }
  }
}

TEST(KafkaKey, PartitionKeyMapsToTheRecordKeyAndStaysInTheEvent) {
  CloudEvent e = minimal_event();
  e.set("partitionkey", "customer-42");
  CloudEvent before = e;
  KafkaRecord binary = to_kafka_binary(e, partitionkey_key(e));
  EXPECT_EQ(binary.key, "customer-42");
  EXPECT_EQ(binary.header("ce_partitionkey"), "customer-42");
  EXPECT_EQ(e, before);
  KafkaRecord structured = to_kafka_structured(e, partitionkey_key(e));
  EXPECT_EQ(structured.key, "customer-42");
  EXPECT_EQ(*from_kafka(structured), e);
}

TEST(KafkaKey, WithoutPartitionKeyTheUserKeyIsKept) {
  CloudEvent e = minimal_event();
  EXPECT_FALSE(partitionkey_key(e));
  EXPECT_FALSE(to_kafka_binary(e, partitionkey_key(e)).key);
  EXPECT_EQ(to_kafka_binary(e, "user-key").key, "user-key");
}

}  // namespace
}  // namespace eventhost::ce

#include "record_mapping.hpp"

#include <eventhost/cloudevents/validate.hpp>

#include <gtest/gtest.h>

namespace eventhost::kafka {
namespace {

const SourceIdentity kSource{"ns1", "my-source"};

RecordOrigin origin(int64_t offset = 42, std::optional<int64_t> ts = 1700000000123) {
  return {"orders", 3, offset, ts};
}

MappedEvent mapped(const ce::KafkaRecord& record, const RecordOrigin& origin, const SourceIdentity& source,
                   KeyType key_type) {
  MappedEvent out;
  map_record(ce::view_of(record), origin, source, key_type, out);
  return out;
}

std::string attr(const CloudEvent& e, std::string_view name) { return std::string(e.get(name).value_or("<absent>")); }

TEST(RecordMapping, PlainRecordBecomesAKnativeKafkaEvent) {
  ce::KafkaRecord r{"customer-7", {{"Trace-ID", "abc"}, {"x_tenant.name", "acme"}}, R"({"total":12})"};
  MappedEvent m = mapped(r, origin(), kSource, KeyType::string);
  const CloudEvent& e = m.event;
  EXPECT_FALSE(m.passed_through);
  EXPECT_EQ(attr(e, "specversion"), "1.0");
  EXPECT_EQ(attr(e, "id"), "partition:3/offset:42");
  EXPECT_EQ(attr(e, "source"), "/apis/v1/namespaces/ns1/kafkasources/my-source#orders");
  EXPECT_EQ(attr(e, "type"), "dev.knative.kafka.event");
  EXPECT_EQ(attr(e, "subject"), "partition:3#42");
  EXPECT_EQ(attr(e, "time"), "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(attr(e, "key"), "customer-7");
  EXPECT_EQ(attr(e, "partitionkey"), "customer-7");
  EXPECT_EQ(attr(e, "kafkaheadertraceid"), "abc") << "lower-cased, '-' dropped";
  EXPECT_EQ(attr(e, "kafkaheaderxtenantname"), "acme") << "'_' and '.' dropped";
  EXPECT_EQ(attr(e, "datacontenttype"), "<absent>");
  EXPECT_EQ(e.data(), R"({"total":12})");
  EXPECT_TRUE(ce::validate(e)) << ce::validate(e).message();
}

TEST(RecordMapping, TimeOmitsZeroMillisecondsAndIsAbsentWithoutTimestamp) {
  ce::KafkaRecord r{std::nullopt, {}, "x"};
  EXPECT_EQ(attr(mapped(r, origin(1, 1700000000000), kSource, KeyType::string).event, "time"),
            "2023-11-14T22:13:20Z");
  EXPECT_EQ(attr(mapped(r, origin(1, std::nullopt), kSource, KeyType::string).event, "time"), "<absent>");
}

TEST(RecordMapping, NullKeyAndNullValueLeaveNoTrace) {
  ce::KafkaRecord r{std::nullopt, {}, std::nullopt};
  const CloudEvent e = mapped(r, origin(), kSource, KeyType::string).event;
  EXPECT_FALSE(e.has("key"));
  EXPECT_FALSE(e.has("partitionkey"));
  EXPECT_FALSE(e.has_data());
  EXPECT_TRUE(ce::validate(e));
}

TEST(RecordMapping, ContentTypeHeaderBecomesDataContentType) {
  ce::KafkaRecord r{std::nullopt, {{"Content-Type", "Application/JSON"}}, "{}"};
  const CloudEvent e = mapped(r, origin(), kSource, KeyType::string).event;
  EXPECT_EQ(attr(e, "datacontenttype"), "application/json");
  EXPECT_FALSE(e.has("kafkaheadercontenttype"));

  ce::KafkaRecord bad{std::nullopt, {{"content-type", "not a media type"}}, "{}"};
  const CloudEvent b = mapped(bad, origin(), kSource, KeyType::string).event;
  EXPECT_FALSE(b.has("datacontenttype"));
  EXPECT_EQ(attr(b, "kafkaheadercontenttype"), "not a media type") << "kept, as a header extension";
}

TEST(RecordMapping, BytesThatAreNotACloudEventsStringAreReplaced) {
  ce::KafkaRecord r{std::string("k\xff", 2), {{"h", std::string("a\nb\xc3", 4)}}, "x"};
  const CloudEvent e = mapped(r, origin(), kSource, KeyType::string).event;
  EXPECT_EQ(attr(e, "key"), "k\xEF\xBF\xBD");
  EXPECT_EQ(attr(e, "kafkaheaderh"), "a\xEF\xBF\xBD" "b\xEF\xBF\xBD");
  EXPECT_TRUE(ce::validate(e)) << ce::validate(e).message();
}

TEST(RecordMapping, KeyTypes) {
  auto key_of = [](std::string key, KeyType type) {
    ce::KafkaRecord r{std::move(key), {}, "x"};
    CloudEvent e = mapped(r, origin(), kSource, type).event;
    auto k = e.get_typed("key");
    EXPECT_TRUE(ce::validate(e)) << ce::validate(e).message();
    return std::make_pair(std::string(k->value), k->type);
  };
  EXPECT_EQ(key_of(std::string("\x00\x00\x01\x02", 4), KeyType::integer), std::make_pair(std::string("258"), EH_ATTR_INTEGER));
  EXPECT_EQ(key_of(std::string("\xff\xff\xff\xfe", 4), KeyType::integer), std::make_pair(std::string("-2"), EH_ATTR_INTEGER));
  EXPECT_EQ(key_of(std::string("\x00\x00\x00\x01\x00\x00\x00\x00", 8), KeyType::integer),
            std::make_pair(std::string("4294967296"), EH_ATTR_STRING))
      << "beyond 32 bits stays text";
  EXPECT_EQ(key_of(std::string("\x3f\xc0\x00\x00", 4), KeyType::floating), std::make_pair(std::string("1.5"), EH_ATTR_STRING));
  EXPECT_EQ(key_of(std::string("\x40\x09\x21\xfb\x54\x44\x2d\x18", 8), KeyType::floating),
            std::make_pair(std::string("3.141592653589793"), EH_ATTR_STRING));
  EXPECT_EQ(key_of("abc", KeyType::integer), std::make_pair(std::string("YWJj"), EH_ATTR_BINARY)) << "3 bytes: not an int";
  EXPECT_EQ(key_of("abc", KeyType::bytes), std::make_pair(std::string("YWJj"), EH_ATTR_BINARY));
  EXPECT_EQ(parse_key_type("byte-array"), KeyType::bytes);
  EXPECT_EQ(parse_key_type("long"), std::nullopt);
}

TEST(RecordMapping, BinaryCloudEventPassesThrough) {
  ce::KafkaRecord r{"k",
                    {{"ce_specversion", "1.0"}, {"ce_id", "e-1"}, {"ce_source", "/orders"}, {"ce_type", "order.created"},
                     {"ce_partitionkey", "k"}, {"content-type", "application/json"}},
                    R"({"a":1})"};
  MappedEvent m = mapped(r, origin(), kSource, KeyType::string);
  EXPECT_TRUE(m.passed_through);
  EXPECT_EQ(attr(m.event, "id"), "e-1");
  EXPECT_EQ(attr(m.event, "type"), "order.created");
  EXPECT_EQ(attr(m.event, "datacontenttype"), "application/json");
  EXPECT_EQ(attr(m.event, "partitionkey"), "k");
  EXPECT_FALSE(m.event.has("subject")) << "nothing of the Knative mapping is added";
  EXPECT_EQ(m.event.data(), R"({"a":1})");
}

TEST(RecordMapping, StructuredCloudEventPassesThrough) {
  ce::KafkaRecord r{std::nullopt, {{"content-type", "application/cloudevents+json; charset=UTF-8"}},
                    R"({"specversion":"1.0","id":"s-1","source":"/x","type":"t","data":{"b":2}})"};
  MappedEvent m = mapped(r, origin(), kSource, KeyType::string);
  EXPECT_TRUE(m.passed_through);
  EXPECT_EQ(attr(m.event, "id"), "s-1");
  EXPECT_EQ(m.event.data(), R"({"b":2})");
}

TEST(RecordMapping, InvalidCloudEventIsWrappedNotLost) {
  // ce_specversion says "CloudEvent", but the id is missing: Knative wraps such records like any other.
  ce::KafkaRecord r{std::nullopt, {{"ce_specversion", "1.0"}, {"ce_type", "t"}}, "payload"};
  MappedEvent m = mapped(r, origin(), kSource, KeyType::string);
  EXPECT_FALSE(m.passed_through);
  EXPECT_EQ(attr(m.event, "type"), "dev.knative.kafka.event");
  EXPECT_EQ(attr(m.event, "kafkaheadercespecversion"), "1.0");
  EXPECT_EQ(attr(m.event, "kafkaheadercetype"), "t");
  EXPECT_EQ(m.event.data(), "payload");

  ce::KafkaRecord structured{std::nullopt, {{"content-type", "application/cloudevents+json"}}, "{not json"};
  MappedEvent s = mapped(structured, origin(), kSource, KeyType::string);
  EXPECT_FALSE(s.passed_through);
  EXPECT_EQ(attr(s.event, "datacontenttype"), "application/cloudevents+json");
  EXPECT_EQ(s.event.data(), "{not json");
}

// The consumer maps every record into the same MappedEvent: nothing of one record may survive into the next.
TEST(RecordMapping, AReusedMappedEventHoldsOnlyTheLatestRecord) {
  ce::KafkaRecord cloud_event{"k",
                              {{"ce_specversion", "1.0"}, {"ce_id", "e-1"}, {"ce_source", "/orders"},
                               {"ce_type", "order.created"}, {"ce_tenant", "acme"}},
                              "one"};
  ce::KafkaRecord plain{std::nullopt, {{"Trace-ID", "abc"}}, std::nullopt};
  ce::KafkaRecord other_event{std::nullopt,
                              {{"ce_specversion", "1.0"}, {"ce_id", "e-2"}, {"ce_source", "/x"}, {"ce_type", "t"}},
                              std::nullopt};
  MappedEvent out;
  map_record(ce::view_of(cloud_event), origin(), kSource, KeyType::string, out);
  EXPECT_TRUE(out.passed_through);
  EXPECT_EQ(attr(out.event, "tenant"), "acme");

  map_record(ce::view_of(plain), origin(), kSource, KeyType::string, out);
  EXPECT_FALSE(out.passed_through);
  EXPECT_EQ(attr(out.event, "tenant"), "<absent>");
  EXPECT_EQ(attr(out.event, "key"), "<absent>");
  EXPECT_EQ(attr(out.event, "kafkaheadertraceid"), "abc");
  EXPECT_FALSE(out.event.has_data()) << "a null value is an event without data";

  map_record(ce::view_of(other_event), origin(), kSource, KeyType::string, out);
  EXPECT_TRUE(out.passed_through);
  EXPECT_EQ(out.event.attribute_count(), 4u);
  EXPECT_EQ(attr(out.event, "id"), "e-2");
  EXPECT_FALSE(out.event.has_data());
}

TEST(RecordMapping, HeaderExtensionNames) {
  EXPECT_EQ(header_extension_name("X-Request-Id"), "kafkaheaderxrequestid");
  EXPECT_EQ(header_extension_name("ümlaut9"), "kafkaheadermlaut9");
  EXPECT_EQ(header_extension_name("---"), "kafkaheader");
}

}  // namespace
}  // namespace eventhost::kafka

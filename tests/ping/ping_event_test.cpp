// The ping event and its payload: Knative PingSource's shape, data vs data_base64, base64 decoding.
#include "ping_event.hpp"

#include <boost/uuid/string_generator.hpp>
#include <boost/uuid/uuid.hpp>
#include <gtest/gtest.h>

#include <regex>

namespace eventhost::ping {
namespace {

using std::chrono::sys_seconds;

constexpr sys_seconds kTick{std::chrono::seconds{1711848600}};  // 2024-03-31T01:30:00Z

TEST(PingEvent, HasTheKnativePingSourceShape) {
  PingPayload payload{std::string(R"({"message": "hello"})"), "application/json"};
  CloudEvent event = make_ping_event(ping_source_uri("prod", "heartbeat"), payload, kTick,
                                     "2f1c7a8e-5d8e-4a61-9c3b-2a6f2f4a9b10");

  EXPECT_EQ(event.specversion(), "1.0");
  EXPECT_EQ(event.type(), "dev.knative.sources.ping");
  EXPECT_EQ(event.source(), "/apis/v1/namespaces/prod/pingsources/heartbeat");
  EXPECT_EQ(event.id(), "2f1c7a8e-5d8e-4a61-9c3b-2a6f2f4a9b10");
  EXPECT_EQ(event.get("time"), "2024-03-31T01:30:00Z");
  EXPECT_EQ(event.get("datacontenttype"), "application/json");
  EXPECT_EQ(event.data(), R"({"message": "hello"})");
  EXPECT_EQ(event.attribute_count(), 6u);

  EXPECT_EQ(event.get_typed("source")->type, EH_ATTR_URI_REF);
  EXPECT_EQ(event.get_typed("time")->type, EH_ATTR_TIMESTAMP);
  EXPECT_EQ(event.get_typed("type")->type, EH_ATTR_STRING);
}

TEST(PingEvent, WithoutDataHasNoDataNorContentType) {
  PingPayload payload{std::nullopt, "application/json"};
  CloudEvent event = make_ping_event("/apis/v1/namespaces/default/pingsources/p", payload, kTick, "id-1");
  EXPECT_FALSE(event.has_data());
  EXPECT_FALSE(event.has("datacontenttype"));
  EXPECT_EQ(event.attribute_count(), 5u);
}

TEST(PingEvent, CarriesBinaryDataUnchanged) {
  auto payload = make_payload(std::nullopt, "AAEC/w==", "application/octet-stream");
  ASSERT_TRUE(payload) << payload.status().message();
  CloudEvent event = make_ping_event("/s", *payload, kTick, "id-1");
  EXPECT_EQ(event.data(), std::string("\x00\x01\x02\xff", 4));
  EXPECT_EQ(event.get("datacontenttype"), "application/octet-stream");
}

TEST(PingEvent, TimeIsRfc3339Utc) {
  EXPECT_EQ(format_rfc3339_utc(sys_seconds{}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339_utc(kTick), "2024-03-31T01:30:00Z");
}

TEST(PingEvent, IdsAreFreshVersion4Uuids) {
  const std::regex v4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::string first = random_uuid();
  std::string second = random_uuid();
  EXPECT_TRUE(std::regex_match(first, v4)) << first;
  EXPECT_TRUE(std::regex_match(second, v4)) << second;
  EXPECT_NE(first, second);
  EXPECT_EQ(boost::uuids::string_generator()(first).version(), boost::uuids::uuid::version_random_number_based);
}

TEST(PingPayload, TextData) {
  auto payload = make_payload(std::string("hello"), std::nullopt, "text/plain");
  ASSERT_TRUE(payload);
  EXPECT_EQ(payload->data, "hello");
  EXPECT_EQ(payload->content_type, "text/plain");
}

TEST(PingPayload, Base64DataIsDecoded) {
  auto payload = make_payload(std::nullopt, std::string("aGVsbG8="), "application/json");
  ASSERT_TRUE(payload);
  EXPECT_EQ(payload->data, "hello");
}

TEST(PingPayload, EmptyValuesCountAsUnset) {
  auto payload = make_payload(std::string(), std::string(), "application/json");
  ASSERT_TRUE(payload);
  EXPECT_FALSE(payload->data);
  EXPECT_FALSE(make_payload(std::nullopt, std::nullopt, "application/json")->data);
}

TEST(PingPayload, DataAndDataBase64AreMutuallyExclusive) {
  auto payload = make_payload(std::string("hello"), std::string("aGVsbG8="), "application/json");
  ASSERT_FALSE(payload);
  EXPECT_EQ(payload.status().message(), "'data' and 'data_base64' are mutually exclusive: set one of them");
}

TEST(PingPayload, InvalidBase64IsRefusedWithItsPosition) {
  auto payload = make_payload(std::nullopt, std::string("aG!sbG8="), "application/json");
  ASSERT_FALSE(payload);
  EXPECT_EQ(payload.status().message(), "'data_base64': not canonical base64 (RFC 4648, padded, no whitespace)");
}

}  // namespace
}  // namespace eventhost::ping

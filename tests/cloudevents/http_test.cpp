#include "test_events.hpp"

#include <eventhost/cloudevents/http.hpp>

#include <gtest/gtest.h>

namespace eventhost::ce {
namespace {

using test::as_json_decodes;
using test::every_type_event;
using test::minimal_event;
using test::as_binary_decodes;

HttpMessage binary_message(std::vector<std::pair<std::string, std::string>> extra = {}, std::string body = {}) {
  HttpMessage m{{{"ce-specversion", "1.0"}, {"ce-id", "1"}, {"ce-source", "/s"}, {"ce-type", "t"}}, std::move(body)};
  for (auto& h : extra) m.headers.push_back(std::move(h));
  return m;
}

std::string header_refusal(std::string value) {
  auto r = from_http(binary_message({{"ce-ext", std::move(value)}}));
  EXPECT_FALSE(r.is_ok());
  return r ? std::string{} : r.status().message();
}

std::optional<std::string> decoded_header(std::string value) {
  auto r = from_http(binary_message({{"ce-ext", std::move(value)}}));
  if (!r) return std::nullopt;
  return std::string(*r->get("ext"));
}

TEST(HttpHeaderValue, PercentEncodesTheSpecExample) {
  EXPECT_EQ(percent_encode("Euro € 😀"), "Euro%20%E2%82%AC%20%F0%9F%98%80");
  EXPECT_EQ(decoded_header("Euro%20%E2%82%AC%20%F0%9F%98%80"), "Euro € 😀");
}

TEST(HttpHeaderValue, EncodesSpaceQuotePercentAndNonPrintables) {
  EXPECT_EQ(percent_encode("a \"b\" 100%\t~!"), "a%20%22b%22%20100%25%09~!");
  EXPECT_EQ(percent_encode(std::string_view("\x7f\x00", 2)), "%7F%00");
}

TEST(HttpHeaderValue, AcceptsLowerCaseHexAndUnnecessaryEncoding) {
  EXPECT_EQ(decoded_header("Euro%20%e2%82%ac"), "Euro €");
  EXPECT_EQ(decoded_header("%41%42c"), "ABc");
}

TEST(HttpHeaderValue, UnescapesQuotedStringsBeforePercentDecoding) {
  EXPECT_EQ(decoded_header("\"a b\""), "a b");
  EXPECT_EQ(decoded_header(R"("say \"hi\"" there)"), "say \"hi\" there");
  EXPECT_EQ(decoded_header("\"100%25\""), "100%");
  EXPECT_EQ(decoded_header("  padded  "), "padded");
}

TEST(HttpHeaderValue, RefusesBrokenEncodings) {
  EXPECT_EQ(header_refusal("abc%"), "ce-ext: truncated percent-encoding '%'");
  EXPECT_EQ(header_refusal("abc%4"), "ce-ext: truncated percent-encoding '%4'");
  EXPECT_EQ(header_refusal("%G1x"), "ce-ext: invalid percent-encoding '%G1'");
  EXPECT_EQ(header_refusal("%C0%A0"), "ce-ext: percent-encoding is not valid UTF-8: '%C0%A0'");
  EXPECT_EQ(header_refusal("%ED%A0%80"), "ce-ext: percent-encoding is not valid UTF-8: '%ED%A0%80'");
  EXPECT_EQ(header_refusal("\"unterminated"), "ce-ext: unterminated quoted string");
  EXPECT_EQ(header_refusal("\"ends in backslash\\"), "ce-ext: unterminated quoted string");
  EXPECT_EQ(header_refusal("%0A"), "ce-ext: control character: '\n'");
}

// Header values should be ASCII, but a raw UTF-8 byte sequence is decoded as it stands, and checked like one.
TEST(HttpHeaderValue, ChecksRawNonAsciiBytesAsUtf8) {
  std::string scratch;
  EXPECT_EQ(decode_header_value("raw \xC0\xA0", scratch).status().message(), "not valid UTF-8: 'raw \xC0\xA0'");
  EXPECT_EQ(header_refusal("raw \xC0\xA0"), "ce-ext: not valid UTF-8: 'raw \xC0\xA0'");
  EXPECT_EQ(decoded_header("raw UTF-8 \xE2\x82\xAC"), "raw UTF-8 €");
}

TEST(HttpBinary, RoundTripsEveryAttributeType) {
  CloudEvent e = every_type_event();
  HttpMessage m = to_http_binary(e);
  EXPECT_EQ(m.header("content-type"), "application/json");
  EXPECT_EQ(m.header("ce-extstring"), "Euro%20%E2%82%AC%20%F0%9F%98%80%20%22quoted%22%20100%25");
  EXPECT_FALSE(m.header("ce-datacontenttype"));
  EXPECT_EQ(m.body, e.data());
  auto decoded = from_http(m);
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().message();
  EXPECT_EQ(*decoded, as_binary_decodes(e));
}

TEST(HttpBinary, RoundTripsBinaryDataAndNoData) {
  CloudEvent e = minimal_event();
  EXPECT_EQ(*from_http(to_http_binary(e)), e);
  e.set("datacontenttype", "application/octet-stream");
  e.set_data(std::string("\0\xff\x80", 3));
  EXPECT_EQ(*from_http(to_http_binary(e)), e);
}

TEST(HttpBinary, HeaderNamesAreCaseInsensitive) {
  HttpMessage m{{{"CE-SpecVersion", "1.0"}, {"Ce-Id", "1"}, {"ce-SOURCE", "/s"}, {"ce-type", "t"},
                 {"CONTENT-TYPE", "text/plain"}, {"X-Other", "ignored"}},
                "hello"};
  auto e = from_http(m);
  ASSERT_TRUE(e.is_ok()) << e.status().message();
  EXPECT_EQ(e->id(), "1");
  EXPECT_EQ(e->get("datacontenttype"), "text/plain");
  EXPECT_EQ(e->data(), "hello");
  EXPECT_EQ(e->attribute_count(), 5u);
}

TEST(HttpBinary, RefusesDataContentTypeHeader) {
  auto r = from_http(binary_message({{"ce-datacontenttype", "application/json"}}));
  EXPECT_EQ(r.status().message(),
            "ce-datacontenttype: not allowed in binary mode, where Content-Type carries datacontenttype");
}

TEST(HttpBinary, RefusesInvalidAttributes) {
  HttpMessage m = binary_message();
  m.headers[0].second = "0.3";
  EXPECT_EQ(from_http(m).status().message(), "ce-specversion: unsupported value '0.3'");
  EXPECT_EQ(from_http(m).status().code(), EH_ERR_INVALID);
  m.headers.erase(m.headers.begin());
  EXPECT_EQ(from_http(m).status().message(), "ce-specversion: required attribute is missing");
  EXPECT_EQ(from_http(binary_message({{"ce-ext_name", "x"}})).status().message(),
            "ce-ext_name: 'ext_name' is not an attribute name");
  EXPECT_EQ(from_http(binary_message({{"ce-id", "2"}})).status().message(), "ce-id: header appears more than once");
  EXPECT_EQ(from_http(binary_message({{"ce-time", "now"}})).status().message(),
            "ce-time: not an RFC 3339 timestamp: 'now'");
  EXPECT_EQ(from_http(binary_message({{"Content-Type", "nonsense"}})).status().message(),
            "Content-Type: not a media type: 'nonsense'");
}

TEST(HttpBinary, AMessageWithoutCloudEventsHeadersIsNotAnEvent) {
  HttpMessage m{{{"Content-Type", "application/json"}}, "{}"};
  EXPECT_EQ(from_http(m).status().message(), "ce-specversion: required attribute is missing");
}

TEST(HttpStructured, RoundTripsEveryAttributeType) {
  CloudEvent e = every_type_event();
  HttpMessage m = to_http_structured(e);
  EXPECT_EQ(m.header("Content-Type"), "application/cloudevents+json; charset=UTF-8");
  auto decoded = from_http(m);
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().message();
  EXPECT_EQ(*decoded, as_json_decodes(e));
}

TEST(HttpStructured, IgnoresBinaryModeHeaders) {
  HttpMessage m = to_http_structured(minimal_event());
  m.headers.emplace_back("ce-id", "something else");
  EXPECT_EQ(*from_http(m), minimal_event());
}

TEST(HttpStructured, ReportsInvalidEventsAsInvalid) {
  HttpMessage m{{{"content-type", "Application/CloudEvents+JSON"}}, R"({"specversion":"0.3"})"};
  EXPECT_EQ(from_http(m).status().code(), EH_ERR_INVALID);
  EXPECT_EQ(from_http(m).status().message(), "specversion: unsupported value '0.3'");
  EXPECT_FALSE(is_unsupported_format(from_http(m).status()));
}

TEST(HttpStructured, ReportsUnknownFormatsAsUnsupported) {
  for (const char* ct : {"application/cloudevents+xml", "application/cloudevents+avro", "application/cloudevents"}) {
    HttpMessage m{{{"Content-Type", ct}}, "<event/>"};
    auto r = from_http(m);
    EXPECT_TRUE(is_unsupported_format(r.status())) << ct;
    EXPECT_EQ(r.status().message(), "unsupported event format " + in_quotes(ct));
  }
  HttpMessage batch{{{"Content-Type", "application/cloudevents-batch+xml"}}, "<events/>"};
  EXPECT_TRUE(is_unsupported_format(events_from_http(batch).status()));
}

TEST(HttpBatched, RoundTripsSeveralEvents) {
  std::vector<CloudEvent> events{every_type_event(), minimal_event()};
  HttpMessage m = to_http_batch(events);
  EXPECT_EQ(m.header("content-type"), "application/cloudevents-batch+json; charset=UTF-8");
  auto decoded = events_from_http(m);
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().message();
  EXPECT_EQ(*decoded, (std::vector<CloudEvent>{as_json_decodes(events[0]), minimal_event()}));
}

TEST(HttpBatched, FromHttpExpectsASingleEvent) {
  auto r = from_http(to_http_batch({minimal_event()}));
  EXPECT_EQ(r.status().message(),
            "Content-Type 'application/cloudevents-batch+json; charset=UTF-8' is a batch; expected a single event");
}

TEST(HttpModes, EventsFromHttpAcceptsEveryMode) {
  CloudEvent e = every_type_event();
  auto binary = events_from_http(to_http_binary(e));
  ASSERT_TRUE(binary.is_ok()) << binary.status().message();
  EXPECT_EQ(*binary, std::vector<CloudEvent>{as_binary_decodes(e)});
  auto structured = events_from_http(to_http_structured(e));
  ASSERT_TRUE(structured.is_ok());
  EXPECT_EQ(*structured, std::vector<CloudEvent>{as_json_decodes(e)});
}

TEST(HttpModes, ChosenFromTheContentTypePrefix) {
  EXPECT_EQ(content_mode(std::nullopt), ContentMode::binary);
  EXPECT_EQ(content_mode("application/json"), ContentMode::binary);
  EXPECT_EQ(content_mode("application/cloudevents+json; charset=utf-8"), ContentMode::structured);
  EXPECT_EQ(content_mode("APPLICATION/CLOUDEVENTS+json"), ContentMode::structured);
  EXPECT_EQ(content_mode("application/cloudevents-batch+json"), ContentMode::batched);
}

}  // namespace
}  // namespace eventhost::ce

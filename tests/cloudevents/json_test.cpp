#include "test_events.hpp"

#include <eventhost/cloudevents/json.hpp>

#include <gtest/gtest.h>

namespace eventhost::ce {
namespace {

using test::as_json_decodes;
using test::every_type_event;
using test::minimal_event;

CloudEvent decode(std::string_view json) {
  auto r = from_json(json);
  EXPECT_TRUE(r.is_ok()) << r.status().message();
  return r ? *r : CloudEvent{};
}

std::string refusal(std::string_view json) {
  auto r = from_json(json);
  EXPECT_FALSE(r.is_ok()) << json;
  return r ? std::string{} : r.status().message();
}

constexpr std::string_view kHead = R"("specversion":"1.0","type":"t","source":"/s","id":"1")";

std::string event_json(std::string_view members) {
  return "{" + std::string(kHead) + (members.empty() ? "" : ",") + std::string(members) + "}";
}

TEST(Json, RoundTripsEveryAttributeType) {
  CloudEvent e = every_type_event();
  EXPECT_EQ(decode(to_json(e)), as_json_decodes(e));
}

TEST(Json, WritesBooleanAndIntegerExtensionsAsJsonValues) {
  std::string json = to_json(every_type_event());
  EXPECT_NE(json.find(R"("extbool":true)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("extint":-2147483648)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("data":{"appinfoA":"abc")"), std::string::npos) << json;
}

TEST(Json, DecodesTheSpecExampleWithBinaryData) {
  CloudEvent e = decode(R"({
    "specversion" : "1.0", "type" : "com.example.someevent", "source" : "/mycontext",
    "id" : "A234-1234-1234", "time" : "2018-04-05T17:31:00Z", "comexampleextension1" : "value",
    "comexampleothervalue" : 5, "datacontenttype" : "application/vnd.apache.thrift.binary",
    "data_base64" : "AAH/"
  })");
  EXPECT_EQ(e.data(), std::string("\x00\x01\xff", 3));
  EXPECT_EQ(e.get_typed("comexampleothervalue")->type, EH_ATTR_INTEGER);
  EXPECT_EQ(e.get_typed("time")->type, EH_ATTR_TIMESTAMP);
  EXPECT_EQ(e.get_typed("source")->type, EH_ATTR_URI_REF);
  EXPECT_EQ(decode(to_json(e)), e);
  EXPECT_NE(to_json(e).find(R"("data_base64":"AAH/")"), std::string::npos);
}

TEST(Json, DecodesTheSpecExampleWithXmlData) {
  CloudEvent e = decode(R"({
    "specversion" : "1.0", "type" : "com.example.someevent", "source" : "/mycontext", "id" : "B234-1234-1234",
    "unsetextension": null, "datacontenttype" : "application/xml", "data" : "<much wow=\"xml\"/>"
  })");
  EXPECT_EQ(e.data(), R"(<much wow="xml"/>)");
  EXPECT_FALSE(e.has("unsetextension"));
  EXPECT_EQ(decode(to_json(e)), e);
  EXPECT_NE(to_json(e).find(R"("data":"<much wow=\"xml\"/>")"), std::string::npos);
}

TEST(Json, KeepsJsonDataAsCompactJsonText) {
  CloudEvent e = decode(event_json(R"("datacontenttype":"application/json","data" : { "a" : [ 1, 2.50, "x" ] })"));
  EXPECT_EQ(e.data(), R"({"a":[1,2.50,"x"]})");
  EXPECT_EQ(decode(event_json(R"("data":"I'm just a string")")).data(), R"("I'm just a string")");
  EXPECT_EQ(decode(event_json(R"("data":null)")).data(), "null");
  EXPECT_EQ(decode(event_json(R"("datacontenttype":"application/vnd.x+json","data":7)")).data(), "7");
}

// Compact data is copied from the input; any other spelling of the same value is re-serialized to the same form.
TEST(Json, WritesJsonDataEscapesInOneCanonicalForm) {
  auto data_of = [](std::string data) { return std::string(decode(event_json("\"data\":" + data)).data()); };
  std::string canonical = R"(["a\"b\\c\n\u001F","0123456789abcdef\"x",{"k\t":"\u0000"}])";
  EXPECT_EQ(data_of(canonical), canonical);
  EXPECT_EQ(data_of(R"(["\u00e9\/\u001f\u0008","0123456789abcdef\u0022x",{"k\u0009":"\u0000"}])"),
            R"(["é/\u001F\b","0123456789abcdef\"x",{"k\t":"\u0000"}])");
}

TEST(Json, RoundTripsDataOfEveryShape) {
  struct Case {
    const char* content_type;  // nullptr: absent
    std::string data;
  };
  for (const Case& c : {Case{nullptr, R"({"a":1})"}, Case{nullptr, R"("just a string")"}, Case{nullptr, "null"},
                        Case{nullptr, "not json"}, Case{"application/json", "[1,2]"},
                        Case{"application/json", "{broken"}, Case{"text/plain", "héllo\nworld"},
                        Case{"text/plain", "\xC0\xA0 not utf-8"}, Case{"application/octet-stream", "abc"},
                        Case{"application/octet-stream", std::string("\0\xff", 2)}, Case{"text/plain", ""}}) {
    CloudEvent e = minimal_event();
    if (c.content_type) e.set("datacontenttype", c.content_type);
    e.set_data(c.data);
    EXPECT_EQ(decode(to_json(e)), e) << to_json(e);
  }
}

TEST(Json, RoundTripsEventsWithoutData) {
  CloudEvent e = minimal_event();
  EXPECT_EQ(to_json(e), "{" + std::string(R"("specversion":"1.0","id":"A234-1234-1234","source":"/mycontext",)") +
                            R"("type":"com.example.someevent"})");
  EXPECT_EQ(decode(to_json(e)), e);
}

TEST(Json, NullMeansUnset) {
  CloudEvent e = decode(event_json(R"("subject":null,"time":null,"ext":null,"data_base64":null)"));
  EXPECT_EQ(e.attribute_count(), 4u);
  EXPECT_FALSE(e.has_data());
  EXPECT_EQ(refusal(R"({"specversion":"1.0","type":"t","source":"/s","id":null})"),
            "id: required attribute is missing");
}

TEST(Json, RefusesDataTogetherWithDataBase64) {
  EXPECT_EQ(refusal(event_json(R"("data":"x","data_base64":"eA==")")), "data and data_base64 are mutually exclusive");
  EXPECT_EQ(refusal(event_json(R"("data_base64":"eA==","data":null)")), "data and data_base64 are mutually exclusive");
}

TEST(Json, RefusesInvalidDataBase64) {
  EXPECT_EQ(refusal(event_json(R"("data_base64":"eA")")), "data_base64: not canonical base64 (RFC 4648)");
  EXPECT_EQ(refusal(event_json(R"("data_base64":5)")), "data_base64: must be a base64 string");
}

TEST(Json, RefusesIntegerExtensionsOutsideInt32OrWithFraction) {
  EXPECT_EQ(decode(event_json(R"("ext":2147483647)")).get("ext"), "2147483647");
  EXPECT_EQ(decode(event_json(R"("ext":-0)")).get("ext"), "0");
  EXPECT_EQ(refusal(event_json(R"("ext":2147483648)")), "ext: not a signed 32-bit Integer: '2147483648'");
  EXPECT_EQ(refusal(event_json(R"("ext":-2147483649)")), "ext: not a signed 32-bit Integer: '-2147483649'");
  EXPECT_EQ(refusal(event_json(R"("ext":1.5)")), "ext: not a signed 32-bit Integer: '1.5'");
  EXPECT_EQ(refusal(event_json(R"("ext":1.0)")), "ext: not a signed 32-bit Integer: '1.0'");
  EXPECT_EQ(refusal(event_json(R"("ext":1e3)")), "ext: not a signed 32-bit Integer: '1e3'");
}

TEST(Json, KeepsTheJsonTypeOfExtensions) {
  CloudEvent e = decode(event_json(R"("b":false,"n":42,"s":"42")"));
  EXPECT_EQ(e.get_typed("b")->type, EH_ATTR_BOOLEAN);
  EXPECT_EQ(e.get_typed("n")->type, EH_ATTR_INTEGER);
  EXPECT_EQ(e.get_typed("s")->type, EH_ATTR_STRING);
  EXPECT_EQ(decode(to_json(e)), e);
}

TEST(Json, StandardAttributesMustBeJsonStrings) {
  EXPECT_EQ(refusal(R"({"specversion":"1.0","type":"t","source":"/s","id":5})"), "id: must be a JSON string");
  EXPECT_EQ(refusal(event_json(R"("subject":true)")), "subject: must be a JSON string");
}

TEST(Json, RefusesStructuredAttributeValues) {
  EXPECT_EQ(refusal(event_json(R"("ext":{"a":1})")), "ext: must be a string, number or boolean, not an object");
  EXPECT_EQ(refusal(event_json(R"("ext":[1])")), "ext: must be a string, number or boolean, not an array");
}

TEST(Json, RefusesInvalidMemberNamesAndDuplicates) {
  EXPECT_EQ(refusal(event_json(R"("Ext":"x")")),
            "member 'Ext' is not an attribute name (lower-case letters and digits only)");
  EXPECT_EQ(refusal(event_json(R"("id":"2")")), "id: appears more than once");
  EXPECT_EQ(refusal(event_json(R"("data":1,"data":2)")), "data: appears more than once");
}

TEST(Json, RefusesNonJsonDataThatIsNotAString) {
  EXPECT_EQ(refusal(event_json(R"("datacontenttype":"application/xml","data":{"a":1})")),
            "data: must be a JSON string, as datacontenttype 'application/xml' is not JSON");
}

TEST(Json, RefusesOtherSpecVersionsAndMissingAttributes) {
  EXPECT_EQ(refusal(R"({"specversion":"0.3","type":"t","source":"/s","id":"1","schemaurl":"x"})"),
            "specversion: unsupported value '0.3'");
  EXPECT_EQ(refusal(R"({"specversion":"1.0","source":"/s","id":"1"})"), "type: required attribute is missing");
}

TEST(Json, RefusesDocumentsThatAreNotOneEventObject) {
  EXPECT_EQ(refusal("[]"), "an event must be a JSON object");
  EXPECT_EQ(refusal("\"event\""), "an event must be a JSON object");
  EXPECT_EQ(refusal(event_json("") + " {}").rfind("not valid JSON at offset", 0), 0u);
  EXPECT_EQ(refusal(R"({"specversion":"1.0",)"), "not valid JSON at offset 21: Missing a name for object member.");
  EXPECT_EQ(refusal("{\"id\":\"\xC0\xA0\"}").rfind("not valid JSON", 0), 0u);
  EXPECT_EQ(refusal(event_json("") + std::string("\0trailing", 9)), "not valid JSON: contains a NUL byte");
}

TEST(Json, SurvivesDeeplyNestedData) {
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_EQ(decode(event_json("\"data\":" + deep)).data(), deep);
}

TEST(JsonBatch, RoundTripsSeveralEvents) {
  CloudEvent other = minimal_event();
  other.set("id", "2");
  other.set("datacontenttype", "application/octet-stream");
  other.set_data(std::string("\x01\x02", 2));
  std::vector<CloudEvent> events{every_type_event(), other, minimal_event()};
  auto decoded = batch_from_json(batch_to_json(events));
  ASSERT_TRUE(decoded.is_ok()) << decoded.status().message();
  EXPECT_EQ(*decoded, (std::vector<CloudEvent>{as_json_decodes(events[0]), other, minimal_event()}));
}

TEST(JsonBatch, AcceptsAnEmptyBatch) {
  EXPECT_EQ(batch_to_json({}), "[]");
  auto decoded = batch_from_json("[]");
  ASSERT_TRUE(decoded.is_ok());
  EXPECT_TRUE(decoded->empty());
}

TEST(JsonBatch, NamesTheEventThatFails) {
  std::string batch = "[" + event_json("") + R"(,{"specversion":"0.3","type":"t","source":"/s","id":"1"}])";
  EXPECT_EQ(batch_from_json(batch).status().message(), "event 1: specversion: unsupported value '0.3'");
  EXPECT_EQ(batch_from_json("[" + event_json("") + ",5]").status().message(), "event 1: an event must be a JSON object");
  EXPECT_EQ(batch_from_json(event_json("")).status().message(), "a batch must be a JSON array of events");
  EXPECT_EQ(batch_from_json("[[]]").status().message(), "event 0: an event must be a JSON object");
}

}  // namespace
}  // namespace eventhost::ce

#include "test_events.hpp"

#include <eventhost/cloudevents/validate.hpp>

#include <gtest/gtest.h>

namespace eventhost::ce {
namespace {

using test::every_type_event;
using test::minimal_event;

std::string violation(const CloudEvent& e) {
  Status s = validate(e);
  EXPECT_FALSE(s.is_ok());
  EXPECT_EQ(s.code(), EH_ERR_INVALID);
  return s.message();
}

TEST(Validate, AcceptsValidEvents) {
  EXPECT_TRUE(validate(minimal_event()).is_ok());
  EXPECT_TRUE(validate(every_type_event()).is_ok()) << validate(every_type_event()).message();
}

TEST(Validate, RequiresEachRequiredAttribute) {
  for (const char* name : {"id", "source", "specversion", "type"}) {
    CloudEvent e = minimal_event();
    e.remove(name);
    EXPECT_EQ(violation(e), std::string(name) + ": required attribute is missing");
  }
}

TEST(Validate, RefusesEmptyRequiredAttributes) {
  for (const char* name : {"id", "source", "type"}) {
    CloudEvent e = minimal_event();
    e.set(name, "");
    EXPECT_EQ(violation(e), std::string(name) + ": must not be empty");
  }
}

TEST(Validate, AcceptsOnlySpecVersion1_0) {
  CloudEvent e = minimal_event();
  e.set("specversion", "0.3");
  EXPECT_EQ(violation(e), "specversion: unsupported value '0.3'");
  e.set("specversion", "1.0.2");
  EXPECT_EQ(violation(e), "specversion: unsupported value '1.0.2'");
}

TEST(Validate, ReportsSpecVersionBeforeOtherAttributes) {
  CloudEvent e;
  e.set("specversion", "0.3");
  EXPECT_EQ(violation(e), "specversion: unsupported value '0.3'");
}

TEST(Validate, NamesAttributesWithTheGivenPrefix) {
  CloudEvent e = minimal_event();
  e.set("specversion", "0.3");
  EXPECT_EQ(validate(e, "ce-").message(), "ce-specversion: unsupported value '0.3'");
}

TEST(Validate, AttributeNamesAreLowerCaseLettersAndDigits) {
  CloudEvent e = minimal_event();
  e.set("averyveryverylongextensionname2", "x");  // over the advised 20 characters: still valid
  EXPECT_TRUE(validate(e).is_ok());
  for (const char* bad : {"Upper", "with_underscore", "with-dash", "ünicode", ""}) {
    CloudEvent b = minimal_event();
    b.set(bad, "x");
    EXPECT_NE(violation(b).find("must consist of lower-case letters and digits"), std::string::npos) << bad;
  }
}

TEST(Validate, DataIsNotAnAttributeName) {
  CloudEvent e = minimal_event();
  e.set("data", "x");
  EXPECT_EQ(violation(e), "data: name is reserved for the event data");
}

TEST(Validate, SourceMustBeAUriReference) {
  CloudEvent e = minimal_event();
  e.set("source", "not a uri", EH_ATTR_URI_REF);
  EXPECT_EQ(violation(e), "source: not a URI-reference (RFC 3986 §4.1): 'not a uri'");
}

TEST(Validate, TimeMustBeRfc3339) {
  CloudEvent e = minimal_event();
  e.set("time", "2018-04-05 17:31:00", EH_ATTR_TIMESTAMP);
  EXPECT_EQ(violation(e), "time: not an RFC 3339 timestamp: '2018-04-05 17:31:00'");
}

TEST(Validate, DataSchemaMustBeAnAbsoluteUri) {
  CloudEvent e = minimal_event();
  e.set("dataschema", "/schema.json", EH_ATTR_URI);
  EXPECT_EQ(violation(e), "dataschema: not an absolute URI (RFC 3986 §4.3): '/schema.json'");
  e.set("dataschema", "", EH_ATTR_URI);
  EXPECT_NE(violation(e).find("dataschema:"), std::string::npos);
}

TEST(Validate, SubjectMustNotBeEmpty) {
  CloudEvent e = minimal_event();
  e.set("subject", "");
  EXPECT_EQ(violation(e), "subject: must not be empty");
}

TEST(Validate, DataContentTypeMustBeAMediaType) {
  CloudEvent e = minimal_event();
  e.set("datacontenttype", "json");
  EXPECT_EQ(violation(e), "datacontenttype: not a media type (RFC 2046): 'json'");
}

TEST(Validate, StandardAttributesKeepTheirSpecType) {
  CloudEvent e = minimal_event();
  e.set("time", "2018-04-05T17:31:00Z");  // a String tag is the canonical form of any type
  EXPECT_TRUE(validate(e).is_ok());
  e.set("time", "2018-04-05T17:31:00Z", EH_ATTR_INTEGER);
  EXPECT_EQ(violation(e), "time: must be of type Timestamp, not Integer");
}

TEST(Validate, ChecksTypedExtensionsCanonically) {
  struct Case {
    AttributeType type;
    const char* good;
    const char* bad;
    const char* reason;
  };
  for (const Case& c : {Case{EH_ATTR_BOOLEAN, "false", "TRUE", "not a Boolean"},
                        Case{EH_ATTR_INTEGER, "2147483647", "2147483648", "not a signed 32-bit Integer"},
                        Case{EH_ATTR_INTEGER, "-7", "1.5", "not a signed 32-bit Integer"},
                        Case{EH_ATTR_BINARY, "Zm9vYg==", "Zm9vYg", "not canonical base64"},
                        Case{EH_ATTR_URI, "https://x/y", "y/z", "not an absolute URI"},
                        Case{EH_ATTR_URI_REF, "y/z", "y z", "not a URI-reference"},
                        Case{EH_ATTR_TIMESTAMP, "2018-04-05T17:31:00Z", "yesterday", "not an RFC 3339 timestamp"}}) {
    CloudEvent e = minimal_event();
    e.set("ext", c.good, c.type);
    EXPECT_TRUE(validate(e).is_ok()) << c.good;
    e.set("ext", c.bad, c.type);
    EXPECT_EQ(violation(e).rfind(std::string("ext: ") + c.reason, 0), 0u) << c.bad;
  }
}

TEST(Validate, StringsRefuseControlCharactersAndInvalidUtf8) {
  CloudEvent e = minimal_event();
  e.set("subject", "two\nlines");
  EXPECT_EQ(violation(e), "subject: control character: 'two\nlines'");
  e.set("subject", "\xC0\xA0");
  EXPECT_EQ(violation(e).rfind("subject: invalid UTF-8", 0), 0u);
}

TEST(Validate, PartitionKeyMustNotBeEmpty) {
  CloudEvent e = minimal_event();
  e.set("partitionkey", "");
  EXPECT_EQ(violation(e), "partitionkey: must not be empty");
}

bool is_printable_ascii(std::string_view s) {
  for (char c : s) {
    if (c < 0x20 || c > 0x7E) return false;
  }
  return true;
}

// What the binary-mode decoders check while storing attributes must agree with validate(): accepting more would
// weaken the rules (the decoders skip validate() when the checks pass), refusing more would cost a second pass.
TEST(DecodedAttributeChecks, AgreeWithValidate) {
  const std::string_view names[] = {"specversion", "id", "source", "type", "time", "subject", "dataschema",
                                    "partitionkey", "data", "ext", "sequence"};
  const std::string_view values[] = {
      "", "1.0", "0.3", "x", "/s", "a b", std::string_view("a\0b", 3), "a\x7f", "tab\there", "caf\xC3\xA9",
      "\xEF\xB7\x90", "\xEF\xBF\xBE", "\xC2\x85", "\xC0\xA0", "0123456789abcdef\x01", "0123456789abcdef\x7f",
      "http://example.com/x?y#z", "http://example.com/x?y", "urn:a:b", "a:b/c", "//h:80/p", "/p%2", "/p%zz", "/p%41",
      "[::1]", "http://[::1]:8/", "http://[v1.x]/", "http://u@h/", "#f", "?q", "a/b:c", "2026-11-23T03:00:00Z",
      "2026-11-23T03:00:00.123Z", "2026-02-29T03:00:00Z", "2024-02-29T03:00:00Z", "2026-11-23t03:00:00.5+01:00",
      "2026-11-23T24:00:00Z", "2026-11-23T03:00:60Z", "2026-11-23T03:00:00.Z", "2026-11-23T03:00:00+1:00",
      "2026-11-23T03:00:00", "2026-11-23T03:00:00+23:59", "2026-11-23T03:00:00-24:00", "2026-13-01T00:00:00Z",
      "20a6-11-23T03:00:00Z"};
  for (std::string_view name : names) {
    for (std::string_view value : values) {
      CloudEvent event = minimal_event();
      event.set(name, value, string_attribute_type(name));
      for (bool printable_known : {false, true}) {
        detail::DecodedAttributeChecks checks;
        event.for_each([&](const AttributeView& a) {
          checks.check(a.name, a.value, printable_known && is_printable_ascii(a.value));
          return true;
        });
        EXPECT_EQ(checks.passed(), validate(event).is_ok()) << name << " = '" << value << "'";
      }
    }
  }
  for (std::string_view missing : {"specversion", "id", "source", "type"}) {
    CloudEvent event = minimal_event();
    event.remove(missing);
    detail::DecodedAttributeChecks checks;
    event.for_each([&](const AttributeView& a) { return checks.check(a.name, a.value, false), true; });
    EXPECT_FALSE(checks.passed()) << "without " << missing;
  }
  // The content type, which decoders have parsed as a media type already.
  for (std::string_view content_type : {"application/json", "text/plain; a=\"\x01\"", "text/plain; a=\"\xC3\xA9\""}) {
    CloudEvent event = minimal_event();
    event.set("datacontenttype", content_type);
    detail::DecodedAttributeChecks checks;
    event.for_each([&](const AttributeView& a) {
      if (a.name == "datacontenttype") {
        checks.content_type(a.value);
      } else {
        checks.check(a.name, a.value, false);
      }
      return true;
    });
    EXPECT_EQ(checks.passed(), validate(event).is_ok()) << content_type;
  }
}

}  // namespace
}  // namespace eventhost::ce

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

}  // namespace
}  // namespace eventhost::ce

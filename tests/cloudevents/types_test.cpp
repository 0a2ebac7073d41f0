#include <eventhost/cloudevents/base64.hpp>
#include <eventhost/cloudevents/media_type.hpp>
#include <eventhost/cloudevents/rfc3339.hpp>
#include <eventhost/cloudevents/types.hpp>
#include <eventhost/cloudevents/unicode.hpp>
#include <eventhost/cloudevents/uri.hpp>

#include <gtest/gtest.h>

namespace eventhost::ce {
namespace {

TEST(Integer, ParsesTheSigned32BitRange) {
  EXPECT_EQ(parse_integer("0"), 0);
  EXPECT_EQ(parse_integer("-0"), 0);
  EXPECT_EQ(parse_integer("2147483647"), 2147483647);
  EXPECT_EQ(parse_integer("-2147483648"), INT32_MIN);
}

TEST(Integer, RefusesOutOfRangeAndNonCanonicalText) {
  for (const char* bad : {"2147483648", "-2147483649", "99999999999", "", "-", "+1", "01", "1.0", "1e3", " 1", "0x1"}) {
    EXPECT_FALSE(parse_integer(bad)) << bad;
  }
}

TEST(Integer, FormatsCanonically) {
  EXPECT_EQ(canonical_integer(-42), "-42");
  EXPECT_EQ(canonical_integer(INT32_MIN), "-2147483648");
}

TEST(Boolean, AcceptsOnlyLowerCaseTrueAndFalse) {
  EXPECT_EQ(parse_boolean("true"), true);
  EXPECT_EQ(parse_boolean("false"), false);
  EXPECT_FALSE(parse_boolean("True"));
  EXPECT_FALSE(parse_boolean("1"));
  EXPECT_EQ(canonical_boolean(true), "true");
}

TEST(Base64, EncodesPerRfc4648TestVectors) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(base64_encode(std::string("\0\xff\xfe", 3)), "AP/+");
}

TEST(Base64, DecodesWhatItEncodes) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (size_t n = 0; n < 10; ++n) EXPECT_EQ(base64_decode(base64_encode(all.substr(0, n))), all.substr(0, n));
  EXPECT_EQ(base64_decode(base64_encode(all)), all);
}

TEST(Base64, RefusesNonCanonicalText) {
  for (const char* bad : {"Zg", "Zg=", "Zh==", "Zm9=", "Zm 9v", "Zm9v\n", "Zm-_", "====", "Z===", "Zm=v"}) {
    EXPECT_FALSE(base64_decode(bad)) << bad;
  }
}

TEST(Timestamp, AcceptsRfc3339DateTimes) {
  for (const char* good : {"2018-04-05T17:31:00Z", "1985-04-12T23:20:50.52Z", "1996-12-19T16:39:57-08:00",
                           "1990-12-31T23:59:60Z", "2020-02-29T00:00:00+14:00", "2018-04-05t17:31:00z"}) {
    EXPECT_TRUE(is_rfc3339_timestamp(good)) << good;
  }
}

TEST(Timestamp, RefusesAnythingElse) {
  for (const char* bad : {"2018-04-05", "2018-04-05T17:31:00", "2018-04-05 17:31:00Z", "2018-13-01T00:00:00Z",
                          "2019-02-29T00:00:00Z", "2018-04-31T00:00:00Z", "2018-04-05T24:00:00Z",
                          "2018-04-05T17:60:00Z", "2018-04-05T17:31:61Z", "2018-04-05T17:31:00.Z",
                          "2018-04-05T17:31:00+0100", "2018-04-05T17:31:00+01:60", "18-04-05T17:31:00Z",
                          "2018-04-05T17:31:00Zjunk", ""}) {
    EXPECT_FALSE(is_rfc3339_timestamp(bad)) << bad;
  }
}

TEST(Uri, AbsoluteUrisHaveASchemeAndNoFragment) {
  for (const char* good : {"https://example.com/schema.json", "urn:example:thing", "http://[::1]:8080/x?y=1",
                           "mailto:a@example.com", "http://user:pw@host:80/p%20q", "file:///tmp/x"}) {
    EXPECT_TRUE(is_absolute_uri(good)) << good;
  }
  for (const char* bad : {"/relative", "example.com", "https://x/y#frag", "http://x/a b", "http://x/%zz",
                          "1http://x", "http://x:port/", "http://[::1/", ""}) {
    EXPECT_FALSE(is_absolute_uri(bad)) << bad;
  }
}

TEST(Uri, ReferencesMayBeRelative) {
  for (const char* good : {"/mycontext", "../relative?q=1#frag", "mycontext/sub", "#frag", "",
                           "https://github.com/cloudevents", "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66"}) {
    EXPECT_TRUE(is_uri_reference(good)) << good;
  }
  for (const char* bad : {"a b", "a_b:c", "1a:b", "/x?%4", "/x#a#b", "/x\"y", "//host:x/"}) {
    EXPECT_FALSE(is_uri_reference(bad)) << bad;
  }
}

TEST(Utf8, RefusesOverlongSurrogateAndTruncatedSequences) {
  EXPECT_TRUE(is_valid_utf8("Euro € 😀"));
  for (std::string bad : {"\xC0\xA0", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xE2\x82", "\xFF", "\x80"}) {
    EXPECT_FALSE(is_valid_utf8(bad)) << bad;
  }
}

TEST(Utf8, StringsExcludeControlCharactersAndNoncharacters) {
  EXPECT_EQ(string_violation("plain text €"), nullptr);
  EXPECT_STREQ(string_violation("line\nbreak"), "control character");
  EXPECT_STREQ(string_violation("\xC2\x85"), "control character");  // U+0085
  EXPECT_STREQ(string_violation("\xEF\xBF\xBF"), "Unicode noncharacter");  // U+FFFF
  EXPECT_STREQ(string_violation("\xEF\xB7\x90"), "Unicode noncharacter");  // U+FDD0
}

TEST(MediaType, ParsesTypeSubtypeAndParameters) {
  auto m = parse_media_type("application/json; charset=utf-8");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->type, "application");
  EXPECT_EQ(m->subtype, "json");
  EXPECT_EQ(m->parameters, "charset=utf-8");
  EXPECT_TRUE(parse_media_type("text/plain;format=\"a;b\""));
  for (const char* bad : {"json", "application/", "/json", "a b/c", "text/plain; charset", "text/plain;x=\"open"}) {
    EXPECT_FALSE(parse_media_type(bad)) << bad;
  }
}

TEST(MediaType, RecognisesJsonContentTypes) {
  EXPECT_TRUE(is_json_content_type(std::nullopt));
  EXPECT_TRUE(is_json_content_type("application/json"));
  EXPECT_TRUE(is_json_content_type("Text/JSON; charset=utf-8"));
  EXPECT_TRUE(is_json_content_type("application/cloudevents+json"));
  EXPECT_FALSE(is_json_content_type("application/xml"));
  EXPECT_FALSE(is_json_content_type("application/jsonx"));
}

}  // namespace
}  // namespace eventhost::ce

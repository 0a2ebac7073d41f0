#include "fake_host.hpp"
#include "topic_template.hpp"

#include <gtest/gtest.h>

namespace eventhost::kafka {
namespace {

class TopicTemplateTest : public ::testing::Test {
 protected:
  Result<std::string> resolve(std::string_view text, const CloudEvent& event) {
    auto t = TopicTemplate::parse(text);
    if (!t) return t.status();
    eh_event ev{event};
    return t->resolve(EventRef(host_.host().api(), &ev));
  }
  static CloudEvent event_with(std::string_view data = {}) {
    CloudEvent e;
    e.set("id", "1");
    e.set("source", "/s", EH_ATTR_URI_REF);
    e.set("type", "t");
    e.set("specversion", "1.0");
    e.set("namespace", "team-a");
    e.set("count", "7", EH_ATTR_INTEGER);
    if (!data.empty()) e.set_data(data);
    return e;
  }
  testing::FakeHost host_;
};

TEST_F(TopicTemplateTest, LiteralTopic) {
  auto t = TopicTemplate::parse("orders");
  ASSERT_TRUE(t) << t.status().message();
  EXPECT_TRUE(t->is_literal());
  EXPECT_EQ(*resolve("orders", event_with()), "orders");
}

TEST_F(TopicTemplateTest, AttributePlaceholders) {
  EXPECT_EQ(*resolve("events-{namespace}", event_with()), "events-team-a");
  EXPECT_EQ(*resolve("{type}.{namespace}.{count}", event_with()), "t.team-a.7");
}

TEST_F(TopicTemplateTest, DataPointerPlaceholders) {
  auto ev = event_with(R"({"involvedObject":{"namespace":"kube-system","n":3,"a/b":"x"},"flag":true})");
  EXPECT_EQ(*resolve("k8s-{data:/involvedObject/namespace}", ev), "k8s-kube-system");
  EXPECT_EQ(*resolve("n{data:/involvedObject/n}", ev), "n3");
  EXPECT_EQ(*resolve("{data:/involvedObject/a~1b}", ev), "x") << "RFC 6901 escapes";
  EXPECT_EQ(*resolve("f-{data:/flag}", ev), "f-true");
}

TEST_F(TopicTemplateTest, DoubledBracesAreLiteral) {
  // Braces are not legal in topic names, so the escape only matters for the error it produces.
  auto literal = TopicTemplate::parse("a{{b}}");
  ASSERT_FALSE(literal);
  EXPECT_EQ(literal.status().message(), "topic \"a{b}\" contains '{' (allowed: a-z A-Z 0-9 . _ -)");
  auto r = resolve("{{{type}}}", event_with());
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("gave \"{t}\""), std::string::npos) << r.status().message();
}

TEST_F(TopicTemplateTest, MalformedTemplatesAreRejectedWithTheReason) {
  struct Case {
    const char* text;
    const char* reason;
  } cases[] = {
      {"events-{namespace", "'{' at position 7 is not closed"},
      {"events-}", "'}' at position 7 closes nothing"},
      {"events-{}", "{}: expected an attribute name"},
      {"events-{Name}", "{Name}: expected an attribute name ([a-z0-9]+)"},
      {"events-{data:x}", "{data:x}: expected a JSON pointer"},
      {"events-{data:}", "{data:}: expected a JSON pointer"},
      {"bad topic", "topic \"bad topic\" contains ' '"},
      {"", "topic \"\" is empty"},
      {"..", "may not be"},
  };
  for (const auto& c : cases) {
    auto t = TopicTemplate::parse(c.text);
    ASSERT_FALSE(t) << c.text;
    EXPECT_NE(t.status().message().find(c.reason), std::string::npos) << c.text << " -> " << t.status().message();
  }
  EXPECT_FALSE(TopicTemplate::parse(std::string(250, 'a')));
  EXPECT_TRUE(TopicTemplate::parse(std::string(249, 'a')));
}

TEST_F(TopicTemplateTest, MissingValuesAreNotFound) {
  auto r = resolve("events-{tenant}", event_with());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), EH_ERR_NOT_FOUND);
  EXPECT_EQ(r.status().message(), "topic template \"events-{tenant}\": the event has no attribute 'tenant'");

  r = resolve("k8s-{data:/involvedObject/namespace}", event_with(R"({"involvedObject":{}})"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), EH_ERR_NOT_FOUND);
  EXPECT_NE(r.status().message().find("no value at /involvedObject/namespace"), std::string::npos);

  r = resolve("k8s-{data:/a}", event_with());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), EH_ERR_NOT_FOUND);
  EXPECT_NE(r.status().message().find("the event has no data"), std::string::npos);
}

TEST_F(TopicTemplateTest, UnusableValuesAreInvalid) {
  auto r = resolve("k8s-{data:/a}", event_with("not json"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), EH_ERR_INVALID);
  EXPECT_NE(r.status().message().find("the event data is not JSON"), std::string::npos);

  r = resolve("k8s-{data:/a}", event_with(R"({"a":{"b":1}})"));
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("is an object, not a string or number"), std::string::npos);

  r = resolve("k8s-{data:/a}", event_with(R"({"a":"has space"})"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), EH_ERR_INVALID);
  EXPECT_NE(r.status().message().find("gave \"k8s-has space\", which contains ' '"), std::string::npos)
      << r.status().message();
}

}  // namespace
}  // namespace eventhost::kafka

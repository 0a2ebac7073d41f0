// The `dialects` filter plugin deciding events: each dialect's edge cases (missing attributes, empty strings, case,
// non-string attributes by their canonical string form) and how entries combine.
#include "filter_harness.hpp"

namespace {

using filters_test::event_with;
using filters_test::FilterInstance;
using filters_test::FilterPlugin;

class DialectsMatch : public ::testing::Test {
 protected:
  void SetUp() override {
    if (plugin_.descriptor() == nullptr) GTEST_SKIP() << plugin_.load_error();
  }
  // An instance for `filters`, the JSON array a trigger's TOML `filters` becomes.
  std::unique_ptr<FilterInstance> filter(const std::string& filters) {
    std::string error;
    auto instance = plugin_.create("{\"filters\": " + filters + "}", &error);
    EXPECT_NE(instance, nullptr) << filters << ": " << error;
    return instance;
  }

  FilterPlugin plugin_{"DIALECTS_PLUGIN"};
};

TEST_F(DialectsMatch, Describes) {
  const eh_plugin& d = *plugin_.descriptor();
  EXPECT_STREQ(d.name, "dialects");
  EXPECT_EQ(d.kind, EH_KIND_FILTER);
  ASSERT_EQ(d.schema_len, 1u);
  EXPECT_STREQ(d.schema[0].key, "filters");
  EXPECT_EQ(d.schema[0].type, EH_CONFIG_TABLE);
  EXPECT_NE(d.schema[0].required, 0);
}

TEST_F(DialectsMatch, ExactIsWholeValueAndCaseSensitive) {
  auto f = filter(R"([{"exact": {"type": "com.example.order.created"}}])");
  EXPECT_TRUE(f->matches(event_with()));
  EXPECT_FALSE(f->matches(event_with({{"type", "com.example.order.Created", EH_ATTR_STRING}})));
  EXPECT_FALSE(f->matches(event_with({{"type", "com.example.order.created.v2", EH_ATTR_STRING}})));
  EXPECT_FALSE(f->matches(event_with({{"type", "com.example.order", EH_ATTR_STRING}})));
}

TEST_F(DialectsMatch, ExactWithSeveralAttributesNeedsAllOfThem) {
  auto f = filter(R"([{"exact": {"type": "com.example.order.created", "subject": "42"}}])");
  EXPECT_TRUE(f->matches(event_with({{"subject", "42", EH_ATTR_STRING}})));
  EXPECT_FALSE(f->matches(event_with({{"subject", "43", EH_ATTR_STRING}})));
  EXPECT_FALSE(f->matches(event_with()));  // subject missing
}

TEST_F(DialectsMatch, MissingAttributeFailsEveryAttributeDialect) {
  for (const char* dialect : {"exact", "prefix", "suffix"}) {
    auto f = filter(std::string(R"([{")") + dialect + R"(": {"region": "eu"}}])");
    EXPECT_FALSE(f->matches(event_with())) << dialect;
    EXPECT_TRUE(f->matches(event_with({{"region", "eu", EH_ATTR_STRING}}))) << dialect;
  }
}

TEST_F(DialectsMatch, EmptyAttributeValueOnTheEventIsAValueLikeAnyOther) {
  // The filter's value may not be empty, but an event's extension may be "" (a present attribute).
  auto exact = filter(R"([{"exact": {"region": "eu"}}])");
  auto prefix = filter(R"([{"prefix": {"region": "e"}}])");
  auto suffix = filter(R"([{"suffix": {"region": "u"}}])");
  auto empty = event_with({{"region", "", EH_ATTR_STRING}});
  EXPECT_FALSE(exact->matches(empty));
  EXPECT_FALSE(prefix->matches(empty));
  EXPECT_FALSE(suffix->matches(empty));
}

TEST_F(DialectsMatch, PrefixAndSuffixAreCaseSensitiveAndMayEqualTheWholeValue) {
  auto prefix = filter(R"([{"prefix": {"type": "com.example."}}])");
  EXPECT_TRUE(prefix->matches(event_with()));
  EXPECT_TRUE(prefix->matches(event_with({{"type", "com.example.", EH_ATTR_STRING}})));
  EXPECT_FALSE(prefix->matches(event_with({{"type", "com.Example.order", EH_ATTR_STRING}})));
  EXPECT_FALSE(prefix->matches(event_with({{"type", "com.example", EH_ATTR_STRING}})));  // shorter than the prefix
  EXPECT_FALSE(prefix->matches(event_with({{"type", "org.com.example.x", EH_ATTR_STRING}})));

  auto suffix = filter(R"([{"suffix": {"type": ".created"}}])");
  EXPECT_TRUE(suffix->matches(event_with()));
  EXPECT_TRUE(suffix->matches(event_with({{"type", ".created", EH_ATTR_STRING}})));
  EXPECT_FALSE(suffix->matches(event_with({{"type", "order.Created", EH_ATTR_STRING}})));
  EXPECT_FALSE(suffix->matches(event_with({{"type", "created", EH_ATTR_STRING}})));
  EXPECT_FALSE(suffix->matches(event_with({{"type", "order.created.v2", EH_ATTR_STRING}})));
}

TEST_F(DialectsMatch, NonStringAttributesCompareByTheirCanonicalString) {
  auto integer = filter(R"([{"exact": {"priority": "-5"}}])");
  EXPECT_TRUE(integer->matches(event_with({{"priority", "-5", EH_ATTR_INTEGER}})));
  EXPECT_FALSE(integer->matches(event_with({{"priority", "5", EH_ATTR_INTEGER}})));

  auto boolean = filter(R"([{"exact": {"urgent": "true"}}])");
  EXPECT_TRUE(boolean->matches(event_with({{"urgent", "true", EH_ATTR_BOOLEAN}})));
  EXPECT_FALSE(boolean->matches(event_with({{"urgent", "false", EH_ATTR_BOOLEAN}})));

  auto uri = filter(R"([{"prefix": {"source": "/shop/"}}])");
  EXPECT_TRUE(uri->matches(event_with()));  // source is a URI-reference

  auto time = filter(R"([{"prefix": {"time": "2026-11-23T"}}])");
  EXPECT_TRUE(time->matches(event_with({{"time", "2026-11-23T03:00:00Z", EH_ATTR_TIMESTAMP}})));
  auto binary = filter(R"([{"exact": {"token": "AQID"}}])");
  EXPECT_TRUE(binary->matches(event_with({{"token", "AQID", EH_ATTR_BINARY}})));  // base64 of 01 02 03
}

TEST_F(DialectsMatch, EveryEntryMustPass) {
  auto f = filter(R"([{"prefix": {"type": "com.example."}}, {"suffix": {"source": "/orders"}}])");
  EXPECT_TRUE(f->matches(event_with()));
  EXPECT_FALSE(f->matches(event_with({{"source", "/shop/invoices", EH_ATTR_URI_REF}})));
  EXPECT_FALSE(f->matches(event_with({{"type", "org.example.order", EH_ATTR_STRING}})));
}

TEST_F(DialectsMatch, EmptyArrayPassesEverything) {
  // Subscriptions API: "Absence of a filter or empty array implies a value of true".
  auto f = filter("[]");
  EXPECT_TRUE(f->matches(event_with()));
}

TEST_F(DialectsMatch, AllAnyNot) {
  auto all = filter(R"([{"all": [{"exact": {"type": "com.example.order.created"}}, {"prefix": {"source": "/shop"}}]}])");
  EXPECT_TRUE(all->matches(event_with()));
  EXPECT_FALSE(all->matches(event_with({{"source", "/warehouse", EH_ATTR_URI_REF}})));

  auto any = filter(R"([{"any": [{"exact": {"region": "eu"}}, {"exact": {"type": "com.example.order.created"}}]}])");
  EXPECT_TRUE(any->matches(event_with()));  // the first branch's attribute is missing, the second passes
  EXPECT_TRUE(any->matches(event_with({{"type", "x", EH_ATTR_STRING}, {"region", "eu", EH_ATTR_STRING}})));
  EXPECT_FALSE(any->matches(event_with({{"type", "x", EH_ATTR_STRING}})));

  auto negation = filter(R"([{"not": {"exact": {"type": "com.example.order.created"}}}])");
  EXPECT_FALSE(negation->matches(event_with()));
  EXPECT_TRUE(negation->matches(event_with({{"type", "com.example.order.deleted", EH_ATTR_STRING}})));
}

TEST_F(DialectsMatch, NotOfAMissingAttributePasses) {
  // The nested exact fails on a missing attribute, so its negation is true (Knative behaves the same).
  auto f = filter(R"([{"not": {"exact": {"region": "eu"}}}])");
  EXPECT_TRUE(f->matches(event_with()));
  EXPECT_FALSE(f->matches(event_with({{"region", "eu", EH_ATTR_STRING}})));
}

TEST_F(DialectsMatch, NestedCombinations) {
  auto f = filter(R"([{"any": [
      {"all": [{"prefix": {"type": "com.example."}}, {"not": {"suffix": {"type": ".deleted"}}}]},
      {"exact": {"priority": "1"}}]}])");
  EXPECT_TRUE(f->matches(event_with()));
  EXPECT_FALSE(f->matches(event_with({{"type", "com.example.order.deleted", EH_ATTR_STRING}})));
  EXPECT_TRUE(f->matches(
      event_with({{"type", "com.example.order.deleted", EH_ATTR_STRING}, {"priority", "1", EH_ATTR_INTEGER}})));
}

TEST_F(DialectsMatch, CesqlPassesOnlyOnTrueWithoutError) {
  auto f = filter(R"([{"cesql": "type LIKE 'com.example.%' AND priority > 2"}])");
  EXPECT_TRUE(f->matches(event_with({{"priority", "3", EH_ATTR_INTEGER}})));
  EXPECT_FALSE(f->matches(event_with({{"priority", "2", EH_ATTR_INTEGER}})));
  EXPECT_EQ(f->counter("evaluation_errors"), 0u);
  EXPECT_FALSE(f->matches(event_with()));  // priority missing: an error fails the event and is counted
  EXPECT_EQ(f->counter("evaluation_errors"), 1u);

  auto not_boolean = filter(R"([{"cesql": "type"}])");
  EXPECT_FALSE(not_boolean->matches(event_with()));  // a String result is not TRUE
}

TEST_F(DialectsMatch, NotOfAFailingCesqlPasses) {
  // The cesql filter is false on error (spec 3.2.4.1.2), so `not` of it is true; the error is still counted.
  auto f = filter(R"([{"not": {"cesql": "priority > 2"}}])");
  EXPECT_TRUE(f->matches(event_with()));
  EXPECT_EQ(f->counter("evaluation_errors"), 1u);
}

TEST_F(DialectsMatch, AnyStopsAtTheFirstPassingBranch) {
  // The cesql branch would raise an error (priority is missing) if it ran; it does not, so nothing is counted.
  auto f = filter(R"([{"any": [{"prefix": {"type": "com."}}, {"cesql": "priority > 2"}]}])");
  EXPECT_TRUE(f->matches(event_with()));
  EXPECT_EQ(f->counter("evaluation_errors"), 0u);
}

}  // namespace

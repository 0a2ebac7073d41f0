// Invalid `filters` are refused when the plugin is created (so at config load and by `eventhost validate`), with
// the index path of the offending entry and the reason.
#include "filter_harness.hpp"

namespace {

using filters_test::FilterPlugin;

class DialectsConfig : public ::testing::Test {
 protected:
  void SetUp() override {
    if (plugin_.descriptor() == nullptr) GTEST_SKIP() << plugin_.load_error();
  }
  std::string refusal(const std::string& filters) { return plugin_.refusal("{\"filters\": " + filters + "}"); }

  FilterPlugin plugin_{"DIALECTS_PLUGIN"};
};

TEST_F(DialectsConfig, UnknownDialectsWithSuggestions) {
  EXPECT_EQ(refusal(R"([{"exact": {"type": "a"}}, {"any": [{"prefx": {"source": "/a"}}]}])"),
            "filters[1].any[0]: unknown dialect 'prefx' (did you mean 'prefix'?)");
  EXPECT_EQ(refusal(R"([{"sql": "type = 'a'"}])"), "filters[0]: unknown dialect 'sql': the Subscriptions API's CESQL dialect is named 'cesql' here, as in Knative");
  EXPECT_EQ(refusal(R"([{"EXACT": {"type": "a"}}])"), "filters[0]: unknown dialect 'EXACT' (did you mean 'exact'?)");
  EXPECT_EQ(refusal(R"([{"regex": {"type": "a.*"}}])"), "filters[0]: unknown dialect 'regex'");
}

TEST_F(DialectsConfig, OneDialectPerEntry) {
  EXPECT_EQ(refusal(R"([{"exact": {"type": "a"}, "prefix": {"source": "/a"}}])"),
            "filters[0]: names more than one dialect ('exact' and 'prefix'): one dialect per entry; combine them "
            "with all = [...]");
  EXPECT_EQ(refusal(R"([{}])"), "filters[0]: names no dialect: give one of exact, prefix, suffix, all, any, not, cesql");
  EXPECT_EQ(refusal(R"([{"exact": {"type": "a"}}, "type = 'a'"])"),
            "filters[1]: expected a table naming one dialect, e.g. { exact = { type = \"com.example.order\" } }, got "
            "a string");
}

TEST_F(DialectsConfig, AttributeDialectsForbidEmptyNamesAndValues) {
  for (std::string dialect : {"exact", "prefix", "suffix"}) {
    EXPECT_EQ(refusal(R"([{")" + dialect + R"(": {"type": ""}}])"),
              "filters[0]." + dialect + ".type: value must not be empty (spec 3.2.4.1.1); to require only that the "
              "attribute exists, use { cesql = \"EXISTS type\" }");
    EXPECT_EQ(refusal(R"([{")" + dialect + R"(": {"": "a"}}])"),
              "filters[0]." + dialect + ": attribute name must not be empty");
    EXPECT_EQ(refusal(R"([{")" + dialect + R"(": {}}])"),
              "filters[0]." + dialect + ": names no attribute: give at least one attribute = \"value\"");
  }
}

TEST_F(DialectsConfig, AttributeNamesThatNoEventCanHave) {
  EXPECT_EQ(refusal(R"([{"exact": {"Type": "a"}}])"),
            "filters[0].exact.Type: 'Type' is not a CloudEvents attribute name (lower-case letters and digits "
            "only), so no event could have it");
  EXPECT_EQ(refusal(R"([{"prefix": {"my-ext": "a"}}])").rfind("filters[0].prefix.my-ext: 'my-ext' is not", 0), 0u);
}

TEST_F(DialectsConfig, WrongValueTypes) {
  EXPECT_EQ(refusal(R"([{"exact": {"priority": 5}}])"),
            "filters[0].exact.priority: expected a string, got an integer (attributes compare by their string form: "
            "write \"5\")");
  EXPECT_EQ(refusal(R"([{"exact": {"urgent": true}}])"),
            "filters[0].exact.urgent: expected a string, got a boolean (attributes compare by their string form: "
            "write \"true\")");
  EXPECT_EQ(refusal(R"([{"suffix": {"type": 1.5}}])"), "filters[0].suffix.type: expected a string, got a float");
  EXPECT_EQ(refusal(R"([{"exact": "type"}])"),
            "filters[0].exact: expected a table of attribute = \"value\", got a string, e.g. { exact = { type = "
            "\"com.example.order\" } }");
  EXPECT_EQ(refusal(R"([{"cesql": true}])"), "filters[0].cesql: expected a CESQL expression string, got a boolean");
  EXPECT_EQ(refusal(R"({"exact": {"type": "a"}})"),
            "filters: expected an array of filters, e.g. [{ exact = { type = \"com.example.order\" } }], got a table");
}

TEST_F(DialectsConfig, GroupsNeedAtLeastOneFilter) {
  EXPECT_EQ(refusal(R"([{"all": []}])"), "filters[0].all: needs at least one filter (spec 3.2.4.1.1)");
  EXPECT_EQ(refusal(R"([{"not": {"any": []}}])"), "filters[0].not.any: needs at least one filter (spec 3.2.4.1.1)");
  EXPECT_EQ(refusal(R"([{"any": {"exact": {"type": "a"}}}])"),
            "filters[0].any: expected an array of filters, got a table, e.g. any = [{ exact = { type = \"a\" } }, "
            "{ prefix = { source = \"/b\" } }]");
}

TEST_F(DialectsConfig, NotTakesOneFilter) {
  EXPECT_EQ(refusal(R"([{"not": [{"exact": {"type": "a"}}]}])"),
            "filters[0].not: expected one filter table, got an array (to negate several filters, write not = { any "
            "= [...] } or not = { all = [...] })");
  EXPECT_EQ(refusal(R"([{"not": {"exact": {"type": "a"}, "suffix": {"type": "b"}}}])").rfind(
                "filters[0].not: names more than one dialect ('exact' and 'suffix')", 0),
            0u);
  EXPECT_EQ(refusal(R"([{"not": {"not": {"nope": {}}}}])"), "filters[0].not.not: unknown dialect 'nope' (did you mean 'not'?)");
}

TEST_F(DialectsConfig, CesqlExpressionsAreCompiledAtCreate) {
  EXPECT_EQ(refusal(R"([{"cesql": "type = "}])"),
            "filters[0].cesql: position 8: expected an expression, found the end of the expression");
  EXPECT_EQ(refusal(R"json([{"all": [{"cesql": "NOPE(type)"}]}])json"),
            "filters[0].all[0].cesql: position 1: no function NOPE taking 1 argument(s)");
  EXPECT_EQ(refusal(R"([{"cesql": ""}])"), "filters[0].cesql: expression must not be empty");
}

TEST_F(DialectsConfig, NestingIsBounded) {
  std::string deep = R"({"exact": {"type": "a"}})";
  for (int i = 0; i < 70; ++i) deep = R"({"not": )" + deep + "}";
  std::string reason = refusal("[" + deep + "]");
  EXPECT_NE(reason.find(": filters nest deeper than 64 levels"), std::string::npos) << reason;

  std::string fine = R"({"exact": {"type": "a"}})";
  for (int i = 0; i < 60; ++i) fine = R"({"not": )" + fine + "}";
  EXPECT_NE(plugin_.create("{\"filters\": [" + fine + "]}"), nullptr);
}

}  // namespace

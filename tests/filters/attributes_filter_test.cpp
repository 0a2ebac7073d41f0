// Knative's trigger filter.attributes (the `attributes` plugin): every key present; an empty value matches any
// value of a present attribute; otherwise exact and case-sensitive.
#include "filter_harness.hpp"

namespace {

using filters_test::event_with;
using filters_test::FilterInstance;
using filters_test::FilterPlugin;

class AttributesFilter : public ::testing::Test {
 protected:
  void SetUp() override {
    if (plugin_.descriptor() == nullptr) GTEST_SKIP() << plugin_.load_error();
  }
  std::unique_ptr<FilterInstance> filter(const std::string& attributes) {
    std::string error;
    auto instance = plugin_.create("{\"attributes\": " + attributes + "}", &error);
    EXPECT_NE(instance, nullptr) << attributes << ": " << error;
    return instance;
  }

  FilterPlugin plugin_{"ATTRIBUTES_PLUGIN"};
};

TEST_F(AttributesFilter, ExactAndCaseSensitive) {
  auto f = filter(R"({"type": "com.example.order.created"})");
  EXPECT_TRUE(f->matches(event_with()));
  EXPECT_FALSE(f->matches(event_with({{"type", "com.example.order.Created", EH_ATTR_STRING}})));
  EXPECT_FALSE(f->matches(event_with({{"type", "com.example.order.created ", EH_ATTR_STRING}})));
  EXPECT_FALSE(f->matches(event_with({{"type", "com.example.order", EH_ATTR_STRING}})));
}

TEST_F(AttributesFilter, EveryKeyMustBePresent) {
  auto f = filter(R"({"type": "com.example.order.created", "region": "eu"})");
  EXPECT_TRUE(f->matches(event_with({{"region", "eu", EH_ATTR_STRING}})));
  EXPECT_FALSE(f->matches(event_with()));
  EXPECT_FALSE(f->matches(event_with({{"region", "us", EH_ATTR_STRING}})));
}

TEST_F(AttributesFilter, EmptyValueMatchesAnyValueOfAPresentAttribute) {
  auto f = filter(R"({"region": ""})");
  EXPECT_TRUE(f->matches(event_with({{"region", "eu", EH_ATTR_STRING}})));
  EXPECT_TRUE(f->matches(event_with({{"region", "", EH_ATTR_STRING}})));  // present, empty
  EXPECT_FALSE(f->matches(event_with()));                                  // absent
}

TEST_F(AttributesFilter, EmptyAttributeOnTheEventOnlyMatchesAnEmptyValue) {
  auto f = filter(R"({"region": "eu"})");
  EXPECT_FALSE(f->matches(event_with({{"region", "", EH_ATTR_STRING}})));
}

TEST_F(AttributesFilter, NonStringAttributesCompareByTheirCanonicalString) {
  auto f = filter(R"({"priority": "5", "urgent": "true", "source": "/shop/orders"})");
  EXPECT_TRUE(f->matches(event_with({{"priority", "5", EH_ATTR_INTEGER}, {"urgent", "true", EH_ATTR_BOOLEAN}})));
  EXPECT_FALSE(f->matches(event_with({{"priority", "-5", EH_ATTR_INTEGER}, {"urgent", "true", EH_ATTR_BOOLEAN}})));
  EXPECT_FALSE(f->matches(event_with({{"priority", "5", EH_ATTR_INTEGER}, {"urgent", "false", EH_ATTR_BOOLEAN}})));

  auto time = filter(R"({"time": "2026-11-23T03:00:00Z"})");
  EXPECT_TRUE(time->matches(event_with({{"time", "2026-11-23T03:00:00Z", EH_ATTR_TIMESTAMP}})));
  EXPECT_FALSE(time->matches(event_with({{"time", "2026-11-23T03:00:00.000Z", EH_ATTR_TIMESTAMP}})));
}

TEST_F(AttributesFilter, NoAttributesPassesEverything) {
  auto f = filter("{}");
  EXPECT_TRUE(f->matches(event_with()));
}

TEST_F(AttributesFilter, RefusesNamesNoEventCanHave) {
  EXPECT_EQ(plugin_.refusal(R"({"attributes": {"": "a"}})"), "attributes: empty attribute name");
  EXPECT_EQ(plugin_.refusal(R"({"attributes": {"Type": "a"}})"),
            "attributes.Type: 'Type' is not a CloudEvents attribute name (lower-case letters and digits only), so "
            "no event could have it");
}

}  // namespace

// Matching allocates nothing in the common case; the plugins, loaded into this process, share the test binary's
// counting operator new.
#include "allocation_counter.hpp"
#include "filter_harness.hpp"

namespace {

using filters_test::event_with;
using filters_test::FilterInstance;
using filters_test::FilterPlugin;

// Allocations made by one match of `filter` on `event`, after checking the verdict.
int allocations_while_matching(const FilterInstance& filter, const eh_event& event, bool expected) {
  EXPECT_EQ(filter.matches(event), expected);
  bool verdict = false;
  int n = eventhost::testing::allocations_during([&] { verdict = filter.matches(event); });
  EXPECT_EQ(verdict, expected);
  return n;
}

TEST(FilterAllocation, CountingSeesThePluginsAllocations) {
  // Guards the other tests: an allocation made inside the plugin (create news its instance) must be counted.
  FilterPlugin plugin("DIALECTS_PLUGIN");
  if (plugin.descriptor() == nullptr) GTEST_SKIP() << plugin.load_error();
  const std::string config = R"({"filters": [{"exact": {"type": "a"}}]})";
  void* instance = nullptr;
  char err[256] = {};
  eh_status s = EH_ERR_INTERNAL;
  int n = eventhost::testing::allocations_during([&] {
    s = plugin.descriptor()->create(eventhost::host::host_api(), nullptr, eh_str{config.data(), config.size()},
                                    &instance, err, sizeof err);
  });
  ASSERT_EQ(s, EH_OK) << err;
  EXPECT_GT(n, 0);
  plugin.descriptor()->destroy(instance);
}

TEST(FilterAllocation, DialectsMatchWithoutAllocating) {
  FilterPlugin plugin("DIALECTS_PLUGIN");
  if (plugin.descriptor() == nullptr) GTEST_SKIP() << plugin.load_error();
  eh_event event{event_with({{"region", "eu-west-1", EH_ATTR_STRING}, {"priority", "5", EH_ATTR_INTEGER}})};
  for (const char* filters : {
           R"([{"exact": {"type": "com.example.order.created", "region": "eu-west-1"}}])",
           R"([{"prefix": {"type": "com.example."}}, {"suffix": {"source": "/orders"}}])",
           R"([{"any": [{"exact": {"tenant": "a"}}, {"all": [{"not": {"exact": {"region": "us"}}}]}]}])",
           R"json([{"cesql": "type = 'com.example.order.created' AND source LIKE '/shop/%' AND priority IN (1, 5)"}])json",
       }) {
    auto filter = plugin.create(std::string("{\"filters\": ") + filters + "}");
    ASSERT_NE(filter, nullptr) << filters;
    EXPECT_EQ(allocations_while_matching(*filter, event, true), 0) << filters;
  }
}

TEST(FilterAllocation, AttributesMatchWithoutAllocating) {
  FilterPlugin plugin("ATTRIBUTES_PLUGIN");
  if (plugin.descriptor() == nullptr) GTEST_SKIP() << plugin.load_error();
  auto filter = plugin.create(R"({"attributes": {"type": "com.example.order.created", "region": ""}})");
  ASSERT_NE(filter, nullptr);
  eh_event event{event_with({{"region", "eu-west-1", EH_ATTR_STRING}})};
  EXPECT_EQ(allocations_while_matching(*filter, event, true), 0);
}

}  // namespace

// Filtering must not allocate in the common case.
#include "allocation_counter.hpp"
#include "test_support.hpp"

namespace {

using namespace cesql_test;

int allocations_while_judging(const cesql::Expression& expression, const eventhost::CloudEvent& event) {
  cesql::Verdict verdict{};
  int n = eventhost::testing::allocations_during([&] { verdict = cesql::judge(expression, cesql::lookup(event)); });
  EXPECT_NE(verdict, cesql::Verdict::Error) << expression.text();
  return n;
}

TEST(CesqlAllocation, CommonFiltersDoNotAllocate) {
  auto event = event_with({{"priority", "5", EH_ATTR_INTEGER},
                           {"region", "eu-west-1", EH_ATTR_STRING},
                           {"urgent", "true", EH_ATTR_BOOLEAN}});
  for (const char* text : {"type = 'com.example.test' AND source LIKE '/%'",
                           "priority >= 3 AND urgent AND region IN ('eu-west-1', 'us-east-1')",
                           "EXISTS region AND NOT EXISTS subject",
                           "LOWER(region) LIKE 'eu-%' OR CONCAT(type, '.', region) = 'x'",
                           "STRING(priority) = '5' AND LENGTH(SUBSTRING(region, 1, 2)) = 2"}) {
    auto expression = compile(text);
    EXPECT_EQ(allocations_while_judging(expression, event), 0) << text;
  }
}

}  // namespace

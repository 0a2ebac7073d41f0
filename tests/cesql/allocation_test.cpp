// Filtering must not allocate in the common case. This file replaces the global operator new of the test binary
// to count allocations while a test asks for them.
#include "test_support.hpp"

#include <cstdlib>
#include <new>

namespace {
thread_local bool counting = false;
thread_local int allocations = 0;
}  // namespace

void* operator new(std::size_t size) {
  if (counting) ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

using namespace cesql_test;

int allocations_while_judging(const cesql::Expression& expression, const eventhost::CloudEvent& event) {
  allocations = 0;
  counting = true;
  cesql::Verdict verdict = cesql::judge(expression, cesql::lookup(event));
  counting = false;
  EXPECT_NE(verdict, cesql::Verdict::Error) << expression.text();
  return allocations;
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

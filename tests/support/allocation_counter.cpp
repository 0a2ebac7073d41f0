#include "allocation_counter.hpp"

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

namespace eventhost::testing {

void begin_counting_allocations() {
  allocations = 0;
  counting = true;
}

int end_counting_allocations() {
  counting = false;
  return allocations;
}

}  // namespace eventhost::testing

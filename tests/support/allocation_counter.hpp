// Counts heap allocations (global operator new) made by the calling thread while `fn` runs. Linking this replaces
// the test binary's operator new; plugins loaded into the process use it too.
#pragma once

#include <utility>

namespace eventhost::testing {

void begin_counting_allocations();
int end_counting_allocations();

template <typename Fn>
int allocations_during(Fn&& fn) {
  begin_counting_allocations();
  std::forward<Fn>(fn)();
  return end_counting_allocations();
}

}  // namespace eventhost::testing

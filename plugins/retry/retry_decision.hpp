// The retry decision as a pure function, so it is tested without a host.
#pragma once

#include <eventhost/abi.h>

#include <chrono>
#include <cstdint>

namespace eventhost::retry {

struct Settings {
  uint32_t retry = 0;
  bool exponential = true;
  std::chrono::milliseconds backoff_delay{200};
  std::chrono::milliseconds retry_after_max{0};
};

// Knative's retryable answers: transport errors, timeouts, 404, 408, 409, 429 and 5xx.
bool retryable(const eh_delivery_result& result);

// Delay before retry n (1-based).
std::chrono::milliseconds backoff(const Settings& s, uint32_t retry_number);

eh_delivery_decision decide(const Settings& s, uint32_t attempt, const eh_delivery_result& result,
                            bool dead_letter_available);

}  // namespace eventhost::retry

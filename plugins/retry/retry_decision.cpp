#include "retry_decision.hpp"

#include <algorithm>

namespace eventhost::retry {

bool retryable(const eh_delivery_result& r) {
  switch (r.status) {
    case EH_ERR_UNAVAILABLE:
    case EH_ERR_TIMEOUT:
    case EH_ERR_OVERLOADED:
    case EH_ERR_INTERNAL:
      return true;
    case EH_ERR_REJECTED:
      return r.code == 404 || r.code == 408 || r.code == 409 || r.code == 429 || r.code >= 500;
    default:
      return false;
  }
}

std::chrono::milliseconds backoff(const Settings& s, uint32_t n) {
  if (!s.exponential) return s.backoff_delay * n;
  uint32_t shift = std::min<uint32_t>(n - 1, 30);  // beyond 2^30 the delay is days anyway
  return s.backoff_delay * (int64_t{1} << shift);
}

eh_delivery_decision decide(const Settings& s, uint32_t attempt, const eh_delivery_result& r,
                            bool dead_letter_available) {
  if (r.status == EH_OK) return {EH_DELIVERY_DONE, 0};
  if (retryable(r) && attempt <= s.retry) {
    auto delay = backoff(s, attempt);
    bool honours_retry_after = (r.code == 429 || r.code == 503) && s.retry_after_max.count() > 0;
    if (honours_retry_after && r.retry_after_ms > 0) {
      auto asked = std::min(std::chrono::milliseconds(r.retry_after_ms), s.retry_after_max);
      delay = std::max(delay, asked);
    }
    return {EH_DELIVERY_RETRY, static_cast<uint64_t>(delay.count())};
  }
  return {dead_letter_available ? EH_DELIVERY_DEAD_LETTER : EH_DELIVERY_DONE, 0};
}

}  // namespace eventhost::retry

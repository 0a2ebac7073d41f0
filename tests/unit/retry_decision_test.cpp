// Knative's delivery spec, decision by decision.
#include "retry_decision.hpp"

#include <gtest/gtest.h>

namespace eventhost::retry {
namespace {

using std::chrono::milliseconds;

eh_delivery_result http(int code, uint64_t retry_after_ms = 0) {
  return {EH_ERR_REJECTED, code, retry_after_ms, {}, {}};
}

TEST(RetryDecision, BackoffLinearAndExponential) {
  Settings lin{5, false, milliseconds(200), milliseconds(0)};
  EXPECT_EQ(backoff(lin, 1), milliseconds(200));
  EXPECT_EQ(backoff(lin, 3), milliseconds(600));
  Settings exp{5, true, milliseconds(200), milliseconds(0)};
  EXPECT_EQ(backoff(exp, 1), milliseconds(200));
  EXPECT_EQ(backoff(exp, 2), milliseconds(400));
  EXPECT_EQ(backoff(exp, 4), milliseconds(1600));
}

TEST(RetryDecision, RetriedAndNotRetriedAnswers) {
  for (int code : {404, 408, 409, 429, 500, 502, 503, 504}) EXPECT_TRUE(retryable(http(code))) << code;
  for (int code : {400, 401, 403, 405, 410, 413, 415, 422}) EXPECT_FALSE(retryable(http(code))) << code;
  EXPECT_TRUE(retryable({EH_ERR_UNAVAILABLE, 0, 0, {}, {}}));
  EXPECT_TRUE(retryable({EH_ERR_TIMEOUT, 0, 0, {}, {}}));
  EXPECT_FALSE(retryable({EH_ERR_INVALID, 0, 0, {}, {}}));
}

TEST(RetryDecision, RetriesThenDeadLettersOrGivesUp) {
  Settings s{2, true, milliseconds(100), milliseconds(0)};
  EXPECT_EQ(decide(s, 1, http(500), true).action, EH_DELIVERY_RETRY);
  EXPECT_EQ(decide(s, 1, http(500), true).delay_ms, 100u);
  EXPECT_EQ(decide(s, 2, http(500), true).delay_ms, 200u);
  EXPECT_EQ(decide(s, 3, http(500), true).action, EH_DELIVERY_DEAD_LETTER);
  EXPECT_EQ(decide(s, 3, http(500), false).action, EH_DELIVERY_DONE);
  EXPECT_EQ(decide(s, 1, http(400), true).action, EH_DELIVERY_DEAD_LETTER);  // not retried, straight to the DLS
  EXPECT_EQ(decide(s, 1, {EH_OK, 200, 0, {}, {}}, true).action, EH_DELIVERY_DONE);
}

TEST(RetryDecision, RetryAfterHonouredUpToItsMaximum) {
  Settings s{3, true, milliseconds(100), milliseconds(5000)};
  EXPECT_EQ(decide(s, 1, http(429, 2000), false).delay_ms, 2000u);
  EXPECT_EQ(decide(s, 1, http(503, 60000), false).delay_ms, 5000u);
  EXPECT_EQ(decide(s, 1, http(500, 2000), false).delay_ms, 100u);  // only 429 and 503 carry Retry-After
  Settings ignoring{3, true, milliseconds(100), milliseconds(0)};
  EXPECT_EQ(decide(ignoring, 1, http(429, 2000), false).delay_ms, 100u);
}

}  // namespace
}  // namespace eventhost::retry

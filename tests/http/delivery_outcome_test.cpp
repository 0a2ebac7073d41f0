// How the sink reads a subscriber's answer or a transport failure into what the host's delivery policy sees.
#include "delivery_outcome.hpp"

#include <boost/asio/error.hpp>
#include <boost/beast/core/error.hpp>
#include <gtest/gtest.h>

namespace eventhost::http_plugin {
namespace {

ce::HttpMessage message(std::vector<std::pair<std::string, std::string>> headers, std::string body = {}) {
  return {std::move(headers), std::move(body)};
}

TEST(DeliveryOutcome, EmptyTwoHundredIsSuccessWithoutReply) {
  for (int status : {200, 201, 202, 204}) {
    auto o = outcome_of_response(status, message({}));
    EXPECT_EQ(o.status, EH_OK) << status;
    EXPECT_FALSE(o.reply.has_value());
  }
}

TEST(DeliveryOutcome, BinaryCloudEventInTwoHundredIsAReply) {
  auto o = outcome_of_response(200, message({{"Ce-Specversion", "1.0"}, {"Ce-Id", "r1"}, {"Ce-Source", "/s"},
                                             {"Ce-Type", "t"}, {"Ce-Subject", "caf%C3%A9"},
                                             {"Content-Type", "text/plain"}},
                                            "hello"));
  ASSERT_EQ(o.status, EH_OK) << o.detail;
  ASSERT_TRUE(o.reply.has_value());
  EXPECT_EQ(o.reply->id(), "r1");
  EXPECT_EQ(o.reply->get("subject"), "café");
  EXPECT_EQ(o.reply->get("datacontenttype"), "text/plain");
  EXPECT_EQ(o.reply->data(), "hello");
}

TEST(DeliveryOutcome, StructuredCloudEventInTwoHundredIsAReply) {
  auto o = outcome_of_response(
      200, message({{"Content-Type", "application/cloudevents+json"}},
                   R"({"specversion":"1.0","id":"r2","source":"/s","type":"t","data":{"a":1}})"));
  ASSERT_EQ(o.status, EH_OK) << o.detail;
  ASSERT_TRUE(o.reply.has_value());
  EXPECT_EQ(o.reply->id(), "r2");
}

TEST(DeliveryOutcome, NonEventBodyInTwoHundredFailsWithTheBody) {
  auto o = outcome_of_response(200, message({{"Content-Type", "text/plain"}}, "OK"));
  EXPECT_EQ(o.status, EH_ERR_REJECTED);
  EXPECT_EQ(o.code, 200);
  EXPECT_EQ(o.response_body, "OK");
  EXPECT_NE(o.detail.find("not a CloudEvent"), std::string::npos) << o.detail;
  EXPECT_FALSE(o.reply.has_value());
}

TEST(DeliveryOutcome, InvalidCloudEventInTwoHundredFails) {
  auto o = outcome_of_response(200, message({{"Ce-Specversion", "1.0"}, {"Ce-Source", "/s"}, {"Ce-Type", "t"}}));
  EXPECT_EQ(o.status, EH_ERR_REJECTED);
  EXPECT_NE(o.detail.find("ce-id"), std::string::npos) << o.detail;
}

TEST(DeliveryOutcome, OtherStatusesAreRejectedWithCodeBodyAndRetryAfter) {
  auto o = outcome_of_response(503, message({{"Retry-After", "7"}}, "busy"));
  EXPECT_EQ(o.status, EH_ERR_REJECTED);
  EXPECT_EQ(o.code, 503);
  EXPECT_EQ(o.retry_after_ms, 7000u);
  EXPECT_EQ(o.response_body, "busy");
  EXPECT_EQ(o.detail, "HTTP 503");
  auto not_found = outcome_of_response(404, message({}));
  EXPECT_EQ(not_found.code, 404);
  EXPECT_EQ(not_found.retry_after_ms, 0u);
}

TEST(DeliveryOutcome, RetryAfterAsHttpDate) {
  auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
  EXPECT_EQ(parse_retry_after_ms("Sun, 06 Nov 1994 08:49:47 GMT", now), 10000u);
  EXPECT_EQ(parse_retry_after_ms("Sun, 06 Nov 1994 08:49:00 GMT", now), 0u);  // in the past
  EXPECT_EQ(parse_retry_after_ms(" 3 ", now), 3000u);
  EXPECT_EQ(parse_retry_after_ms("soon", now), 0u);
  EXPECT_EQ(parse_retry_after_ms("", now), 0u);
}

TEST(DeliveryOutcome, TransportErrorsAreUnavailableAndTimeoutsTimeout) {
  auto refused = outcome_of_error(boost::asio::error::connection_refused, "connecting to x");
  EXPECT_EQ(refused.status, EH_ERR_UNAVAILABLE);
  EXPECT_NE(refused.detail.find("connecting to x: "), std::string::npos);
  auto timeout = outcome_of_error(boost::beast::error::timeout, "reading the answer");
  EXPECT_EQ(timeout.status, EH_ERR_TIMEOUT);
  EXPECT_EQ(timeout.detail, "reading the answer: timed out");
}

}  // namespace
}  // namespace eventhost::http_plugin

// How one HTTP delivery ended, from the subscriber's answer or the transport's failure: what the sink reports to the
// host (eh_delivery_result) and, for a CloudEvent in a 2xx answer, the reply.
#pragma once

#include <eventhost/abi.h>
#include <eventhost/cloudevents/http.hpp>
#include <eventhost/event.hpp>

#include <boost/system/error_code.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace eventhost::http_plugin {

struct DeliveryOutcome {
  eh_status status = EH_OK;
  int32_t code = 0;
  uint64_t retry_after_ms = 0;
  std::string detail;
  std::string response_body;
  std::optional<CloudEvent> reply;

  eh_delivery_result view() const {
    return {status, code, retry_after_ms, {detail.data(), detail.size()}, {response_body.data(), response_body.size()}};
  }
};

// An answer: status code, headers and body as received.
DeliveryOutcome outcome_of_response(int status, const ce::HttpMessage& response,
                                    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// A transport failure while connecting, writing or reading. `during` names the step for the detail.
DeliveryOutcome outcome_of_error(const boost::system::error_code& ec, std::string_view during);

// Retry-After: delta-seconds or an HTTP-date (RFC 9110 §10.2.3); 0 when absent or unreadable.
uint64_t parse_retry_after_ms(std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace eventhost::http_plugin

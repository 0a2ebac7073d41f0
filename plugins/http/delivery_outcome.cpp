#include "delivery_outcome.hpp"

#include <boost/beast/core/error.hpp>

#include <charconv>
#include <ctime>
#include <iomanip>
#include <sstream>

namespace eventhost::http_plugin {
namespace {

bool carries_event(const ce::HttpMessage& response) {
  auto content_type = response.header("content-type");
  return response.header("ce-specversion").has_value() ||
         ce::content_mode(content_type) != ce::ContentMode::binary;
}

DeliveryOutcome failed(int status, const ce::HttpMessage& response, std::string detail) {
  DeliveryOutcome out;
  out.status = EH_ERR_REJECTED;
  out.code = status;
  out.detail = std::move(detail);
  out.response_body = response.body;
  return out;
}

}  // namespace

uint64_t parse_retry_after_ms(std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return 0;
  uint64_t seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec == std::errc() && end == value.data() + value.size()) return seconds * 1000;
  std::tm tm{};
  std::istringstream in{std::string(value)};
  in.imbue(std::locale::classic());
  in >> std::get_time(&tm, "%a, %d %b %Y %H:%M:%S");
  if (in.fail()) return 0;
  auto at = std::chrono::system_clock::from_time_t(timegm(&tm));
  if (at <= now) return 0;
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(at - now).count());
}

DeliveryOutcome outcome_of_response(int status, const ce::HttpMessage& response,
                                    std::chrono::system_clock::time_point now) {
  if (status >= 200 && status < 300) {
    if (carries_event(response)) {
      auto reply = ce::from_http(response);
      if (!reply) {
        return failed(status, response, "the answer carries an invalid CloudEvent: " + reply.status().message());
      }
      DeliveryOutcome out;
      out.code = status;
      out.reply = std::move(*reply);
      return out;
    }
    if (!response.body.empty()) {
      return failed(status, response, "the answer has a body that is not a CloudEvent (it must be empty or an event)");
    }
    DeliveryOutcome out;
    out.code = status;
    return out;
  }
  DeliveryOutcome out = failed(status, response, "HTTP " + std::to_string(status));
  if (auto retry_after = response.header("retry-after")) out.retry_after_ms = parse_retry_after_ms(*retry_after, now);
  return out;
}

DeliveryOutcome outcome_of_error(const boost::system::error_code& ec, std::string_view during) {
  DeliveryOutcome out;
  bool timed_out = ec == boost::beast::error::timeout;
  out.status = timed_out ? EH_ERR_TIMEOUT : EH_ERR_UNAVAILABLE;
  out.detail = std::string(during) + ": " + (timed_out ? "timed out" : ec.message());
  return out;
}

}  // namespace eventhost::http_plugin

// The one decoding failure that is not "invalid event": a content type naming an event format this SDK does not
// read (application/cloudevents+xml). An HTTP receiver answers it with 415 instead of 400.
#pragma once

#include <eventhost/abi.h>
#include <eventhost/cloudevents/types.hpp>
#include <eventhost/status.hpp>

#include <string>
#include <string_view>

namespace eventhost::ce {

inline constexpr eh_status kUnsupportedFormat = EH_ERR_REJECTED;

inline Status unsupported_format(std::string_view content_type) {
  return {kUnsupportedFormat, "unsupported event format " + in_quotes(content_type)};
}

inline bool is_unsupported_format(const Status& status) { return status.code() == kUnsupportedFormat; }

// Prefixes an error with where it happened, keeping its code.
inline Status with_context(const Status& status, std::string_view context) {
  return {status.code(), std::string(context) + ": " + status.message()};
}

}  // namespace eventhost::ce

#include "ping_event.hpp"

#include <eventhost/cloudevents/base64.hpp>

#include <boost/uuid/random_generator.hpp>
#include <boost/uuid/uuid_io.hpp>
#include <date/date.h>

namespace eventhost::ping {

Result<PingPayload> make_payload(std::optional<std::string> data, std::optional<std::string> data_base64,
                                 std::string content_type) {
  if (data && data->empty()) data.reset();
  if (data_base64 && data_base64->empty()) data_base64.reset();
  if (data && data_base64) {
    return Status::invalid("'data' and 'data_base64' are mutually exclusive: set one of them");
  }
  PingPayload payload{std::move(data), std::move(content_type)};
  if (data_base64) {
    auto decoded = ce::base64_decode(*data_base64);
    if (!decoded) return Status::invalid("'data_base64': not canonical base64 (RFC 4648, padded, no whitespace)");
    payload.data = std::move(*decoded);
  }
  return payload;
}

std::string ping_source_uri(std::string_view ns, std::string_view name) {
  std::string uri = "/apis/v1/namespaces/";
  uri.append(ns).append("/pingsources/").append(name);
  return uri;
}

std::string format_rfc3339_utc(std::chrono::sys_seconds instant) { return date::format("%FT%TZ", instant); }

std::string random_uuid() { return boost::uuids::to_string(boost::uuids::random_generator()()); }

CloudEvent make_ping_event(std::string_view source_uri, const PingPayload& payload, std::chrono::sys_seconds tick,
                           std::string_view id) {
  CloudEvent event;
  event.set("specversion", "1.0");
  event.set("id", id);
  event.set("source", source_uri, EH_ATTR_URI_REF);
  event.set("type", kPingEventType);
  event.set("time", format_rfc3339_utc(tick), EH_ATTR_TIMESTAMP);
  if (payload.data) {
    event.set("datacontenttype", payload.content_type);
    event.set_data(std::string_view(*payload.data));
  }
  return event;
}

}  // namespace eventhost::ping

// The CloudEvents HTTP protocol binding (http-protocol-binding.md): binary, structured and batched content modes,
// over a header list that any HTTP library can fill.
#pragma once

#include <eventhost/cloudevents/content_mode.hpp>
#include <eventhost/cloudevents/errors.hpp>
#include <eventhost/cloudevents/header_value.hpp>
#include <eventhost/cloudevents/json.hpp>
#include <eventhost/cloudevents/media_type.hpp>
#include <eventhost/cloudevents/types.hpp>
#include <eventhost/cloudevents/validate.hpp>
#include <eventhost/event.hpp>
#include <eventhost/status.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eventhost::ce {

struct HttpMessage {
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header of that name, compared case-insensitively.
  std::optional<std::string_view> header(std::string_view name) const {
    for (const auto& [n, v] : headers) {
      if (detail::iequals(n, name)) return std::string_view(v);
    }
    return std::nullopt;
  }
};

inline constexpr std::string_view kHttpPrefix = "ce-";

namespace detail {

// "ce-" in any case, checked for every header of every message. ASCII letters differ from their lower case only
// in bit 0x20, and only 'C' and 'c' become 'c' when it is set.
inline bool has_http_prefix(std::string_view name) {
  return name.size() >= 3 && (name[0] | 0x20) == 'c' && (name[1] | 0x20) == 'e' && name[2] == '-';
}

// True when one of the 8 bytes of `word` is an upper-case ASCII letter. The high bits are masked off first so that
// no addition carries into the next byte; bytes that had one are not letters.
inline bool has_upper_case(uint64_t word) {
  uint64_t low7 = word & ~kHighBits;
  uint64_t from_a = low7 + kEachByte * (0x80 - 'A');      // high bit set where the byte is 'A' or above
  uint64_t past_z = low7 + kEachByte * (0x80 - 'Z' - 1);  // high bit set where the byte is above 'Z'
  return (from_a & ~past_z & ~word & kHighBits) != 0;
}

inline bool has_upper_case(std::string_view s) {
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    if (has_upper_case(load8(s.data() + i))) return true;
  }
  if (i == s.size()) return false;
  if (s.size() >= 8) return has_upper_case(load8(s.data() + s.size() - 8));  // the last bytes, as one word
  for (; i < s.size(); ++i) {
    if (s[i] >= 'A' && s[i] <= 'Z') return true;
  }
  return false;
}

// `s` in lower case: `s` itself when it has no upper-case letter, else a copy in `buffer`.
inline std::string_view lower_case(std::string_view s, std::string& buffer) {
  if (!has_upper_case(s)) return s;
  buffer.assign(s);
  for (size_t i = 0; i < buffer.size(); ++i) {
    if (buffer[i] >= 'A' && buffer[i] <= 'Z') buffer[i] = static_cast<char>(buffer[i] - 'A' + 'a');
  }
  return buffer;
}

inline constexpr std::string_view kDataContentType = "datacontenttype";

// Reserves the event's storage for every `ce-` header and the content type at once. Header values only shrink
// when decoded and names keep their length, so the sizes of the raw headers are enough.
inline void reserve_for(const HttpMessage& message, std::optional<std::string_view> content_type, CloudEvent& event) {
  size_t count = 0, bytes = 0;
  for (const auto& [name, raw] : message.headers) {
    if (!has_http_prefix(name)) continue;
    ++count;
    bytes += name.size() - kHttpPrefix.size() + raw.size();
  }
  if (content_type) {
    ++count;
    bytes += kDataContentType.size() + content_type->size();
  }
  event.reserve(count, bytes);
}

inline Status from_http_binary(const HttpMessage& message, std::optional<std::string_view> content_type,
                               CloudEvent& event) {
  event.clear();
  reserve_for(message, content_type, event);
  std::string lowered, scratch;  // reused for every header: no allocation per attribute
  DecodedAttributeChecks checks;
  for (const auto& [name, raw] : message.headers) {
    if (!has_http_prefix(name)) continue;
    std::string_view attribute = lower_case(std::string_view(name).substr(kHttpPrefix.size()), lowered);
    if (attribute == kDataContentType) {
      return Status::invalid(name + ": not allowed in binary mode, where Content-Type carries datacontenttype");
    }
    if (!is_attribute_name(attribute)) {
      return Status::invalid(name + ": " + in_quotes(attribute) + " is not an attribute name");
    }
    bool printable;
    auto value = decode_header_value(raw, scratch, printable);
    if (!value) {  // a repeated header is reported as such, whatever its value
      if (event.has(attribute)) return Status::invalid(name + ": header appears more than once");
      return with_context(value.status(), name);
    }
    if (!event.add(attribute, *value, checks.check(attribute, *value, printable))) {
      return Status::invalid(name + ": header appears more than once");
    }
  }
  if (content_type) {
    std::string_view ct = trim(*content_type);
    if (!parse_media_type(ct)) return Status::invalid("Content-Type: not a media type: " + in_quotes(ct));
    checks.content_type(ct);
    event.set(kDataContentType, ct);
  }
  // The checks say valid or not; validate() names what is wrong.
  if (!checks.passed()) {
    if (Status s = validate(event, kHttpPrefix); !s) return s;
  }
  // HTTP cannot tell an empty body from no body; an empty one means no data.
  if (!message.body.empty()) event.set_data(message.body);
  return Status::ok();
}

inline Status check_format(std::string_view content_type, std::string_view format) {
  return media_type_is(content_type, format) ? Status::ok() : unsupported_format(content_type);
}

}  // namespace detail

// Binary or structured mode into `event`, reusing its storage: a receiver that decodes every message into the
// same event allocates nothing for a binary-mode one once that storage has grown to fit. A batched message is
// refused (use events_from_http). After an error, `event` holds an unspecified, possibly invalid, event.
inline Status from_http(const HttpMessage& message, CloudEvent& event) {
  auto content_type = message.header("content-type");
  switch (content_mode(content_type)) {
    case ContentMode::binary:
      return detail::from_http_binary(message, content_type, event);
    case ContentMode::structured: {
      if (Status s = detail::check_format(*content_type, kJsonFormat); !s) return s;
      auto decoded = from_json(message.body);
      if (!decoded) return decoded.status();
      event = std::move(*decoded);
      return Status::ok();
    }
    case ContentMode::batched:
      break;
  }
  return Status::invalid("Content-Type " + in_quotes(*content_type) + " is a batch; expected a single event");
}

// Binary or structured mode; a batched message is refused (use events_from_http).
inline Result<CloudEvent> from_http(const HttpMessage& message) {
  CloudEvent event;
  if (Status s = from_http(message, event); !s) return s;
  return event;
}

// Every mode: one event for binary and structured messages, all of them for a batch.
inline Result<std::vector<CloudEvent>> events_from_http(const HttpMessage& message) {
  auto content_type = message.header("content-type");
  if (content_mode(content_type) == ContentMode::batched) {
    if (Status s = detail::check_format(*content_type, kJsonBatchFormat); !s) return s;
    return batch_from_json(message.body);
  }
  auto event = from_http(message);
  if (!event) return event.status();
  std::vector<CloudEvent> events;
  events.push_back(std::move(*event));
  return events;
}

inline HttpMessage to_http_binary(const CloudEvent& event) {
  HttpMessage message;
  message.headers.reserve(event.attribute_count());
  event.for_each([&](const AttributeView& a) {
    if (a.name == "datacontenttype") {
      message.headers.emplace_back("Content-Type", a.value);
    } else {
      message.headers.emplace_back(std::string(kHttpPrefix).append(a.name), percent_encode(a.value));
    }
    return true;
  });
  message.body = event.data();
  return message;
}

inline HttpMessage to_http_structured(const CloudEvent& event) {
  return {{{"Content-Type", std::string(kJsonFormat) + "; charset=UTF-8"}}, to_json(event)};
}

inline HttpMessage to_http_batch(const std::vector<CloudEvent>& events) {
  return {{{"Content-Type", std::string(kJsonBatchFormat) + "; charset=UTF-8"}}, batch_to_json(events)};
}

}  // namespace eventhost::ce

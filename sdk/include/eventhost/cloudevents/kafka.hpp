// The CloudEvents Kafka protocol binding (kafka-protocol-binding.md): binary and structured content modes over a
// record shape that any Kafka client can fill, and the `partitionkey` key mapper.
#pragma once

#include <eventhost/cloudevents/content_mode.hpp>
#include <eventhost/cloudevents/errors.hpp>
#include <eventhost/cloudevents/json.hpp>
#include <eventhost/cloudevents/media_type.hpp>
#include <eventhost/cloudevents/types.hpp>
#include <eventhost/cloudevents/validate.hpp>
#include <eventhost/event.hpp>
#include <eventhost/status.hpp>

#include <concepts>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace eventhost::ce {

namespace detail {

// The first header of that name; Kafka header names are case-sensitive.
template <typename Headers>
std::optional<std::string_view> first_header(const Headers& headers, std::string_view name) {
  for (const auto& [n, v] : headers) {
    if (n == name) return std::string_view(v);
  }
  return std::nullopt;
}

}  // namespace detail

struct KafkaRecord {
  std::optional<std::string> key;
  std::vector<std::pair<std::string, std::string>> headers;
  std::optional<std::string> value;  // nullopt: a null value (tombstone), which is an event without data

  std::optional<std::string_view> header(std::string_view name) const { return detail::first_header(headers, name); }
};

// The same record borrowed, e.g. straight from a Kafka client's message, so that decoding it copies nothing first. A
// consumer can keep one and refill it per record: `headers` keeps its storage.
struct KafkaRecordView {
  std::optional<std::string_view> key;
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::optional<std::string_view> value;

  std::optional<std::string_view> header(std::string_view name) const { return detail::first_header(headers, name); }
};

// A view of `record`, valid while the record lives and is not changed.
inline KafkaRecordView view_of(const KafkaRecord& record) {
  KafkaRecordView view{record.key, {}, record.value};
  view.headers.assign(record.headers.begin(), record.headers.end());
  return view;
}

// What the decoders read: KafkaRecord or KafkaRecordView.
template <typename R>
concept KafkaRecordLike = requires(const R& r) {
  { r.header(std::string_view{}) } -> std::same_as<std::optional<std::string_view>>;
  { r.value ? std::string_view(*r.value) : std::string_view{} };
  { r.key ? std::string_view(*r.key) : std::string_view{} };
  { std::string_view(r.headers.front().first) };
  { std::string_view(r.headers.front().second) };
};

inline constexpr std::string_view kKafkaPrefix = "ce_";
inline constexpr std::string_view kKafkaContentType = "content-type";

namespace detail {

// Reserves the event's storage for every `ce_` header and the content type at once.
template <KafkaRecordLike R>
void reserve_for(const R& record, std::optional<std::string_view> content_type, CloudEvent& event) {
  size_t count = 0, bytes = 0;
  for (const auto& [name, value] : record.headers) {
    if (std::string_view(name).substr(0, kKafkaPrefix.size()) != kKafkaPrefix) continue;
    ++count;
    bytes += name.size() - kKafkaPrefix.size() + value.size();
  }
  if (content_type) {
    ++count;
    bytes += std::string_view("datacontenttype").size() + content_type->size();
  }
  event.reserve(count, bytes);
}

template <KafkaRecordLike R>
Status from_kafka_binary(const R& record, std::optional<std::string_view> content_type, CloudEvent& event) {
  event.clear();
  reserve_for(record, content_type, event);
  DecodedAttributeChecks checks;
  for (const auto& [header_name, header_value] : record.headers) {
    const std::string_view name = header_name;
    const std::string_view value = header_value;
    if (name.substr(0, kKafkaPrefix.size()) != kKafkaPrefix) continue;
    std::string_view attribute = name.substr(kKafkaPrefix.size());
    if (attribute == "datacontenttype") {
      return Status::invalid(std::string(name) +
                             ": not allowed in binary mode, where content-type carries datacontenttype");
    }
    if (!is_attribute_name(attribute)) {
      return Status::invalid(std::string(name) + ": " + in_quotes(attribute) + " is not an attribute name");
    }
    if (!event.add(attribute, value, checks.check(attribute, value, false))) {
      return Status::invalid(std::string(name) + ": header appears more than once");
    }
  }
  if (content_type) {
    if (!parse_media_type(*content_type)) {
      return Status::invalid("content-type: not a media type: " + in_quotes(*content_type));
    }
    checks.content_type(*content_type);
    event.set("datacontenttype", *content_type);
  }
  // The checks say valid or not; validate() names what is wrong.
  if (!checks.passed()) {
    if (Status s = validate(event, kKafkaPrefix); !s) return s;
  }
  if (record.value) {
    event.set_data(*record.value);
  }
  return Status::ok();
}

}  // namespace detail

// Binary or structured mode into `event`, reusing its storage: a consumer that decodes every record into the same
// event allocates nothing for a binary-mode one once that storage has grown to fit. After an error, `event` holds
// an unspecified, possibly invalid, event.
template <KafkaRecordLike R>
Status from_kafka(const R& record, CloudEvent& event) {
  auto content_type = record.header(kKafkaContentType);
  if (content_mode(content_type) == ContentMode::binary) return detail::from_kafka_binary(record, content_type, event);
  if (!media_type_is(*content_type, kJsonFormat)) return unsupported_format(*content_type);
  if (!record.value) return Status::invalid("structured record has a null value");
  auto decoded = from_json(*record.value);
  if (!decoded) return decoded.status();
  event = std::move(*decoded);
  return Status::ok();
}

template <KafkaRecordLike R>
Result<CloudEvent> from_kafka(const R& record) {
  CloudEvent event;
  if (Status s = from_kafka(record, event); !s) return s;
  return event;
}

// The key mapper of §3.1: the `partitionkey` extension as-is, if present. The event is left unchanged.
inline std::optional<std::string> partitionkey_key(const CloudEvent& event) {
  if (auto key = event.get("partitionkey")) return std::string(*key);
  return std::nullopt;
}

// `key` is the user-provided record key, e.g. partitionkey_key(event).
inline KafkaRecord to_kafka_binary(const CloudEvent& event, std::optional<std::string> key = std::nullopt) {
  KafkaRecord record{std::move(key), {}, std::nullopt};
  record.headers.reserve(event.attribute_count());
  event.for_each([&](const AttributeView& a) {
    if (a.name == "datacontenttype") {
      record.headers.emplace_back(kKafkaContentType, a.value);
    } else {
      record.headers.emplace_back(std::string(kKafkaPrefix).append(a.name), a.value);
    }
    return true;
  });
  if (event.has_data()) record.value = std::string(event.data());
  return record;
}

inline KafkaRecord to_kafka_structured(const CloudEvent& event, std::optional<std::string> key = std::nullopt) {
  return {std::move(key), {{std::string(kKafkaContentType), std::string(kJsonFormat) + "; charset=UTF-8"}},
          to_json(event)};
}

}  // namespace eventhost::ce

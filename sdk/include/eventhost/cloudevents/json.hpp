// The CloudEvents JSON event format and JSON batch format (json-format.md).
//
// `data` travels as a JSON value when datacontenttype is JSON (`*/json`, `*/*+json`, or absent), and
// CloudEvent::data() then holds that value's compact JSON text. Otherwise it is a JSON string for text media types
// (text/*, xml, a charset parameter) and `data_base64` for everything else. Decoded events are validated.
#pragma once

#include <eventhost/cloudevents/base64.hpp>
#include <eventhost/cloudevents/json_reader.hpp>
#include <eventhost/cloudevents/media_type.hpp>
#include <eventhost/cloudevents/types.hpp>
#include <eventhost/cloudevents/unicode.hpp>
#include <eventhost/event.hpp>
#include <eventhost/status.hpp>

#include <rapidjson/writer.h>

#include <string>
#include <string_view>
#include <vector>

namespace eventhost::ce {

inline constexpr std::string_view kJsonFormat = "application/cloudevents+json";
inline constexpr std::string_view kJsonBatchFormat = "application/cloudevents-batch+json";

inline Result<CloudEvent> from_json(std::string_view json) {
  detail::JsonEventHandler handler(/*batch=*/false);
  if (Status s = detail::read_json_events(json, handler); !s) return s;
  return std::move(handler.events.front());
}

inline Result<std::vector<CloudEvent>> batch_from_json(std::string_view json) {
  detail::JsonEventHandler handler(/*batch=*/true);
  if (Status s = detail::read_json_events(json, handler); !s) return s;
  return std::move(handler.events);
}

namespace detail {

using JsonWriter = rapidjson::Writer<StringOutput>;

inline void write_string(JsonWriter& w, std::string_view s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

// Typed values that are not canonical are written as strings, so the output stays JSON and from_json refuses it.
inline void write_attribute(JsonWriter& w, const AttributeView& a) {
  w.Key(a.name.data(), static_cast<rapidjson::SizeType>(a.name.size()));
  if (a.type == EH_ATTR_BOOLEAN && parse_boolean(a.value)) {
    w.Bool(*parse_boolean(a.value));
  } else if (a.type == EH_ATTR_INTEGER && parse_integer(a.value)) {
    w.RawValue(a.value.data(), a.value.size(), rapidjson::kNumberType);
  } else {
    write_string(w, a.value);
  }
}

inline void write_data(JsonWriter& w, const CloudEvent& event) {
  if (!event.has_data()) return;
  std::string_view data = event.data();
  auto content_type = event.get("datacontenttype");
  if (is_json_content_type(content_type) && is_json_text(data)) {
    w.Key("data");
    w.RawValue(data.data(), data.size(), rapidjson::kObjectType);
  } else if (content_type && is_text_content_type(*content_type) && is_valid_utf8(data)) {
    w.Key("data");
    write_string(w, data);
  } else {
    w.Key("data_base64");
    write_string(w, base64_encode(data));
  }
}

inline void write_event(JsonWriter& w, const CloudEvent& event) {
  w.StartObject();
  event.for_each([&](const AttributeView& a) {
    write_attribute(w, a);
    return true;
  });
  write_data(w, event);
  w.EndObject();
}

// Enough for the whole document in one allocation: names, values, punctuation and data (base64 at worst).
inline size_t estimated_json_size(const CloudEvent& event) {
  size_t size = 32 + event.data().size() / 3 * 4 + 4;
  event.for_each([&](const AttributeView& a) {
    size += a.name.size() + a.value.size() + 6;
    return true;
  });
  return size;
}

}  // namespace detail

inline std::string to_json(const CloudEvent& event) {
  std::string json;
  json.reserve(detail::estimated_json_size(event));
  detail::StringOutput out{&json};
  detail::JsonWriter writer(out);
  detail::write_event(writer, event);
  return json;
}

inline std::string batch_to_json(const std::vector<CloudEvent>& events) {
  std::string json;
  detail::StringOutput out{&json};
  detail::JsonWriter writer(out);
  writer.StartArray();
  for (const CloudEvent& event : events) detail::write_event(writer, event);
  writer.EndArray();
  return json;
}

}  // namespace eventhost::ce

// Which content mode a message uses, read from its content type (HTTP binding §3, Kafka binding §3).
#pragma once

#include <eventhost/cloudevents/media_type.hpp>

#include <optional>
#include <string_view>

namespace eventhost::ce {

enum class ContentMode { binary, structured, batched };

inline ContentMode content_mode(std::optional<std::string_view> content_type) {
  if (!content_type) return ContentMode::binary;
  std::string_view ct = detail::trim(*content_type);
  auto starts_with = [&](std::string_view prefix) {
    return ct.size() >= prefix.size() && detail::iequals(ct.substr(0, prefix.size()), prefix);
  };
  if (!starts_with("application/cloudevents")) return ContentMode::binary;
  return starts_with("application/cloudevents-batch") ? ContentMode::batched : ContentMode::structured;
}

}  // namespace eventhost::ce

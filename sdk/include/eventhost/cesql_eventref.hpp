// CESQL over the plugin-side event handle: lets a filter plugin evaluate expressions on the events it is given.
#pragma once

#include <eventhost/cesql.hpp>
#include <eventhost/host.hpp>

namespace eventhost::cesql {

inline Lookup lookup(const EventRef& event) {
  return Lookup(&event, [](const void* source, std::string_view name) -> std::optional<Attribute> {
    auto attribute = static_cast<const EventRef*>(source)->get_typed(name);
    if (!attribute) return std::nullopt;
    return Attribute{attribute->first, attribute->second};
  });
}
Lookup lookup(const EventRef&& event) = delete;  // the Lookup would outlive the handle

}  // namespace eventhost::cesql

// Moves a decoded CloudEvent into a host event (to emit it, or to hand a reply back) and reads a host event into a
// CloudEvent (to encode it), through the ABI's accessors.
#pragma once

#include <eventhost/event.hpp>
#include <eventhost/host.hpp>

namespace eventhost::http_plugin {

inline OwnedEvent to_host_event(const eh_host_api* api, eh_host* host, const CloudEvent& event) {
  OwnedEvent out(api, api->event_new(host));
  event.for_each([&](const AttributeView& a) {
    out.set(a.name, a.value, a.type);
    return true;
  });
  if (event.has_data()) out.set_data(event.data());
  return out;
}

inline CloudEvent from_host_event(EventRef event) {
  CloudEvent out;
  event.for_each([&](std::string_view name, std::string_view value, eh_attr_type type) {
    out.set(name, value, type);
    return true;
  });
  if (auto data = event.data()) out.set_data(*data);
  return out;
}

}  // namespace eventhost::http_plugin

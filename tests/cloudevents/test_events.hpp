// Events shared by the CloudEvents tests.
#pragma once

#include <eventhost/cloudevents/json.hpp>
#include <eventhost/cloudevents/types.hpp>
#include <eventhost/event.hpp>

#include <ostream>

#include <string>
#include <utility>
#include <vector>

namespace eventhost {
// Lets GoogleTest show events as JSON in failure messages.
inline void PrintTo(const CloudEvent& e, std::ostream* os) { *os << ce::to_json(e); }
}  // namespace eventhost

namespace eventhost::ce::test {

inline CloudEvent minimal_event() {
  CloudEvent e;
  e.set("specversion", "1.0");
  e.set("id", "A234-1234-1234");
  e.set("source", "/mycontext", EH_ATTR_URI_REF);
  e.set("type", "com.example.someevent");
  return e;
}

// Every optional attribute and one extension of each type, with JSON data.
inline CloudEvent every_type_event() {
  CloudEvent e = minimal_event();
  e.set("time", "2018-04-05T17:31:00Z", EH_ATTR_TIMESTAMP);
  e.set("dataschema", "https://example.com/schema.json", EH_ATTR_URI);
  e.set("subject", "larger-context");
  e.set("datacontenttype", "application/json");
  e.set("extstring", "Euro € 😀 \"quoted\" 100%");
  e.set("extbool", "true", EH_ATTR_BOOLEAN);
  e.set("extint", "-2147483648", EH_ATTR_INTEGER);
  e.set("extbinary", "AAH/", EH_ATTR_BINARY);
  e.set("exturi", "urn:example:thing", EH_ATTR_URI);
  e.set("exturiref", "../relative?q=1#frag", EH_ATTR_URI_REF);
  e.set("exttime", "1985-04-12T23:20:50.52+01:00", EH_ATTR_TIMESTAMP);
  e.set_data(std::string(R"({"appinfoA":"abc","appinfoB":123,"appinfoC":true,"n":null})"));
  return e;
}

namespace detail {
inline CloudEvent with_extensions_as_strings(const CloudEvent& e, bool keep_json_types) {
  std::vector<std::pair<std::string, std::string>> extensions;
  e.for_each([&](const AttributeView& a) {
    bool json_type = a.type == EH_ATTR_BOOLEAN || a.type == EH_ATTR_INTEGER;
    if (!spec_attribute_type(a.name) && !(keep_json_types && json_type)) extensions.emplace_back(a.name, a.value);
    return true;
  });
  CloudEvent copy = e;
  for (const auto& [name, value] : extensions) copy.set(name, value, EH_ATTR_STRING);
  return copy;
}
}  // namespace detail

// What decode(encode(e)) equals. No transport carries an extension's declared type: JSON keeps Boolean and Integer
// as JSON values and turns the rest into strings; binary modes carry every value as a string. The canonical values
// themselves always survive.
inline CloudEvent as_json_decodes(const CloudEvent& e) { return detail::with_extensions_as_strings(e, true); }
inline CloudEvent as_binary_decodes(const CloudEvent& e) { return detail::with_extensions_as_strings(e, false); }

}  // namespace eventhost::ce::test

// Checks a CloudEvent against CloudEvents v1.0.2 (spec.md) and reports the first violation.
#pragma once

#include <eventhost/cloudevents/media_type.hpp>
#include <eventhost/cloudevents/types.hpp>
#include <eventhost/event.hpp>
#include <eventhost/status.hpp>

#include <string>
#include <string_view>

namespace eventhost::ce {

namespace detail {

// `where` prefixes attribute names in messages so they name what the sender wrote ("ce-" for HTTP headers).
inline Status attribute_error(std::string_view where, std::string_view name, std::string_view what) {
  std::string m(where);
  m.append(name).append(": ").append(what);
  return Status::invalid(std::move(m));
}

inline Status validate_attribute(const AttributeView& a, std::string_view where) {
  if (!is_attribute_name(a.name)) {
    return Status::invalid("attribute name " + in_quotes(a.name) + " must consist of lower-case letters and digits");
  }
  if (is_named(a.name, "data")) return attribute_error(where, a.name, "name is reserved for the event data");
  AttributeType type = a.type;
  if (AttributeType spec_type; spec_type_of(a.name, spec_type)) {
    // A String tag is always acceptable: it is the canonical form of every type.
    if (type != EH_ATTR_STRING && type != spec_type) {
      return attribute_error(where, a.name, std::string("must be of type ") + type_name(spec_type) + ", not " +
                                                type_name(type));
    }
    type = spec_type;
  }
  if (const char* why = type_violation(a.value, type)) {
    return attribute_error(where, a.name, std::string(why) + ": " + in_quotes(a.value));
  }
  if (is_named(a.name, "specversion") && a.value != kSpecVersion) {
    return attribute_error(where, a.name, "unsupported value " + in_quotes(a.value));
  }
  // partitionkey: the Partitioning extension (partitioning.md) also requires a non-empty string.
  if (a.value.empty() && (is_named(a.name, "id") || is_named(a.name, "source") || is_named(a.name, "type") ||
                          is_named(a.name, "subject") || is_named(a.name, "dataschema") ||
                          is_named(a.name, "partitionkey"))) {
    return attribute_error(where, a.name, "must not be empty");
  }
  if (is_named(a.name, "datacontenttype") && !parse_media_type(a.value)) {
    return attribute_error(where, a.name, "not a media type (RFC 2046): " + in_quotes(a.value));
  }
  return Status::ok();
}

}  // namespace detail

// As validate(), naming attributes with a transport prefix in messages: "ce-specversion: unsupported value '0.3'".
inline Status validate(const CloudEvent& event, std::string_view where) {
  // specversion first: an event of another version is refused as such, not for lacking a 1.0 attribute.
  constexpr std::string_view kRequired[] = {"specversion", "id", "source", "type"};
  for (std::string_view required : kRequired) {
    if (auto a = event.get_typed(required)) {
      if (Status s = detail::validate_attribute(*a, where); !s) return s;
    } else {
      return detail::attribute_error(where, required, "required attribute is missing");
    }
  }
  auto is_required = [](std::string_view name) {
    return is_named(name, "specversion") || is_named(name, "id") || is_named(name, "source") ||
           is_named(name, "type");
  };
  Status result;
  event.for_each([&](const AttributeView& a) {
    if (is_required(a.name)) return true;  // checked above
    result = detail::validate_attribute(a, where);
    return result.is_ok();
  });
  return result;
}

inline Status validate(const CloudEvent& event) { return validate(event, {}); }

}  // namespace eventhost::ce

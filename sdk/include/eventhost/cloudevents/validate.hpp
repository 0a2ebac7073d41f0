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

// validate()'s rules, checked by a binary-mode decoder on each attribute as it stores it, with what the decoder
// already knows: the name is an attribute name, the type is string_attribute_type(name), the content type is a
// media type, and maybe the value is printable ASCII. This only answers "valid or not", so that a valid event is
// not walked again; when it says no, the decoder runs validate() for the message. Keep it in step with
// validate_attribute: accepting an event validate() refuses would weaken the rules.
class DecodedAttributeChecks {
 public:
  // Checks one attribute and returns the type to store it with (string_attribute_type).
  AttributeType check(std::string_view name, std::string_view value, bool printable_ascii) {
    AttributeType type = EH_ATTR_STRING;
    bool required_value = false;  // must not be empty
    switch (name.size()) {
      case 2:
        if (is_named(name, "id")) seen_ |= kHasId, required_value = true;
        break;
      case 4:
        if (is_named(name, "type")) {
          seen_ |= kHasType, required_value = true;
        } else if (is_named(name, "time")) {
          type = EH_ATTR_TIMESTAMP;
        } else if (is_named(name, "data")) {
          valid_ = false;
        }
        break;
      case 6:
        if (is_named(name, "source")) seen_ |= kHasSource, required_value = true, type = EH_ATTR_URI_REF;
        break;
      case 7:
        if (is_named(name, "subject")) required_value = true;
        break;
      case 10:
        if (is_named(name, "dataschema")) required_value = true, type = EH_ATTR_URI;
        break;
      case 11:
        if (is_named(name, "specversion")) {
          seen_ |= kHasSpecVersion;
          if (value != kSpecVersion) valid_ = false;
        }
        break;
      case 12:
        if (is_named(name, "partitionkey")) required_value = true;
        break;
      case 15:
        if (is_named(name, "datacontenttype")) valid_ = false;  // decoders store the content type with content_type()
        break;
    }
    if (required_value && value.empty()) valid_ = false;
    if (!printable_ascii && string_violation(value) != nullptr) valid_ = false;
    switch (type) {
      case EH_ATTR_TIMESTAMP: if (!is_rfc3339_timestamp(value)) valid_ = false; break;
      case EH_ATTR_URI_REF: if (!is_uri_reference(value)) valid_ = false; break;
      case EH_ATTR_URI: if (!is_absolute_uri(value)) valid_ = false; break;
      default: break;
    }
    return type;
  }

  // `datacontenttype` from a content type the decoder has parsed as a media type: only the String rules are left.
  void content_type(std::string_view value) {
    if (string_violation(value) != nullptr) valid_ = false;
  }

  // True when validate() would accept the event: every attribute passed and the required ones are there.
  bool passed() const { return valid_ && seen_ == kAllRequired; }

 private:
  static constexpr unsigned kHasSpecVersion = 1, kHasId = 2, kHasSource = 4, kHasType = 8, kAllRequired = 15;
  unsigned seen_ = 0;
  bool valid_ = true;
};

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

// The CloudEvents v1.0.2 type system (spec.md, "Type System"): checking, parsing and formatting canonical strings.
#pragma once

#include <eventhost/abi.h>
#include <eventhost/cloudevents/base64.hpp>
#include <eventhost/cloudevents/rfc3339.hpp>
#include <eventhost/cloudevents/unicode.hpp>
#include <eventhost/cloudevents/uri.hpp>
#include <eventhost/event.hpp>

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace eventhost::ce {

inline constexpr std::string_view kSpecVersion = "1.0";

inline const char* type_name(AttributeType type) {
  switch (type) {
    case EH_ATTR_STRING: return "String";
    case EH_ATTR_BOOLEAN: return "Boolean";
    case EH_ATTR_INTEGER: return "Integer";
    case EH_ATTR_BINARY: return "Binary";
    case EH_ATTR_URI: return "URI";
    case EH_ATTR_URI_REF: return "URI-reference";
    case EH_ATTR_TIMESTAMP: return "Timestamp";
  }
  return "unknown";
}

// name == literal, with the length a compile-time constant so that the comparison compiles to a few loads instead
// of a call to memcmp: decoders compare every attribute name they read against several literals.
template <size_t N>
inline bool is_named(std::string_view name, const char (&literal)[N]) {
  return name.size() == N - 1 && std::memcmp(name.data(), literal, N - 1) == 0;
}

namespace detail {

// The type the spec gives a required or optional attribute, into `type`; false for extensions. Switches on the
// length first: decoders ask this for every attribute they read. An out-parameter rather than a returned
// std::optional, which this function's callers would read back through memory at a cost on that hot path.
inline bool spec_type_of(std::string_view name, AttributeType& type) {
  switch (name.size()) {
    case 2: if (is_named(name, "id")) return type = EH_ATTR_STRING, true; break;
    case 4:
      if (is_named(name, "type")) return type = EH_ATTR_STRING, true;
      if (is_named(name, "time")) return type = EH_ATTR_TIMESTAMP, true;
      break;
    case 6: if (is_named(name, "source")) return type = EH_ATTR_URI_REF, true; break;
    case 7: if (is_named(name, "subject")) return type = EH_ATTR_STRING, true; break;
    case 10: if (is_named(name, "dataschema")) return type = EH_ATTR_URI, true; break;
    case 11: if (is_named(name, "specversion")) return type = EH_ATTR_STRING, true; break;
    case 15: if (is_named(name, "datacontenttype")) return type = EH_ATTR_STRING, true; break;
  }
  return false;
}

}  // namespace detail

// The type the spec gives a required or optional attribute; nullopt for extensions.
inline std::optional<AttributeType> spec_attribute_type(std::string_view name) {
  AttributeType type;
  if (detail::spec_type_of(name, type)) return type;
  return std::nullopt;
}

// The type a decoder gives an attribute that arrives as a plain string (a header): the spec's type for the
// standard attributes, String for extensions, whose type a string-only transport does not carry.
inline AttributeType string_attribute_type(std::string_view name) {
  AttributeType type = EH_ATTR_STRING;
  detail::spec_type_of(name, type);
  return type;
}

// [a-z0-9]+. The spec's "SHOULD NOT exceed 20 characters" is advice, so longer names are accepted.
inline bool is_attribute_name(std::string_view name) {
  static constexpr auto kNameChars = [] {
    struct Table {
      bool allowed[256] = {};
    } table;
    for (int c = 'a'; c <= 'z'; ++c) table.allowed[c] = true;
    for (int c = '0'; c <= '9'; ++c) table.allowed[c] = true;
    return table;
  }();
  bool all = !name.empty();
  for (char c : name) all &= kNameChars.allowed[static_cast<unsigned char>(c)];  // no branch per character
  return all;
}

// Integer: the integer part of a JSON number (RFC 7159 §6), optionally negative, within signed 32 bits.
inline std::optional<int32_t> parse_integer(std::string_view s) {
  bool negative = !s.empty() && s[0] == '-';
  std::string_view digits = s.substr(negative ? 1 : 0);
  if (digits.empty() || digits.size() > 10 || (digits[0] == '0' && digits.size() > 1)) return std::nullopt;
  int64_t n = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  if (negative) n = -n;
  if (n < INT32_MIN || n > INT32_MAX) return std::nullopt;
  return static_cast<int32_t>(n);
}

inline std::string canonical_integer(int32_t value) { return std::to_string(value); }

inline std::optional<bool> parse_boolean(std::string_view s) {
  if (s == "true") return true;
  if (s == "false") return false;
  return std::nullopt;
}

inline std::string_view canonical_boolean(bool value) { return value ? "true" : "false"; }

// Why `value` is not the canonical string form of `type`, or nullptr when it is.
inline const char* type_violation(std::string_view value, AttributeType type) {
  if (const char* why = string_violation(value)) return why;
  switch (type) {
    case EH_ATTR_STRING: return nullptr;
    case EH_ATTR_BOOLEAN: return parse_boolean(value) ? nullptr : "not a Boolean (expected 'true' or 'false')";
    case EH_ATTR_INTEGER: return parse_integer(value) ? nullptr : "not a signed 32-bit Integer";
    case EH_ATTR_BINARY: return is_base64(value) ? nullptr : "not canonical base64 (RFC 4648)";
    case EH_ATTR_URI: return is_absolute_uri(value) ? nullptr : "not an absolute URI (RFC 3986 §4.3)";
    case EH_ATTR_URI_REF: return is_uri_reference(value) ? nullptr : "not a URI-reference (RFC 3986 §4.1)";
    case EH_ATTR_TIMESTAMP: return is_rfc3339_timestamp(value) ? nullptr : "not an RFC 3339 timestamp";
  }
  return "unknown attribute type";
}

// Quotes a value for an error message, shortened so a huge or hostile value cannot flood a log line.
inline std::string in_quotes(std::string_view value) {
  constexpr size_t kMax = 64;
  std::string out = "'";
  out.append(value.substr(0, kMax));
  if (value.size() > kMax) out += "...";
  out += '\'';
  return out;
}

}  // namespace eventhost::ce

// RFC 3986 syntax checks for the CloudEvents `URI` (absolute-URI, §4.3) and `URI-reference` (§4.1) types.
#pragma once

#include <string_view>

namespace eventhost::ce {

namespace detail {

constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
constexpr bool is_unreserved(char c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }
constexpr bool is_sub_delim(char c) {
  switch (c) {
    case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+': case ',': case ';': case '=':
      return true;
    default:
      return false;
  }
}

// unreserved / sub-delims and the `extra` characters a part of a URI also allows, as a table: URI checks look up
// every character of `source` and `dataschema`.
struct UriCharTable {
  bool allowed[256] = {};
};
constexpr UriCharTable uri_char_table(std::string_view extra) {
  UriCharTable table;
  for (int c = 0; c < 256; ++c) {
    table.allowed[c] = is_unreserved(static_cast<char>(c)) || is_sub_delim(static_cast<char>(c));
  }
  for (char c : extra) table.allowed[static_cast<unsigned char>(c)] = true;
  return table;
}
inline constexpr UriCharTable kRegNameChars = uri_char_table("");
inline constexpr UriCharTable kUserInfoChars = uri_char_table(":");
inline constexpr UriCharTable kPathChars = uri_char_table(":@/");
inline constexpr UriCharTable kQueryChars = uri_char_table(":@/?");  // also a fragment's

// True when every character of s is allowed by `table` or part of a %HH escape.
inline bool uri_chars(std::string_view s, const UriCharTable& table) {
  auto allowed = [&](size_t i) { return table.allowed[static_cast<unsigned char>(s[i])]; };
  size_t i = 0;
  while (i + 4 <= s.size() && (allowed(i) & allowed(i + 1) & allowed(i + 2) & allowed(i + 3))) i += 4;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (table.allowed[static_cast<unsigned char>(c)]) continue;
    if (c != '%' || i + 2 >= s.size() || !is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
    i += 2;
  }
  return true;
}

inline bool is_ip_literal(std::string_view s) {  // the part between '[' and ']'
  if (s.empty()) return false;
  if (s[0] == 'v' || s[0] == 'V') {  // IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" )
    size_t dot = s.find('.');
    if (dot == std::string_view::npos || dot < 2 || dot + 1 == s.size()) return false;
    for (size_t i = 1; i < dot; ++i) {
      if (!is_hex(s[i])) return false;
    }
    return uri_chars(s.substr(dot + 1), kUserInfoChars) && s.substr(dot + 1).find('%') == std::string_view::npos;
  }
  if (s.find(':') == std::string_view::npos) return false;
  for (char c : s) {
    if (!is_hex(c) && c != ':' && c != '.') return false;
  }
  return true;
}

inline bool is_port(std::string_view s) {
  for (char c : s) {
    if (!is_digit(c)) return false;
  }
  return true;
}

inline bool is_authority(std::string_view s) {
  if (size_t at = s.find('@'); at != std::string_view::npos) {
    if (!uri_chars(s.substr(0, at), kUserInfoChars)) return false;
    s.remove_prefix(at + 1);
  }
  if (!s.empty() && s[0] == '[') {
    size_t close = s.find(']');
    if (close == std::string_view::npos || !is_ip_literal(s.substr(1, close - 1))) return false;
    s.remove_prefix(close + 1);
    return s.empty() || (s[0] == ':' && is_port(s.substr(1)));
  }
  size_t colon = s.find(':');
  return uri_chars(s.substr(0, colon), kRegNameChars) &&
         (colon == std::string_view::npos || is_port(s.substr(colon + 1)));
}

struct UriShape {
  bool valid = false;
  bool has_scheme = false;
  bool has_fragment = false;
};

inline UriShape parse_uri_reference(std::string_view s) {
  UriShape shape;
  size_t scheme_end = 0;
  if (!s.empty() && is_alpha(s[0])) {
    scheme_end = 1;
    while (scheme_end < s.size() &&
           (is_alpha(s[scheme_end]) || is_digit(s[scheme_end]) || s[scheme_end] == '+' || s[scheme_end] == '-' ||
            s[scheme_end] == '.')) {
      ++scheme_end;
    }
    if (scheme_end < s.size() && s[scheme_end] == ':') {
      shape.has_scheme = true;
      s.remove_prefix(scheme_end + 1);
    }
  }
  if (size_t hash = s.find('#'); hash != std::string_view::npos) {
    shape.has_fragment = true;
    if (!uri_chars(s.substr(hash + 1), kQueryChars)) return shape;
    s = s.substr(0, hash);
  }
  if (size_t q = s.find('?'); q != std::string_view::npos) {
    if (!uri_chars(s.substr(q + 1), kQueryChars)) return shape;
    s = s.substr(0, q);
  }
  if (s.substr(0, 2) == "//") {
    size_t path = s.find('/', 2);
    if (!is_authority(s.substr(2, path == std::string_view::npos ? std::string_view::npos : path - 2))) return shape;
    s = path == std::string_view::npos ? std::string_view{} : s.substr(path);
  } else if (!shape.has_scheme && s.substr(0, s.find('/')).find(':') != std::string_view::npos) {
    return shape;  // path-noscheme: a colon in the first segment would have made it a scheme
  }
  shape.valid = uri_chars(s, kPathChars);
  return shape;
}

}  // namespace detail

inline bool is_uri_reference(std::string_view s) { return detail::parse_uri_reference(s).valid; }

// absolute-URI = scheme ":" hier-part [ "?" query ], so a fragment is not allowed (RFC 3986 §4.3).
inline bool is_absolute_uri(std::string_view s) {
  auto shape = detail::parse_uri_reference(s);
  return shape.valid && shape.has_scheme && !shape.has_fragment;
}

}  // namespace eventhost::ce

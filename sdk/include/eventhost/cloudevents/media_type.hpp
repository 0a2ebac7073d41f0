// Media types (RFC 2045 §5.1 / RFC 2046) as `datacontenttype` and Content-Type carry them.
#pragma once

#include <optional>
#include <string_view>

namespace eventhost::ce {

struct MediaType {
  std::string_view type;
  std::string_view subtype;
  std::string_view parameters;  // everything after the first ';', unparsed
};

namespace detail {
constexpr bool is_token_char_by_rule(char c) {
  if (c <= 0x20 || c >= 0x7F) return false;
  switch (c) {
    case '(': case ')': case '<': case '>': case '@': case ',': case ';': case ':': case '\\': case '"': case '/':
    case '[': case ']': case '?': case '=':
      return false;
    default:
      return true;
  }
}
// The rule as a table: every Content-Type is checked character by character.
inline constexpr auto kTokenChars = [] {
  struct Table {
    bool allowed[256] = {};
  } table;
  for (int c = 0; c < 256; ++c) table.allowed[c] = is_token_char_by_rule(static_cast<char>(c));
  return table;
}();
inline bool is_token_char(char c) { return kTokenChars.allowed[static_cast<unsigned char>(c)]; }
inline bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!is_token_char(c)) return false;
  }
  return true;
}
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
inline bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// parameter = attribute "=" (token / quoted-string), separated by ';' with optional whitespace.
inline bool are_parameters(std::string_view s) {
  while (!s.empty()) {
    size_t eq = s.find('=');
    if (eq == std::string_view::npos || !is_token(trim(s.substr(0, eq)))) return false;
    s = s.substr(eq + 1);
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    size_t end;
    if (!s.empty() && s[0] == '"') {
      end = 1;
      while (end < s.size() && s[end] != '"') end += s[end] == '\\' ? 2 : 1;
      if (end >= s.size()) return false;
      ++end;
    } else {
      end = 0;
      while (end < s.size() && is_token_char(s[end])) ++end;
      if (end == 0) return false;
    }
    s = trim(s.substr(end));
    if (s.empty()) break;
    if (s[0] != ';') return false;
    s = trim(s.substr(1));
  }
  return true;
}
}  // namespace detail

inline std::optional<MediaType> parse_media_type(std::string_view s) {
  s = detail::trim(s);
  size_t slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  size_t semi = s.find(';', slash);
  MediaType m{s.substr(0, slash), detail::trim(s.substr(slash + 1, semi == std::string_view::npos ? semi : semi - slash - 1)),
              semi == std::string_view::npos ? std::string_view{} : detail::trim(s.substr(semi + 1))};
  if (!detail::is_token(m.type) || !detail::is_token(m.subtype) || !detail::are_parameters(m.parameters)) {
    return std::nullopt;
  }
  return m;
}

// True when the media type's type/subtype equals `essence` ("application/json"), ignoring case and parameters.
inline bool media_type_is(std::string_view content_type, std::string_view essence) {
  auto m = parse_media_type(content_type);
  size_t slash = essence.find('/');
  return m && detail::iequals(m->type, essence.substr(0, slash)) && detail::iequals(m->subtype, essence.substr(slash + 1));
}

// JSON per the JSON event format §3.1: absent, "*/json" or "*/*+json".
inline bool is_json_content_type(std::optional<std::string_view> content_type) {
  if (!content_type) return true;
  auto m = parse_media_type(*content_type);
  if (!m) return false;
  std::string_view sub = m->subtype;
  return detail::iequals(sub, "json") || (sub.size() > 5 && detail::iequals(sub.substr(sub.size() - 5), "+json"));
}

// Text the JSON format can carry as a `data` string rather than base64: text/*, */xml, */*+xml, or a charset.
inline bool is_text_content_type(std::string_view content_type) {
  auto m = parse_media_type(content_type);
  if (!m) return false;
  std::string_view sub = m->subtype;
  if (detail::iequals(m->type, "text") || detail::iequals(sub, "xml") ||
      (sub.size() > 4 && detail::iequals(sub.substr(sub.size() - 4), "+xml"))) {
    return true;
  }
  for (size_t i = 0; i + 8 <= m->parameters.size(); ++i) {
    if (detail::iequals(m->parameters.substr(i, 8), "charset=")) return true;
  }
  return false;
}

}  // namespace eventhost::ce

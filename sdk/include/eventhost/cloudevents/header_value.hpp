// HTTP header values of CloudEvents attributes (http-protocol-binding.md §3.1.3.2): percent-encoding on the way
// out; on the way in, RFC 7230 quoted strings unescaped, then one round of percent-decoding, then UTF-8 checked.
#pragma once

#include <eventhost/cloudevents/types.hpp>
#include <eventhost/cloudevents/unicode.hpp>
#include <eventhost/status.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace eventhost::ce {

// Encodes space, '"', '%' and every byte outside printable ASCII (U+0021-U+007E), with upper-case hex.
inline std::string percent_encode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7F || c == '"' || c == '%') {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

namespace detail {

inline int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Removes RFC 7230 §3.2.6 quoting: "..." sections lose their quotes and their backslash escapes.
inline Status unquote(std::string_view raw, std::string& out) {
  out.clear();
  bool quoted_section = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '"') {
      quoted_section = !quoted_section;
    } else if (c == '\\' && quoted_section) {
      if (++i == raw.size()) return Status::invalid("unterminated quoted string");
      out += raw[i];
    } else {
      out += c;
    }
  }
  if (quoted_section) return Status::invalid("unterminated quoted string");
  return Status::ok();
}

inline Status percent_decode_in_place(std::string& s) {
  size_t w = 0;
  for (size_t r = 0; r < s.size(); ++r) {
    if (s[r] != '%') {
      s[w++] = s[r];
      continue;
    }
    if (r + 2 >= s.size()) return Status::invalid("truncated percent-encoding " + in_quotes(s.substr(r)));
    int hi = hex_value(s[r + 1]), lo = hex_value(s[r + 2]);
    if (hi < 0 || lo < 0) return Status::invalid("invalid percent-encoding " + in_quotes(s.substr(r, 3)));
    s[w++] = static_cast<char>(hi << 4 | lo);
    r += 2;
  }
  s.resize(w);
  return Status::ok();
}

inline std::string_view trim_whitespace(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

enum class HeaderValueKind {
  needs_decoding,  // quoting, percent-encoding or non-ASCII bytes
  plain,           // nothing to decode, and ASCII, so already valid UTF-8
  printable,       // plain and printable ASCII only, so it also follows the String rules
};

inline bool is_plain_printable_word(uint64_t word) {
  return all_printable_ascii(word) && !has_byte(word, '%') && !has_byte(word, '"');
}

inline HeaderValueKind header_value_kind(std::string_view raw) {
  size_t i = 0;
  for (; i + 8 <= raw.size(); i += 8) {  // 8 bytes at a time while they are printable ASCII
    if (!is_plain_printable_word(load8(raw.data() + i))) break;
  }
  bool ran_out_of_words = i + 8 > raw.size();
  if (ran_out_of_words && i < raw.size() && raw.size() >= 8) {  // the rest, as the word that ends the value
    if (is_plain_printable_word(load8(raw.data() + raw.size() - 8))) return HeaderValueKind::printable;
  }
  bool printable = true;
  for (; i < raw.size(); ++i) {
    auto byte = static_cast<unsigned char>(raw[i]);
    if (byte == '%' || byte == '"' || byte >= 0x80) return HeaderValueKind::needs_decoding;
    if (byte < 0x20 || byte == 0x7F) printable = false;
  }
  return printable ? HeaderValueKind::printable : HeaderValueKind::plain;
}

}  // namespace detail

// Decodes a header value into its attribute value. Returns a view of `raw` when nothing needs decoding, else a
// view of `scratch`, so plain values cost no allocation. `printable` tells whether the value is printable ASCII,
// which decoders need not check against the String rules again.
inline Result<std::string_view> decode_header_value(std::string_view raw, std::string& scratch, bool& printable) {
  raw = detail::trim_whitespace(raw);
  auto kind = detail::header_value_kind(raw);
  printable = kind == detail::HeaderValueKind::printable;
  if (kind != detail::HeaderValueKind::needs_decoding) return raw;
  if (Status s = detail::unquote(raw, scratch); !s) return s;
  if (Status s = detail::percent_decode_in_place(scratch); !s) return s;
  if (!is_valid_utf8(scratch)) {
    bool percent_encoded = raw.find('%') != std::string_view::npos;
    return Status::invalid(std::string(percent_encoded ? "percent-encoding is not valid UTF-8: " : "not valid UTF-8: ") +
                           in_quotes(raw));
  }
  return std::string_view(scratch);
}

inline Result<std::string_view> decode_header_value(std::string_view raw, std::string& scratch) {
  bool printable;
  return decode_header_value(raw, scratch, printable);
}

}  // namespace eventhost::ce

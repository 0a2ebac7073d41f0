// Base64 (RFC 4648 §4, standard alphabet, padded): the canonical string form of the CloudEvents `Binary` type.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace eventhost::ce {

inline std::string base64_encode(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  auto at = [&](size_t k) { return static_cast<unsigned>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    unsigned n = at(i) << 16 | at(i + 1) << 8 | at(i + 2);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (size_t rest = bytes.size() - i; rest > 0) {
    unsigned n = at(i) << 16 | (rest == 2 ? at(i + 1) << 8 : 0);
    out += kAlphabet[n >> 18];
    out += kAlphabet[(n >> 12) & 63];
    out += rest == 2 ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

namespace detail {
inline int base64_digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}
}  // namespace detail

// Decodes canonical base64 only: padding required, no whitespace, and the unused bits before padding must be zero
// (RFC 4648 §3.5), so that every value has exactly one encoding and decode/encode round trips.
inline std::optional<std::string> base64_decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    size_t digits = last ? 4 - padding : 4;
    unsigned n = 0;
    for (size_t k = 0; k < 4; ++k) {
      int d = k < digits ? detail::base64_digit(text[i + k]) : 0;
      if (d < 0) return std::nullopt;
      n = n << 6 | static_cast<unsigned>(d);
    }
    out += static_cast<char>(n >> 16);
    if (digits >= 3) out += static_cast<char>((n >> 8) & 0xFF);
    if (digits == 4) out += static_cast<char>(n & 0xFF);
    if ((digits == 2 && (n & 0xFFFF) != 0) || (digits == 3 && (n & 0xFF) != 0)) return std::nullopt;
  }
  return out;
}

inline bool is_base64(std::string_view text) { return base64_decode(text).has_value(); }

}  // namespace eventhost::ce

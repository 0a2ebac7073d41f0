// UTF-8 well-formedness and the CloudEvents `String` character rules (spec.md, "Type System").
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string_view>

namespace eventhost::ce {

// Decodes one code point starting at s[i] and advances i; nullopt for ill-formed UTF-8 (Unicode Table 3-7), which
// rules out overlong forms (C0 A0), surrogates (ED A0..BF) and code points above U+10FFFF.
inline std::optional<char32_t> next_code_point(std::string_view s, size_t& i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  size_t len;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  char32_t cp;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2, cp = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3, cp = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4, cp = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return std::nullopt;
  }
  if (i + len > s.size()) return std::nullopt;
  for (size_t k = 1; k < len; ++k) {
    unsigned char b = byte(i + k);
    if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF)) return std::nullopt;
    cp = (cp << 6) | (b & 0x3F);
  }
  i += len;
  return cp;
}

// Skips ASCII eight bytes at a time: JSON and header text is mostly ASCII.
inline bool is_valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    if (i + 8 <= s.size()) {
      uint64_t word;
      std::memcpy(&word, s.data() + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
    } else if (!next_code_point(s, i)) {
      return false;
    }
  }
  return true;
}

inline bool is_noncharacter(char32_t cp) { return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE; }
inline bool is_control(char32_t cp) { return cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F); }

namespace detail {

inline constexpr uint64_t kEachByte = 0x0101010101010101ULL;  // times a byte value: that byte in all 8 lanes
inline constexpr uint64_t kHighBits = 0x8080808080808080ULL;

// True when all 8 bytes of `word` are printable ASCII (0x20-0x7E), tested together (SWAR).
inline bool all_printable_ascii(uint64_t word) {
  bool no_byte_below_space = ((word - kEachByte * 0x20) & ~word & kHighBits) == 0;
  bool no_byte_from_del = ((word | (word + kEachByte)) & kHighBits) == 0;  // 0x7F + 1 sets the high bit
  return no_byte_below_space && no_byte_from_del;
}

// The high bit of each byte of `word` that equals `b`, and possibly of bytes above (more significant than) one
// that does: the lowest bit set is always exact, and the result is 0 exactly when no byte equals `b`.
inline uint64_t byte_matches(uint64_t word, unsigned char b) {
  uint64_t x = word ^ (kEachByte * b);
  return (x - kEachByte) & ~x & kHighBits;
}

// True when some byte of `word` equals `b`.
inline bool has_byte(uint64_t word, unsigned char b) { return byte_matches(word, b) != 0; }

inline uint64_t load8(const char* p) {
  uint64_t word;
  std::memcpy(&word, p, 8);
  return word;
}

}  // namespace detail

// Why `s` is not a valid CloudEvents String, or nullptr when it is.
inline const char* string_violation(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    if (i + 8 <= s.size()) {
      if (detail::all_printable_ascii(detail::load8(s.data() + i))) {  // the common case
        i += 8;
        continue;
      }
    } else if (s.size() >= 8 && detail::all_printable_ascii(detail::load8(s.data() + s.size() - 8))) {
      return nullptr;  // the last bytes, as the word that ends s: the ones before them have passed
    }
    auto byte = static_cast<unsigned char>(s[i]);
    if (byte < 0x80) {  // ASCII is never a noncharacter
      if (byte <= 0x1F || byte == 0x7F) return "control character";
      ++i;
      continue;
    }
    auto cp = next_code_point(s, i);
    if (!cp) return "invalid UTF-8";
    if (is_control(*cp)) return "control character";
    if (is_noncharacter(*cp)) return "Unicode noncharacter";
  }
  return nullptr;
}

}  // namespace eventhost::ce

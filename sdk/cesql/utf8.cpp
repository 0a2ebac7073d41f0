#include "utf8.hpp"

namespace eventhost::cesql::utf8 {

size_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

namespace {

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

struct Decoded {
  char32_t code;
  size_t size;
};

// The character at `at`; an invalid sequence decodes as its first byte alone.
Decoded decode(std::string_view s, size_t at) {
  auto lead = static_cast<unsigned char>(s[at]);
  size_t size = sequence_length(lead);
  if (size == 1 || at + size > s.size()) return {lead, 1};
  char32_t code = lead & (0x7F >> size);
  for (size_t i = 1; i < size; ++i) {
    auto c = static_cast<unsigned char>(s[at + i]);
    if (!is_continuation(c)) return {lead, 1};
    code = (code << 6) | (c & 0x3F);
  }
  return {code, size};
}

size_t encode(char32_t code, char* out) {
  if (code < 0x80) {
    out[0] = static_cast<char>(code);
    return 1;
  }
  if (code < 0x800) {
    out[0] = static_cast<char>(0xC0 | (code >> 6));
    out[1] = static_cast<char>(0x80 | (code & 0x3F));
    return 2;
  }
  if (code < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (code >> 12));
    out[1] = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (code & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (code >> 18));
  out[1] = static_cast<char>(0x80 | ((code >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (code & 0x3F));
  return 4;
}

bool is_whitespace(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

// Latin Extended-A alternates upper and lower case letters; the blocks differ in which parity is upper.
bool in_latin_a_pairs(char32_t c, bool* upper) {
  if ((c >= 0x100 && c <= 0x12F) || (c >= 0x132 && c <= 0x137) || (c >= 0x14A && c <= 0x177)) {
    *upper = c % 2 == 0;
    return true;
  }
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E)) {
    *upper = c % 2 == 1;
    return true;
  }
  return false;
}

char32_t lower(char32_t c) {
  bool upper = false;
  if ((c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0xDE && c != 0xD7)) return c + 32;
  if (in_latin_a_pairs(c, &upper)) return upper ? c + 1 : c;
  if (c == 0x178) return 0xFF;
  if ((c >= 0x391 && c <= 0x3A9 && c != 0x3A2) || (c >= 0x410 && c <= 0x42F)) return c + 32;
  if (c >= 0x400 && c <= 0x40F) return c + 80;
  return c;
}

char32_t upper(char32_t c) {
  bool is_upper = false;
  if ((c >= 'a' && c <= 'z') || (c >= 0xE0 && c <= 0xFE && c != 0xF7)) return c - 32;
  if (in_latin_a_pairs(c, &is_upper)) return is_upper ? c : c - 1;
  if (c == 0xFF) return 0x178;
  if (c == 0x3C2) return 0x3A3;  // final sigma
  if ((c >= 0x3B1 && c <= 0x3C9) || (c >= 0x430 && c <= 0x44F)) return c - 32;
  if (c >= 0x450 && c <= 0x45F) return c - 80;
  return c;
}

template <typename Map>
void map_case(std::string_view s, std::span<char> out, Map map) {
  for (size_t at = 0; at < s.size();) {
    Decoded d = decode(s, at);
    char encoded[4];
    char32_t mapped = map(d.code);
    if (mapped != d.code && encode(mapped, encoded) == d.size) {
      for (size_t i = 0; i < d.size; ++i) out[at + i] = encoded[i];
    } else {
      for (size_t i = 0; i < d.size; ++i) out[at + i] = s[at + i];
    }
    at += d.size;
  }
}

}  // namespace

size_t length(std::string_view s) {
  size_t n = 0;
  for (size_t at = 0; at < s.size(); at += decode(s, at).size) ++n;
  return n;
}

size_t offset_of(std::string_view s, size_t index) {
  size_t at = 0;
  for (; at < s.size() && index > 0; --index) at += decode(s, at).size;
  return at;
}

std::string_view trim(std::string_view s) {
  while (!s.empty()) {
    Decoded d = decode(s, 0);
    if (!is_whitespace(d.code)) break;
    s.remove_prefix(d.size);
  }
  while (!s.empty()) {
    size_t start = s.size() - 1;
    while (start > 0 && is_continuation(static_cast<unsigned char>(s[start])) && s.size() - start < 4) --start;
    Decoded d = decode(s, start);
    bool well_formed = start + d.size == s.size();  // else a stray byte, which is never whitespace
    if (!well_formed || !is_whitespace(d.code)) break;
    s.remove_suffix(d.size);
  }
  return s;
}

void to_lower(std::string_view s, std::span<char> out) { map_case(s, out, lower); }
void to_upper(std::string_view s, std::span<char> out) { map_case(s, out, upper); }

}  // namespace eventhost::cesql::utf8

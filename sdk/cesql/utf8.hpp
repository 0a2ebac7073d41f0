// Character-level string helpers: CESQL counts and slices strings in Unicode characters, values are UTF-8.
// Invalid UTF-8 is not rejected: a stray byte counts as one character.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

namespace eventhost::cesql::utf8 {

// Number of bytes of the character that starts with `lead`.
size_t sequence_length(unsigned char lead);

// Number of characters.
size_t length(std::string_view s);

// Byte offset of character number `index` (0-based); s.size() when the string is shorter.
size_t offset_of(std::string_view s, size_t index);

// Leading and trailing characters with the Unicode White_Space property removed.
std::string_view trim(std::string_view s);

// Case mapping into `out`, which has s.size() bytes. Covers ASCII, Latin-1, Latin Extended-A, Greek and Cyrillic;
// every mapping there keeps the byte length, and other characters are copied unchanged.
void to_lower(std::string_view s, std::span<char> out);
void to_upper(std::string_view s, std::span<char> out);

}  // namespace eventhost::cesql::utf8

// RFC 3339 §5.6 `date-time`: the canonical string form of the CloudEvents `Timestamp` type.
#pragma once

#include <string_view>

namespace eventhost::ce {

namespace detail {
// The number written by the `width` digits at s[pos], or -1 if one is not a digit; the caller has checked the size.
inline int digits_at(std::string_view s, size_t pos, size_t width) {
  int out = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    auto digit = static_cast<unsigned>(s[i] - '0');
    if (digit > 9) return -1;
    out = out * 10 + static_cast<int>(digit);
  }
  return out;
}

inline int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}
}  // namespace detail

// "T" and "Z" may be lower case (RFC 3339 §5.6 note); seconds may be 60 (leap second).
inline bool is_rfc3339_timestamp(std::string_view s) {
  using detail::digits_at;
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
      s[16] != ':') {
    return false;
  }
  int year = digits_at(s, 0, 4), month = digits_at(s, 5, 2), day = digits_at(s, 8, 2), hour = digits_at(s, 11, 2),
      minute = digits_at(s, 14, 2), second = digits_at(s, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > detail::days_in_month(year, month) || hour < 0 ||
      hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60) {
    return false;
  }
  size_t pos = 19;
  if (s[pos] == '.') {
    size_t first = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == first) return false;
  }
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) return pos + 1 == s.size();
  if (pos + 6 != s.size() || (s[pos] != '+' && s[pos] != '-') || s[pos + 3] != ':') return false;
  int offset_hour = digits_at(s, pos + 1, 2), offset_minute = digits_at(s, pos + 4, 2);
  return offset_hour >= 0 && offset_hour <= 23 && offset_minute >= 0 && offset_minute <= 59;
}

}  // namespace eventhost::ce

// RFC 3339 §5.6 `date-time`: the canonical string form of the CloudEvents `Timestamp` type.
#pragma once

#include <string_view>

namespace eventhost::ce {

namespace detail {
// Reads exactly `width` digits at s[pos] into out; false if any is not a digit.
inline bool fixed_digits(std::string_view s, size_t pos, size_t width, int& out) {
  if (pos + width > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + width; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

inline int days_in_month(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}
}  // namespace detail

// "T" and "Z" may be lower case (RFC 3339 §5.6 note); seconds may be 60 (leap second).
inline bool is_rfc3339_timestamp(std::string_view s) {
  using detail::fixed_digits;
  int year, month, day, hour, minute, second;
  if (!fixed_digits(s, 0, 4, year) || s.size() < 20 || s[4] != '-' || !fixed_digits(s, 5, 2, month) ||
      s[7] != '-' || !fixed_digits(s, 8, 2, day) || (s[10] != 'T' && s[10] != 't') ||
      !fixed_digits(s, 11, 2, hour) || s[13] != ':' || !fixed_digits(s, 14, 2, minute) || s[16] != ':' ||
      !fixed_digits(s, 17, 2, second)) {
    return false;
  }
  if (month < 1 || month > 12 || day < 1 || day > detail::days_in_month(year, month) || hour > 23 || minute > 59 ||
      second > 60) {
    return false;
  }
  size_t pos = 19;
  if (s[pos] == '.') {
    size_t first = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == first) return false;
  }
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) return pos + 1 == s.size();
  int offset_hour, offset_minute;
  return pos + 6 == s.size() && (s[pos] == '+' || s[pos] == '-') && fixed_digits(s, pos + 1, 2, offset_hour) &&
         s[pos + 3] == ':' && fixed_digits(s, pos + 4, 2, offset_minute) && offset_hour <= 23 && offset_minute <= 59;
}

}  // namespace eventhost::ce

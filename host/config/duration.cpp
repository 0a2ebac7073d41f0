#include "config/duration.hpp"

#include <cctype>
#include <cstdint>

namespace eventhost::config {
namespace {

// Reads a non-negative decimal number (with optional fraction) and returns it in thousandths.
std::optional<int64_t> read_milli_units(std::string_view& s) {
  int64_t whole = 0;
  size_t i = 0;
  bool digits = false;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
    whole = whole * 10 + (s[i] - '0');
    if (whole > 1'000'000'000'000LL) return std::nullopt;
    ++i;
    digits = true;
  }
  int64_t frac = 0;
  int scale = 1000;
  if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
    ++i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      if (scale > 1) {
        scale /= 10;
        frac += (s[i] - '0') * scale;
      }
      ++i;
      digits = true;
    }
  }
  if (!digits) return std::nullopt;
  s.remove_prefix(i);
  return whole * 1000 + frac;
}

std::optional<std::chrono::milliseconds> parse_iso8601(std::string_view s) {
  s.remove_prefix(1);  // 'P'
  int64_t total_ms = 0;
  bool in_time = false;
  bool any = false;
  while (!s.empty()) {
    if (s.front() == 'T') {
      if (in_time) return std::nullopt;
      in_time = true;
      s.remove_prefix(1);
      continue;
    }
    auto milli = read_milli_units(s);
    if (!milli || s.empty()) return std::nullopt;
    char unit = s.front();
    s.remove_prefix(1);
    int64_t seconds_per_unit = 0;
    if (!in_time && unit == 'W') seconds_per_unit = 7 * 86400;
    else if (!in_time && unit == 'D') seconds_per_unit = 86400;
    else if (in_time && unit == 'H') seconds_per_unit = 3600;
    else if (in_time && unit == 'M') seconds_per_unit = 60;
    else if (in_time && unit == 'S') seconds_per_unit = 1;
    else return std::nullopt;  // years and months have no fixed length
    total_ms += *milli * seconds_per_unit;
    any = true;
  }
  if (!any) return std::nullopt;
  return std::chrono::milliseconds(total_ms);
}

std::optional<std::chrono::milliseconds> parse_short(std::string_view s) {
  int64_t total_ms = 0;
  while (!s.empty()) {
    auto milli = read_milli_units(s);
    if (!milli) return std::nullopt;
    int64_t factor_ms = 0;
    if (s.starts_with("ms")) {
      s.remove_prefix(2);
      total_ms += *milli / 1000;
      continue;
    }
    if (s.starts_with("s")) factor_ms = 1000;
    else if (s.starts_with("m")) factor_ms = 60'000;
    else if (s.starts_with("h")) factor_ms = 3'600'000;
    else return std::nullopt;
    s.remove_prefix(1);
    total_ms += *milli * factor_ms / 1000;
  }
  return std::chrono::milliseconds(total_ms);
}

}  // namespace

std::optional<std::chrono::milliseconds> parse_duration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  if (text.front() == 'P') return parse_iso8601(text);
  return parse_short(text);
}

}  // namespace eventhost::config

#include "cron.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cctype>
#include <charconv>
#include <limits>
#include <span>
#include <string>
#include <vector>

namespace eventhost::ping {
namespace {

using std::chrono::seconds;

struct FieldSpec {
  const char* name;
  int min;
  int max;
  std::span<const std::string_view> names;  // names[i] stands for min + i
  const char* expected;                     // what a value must look like, for error messages
  bool allows_question_mark;
};

constexpr std::array<std::string_view, 12> kMonthNames{"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> kWeekdayNames{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

constexpr FieldSpec kSecond{"second", 0, 59, {}, "a number", false};
constexpr FieldSpec kMinute{"minute", 0, 59, {}, "a number", false};
constexpr FieldSpec kHour{"hour", 0, 23, {}, "a number", false};
constexpr FieldSpec kDayOfMonth{"day-of-month", 1, 31, {}, "a number", true};
constexpr FieldSpec kMonth{"month", 1, 12, kMonthNames, "a number or a month name (JAN-DEC)", false};
constexpr FieldSpec kDayOfWeek{"day-of-week", 0, 7, kWeekdayNames, "a number or a weekday name (SUN-SAT)", true};
constexpr const FieldSpec* kFields[] = {&kSecond, &kMinute, &kHour, &kDayOfMonth, &kMonth, &kDayOfWeek};

struct ParsedField {
  uint64_t bits = 0;
  bool star = false;  // an unstepped `*` or `?`: the field does not restrict (matters for the day rule)
};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
         });
}

// Digits only; a number too large for int saturates, so that range checks report it like any other.
Result<int> parse_number(std::string_view text, const char* what) {
  int n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec == std::errc::invalid_argument || end != text.data() + text.size()) {
    return Status::invalid("'" + std::string(text) + "' is not " + what);
  }
  if (ec == std::errc::result_out_of_range) return std::numeric_limits<int>::max();
  return n;
}

Result<int> parse_value(std::string_view text, const FieldSpec& spec) {
  for (size_t i = 0; i < spec.names.size(); ++i) {
    if (iequals(text, spec.names[i])) return spec.min + static_cast<int>(i);
  }
  auto n = parse_number(text, spec.expected);
  if (!n) return n;
  if (*n < spec.min || *n > spec.max) {
    return Status::invalid(std::string(text) + " is out of range " + std::to_string(spec.min) + "-" +
                           std::to_string(spec.max));
  }
  return n;
}

// One list item: `*`, `?`, `N`, `N-M`, each optionally with `/step`.
Status parse_item(std::string_view item, const FieldSpec& spec, ParsedField& out) {
  if (item.empty()) return Status::invalid("empty list item");
  std::string_view range = item;
  int step = 1;
  bool stepped = false;
  if (auto slash = item.find('/'); slash != std::string_view::npos) {
    range = item.substr(0, slash);
    auto s = parse_number(item.substr(slash + 1), "a step");
    if (!s) return s.status();
    if (*s < 1) return Status::invalid("step in '" + std::string(item) + "' must be at least 1");
    step = *s;
    stepped = true;
  }

  int low = 0;
  int high = 0;
  if (range == "*" || range == "?") {
    if (range == "?" && !spec.allows_question_mark) {
      return Status::invalid("'?' is only allowed in day-of-month and day-of-week");
    }
    low = spec.min;
    high = spec.max;
    if (step == 1) out.star = true;
  } else if (auto dash = range.find('-'); dash != std::string_view::npos) {
    if (dash == 0 || dash + 1 == range.size()) {
      return Status::invalid("range '" + std::string(range) + "' is missing a bound");
    }
    auto first = parse_value(range.substr(0, dash), spec);
    if (!first) return first.status();
    auto last = parse_value(range.substr(dash + 1), spec);
    if (!last) return last.status();
    if (*first > *last) return Status::invalid("range '" + std::string(range) + "' runs backwards");
    low = *first;
    high = *last;
  } else {
    auto value = parse_value(range, spec);
    if (!value) return value.status();
    low = *value;
    high = stepped ? spec.max : *value;  // `N/step` means from N to the field's maximum
  }
  for (int64_t v = low; v <= high; v += step) out.bits |= uint64_t{1} << v;
  return Status::ok();
}

Result<ParsedField> parse_field(std::string_view text, const FieldSpec& spec, size_t position) {
  ParsedField field;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    Status s = parse_item(text.substr(start, comma == std::string_view::npos ? comma : comma - start), spec, field);
    if (!s) {
      return Status::invalid("field " + std::to_string(position) + " (" + spec.name + "): " + s.message());
    }
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  if (&spec == &kDayOfWeek && (field.bits & (uint64_t{1} << 7))) field.bits = (field.bits | 1) & 0x7f;
  return field;
}

std::vector<std::string_view> split_fields(std::string_view text) {
  std::vector<std::string_view> fields;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    size_t start = i;
    while (i < text.size() && !std::isspace(static_cast<unsigned char>(text[i]))) ++i;
    if (i > start) fields.push_back(text.substr(start, i - start));
  }
  return fields;
}

Result<std::string_view> expand_descriptor(std::string_view descriptor) {
  static constexpr std::pair<std::string_view, std::string_view> kDescriptors[] = {
      {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"}, {"@monthly", "0 0 1 * *"}, {"@weekly", "0 0 * * 0"},
      {"@daily", "0 0 * * *"},  {"@midnight", "0 0 * * *"}, {"@hourly", "0 * * * *"}};
  for (const auto& [name, expansion] : kDescriptors) {
    if (iequals(descriptor, name)) return expansion;
  }
  return Status::invalid("unknown descriptor '" + std::string(descriptor) +
                         "' (expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or @hourly)");
}

bool has(uint64_t bits, unsigned n) { return (bits >> n) & 1U; }

// The smallest set bit at or above `from`, or -1.
int next_set(uint64_t bits, int from) {
  if (from >= 64) return -1;
  uint64_t rest = bits >> from;
  return rest == 0 ? -1 : from + std::countr_zero(rest);
}

// Only a restricted day-of-month with an unrestricted day-of-week can select nothing, e.g. "0 0 30 2 *".
bool some_day_exists(uint64_t days_of_month, uint64_t months) {
  static constexpr int kLongestMonth[13] = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int earliest_day = next_set(days_of_month, 1);
  for (int m = 1; m <= 12; ++m) {
    if (has(months, m) && earliest_day <= kLongestMonth[m]) return true;
  }
  return false;
}

// Ten years covers the longest gap between two matching days (Feb 29: 2096 -> 2104) with room to spare.
constexpr int kSearchDays = 10 * 366;

std::chrono::sys_seconds to_sys(date::local_seconds local, seconds offset) {
  return std::chrono::sys_seconds{local.time_since_epoch() - offset};
}
date::local_seconds to_local(std::chrono::sys_seconds instant, seconds offset) {
  return date::local_seconds{instant.time_since_epoch() + offset};
}

}  // namespace

Result<CronExpression> CronExpression::parse(std::string_view text) {
  auto fields = split_fields(text);
  if (fields.empty()) return Status::invalid("the schedule is empty");
  if (fields[0].starts_with('@')) {
    auto expansion = expand_descriptor(fields[0]);
    if (!expansion) return expansion.status();
    if (fields.size() > 1) return Status::invalid("descriptor '" + std::string(fields[0]) + "' must stand alone");
    return parse(*expansion);
  }
  if (fields.size() != 5 && fields.size() != 6) {
    return Status::invalid("expected 5 fields (minute hour day-of-month month day-of-week) or 6 with a leading "
                           "seconds field, got " +
                           std::to_string(fields.size()));
  }

  // Parsed in the order of kFields; a 5-field schedule fires at second 0.
  std::array<ParsedField, 6> parsed{ParsedField{1, false}};
  const size_t skipped = parsed.size() - fields.size();
  for (size_t i = 0; i < fields.size(); ++i) {
    auto field = parse_field(fields[i], *kFields[skipped + i], i + 1);
    if (!field) return field.status();
    parsed[skipped + i] = *field;
  }

  CronExpression cron;
  cron.seconds_ = parsed[0].bits;
  cron.minutes_ = parsed[1].bits;
  cron.hours_ = parsed[2].bits;
  cron.days_of_month_ = parsed[3].bits;
  cron.day_of_month_is_star_ = parsed[3].star;
  cron.months_ = parsed[4].bits;
  cron.days_of_week_ = parsed[5].bits;
  cron.day_of_week_is_star_ = parsed[5].star;
  if (cron.day_of_week_is_star_ && !some_day_exists(cron.days_of_month_, cron.months_)) {
    return Status::invalid("the schedule never fires: none of the selected months has the selected day-of-month");
  }
  return cron;
}

bool CronExpression::day_matches(date::year_month_day day) const {
  bool dom = has(days_of_month_, static_cast<unsigned>(day.day()));
  bool dow = has(days_of_week_, date::weekday{date::sys_days{day}}.c_encoding());
  // Vixie cron: when both day fields are restricted, a day matching either one fires.
  if (day_of_month_is_star_ || day_of_week_is_star_) return dom && dow;
  return dom || dow;
}

std::optional<seconds> CronExpression::next_time_of_day(seconds from) const {
  const int hour = static_cast<int>(from.count() / 3600);
  const int minute = static_cast<int>(from.count() / 60 % 60);
  const int second = static_cast<int>(from.count() % 60);
  for (int h = next_set(hours_, hour); h != -1; h = next_set(hours_, h + 1)) {
    for (int m = next_set(minutes_, h == hour ? minute : 0); m != -1; m = next_set(minutes_, m + 1)) {
      int s = next_set(seconds_, h == hour && m == minute ? second : 0);
      if (s != -1) return seconds{h * 3600 + m * 60 + s};
    }
  }
  return std::nullopt;
}

std::optional<date::local_seconds> CronExpression::next_local_match(date::local_seconds from) const {
  auto day = date::floor<date::days>(from);
  seconds time_of_day = from - day;
  const auto limit = day + date::days{kSearchDays};
  while (day < limit) {
    const date::year_month_day ymd{day};
    if (!has(months_, static_cast<unsigned>(ymd.month()))) {
      day = date::local_days{(ymd.year() / ymd.month() + date::months{1}) / 1};
      time_of_day = seconds{0};
      continue;
    }
    if (day_matches(ymd)) {
      if (auto t = next_time_of_day(time_of_day)) return day + *t;
    }
    day += date::days{1};
    time_of_day = seconds{0};
  }
  return std::nullopt;
}

std::optional<std::chrono::sys_seconds> CronExpression::next_after(std::chrono::system_clock::time_point after,
                                                                   const date::time_zone& zone) const {
  const auto now = date::floor<seconds>(after);
  date::local_seconds from = zone.to_local(now) + seconds{1};
  while (true) {
    auto local = next_local_match(from);
    if (!local) return std::nullopt;
    const date::local_info info = zone.get_info(*local);
    switch (info.result) {
      case date::local_info::unique:
        return to_sys(*local, info.first.offset);
      case date::local_info::nonexistent:
        from = to_local(info.second.begin, info.second.offset);  // the first wall-clock time after the gap
        break;
      case date::local_info::ambiguous: {
        auto first = to_sys(*local, info.first.offset);
        if (first > now) return first;
        // `now` is in the repeated hour: every repeated local time already fired at its first occurrence.
        from = to_local(info.first.end, info.first.offset);
        break;
      }
    }
  }
}

Result<const date::time_zone*> find_time_zone(std::string_view name) {
  try {
    return date::locate_zone(name);
  } catch (const std::exception&) {
    return Status::invalid("unknown time zone '" + std::string(name) + "' (expected an IANA name such as "
                           "Europe/Berlin)");
  }
}

}  // namespace eventhost::ping

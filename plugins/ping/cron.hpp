// Cron schedules for the ping source: parsing and "when does it fire next" in an IANA time zone.
//
// Syntax (robfig/cron's standard parser, which Knative PingSource uses, plus an optional seconds field):
//   [second] minute hour day-of-month month day-of-week
// Each field is a comma-separated list of `*`, `?` (day fields only), `N`, `N-M`, each optionally followed by
// `/step` (`N/step` means N through the field's maximum). Months and weekdays also take names (JAN, MON); weekday 7
// is Sunday. When day-of-month and day-of-week are both restricted (neither is `*` or `?`), a day matching either
// fires, as in Vixie cron. Descriptors: @yearly @annually @monthly @weekly @daily @midnight @hourly.
#pragma once

#include <eventhost/status.hpp>

#include <date/tz.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

namespace eventhost::ping {

class CronExpression {
 public:
  // Errors name the field by its position as written, e.g. "field 2 (hour): 25 is out of range 0-23".
  static Result<CronExpression> parse(std::string_view text);

  // The first instant strictly after `after` whose wall-clock time in `zone` matches. Local times skipped by a
  // DST change do not fire; local times repeated by one fire once, at their first occurrence. nullopt only if
  // nothing matches within the next ten years, which parse() already rules out.
  std::optional<std::chrono::sys_seconds> next_after(std::chrono::system_clock::time_point after,
                                                     const date::time_zone& zone) const;

 private:
  bool day_matches(date::year_month_day day) const;
  std::optional<std::chrono::seconds> next_time_of_day(std::chrono::seconds from) const;
  std::optional<date::local_seconds> next_local_match(date::local_seconds from) const;

  // Bit n set: value n matches.
  uint64_t seconds_ = 0;
  uint64_t minutes_ = 0;
  uint64_t hours_ = 0;
  uint64_t days_of_month_ = 0;
  uint64_t months_ = 0;
  uint64_t days_of_week_ = 0;  // 0 = Sunday
  bool day_of_month_is_star_ = false;
  bool day_of_week_is_star_ = false;
};

// The IANA zone named `name` from the system tz database, or an error naming it.
Result<const date::time_zone*> find_time_zone(std::string_view name);

}  // namespace eventhost::ping

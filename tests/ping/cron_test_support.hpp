// Helpers for the cron tests: instants written as RFC 3339 text, fire times compared as text.
#pragma once

#include "cron.hpp"

#include <date/date.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace eventhost::ping::testing {

// "2024-01-01T10:04:59Z" or "2024-01-01T10:04:59.999Z"
inline std::chrono::sys_time<std::chrono::milliseconds> at(std::string_view rfc3339) {
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0;
  const std::string text(rfc3339);
  if (std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &y, &mo, &d, &h, &mi, &s, &ms) < 6) {
    ADD_FAILURE() << "bad test instant " << rfc3339;
  }
  const date::sys_days day = date::year{y} / mo / d;
  return day + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s} +
         std::chrono::milliseconds{ms};
}

inline CronExpression cron(std::string_view expression) {
  auto parsed = CronExpression::parse(expression);
  if (!parsed) ADD_FAILURE() << expression << ": " << parsed.status().message();
  return parsed ? *parsed : *CronExpression::parse("* * * * *");
}

// The next `count` fire times after `after`, in UTC ("2024-03-31T01:00:00Z").
inline std::vector<std::string> fires(std::string_view expression, std::string_view after, size_t count = 1,
                                      std::string_view zone = "UTC") {
  const CronExpression schedule = cron(expression);
  const date::time_zone* tz = date::locate_zone(zone);
  std::vector<std::string> out;
  std::chrono::system_clock::time_point t = at(after);
  for (size_t i = 0; i < count; ++i) {
    auto next = schedule.next_after(t, *tz);
    if (!next) {
      out.push_back("none");
      break;
    }
    out.push_back(date::format("%FT%TZ", *next));
    t = *next;
  }
  return out;
}

inline std::string next(std::string_view expression, std::string_view after, std::string_view zone = "UTC") {
  return fires(expression, after, 1, zone).front();
}

}  // namespace eventhost::ping::testing

// CronExpression::next_after: fields, the day rule, calendar edges and DST transitions; find_time_zone.
#include "cron_test_support.hpp"

namespace eventhost::ping::testing {
namespace {

using Fires = std::vector<std::string>;

TEST(CronNext, IsStrictlyAfterTheGivenInstant) {
  EXPECT_EQ(next("*/5 * * * *", "2024-01-01T10:03:20Z"), "2024-01-01T10:05:00Z");
  EXPECT_EQ(next("*/5 * * * *", "2024-01-01T10:05:00Z"), "2024-01-01T10:10:00Z");
  EXPECT_EQ(next("*/5 * * * *", "2024-01-01T10:04:59.999Z"), "2024-01-01T10:05:00Z");
  EXPECT_EQ(next("* * * * *", "2024-01-01T10:00:00.500Z"), "2024-01-01T10:01:00Z");
}

TEST(CronNext, SecondsField) {
  EXPECT_EQ(fires("*/15 * * * * *", "2024-01-01T10:00:07Z", 3),
            (Fires{"2024-01-01T10:00:15Z", "2024-01-01T10:00:30Z", "2024-01-01T10:00:45Z"}));
  EXPECT_EQ(next("30 0 12 * * *", "2024-01-01T00:00:00Z"), "2024-01-01T12:00:30Z");
  EXPECT_EQ(next("* * * * * *", "2024-01-01T23:59:59Z"), "2024-01-02T00:00:00Z");
}

TEST(CronNext, ListsRangesAndSteps) {
  EXPECT_EQ(fires("1-10/2 * * * *", "2024-01-01T10:00:00Z", 6),
            (Fires{"2024-01-01T10:01:00Z", "2024-01-01T10:03:00Z", "2024-01-01T10:05:00Z", "2024-01-01T10:07:00Z",
                   "2024-01-01T10:09:00Z", "2024-01-01T11:01:00Z"}));
  EXPECT_EQ(fires("5/20 * * * *", "2024-01-01T10:00:00Z", 4),
            (Fires{"2024-01-01T10:05:00Z", "2024-01-01T10:25:00Z", "2024-01-01T10:45:00Z", "2024-01-01T11:05:00Z"}));
  EXPECT_EQ(fires("0 9,17 * * *", "2024-01-01T10:00:00Z", 3),
            (Fires{"2024-01-01T17:00:00Z", "2024-01-02T09:00:00Z", "2024-01-02T17:00:00Z"}));
  EXPECT_EQ(fires("0 22-23,0-1/1 * * *", "2024-01-01T21:30:00Z", 5),
            (Fires{"2024-01-01T22:00:00Z", "2024-01-01T23:00:00Z", "2024-01-02T00:00:00Z", "2024-01-02T01:00:00Z",
                   "2024-01-02T22:00:00Z"}));
}

TEST(CronNext, MonthAndWeekdayNames) {
  EXPECT_EQ(fires("0 12 1 JUN,dec *", "2024-01-01T00:00:00Z", 3),
            (Fires{"2024-06-01T12:00:00Z", "2024-12-01T12:00:00Z", "2025-06-01T12:00:00Z"}));
  // 2024-01-01 is a Monday.
  EXPECT_EQ(fires("0 0 * * MON-WED", "2024-01-01T00:00:00Z", 3),
            (Fires{"2024-01-02T00:00:00Z", "2024-01-03T00:00:00Z", "2024-01-08T00:00:00Z"}));
}

TEST(CronNext, SevenAndZeroAndSunAreSunday) {
  for (const char* expression : {"0 0 * * 0", "0 0 * * 7", "0 0 * * SUN"}) {
    EXPECT_EQ(next(expression, "2024-01-01T00:00:00Z"), "2024-01-07T00:00:00Z") << expression;
  }
  EXPECT_EQ(fires("0 0 * * 5-7", "2024-01-01T00:00:00Z", 4),
            (Fires{"2024-01-05T00:00:00Z", "2024-01-06T00:00:00Z", "2024-01-07T00:00:00Z", "2024-01-12T00:00:00Z"}));
}

TEST(CronNext, BothDayFieldsRestrictedMeansEither) {
  // Fridays, and the 13th whatever its weekday: 2024-10-13 is a Sunday.
  EXPECT_EQ(fires("0 0 13 * FRI", "2024-10-05T00:00:00Z", 3),
            (Fires{"2024-10-11T00:00:00Z", "2024-10-13T00:00:00Z", "2024-10-18T00:00:00Z"}));
  // A stepped star restricts too (robfig/cron, which Knative uses): odd days or Mondays.
  EXPECT_EQ(fires("0 0 */2 * MON", "2024-01-01T00:00:00Z", 3),
            (Fires{"2024-01-03T00:00:00Z", "2024-01-05T00:00:00Z", "2024-01-07T00:00:00Z"}));
  EXPECT_EQ(fires("0 0 */2 * MON", "2024-01-07T00:00:00Z", 2), (Fires{"2024-01-08T00:00:00Z", "2024-01-09T00:00:00Z"}));
}

TEST(CronNext, OneDayFieldRestrictedMeansThatOne) {
  EXPECT_EQ(fires("0 0 13 * *", "2024-10-05T00:00:00Z", 2), (Fires{"2024-10-13T00:00:00Z", "2024-11-13T00:00:00Z"}));
  EXPECT_EQ(fires("0 0 * * FRI", "2024-10-05T00:00:00Z", 2), (Fires{"2024-10-11T00:00:00Z", "2024-10-18T00:00:00Z"}));
  EXPECT_EQ(fires("0 0 ? * FRI", "2024-10-05T00:00:00Z", 2), (Fires{"2024-10-11T00:00:00Z", "2024-10-18T00:00:00Z"}));
  EXPECT_EQ(fires("0 0 13 * ?", "2024-10-05T00:00:00Z", 2), (Fires{"2024-10-13T00:00:00Z", "2024-11-13T00:00:00Z"}));
}

TEST(CronNext, Descriptors) {
  EXPECT_EQ(next("@yearly", "2024-05-05T10:00:00Z"), "2025-01-01T00:00:00Z");
  EXPECT_EQ(next("@annually", "2024-05-05T10:00:00Z"), "2025-01-01T00:00:00Z");
  EXPECT_EQ(next("@monthly", "2024-01-31T12:00:00Z"), "2024-02-01T00:00:00Z");
  EXPECT_EQ(next("@weekly", "2024-01-03T12:00:00Z"), "2024-01-07T00:00:00Z");
  EXPECT_EQ(next("@daily", "2024-01-03T12:00:00Z"), "2024-01-04T00:00:00Z");
  EXPECT_EQ(next("@midnight", "2024-01-03T12:00:00Z"), "2024-01-04T00:00:00Z");
  EXPECT_EQ(next("@hourly", "2024-01-03T12:00:00Z"), "2024-01-03T13:00:00Z");
}

TEST(CronNext, MonthEnds) {
  EXPECT_EQ(fires("0 0 31 * *", "2024-01-31T00:00:00Z", 3),
            (Fires{"2024-03-31T00:00:00Z", "2024-05-31T00:00:00Z", "2024-07-31T00:00:00Z"}));
  EXPECT_EQ(next("0 0 30 * *", "2024-01-30T00:00:00Z"), "2024-03-30T00:00:00Z");
  EXPECT_EQ(next("59 23 * * *", "2024-12-31T23:59:00Z"), "2025-01-01T23:59:00Z");
  EXPECT_EQ(next("0 0 1 1 *", "2024-12-31T23:59:59Z"), "2025-01-01T00:00:00Z");
}

TEST(CronNext, LeapYears) {
  EXPECT_EQ(next("0 0 29 2 *", "2024-03-01T00:00:00Z"), "2028-02-29T00:00:00Z");
  EXPECT_EQ(next("0 0 29 2 *", "2024-02-28T12:00:00Z"), "2024-02-29T00:00:00Z");
  // 2100 is not a leap year.
  EXPECT_EQ(next("0 0 29 2 *", "2096-03-01T00:00:00Z"), "2104-02-29T00:00:00Z");
  EXPECT_EQ(next("0 0 28-29 2 *", "2023-02-28T00:00:00Z"), "2024-02-28T00:00:00Z");
}

TEST(CronNext, ReadsTheScheduleInTheTimeZone) {
  EXPECT_EQ(next("0 9 * * *", "2024-01-15T00:00:00Z", "Europe/Berlin"), "2024-01-15T08:00:00Z");
  EXPECT_EQ(next("0 9 * * *", "2024-07-15T00:00:00Z", "Europe/Berlin"), "2024-07-15T07:00:00Z");
  EXPECT_EQ(next("0 9 * * *", "2024-07-15T00:00:00Z", "America/New_York"), "2024-07-15T13:00:00Z");
  // The local day decides the weekday: Monday 00:30 in Berlin is still Sunday in UTC.
  EXPECT_EQ(next("30 0 * * MON", "2024-01-01T00:00:00Z", "Europe/Berlin"), "2024-01-07T23:30:00Z");
}

// Europe/Berlin, 2024-03-31: 02:00 CET becomes 03:00 CEST (01:00 UTC).
TEST(CronNextDst, SpringForwardSkipsTheMissingLocalTimes) {
  EXPECT_EQ(fires("30 2 * * *", "2024-03-30T12:00:00Z", 1, "Europe/Berlin"), (Fires{"2024-04-01T00:30:00Z"}));
  EXPECT_EQ(fires("*/30 * * * *", "2024-03-31T00:00:00Z", 3, "Europe/Berlin"),
            (Fires{"2024-03-31T00:30:00Z", "2024-03-31T01:00:00Z", "2024-03-31T01:30:00Z"}));
  EXPECT_EQ(next("* * * * * *", "2024-03-31T00:59:59Z", "Europe/Berlin"), "2024-03-31T01:00:00Z");
  EXPECT_EQ(fires("0 * * * *", "2024-03-30T23:30:00Z", 3, "Europe/Berlin"),
            (Fires{"2024-03-31T00:00:00Z", "2024-03-31T01:00:00Z", "2024-03-31T02:00:00Z"}));
}

// Europe/Berlin, 2024-10-27: 03:00 CEST becomes 02:00 CET (01:00 UTC); 02:00-02:59 happens twice.
TEST(CronNextDst, FallBackFiresRepeatedLocalTimesOnce) {
  EXPECT_EQ(fires("30 2 * * *", "2024-10-26T12:00:00Z", 2, "Europe/Berlin"),
            (Fires{"2024-10-27T00:30:00Z", "2024-10-28T01:30:00Z"}));
  EXPECT_EQ(fires("*/30 * * * *", "2024-10-26T23:45:00Z", 4, "Europe/Berlin"),
            (Fires{"2024-10-27T00:00:00Z", "2024-10-27T00:30:00Z", "2024-10-27T02:00:00Z", "2024-10-27T02:30:00Z"}));
}

TEST(CronNextDst, FallBackStartingInsideTheRepeatedHour) {
  // 01:10 UTC is 02:10 CET, the second 02:10: 02:30 already fired at 00:30 UTC.
  EXPECT_EQ(next("*/30 * * * *", "2024-10-27T01:10:00Z", "Europe/Berlin"), "2024-10-27T02:00:00Z");
  EXPECT_EQ(next("* * * * * *", "2024-10-27T00:59:59Z", "Europe/Berlin"), "2024-10-27T02:00:00Z");
}

// America/New_York, 2024-03-10: 02:00 EST becomes 03:00 EDT (07:00 UTC).
TEST(CronNextDst, NewYorkSpringForward) {
  EXPECT_EQ(next("30 2 * * *", "2024-03-09T12:00:00Z", "America/New_York"), "2024-03-11T06:30:00Z");
  EXPECT_EQ(fires("15 * * * *", "2024-03-10T06:00:00Z", 2, "America/New_York"),
            (Fires{"2024-03-10T06:15:00Z", "2024-03-10T07:15:00Z"}));
}

// America/New_York, 2024-11-03: 02:00 EDT becomes 01:00 EST (06:00 UTC); 01:00-01:59 happens twice.
TEST(CronNextDst, NewYorkFallBack) {
  EXPECT_EQ(fires("30 1 * * *", "2024-11-02T12:00:00Z", 2, "America/New_York"),
            (Fires{"2024-11-03T05:30:00Z", "2024-11-04T06:30:00Z"}));
  EXPECT_EQ(fires("0 * * * *", "2024-11-03T03:30:00Z", 3, "America/New_York"),
            (Fires{"2024-11-03T04:00:00Z", "2024-11-03T05:00:00Z", "2024-11-03T07:00:00Z"}));
  EXPECT_EQ(next("*/30 * * * *", "2024-11-03T06:10:00Z", "America/New_York"), "2024-11-03T07:00:00Z");
}

TEST(TimeZone, FindsIanaZones) {
  for (const char* name : {"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"}) {
    auto zone = find_time_zone(name);
    ASSERT_TRUE(zone) << name;
    EXPECT_EQ((*zone)->name(), name);
  }
}

TEST(TimeZone, UnknownZoneIsAnErrorNamingIt) {
  auto zone = find_time_zone("Mars/Olympus_Mons");
  ASSERT_FALSE(zone);
  EXPECT_EQ(zone.status().message(),
            "unknown time zone 'Mars/Olympus_Mons' (expected an IANA name such as Europe/Berlin)");
  EXPECT_EQ(find_time_zone("").status().message(),
            "unknown time zone '' (expected an IANA name such as Europe/Berlin)");
}

}  // namespace
}  // namespace eventhost::ping::testing

// CronExpression::parse: every accepted syntax and every refusal with its reason.
#include "cron_test_support.hpp"

namespace eventhost::ping::testing {
namespace {

std::string parse_error(std::string_view expression) {
  auto parsed = CronExpression::parse(expression);
  return parsed ? "accepted" : parsed.status().message();
}

TEST(CronParse, AcceptsEverySyntax) {
  for (const char* expression :
       {"* * * * *", "*/5 * * * *", "0 9-17 * * MON-FRI", "0 0 1,15 * *", "1-10/2 * * * *", "5/20 * * * *",
        "0 0 * jan,JUL *", "0 0 * * 7", "0 0 * * sun", "0 0 ? * MON", "0 0 1 * ?", "30 * * * * *",
        "*/10 0 12 * * *", "  0  0 * * *  ", "0\t0\t*\t*\t*", "0 0 * * 1,3-5,SAT", "0 0 29 2 *", "0 0 30 2 MON",
        "0 0 31 1-12/2 *", "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
        "@HOURLY"}) {
    EXPECT_EQ(parse_error(expression), "accepted") << expression;
  }
}

TEST(CronParse, RefusesWrongFieldCounts) {
  EXPECT_EQ(parse_error(""), "the schedule is empty");
  EXPECT_EQ(parse_error("   "), "the schedule is empty");
  EXPECT_EQ(parse_error("* * * *"),
            "expected 5 fields (minute hour day-of-month month day-of-week) or 6 with a leading seconds field, got 4");
  EXPECT_EQ(parse_error("* * * * * * *"),
            "expected 5 fields (minute hour day-of-month month day-of-week) or 6 with a leading seconds field, got 7");
}

TEST(CronParse, NamesTheFieldByItsPositionAsWritten) {
  EXPECT_EQ(parse_error("0 25 * * *"), "field 2 (hour): 25 is out of range 0-23");
  EXPECT_EQ(parse_error("0 0 25 * * *"), "field 3 (hour): 25 is out of range 0-23");
  EXPECT_EQ(parse_error("60 * * * * *"), "field 1 (second): 60 is out of range 0-59");
}

TEST(CronParse, RefusesValuesOutOfRange) {
  EXPECT_EQ(parse_error("60 * * * *"), "field 1 (minute): 60 is out of range 0-59");
  EXPECT_EQ(parse_error("0 0 0 * *"), "field 3 (day-of-month): 0 is out of range 1-31");
  EXPECT_EQ(parse_error("0 0 32 * *"), "field 3 (day-of-month): 32 is out of range 1-31");
  EXPECT_EQ(parse_error("0 0 * 13 *"), "field 4 (month): 13 is out of range 1-12");
  EXPECT_EQ(parse_error("0 0 * 0 *"), "field 4 (month): 0 is out of range 1-12");
  EXPECT_EQ(parse_error("0 0 * * 8"), "field 5 (day-of-week): 8 is out of range 0-7");
  EXPECT_EQ(parse_error("0 0 * * 1-8"), "field 5 (day-of-week): 8 is out of range 0-7");
  EXPECT_EQ(parse_error("99999999999 * * * *"), "field 1 (minute): 99999999999 is out of range 0-59");
}

TEST(CronParse, RefusesWhatIsNotAValue) {
  EXPECT_EQ(parse_error("x * * * *"), "field 1 (minute): 'x' is not a number");
  EXPECT_EQ(parse_error("0 MON * * *"), "field 2 (hour): 'MON' is not a number");
  EXPECT_EQ(parse_error("0 0 * FOO *"), "field 4 (month): 'FOO' is not a number or a month name (JAN-DEC)");
  EXPECT_EQ(parse_error("0 0 * * FUNDAY"), "field 5 (day-of-week): 'FUNDAY' is not a number or a weekday name (SUN-SAT)");
  EXPECT_EQ(parse_error("0 0 * MON *"), "field 4 (month): 'MON' is not a number or a month name (JAN-DEC)");
  EXPECT_EQ(parse_error("+5 * * * *"), "field 1 (minute): '+5' is not a number");
  EXPECT_EQ(parse_error("? * * * *"), "field 1 (minute): '?' is only allowed in day-of-month and day-of-week");
}

TEST(CronParse, RefusesBrokenListsRangesAndSteps) {
  EXPECT_EQ(parse_error("1,,2 * * * *"), "field 1 (minute): empty list item");
  EXPECT_EQ(parse_error("1, * * * *"), "field 1 (minute): empty list item");
  EXPECT_EQ(parse_error("10-5 * * * *"), "field 1 (minute): range '10-5' runs backwards");
  EXPECT_EQ(parse_error("0 0 * * FRI-MON"), "field 5 (day-of-week): range 'FRI-MON' runs backwards");
  EXPECT_EQ(parse_error("-5 * * * *"), "field 1 (minute): range '-5' is missing a bound");
  EXPECT_EQ(parse_error("5- * * * *"), "field 1 (minute): range '5-' is missing a bound");
  EXPECT_EQ(parse_error("1-2-3 * * * *"), "field 1 (minute): '2-3' is not a number");
  EXPECT_EQ(parse_error("*/0 * * * *"), "field 1 (minute): step in '*/0' must be at least 1");
  EXPECT_EQ(parse_error("*/x * * * *"), "field 1 (minute): 'x' is not a step");
  EXPECT_EQ(parse_error("*/ * * * *"), "field 1 (minute): '' is not a step");
  EXPECT_EQ(parse_error("*/2/3 * * * *"), "field 1 (minute): '2/3' is not a step");
}

TEST(CronParse, RefusesUnknownOrCombinedDescriptors) {
  EXPECT_EQ(parse_error("@every 5m"),
            "unknown descriptor '@every' (expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or "
            "@hourly)");
  EXPECT_EQ(parse_error("@reboot"),
            "unknown descriptor '@reboot' (expected @yearly, @annually, @monthly, @weekly, @daily, @midnight or "
            "@hourly)");
  EXPECT_EQ(parse_error("@daily 5"), "descriptor '@daily' must stand alone");
}

TEST(CronParse, RefusesSchedulesThatNeverFire) {
  const std::string never = "the schedule never fires: none of the selected months has the selected day-of-month";
  EXPECT_EQ(parse_error("0 0 30 2 *"), never);
  EXPECT_EQ(parse_error("0 0 31 4,6,9,11 *"), never);
  EXPECT_EQ(parse_error("0 0 30,31 FEB ?"), never);
}

}  // namespace
}  // namespace eventhost::ping::testing

#include "config/duration.hpp"
#include "config/env_expand.hpp"
#include "config/suggest.hpp"

#include <gtest/gtest.h>

#include <map>

namespace eventhost::config {
namespace {

using std::chrono::milliseconds;

TEST(Duration, Iso8601AsKnativeWritesIt) {
  EXPECT_EQ(parse_duration("PT0.2S"), milliseconds(200));
  EXPECT_EQ(parse_duration("PT1M30S"), milliseconds(90'000));
  EXPECT_EQ(parse_duration("PT2H"), milliseconds(7'200'000));
  EXPECT_EQ(parse_duration("P1DT1S"), milliseconds(86'401'000));
  EXPECT_EQ(parse_duration("P1W"), milliseconds(604'800'000));
  EXPECT_EQ(parse_duration("PT0,5S"), milliseconds(500));
}

TEST(Duration, ShortForms) {
  EXPECT_EQ(parse_duration("200ms"), milliseconds(200));
  EXPECT_EQ(parse_duration("5s"), milliseconds(5000));
  EXPECT_EQ(parse_duration("1.5s"), milliseconds(1500));
  EXPECT_EQ(parse_duration("2m"), milliseconds(120'000));
  EXPECT_EQ(parse_duration("1h30m"), milliseconds(5'400'000));
  EXPECT_EQ(parse_duration("0s"), milliseconds(0));
}

TEST(Duration, RefusesWhatIsNotADuration) {
  for (const char* bad : {"", "P", "PT", "P1M", "P1Y", "PT1D", "5", "5x", "s", "-5s", "PT1S2", "1.s.s", "TP1S"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << bad;
  }
}

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(EnvExpand, VariablesAndDefaults) {
  auto env = env_of({{"HOST", "kafka:9092"}, {"EMPTY", ""}});
  std::string err;
  EXPECT_EQ(expand_env("${HOST}", env, &err), "kafka:9092");
  EXPECT_EQ(expand_env("a ${HOST} b", env, &err), "a kafka:9092 b");
  EXPECT_EQ(expand_env("${MISSING:-127.0.0.1:9092}", env, &err), "127.0.0.1:9092");
  EXPECT_EQ(expand_env("${EMPTY:-fallback}", env, &err), "fallback");
  EXPECT_EQ(expand_env("${EMPTY}", env, &err), "");
  EXPECT_EQ(expand_env("$${HOST} and $HOST", env, &err), "${HOST} and $HOST");
  EXPECT_EQ(expand_env("${MISSING:-}", env, &err), "");
}

TEST(EnvExpand, UnsetWithoutDefaultIsAnError) {
  std::string err;
  EXPECT_FALSE(expand_env("${NOPE}", env_of({}), &err));
  EXPECT_EQ(err, "environment variable 'NOPE' is not set (write ${NOPE:-default} to give a default)");
  EXPECT_FALSE(expand_env("${OPEN", env_of({}), &err));
  EXPECT_NE(err.find("unterminated"), std::string::npos);
  EXPECT_FALSE(expand_env("${}", env_of({}), &err));
  EXPECT_NE(err.find("empty variable name"), std::string::npos);
}

TEST(Suggest, ClosestKnownWord) {
  std::vector<std::string> keys = {"schedule", "timezone", "data", "data_base64", "content_type"};
  EXPECT_EQ(did_you_mean("schedul", keys), " (did you mean 'schedule'?)");
  EXPECT_EQ(did_you_mean("timezon", keys), " (did you mean 'timezone'?)");
  EXPECT_EQ(did_you_mean("contenttype", keys), " (did you mean 'content_type'?)");
  EXPECT_EQ(did_you_mean("zzzzzzzz", keys), "");
}

}  // namespace
}  // namespace eventhost::config

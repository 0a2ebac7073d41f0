#include "options.hpp"

#include <gtest/gtest.h>

namespace eventhost::bench {
namespace {

Result<Options> parse(std::vector<std::string> args) { return parse_options(args); }

TEST(Options, OnePluginWithDefaults) {
  auto o = parse({"attributes"});
  ASSERT_TRUE(o) << o.status().message();
  EXPECT_EQ(o->plugins, std::vector<std::string>{"attributes"});
  EXPECT_FALSE(o->events);
  EXPECT_EQ(o->warmup, 1000u);
  EXPECT_EQ(o->max_in_flight, 64u);
  EXPECT_FALSE(o->json);
}

TEST(Options, ValuesInBothSpellings) {
  auto o = parse({"--events=500", "--warmup", "10", "--rate", "2500.5", "--kind=sink", "--json", "./eh-log.so",
                  "--config", R"({"format":"json"})"});
  ASSERT_TRUE(o) << o.status().message();
  EXPECT_EQ(*o->events, 500u);
  EXPECT_EQ(o->warmup, 10u);
  EXPECT_DOUBLE_EQ(o->rate, 2500.5);
  EXPECT_EQ(*o->kind, EH_KIND_SINK);
  EXPECT_TRUE(o->json);
  EXPECT_EQ(*o->config.json, R"({"format":"json"})");
}

TEST(Options, CompareTakesTwoPluginsAndOptionalConfigForB) {
  auto o = parse({"--compare", "a.so", "b.so", "--config-b", "{}", "--rounds", "4"});
  ASSERT_TRUE(o) << o.status().message();
  EXPECT_EQ(o->plugins.size(), 2u);
  EXPECT_EQ(o->rounds, 4u);
  EXPECT_TRUE(o->config_b.json);
}

struct BadCase {
  std::vector<std::string> args;
  std::string message;
};

class BadOptions : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadOptions, SayWhatIsWrong) {
  auto o = parse(GetParam().args);
  ASSERT_FALSE(o);
  EXPECT_EQ(o.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    All, BadOptions,
    ::testing::Values(
        BadCase{{}, "no plugin given (a path to a .so or a name)"},
        BadCase{{"a", "b"}, "one plugin expected, got 2 (use --compare A B for two)"},
        BadCase{{"--compare", "a"}, "--compare takes two plugins (paths or names), got 1"},
        BadCase{{"a", "--events", "0"}, "--events: expected a whole number from 1 to 9223372036854775807, got '0'"},
        BadCase{{"a", "--events", "12x"}, "--events: expected a whole number from 1 to 9223372036854775807, got '12x'"},
        BadCase{{"a", "--rate", "-5"}, "--rate: expected a positive number, got '-5'"},
        BadCase{{"a", "--kind", "router"}, "--kind: expected source, sink, filter or delivery-policy, got 'router'"},
        BadCase{{"a", "--warmup"}, "--warmup: missing value"},
        BadCase{{"a", "--frobnicate"}, "unknown option '--frobnicate'"},
        BadCase{{"a", "--config", "{}", "--config-file", "x.toml"}, "--config and --config-file: give one"},
        BadCase{{"a", "--config-b", "{}"}, "--config-b and --config-file-b need --compare"}));

TEST(Options, HelpNeedsNoPlugin) {
  auto o = parse({"--help"});
  ASSERT_TRUE(o);
  EXPECT_TRUE(o->help);
  EXPECT_NE(usage().find("--compare"), std::string::npos);
}

}  // namespace
}  // namespace eventhost::bench

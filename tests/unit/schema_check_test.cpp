#include "config/schema_check.hpp"

#include <eventhost/plugin.hpp>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

namespace eventhost::config {
namespace {

constexpr eh_config_key kSchema[] = {
    required_key("schedule", EH_CONFIG_STRING, "cron"),
    optional_key("count", EH_CONFIG_INTEGER, "3", "how many"),
    optional_key("ratio", EH_CONFIG_FLOAT, nullptr, "a ratio"),
    optional_key("enabled", EH_CONFIG_BOOLEAN, "true", "on or off"),
    optional_key("timeout", EH_CONFIG_DURATION, "\"PT1S\"", "per attempt"),
    optional_key("topics", EH_CONFIG_STRING_LIST, nullptr, "topics"),
    optional_key("labels", EH_CONFIG_STRING_MAP, nullptr, "labels"),
    enum_key("mode", "binary|structured", "\"binary\"", "content mode"),
};

struct Checked {
  std::string json;
  Diagnostics diags;
};

Checked check(const std::string& toml_text, std::vector<std::string> host_keys = {}) {
  auto table = toml::parse(toml_text, std::string_view("test.toml"));
  Checked c;
  c.json = check_against_schema(table, kSchema, "sources[0]", host_keys, c.diags);
  return c;
}

TEST(SchemaCheck, FillsDefaultsConvertsDurationsAndNullsUnsetKeys) {
  auto c = check("schedule = '* * * * *'\ntimeout = '250ms'\ntopics = ['a', 'b']\nlabels = { app = 'x' }\n");
  ASSERT_TRUE(c.diags.empty()) << c.diags.to_string();
  rapidjson::Document d;
  d.Parse(c.json.c_str());
  EXPECT_STREQ(d["schedule"].GetString(), "* * * * *");
  EXPECT_EQ(d["count"].GetInt64(), 3);
  EXPECT_TRUE(d["ratio"].IsNull());
  EXPECT_TRUE(d["enabled"].GetBool());
  EXPECT_EQ(d["timeout"].GetInt64(), 250);
  EXPECT_EQ(d["topics"].Size(), 2u);
  EXPECT_STREQ(d["labels"]["app"].GetString(), "x");
  EXPECT_STREQ(d["mode"].GetString(), "binary");
}

TEST(SchemaCheck, DefaultDurationsAreConvertedToo) {
  auto c = check("schedule = 'x'\n");
  rapidjson::Document d;
  d.Parse(c.json.c_str());
  EXPECT_EQ(d["timeout"].GetInt64(), 1000);
}

TEST(SchemaCheck, UnknownKeySuggestsTheClosest) {
  auto c = check("schedule = 'x'\nmdoe = 'binary'\n");
  EXPECT_TRUE(c.json.empty());
  ASSERT_EQ(c.diags.items().size(), 1u);
  EXPECT_EQ(c.diags.items()[0].to_string(), "test.toml:2:1: sources[0].mdoe: unknown key (did you mean 'mode'?)");
}

TEST(SchemaCheck, WrongTypesNameWhatWasExpected) {
  auto c = check("schedule = 5\ncount = 'three'\nenabled = 1\ntimeout = 'soon'\ntopics = ['a', 2]\nmode = 'binray'\n");
  auto text = c.diags.to_string();
  EXPECT_NE(text.find("test.toml:1:12: sources[0].schedule: expected a string, got an integer"), std::string::npos) << text;
  EXPECT_NE(text.find("test.toml:2:9: sources[0].count: expected an integer, got a string"), std::string::npos) << text;
  EXPECT_NE(text.find("sources[0].enabled: expected a boolean (true or false), got an integer"), std::string::npos) << text;
  EXPECT_NE(text.find("sources[0].timeout: invalid duration \"soon\""), std::string::npos) << text;
  EXPECT_NE(text.find("sources[0].topics[1]: expected a string, got an integer"), std::string::npos) << text;
  EXPECT_NE(text.find("sources[0].mode: \"binray\" is not one of binary|structured (did you mean 'binary'?)"), std::string::npos) << text;
}

TEST(SchemaCheck, MissingRequiredKey) {
  auto c = check("count = 1\n");
  ASSERT_EQ(c.diags.items().size(), 1u);
  EXPECT_EQ(c.diags.items()[0].key_path, "sources[0].schedule");
  EXPECT_EQ(c.diags.items()[0].reason, "missing required key");
}

TEST(SchemaCheck, HostKeysAreNeitherCheckedNorPassedOn) {
  auto c = check("schedule = 'x'\nplugin = 'ping'\nsink = { broker = 'default' }\n", {"plugin", "sink"});
  ASSERT_TRUE(c.diags.empty()) << c.diags.to_string();
  EXPECT_EQ(c.json.find("plugin"), std::string::npos);
  EXPECT_EQ(c.json.find("sink"), std::string::npos);
}

}  // namespace
}  // namespace eventhost::config

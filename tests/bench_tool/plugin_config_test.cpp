#include "plugin_config.hpp"
#include "plugins/loaded_plugin.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace eventhost::bench {
namespace {

host::PluginHandle load(const char* path) {
  auto r = host::load_plugin(path);
  EXPECT_TRUE(r.plugin) << r.failure.to_string();
  return r.plugin;
}

TEST(PluginConfig, JsonIsCheckedAndDefaultsFilledIn) {
  auto log = load(LOG_PLUGIN);
  auto json = config_from_json("{}", *log->descriptor);
  ASSERT_TRUE(json) << json.status().message();
  EXPECT_EQ(*json, R"({"format":"text"})");
}

TEST(PluginConfig, DurationsArriveAsMilliseconds) {
  auto retry = load(RETRY_PLUGIN);
  auto json = config_from_json(R"({"retry": 3, "backoff_delay": "200ms"})", *retry->descriptor);
  ASSERT_TRUE(json) << json.status().message();
  EXPECT_NE(json->find(R"("backoff_delay":200)"), std::string::npos) << *json;
  EXPECT_NE(json->find(R"("retry":3)"), std::string::npos) << *json;
}

TEST(PluginConfig, UnknownKeyNamesTheFlagAndSuggests) {
  auto log = load(LOG_PLUGIN);
  auto json = config_from_json(R"({"formt": "json"})", *log->descriptor);
  ASSERT_FALSE(json);
  EXPECT_EQ(json.status().message(), "--config: formt: unknown key (did you mean 'format'?)");
}

TEST(PluginConfig, WrongValueIsRefused) {
  auto log = load(LOG_PLUGIN);
  auto json = config_from_json(R"({"format": "yaml"})", *log->descriptor);
  ASSERT_FALSE(json);
  EXPECT_EQ(json.status().message().rfind("--config: format: ", 0), 0u) << json.status().message();
}

TEST(PluginConfig, MalformedJsonGivesTheOffset) {
  auto log = load(LOG_PLUGIN);
  auto json = config_from_json(R"({"format": )", *log->descriptor);
  ASSERT_FALSE(json);
  EXPECT_EQ(json.status().message().rfind("--config: invalid JSON at offset 11: ", 0), 0u) << json.status().message();
  auto array = config_from_json("[1]", *log->descriptor);
  ASSERT_FALSE(array);
  EXPECT_EQ(array.status().message(), "--config: expected a JSON object, like {\"key\": \"value\"}");
}

TEST(PluginConfig, MissingRequiredKeyWithoutConfig) {
  auto attributes = load(ATTRIBUTES_PLUGIN);
  auto json = default_config(*attributes->descriptor);
  ASSERT_FALSE(json);
  EXPECT_EQ(json.status().message(), "config (none given; pass --config or --config-file): attributes: missing required key");
}

TEST(PluginConfig, TomlFileErrorsPointAtLineAndColumn) {
  testing::TempDir dir;
  auto attributes = load(ATTRIBUTES_PLUGIN);
  auto good = config_from_toml_file(dir.write("good.toml", "attributes = { type = \"a.b\" }\n"), *attributes->descriptor);
  ASSERT_TRUE(good) << good.status().message();
  EXPECT_EQ(*good, R"({"attributes":{"type":"a.b"}})");

  std::string bad = dir.write("bad.toml", "attributes = { type = \"a.b\" }\nattributs = 1\n");
  auto refused = config_from_toml_file(bad, *attributes->descriptor);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.status().message(), bad + ":2:1: attributs: unknown key (did you mean 'attributes'?)");

  std::string broken = dir.write("broken.toml", "attributes = {\n");
  auto unparsable = config_from_toml_file(broken, *attributes->descriptor);
  ASSERT_FALSE(unparsable);
  EXPECT_EQ(unparsable.status().message().rfind(broken + ":", 0), 0u) << unparsable.status().message();
  EXPECT_NE(unparsable.status().message().find("invalid TOML"), std::string::npos);
}

}  // namespace
}  // namespace eventhost::bench

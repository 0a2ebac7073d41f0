// Loading whole configs with the real plugins: what expands into which pipelines, and the exact one-line reason
// for every kind of mistake.
#include "config/load.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <map>

namespace eventhost::config {
namespace {

using testing::TempDir;

struct Loaded {
  std::optional<WorkerConfig> config;
  std::string errors;
};

class ConfigLoad : public ::testing::Test {
 protected:
  Loaded load_files(const std::vector<std::string>& paths, std::map<std::string, std::string> env = {}) {
    host::PluginRegistry registry;
    Diagnostics diags;
    auto lookup = [env](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    Loaded l{load_worker_config(paths, lookup, registry, diags), diags.to_string()};
    return l;
  }
  Loaded load(const std::string& toml, std::map<std::string, std::string> env = {}) {
    path_ = dir_.write("pipelines.toml", toml);
    return load_files({path_}, std::move(env));
  }
  std::string path_;
  TempDir dir_;
};

constexpr const char* kQuickstart = R"(
[brokers.default]

[[sources]]
name = "heartbeat"
plugin = "ping"
schedule = "*/2 * * * * *"
sink.broker = "default"

[[triggers]]
name = "display"
broker = "default"
filter.attributes = { type = "dev.knative.sources.ping" }
subscriber.plugin = "log"
delivery = { retry = 3, backoff_delay = "PT0.1S", timeout = "2s", dead_letter_sink = { plugin = "log", format = "json" } }
)";

TEST_F(ConfigLoad, KnativeWordsExpandIntoPipelines) {
  auto l = load(kQuickstart);
  ASSERT_TRUE(l.config) << l.errors;
  ASSERT_EQ(l.config->buses.size(), 1u);
  EXPECT_EQ(l.config->buses[0].id, "broker/default/default");
  ASSERT_EQ(l.config->pipelines.size(), 2u);
  const PipelineSpec& trigger = l.config->pipelines[0];
  EXPECT_EQ(trigger.name, "trigger/default/display");
  EXPECT_EQ(trigger.intake_bus, "broker/default/default");
  ASSERT_EQ(trigger.filters.size(), 1u);
  EXPECT_EQ(trigger.filters[0].plugin->name(), "attributes");
  EXPECT_EQ(trigger.filters[0].config_json, R"({"attributes":{"type":"dev.knative.sources.ping"}})");
  ASSERT_TRUE(trigger.sink.plugin);
  EXPECT_EQ(trigger.sink.plugin->plugin->name(), "log");
  ASSERT_TRUE(trigger.reply);
  EXPECT_EQ(trigger.reply->bus, "broker/default/default");
  ASSERT_TRUE(trigger.delivery.policy);
  EXPECT_EQ(trigger.delivery.policy->plugin->name(), "retry");
  EXPECT_NE(trigger.delivery.policy->config_json.find(R"("retry":3)"), std::string::npos);
  EXPECT_NE(trigger.delivery.policy->config_json.find(R"("backoff_delay":100)"), std::string::npos);
  EXPECT_EQ(trigger.delivery.timeout, std::chrono::milliseconds(2000));
  ASSERT_TRUE(trigger.delivery.dead_letter);
  const PipelineSpec& source = l.config->pipelines[1];
  EXPECT_EQ(source.name, "source/default/heartbeat");
  ASSERT_TRUE(source.source);
  EXPECT_EQ(source.source->config_json.find("sink"), std::string::npos);
  EXPECT_EQ(source.sink.bus, "broker/default/default");
}

TEST_F(ConfigLoad, DispatchIsPoolUnlessAPipelineOrSourceAsksForInline) {
  auto l = load(std::string(kQuickstart) + "[[pipelines]]\nname = 'p'\ndispatch = 'inline'\n"
                "source = { plugin = 'ping', schedule = '* * * * *' }\nsink = { plugin = 'log' }\n"
                "[[sources]]\nname = 's'\nplugin = 'ping'\nschedule = '* * * * *'\ndispatch = 'inline'\nsink.broker = 'default'\n");
  ASSERT_TRUE(l.config) << l.errors;
  std::map<std::string, bool> inline_by_name;
  for (const auto& p : l.config->pipelines) inline_by_name[p.name] = p.inline_dispatch;
  EXPECT_EQ(inline_by_name, (std::map<std::string, bool>{{"pipeline/p", true},
                                                         {"source/default/heartbeat", false},
                                                         {"source/default/s", true},
                                                         {"trigger/default/display", false}}));

  auto wrong = load("[[pipelines]]\nname = 'p'\ndispatch = 'fast'\nsource = { plugin = 'ping', schedule = '* * * * *' }\n"
                    "sink = { plugin = 'log' }\n");
  EXPECT_NE(wrong.errors.find(":3:12: pipelines[0].dispatch: "), std::string::npos) << wrong.errors;
  EXPECT_NE(wrong.errors.find("pool"), std::string::npos) << wrong.errors;
  // A bus calls its triggers under its subscriber lock, where inline could re-enter it: not offered there.
  auto trigger = load("[brokers.b]\n[[triggers]]\nname = 't'\nbroker = 'b'\ndispatch = 'inline'\nsubscriber.plugin = 'log'\n");
  EXPECT_NE(trigger.errors.find(":5:1: triggers[0].dispatch: unknown key"), std::string::npos) << trigger.errors;
}

TEST_F(ConfigLoad, MalformedTomlNamesFileLineAndColumn) {
  auto l = load("[brokers.default]\nbackend = \"memory\n");
  ASSERT_FALSE(l.config);
  EXPECT_EQ(l.errors.rfind(path_ + ":2:", 0), 0u) << l.errors;
  EXPECT_NE(l.errors.find("invalid TOML"), std::string::npos) << l.errors;
}

TEST_F(ConfigLoad, UnknownPluginSuggestsAKnownOne) {
  auto l = load("[[pipelines]]\nname = 'p'\nsource = { plugin = 'pign', schedule = '* * * * *' }\nsink = { plugin = 'log' }\n");
  EXPECT_EQ(l.errors, path_ + ":3:21: pipelines[0].source.plugin: unknown source plugin 'pign' (did you mean 'ping'?)");
}

TEST_F(ConfigLoad, PluginOfTheWrongKind) {
  auto l = load("[brokers.b]\n[[triggers]]\nname = 't'\nbroker = 'b'\nsubscriber = { plugin = 'ping' }\n");
  EXPECT_NE(l.errors.find("triggers[0].subscriber.plugin: plugin 'ping' ("), std::string::npos) << l.errors;
  EXPECT_NE(l.errors.find("is a source, expected a sink"), std::string::npos) << l.errors;
}

TEST_F(ConfigLoad, RefusedPluginGivesTheLoaderReason) {
  auto l = load("[[pipelines]]\nname = 'p'\nsource = { plugin = 'ping', schedule = '* * * * *' }\n"
                "filters = [{ plugin = 'wrong-abi' }]\nsink = { plugin = 'log' }\n");
  EXPECT_NE(l.errors.find(":4:23: pipelines[0].filters[0].plugin: plugin 'wrong-abi' was refused: "), std::string::npos) << l.errors;
  EXPECT_NE(l.errors.find("eh-wrong-abi.so: plugin ABI 2.0 is incompatible with the host's ABI 1."), std::string::npos) << l.errors;
}

TEST_F(ConfigLoad, TriggerOnUnknownBroker) {
  auto l = load("[brokers.default]\n[[triggers]]\nname = 't'\nbroker = 'defualt'\nsubscriber.plugin = 'log'\n");
  EXPECT_EQ(l.errors, path_ + ":4:10: triggers[0].broker: unknown broker 'defualt' in namespace 'default' (did you mean 'default'?)");
}

TEST_F(ConfigLoad, BrokerInAnotherNamespaceIsNotVisible) {
  auto l = load("[brokers.default]\nnamespace = 'team-a'\n[[triggers]]\nname = 't'\nbroker = 'default'\nsubscriber.plugin = 'log'\n");
  EXPECT_NE(l.errors.find("unknown broker 'default' in namespace 'default'"), std::string::npos) << l.errors;
}

TEST_F(ConfigLoad, DuplicateNames) {
  auto l = load("[brokers.b]\n[[triggers]]\nname = 't'\nbroker = 'b'\nsubscriber.plugin = 'log'\n"
                "[[triggers]]\nname = 't'\nbroker = 'b'\nsubscriber.plugin = 'log'\n");
  EXPECT_NE(l.errors.find(":6:1: triggers[1]: duplicate name: trigger/default/t is already defined"), std::string::npos) << l.errors;
}

TEST_F(ConfigLoad, UnknownSectionAndWrongShape) {
  auto l = load("[brokerz.b]\n[triggers]\nname = 't'\n");
  EXPECT_NE(l.errors.find(":1:2: brokerz: unknown section (did you mean 'brokers'?)"), std::string::npos) << l.errors;
  EXPECT_NE(l.errors.find("triggers: expected an array of tables: write [[triggers]]"), std::string::npos) << l.errors;
}

TEST_F(ConfigLoad, UnknownKeyInPluginConfig) {
  auto l = load("[brokers.b]\n[[sources]]\nname = 's'\nplugin = 'ping'\nschedule = '* * * * *'\ntimezon = 'UTC'\nsink.broker = 'b'\n");
  EXPECT_EQ(l.errors, path_ + ":6:1: sources[0].timezon: unknown key (did you mean 'timezone'?)");
}

TEST_F(ConfigLoad, DestinationMustNameExactlyOneThing) {
  auto l = load("[brokers.b]\n[[sources]]\nname = 's'\nplugin = 'ping'\nschedule = '* * * * *'\nsink = { broker = 'b', plugin = 'log' }\n");
  EXPECT_NE(l.errors.find("sources[0].sink: names more than one destination (broker and plugin): give one"), std::string::npos) << l.errors;
}

TEST_F(ConfigLoad, EnvironmentIsExpandedAndMissingVariablesAreErrors) {
  auto ok = load("[brokers.b]\nnamespace = '${NS:-prod}'\n", {});
  ASSERT_TRUE(ok.config) << ok.errors;
  EXPECT_EQ(ok.config->buses[0].ns, "prod");
  auto set = load("[brokers.b]\nnamespace = '${NS:-prod}'\n", {{"NS", "staging"}});
  EXPECT_EQ(set.config->buses[0].ns, "staging");
  auto missing = load("[brokers.b]\nnamespace = '${NS}'\n");
  EXPECT_EQ(missing.errors, path_ + ":2:13: brokers.b.namespace: environment variable 'NS' is not set (write ${NS:-default} to give a default)");
}

TEST_F(ConfigLoad, DirectoryLikeAConfigMapMount) {
  std::filesystem::create_directory(dir_.path() / "..2026_11_23");
  dir_.write("..2026_11_23/ignored.toml", "this is not toml");
  dir_.write("10-brokers.toml", "[brokers.default]\n");
  dir_.write("20-triggers.toml", "[[triggers]]\nname = 't'\nbroker = 'default'\nsubscriber.plugin = 'log'\n");
  dir_.write("README.md", "not a config");
  auto l = load_files({dir_.path().string()});
  ASSERT_TRUE(l.config) << l.errors;
  EXPECT_EQ(l.config->files.size(), 2u);
  EXPECT_EQ(l.config->pipelines.size(), 1u);
}

TEST_F(ConfigLoad, HostIsSetOnce) {
  auto a = dir_.write("a.toml", "[host]\nthreads = 2\n");
  auto b = dir_.write("b.toml", "[host]\nthreads = 3\n");
  auto l = load_files({a, b});
  EXPECT_EQ(l.errors, b + ":1:1: host: [host] is also set in " + a + "; set it once");
}

TEST_F(ConfigLoad, MissingFile) {
  auto l = load_files({"/nonexistent/eventhost.toml"});
  EXPECT_EQ(l.errors, "/nonexistent/eventhost.toml: no such file or directory");
}

}  // namespace
}  // namespace eventhost::config

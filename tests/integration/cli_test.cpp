// The command line as users meet it: every bad input exits non-zero with one line naming the file and the place.
#include "worker_fixture.hpp"

#include <filesystem>

namespace eventhost::testing {
namespace {

class Cli : public WorkerTest {};

TEST_F(Cli, VersionAndHelp) {
  auto v = eventhost({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.out.rfind("eventhost ", 0), 0u);
  EXPECT_NE(v.out.find("plugin ABI 1."), std::string::npos);
  auto h = eventhost({"--help"});
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("eventhost run CONFIG..."), std::string::npos);
  auto none = eventhost({});
  EXPECT_EQ(none.exit_code, 1);
  auto bad = eventhost({"frobnicate"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.err, "eventhost: unknown command 'frobnicate' (see eventhost --help)\n");
}

TEST_F(Cli, PluginsListShowsKindsAndVersions) {
  auto r = eventhost({"plugins", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* line : {"ping             source           1.0.0", "log              sink             1.0.0",
                           "attributes       filter           1.0.0", "retry            delivery-policy  1.0.0"}) {
    EXPECT_NE(r.out.find(line), std::string::npos) << line << "\n" << r.out;
  }
  EXPECT_NE(r.out.find("refused: " + test_plugins() + "/eh-wrong-abi.so: plugin ABI 2.0 is incompatible"),
            std::string::npos) << r.out;
}

TEST_F(Cli, PluginsDescribePrintsTheSchemaAsDocs) {
  auto r = eventhost({"plugins", "describe", "ping"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ping 1.0.0 (source)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  schedule           string               required"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  timezone           string               default \"UTC\""), std::string::npos) << r.out;
  auto missing = eventhost({"plugins", "describe", "pnig"});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("unknown source plugin 'pnig' (did you mean 'ping'?)"), std::string::npos) << missing.err;
}

TEST_F(Cli, ShippedConfigsValidate) {
  for (const auto& entry : std::filesystem::directory_iterator(env_path("EVENTHOST_CONFIGS"))) {
    if (entry.path().extension() != ".toml") continue;
    auto r = eventhost({"validate", entry.path().string()});
    EXPECT_EQ(r.exit_code, 0) << entry.path() << "\n" << r.err;
    EXPECT_EQ(r.out.rfind("ok: 1 file(s)", 0), 0u) << r.out;
  }
}

struct BadConfig {
  const char* name;
  const char* toml;
  const char* message;  // how the one-line reason after "FILE:" starts
};

std::string expand_test_plugins(std::string text, const std::string& dir) {
  for (size_t at = text.find("@TESTPLUGINS@"); at != std::string::npos; at = text.find("@TESTPLUGINS@")) {
    text.replace(at, 13, dir);
  }
  return text;
}

class BadConfigs : public Cli, public ::testing::WithParamInterface<BadConfig> {};

TEST_P(BadConfigs, ExitNonZeroWithOneLineNamingFileAndPlace) {
  auto path = dir_.write("bad.toml", expand_test_plugins(GetParam().toml, test_plugins()));
  auto r = eventhost({"validate", path});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  std::string expected = path + ":" + expand_test_plugins(GetParam().message, test_plugins());
  EXPECT_EQ(r.err.rfind(expected, 0), 0u) << "expected to start with: " << expected << "\ngot: " << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  auto run = eventhost({"run", path});  // run refuses the same config the same way, before starting anything
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err, r.err);
}

INSTANTIATE_TEST_SUITE_P(
    Foundation, BadConfigs,
    ::testing::Values(
        BadConfig{"MalformedToml", "[[pipelines]]\nname = 'p\n", "2:10: invalid TOML: "},
        BadConfig{"UnknownPlugin",
                  "[[pipelines]]\nname = 'p'\nsource = { plugin = 'png', schedule = '* * * * *' }\nsink.plugin = 'log'\n",
                  "3:21: pipelines[0].source.plugin: unknown source plugin 'png' (did you mean 'ping'?)"},
        BadConfig{"WrongAbiPluginByPath",
                  "[[pipelines]]\nname = 'p'\nsource = { plugin = 'ping', schedule = '* * * * *' }\n"
                  "filters = [{ plugin = '@TESTPLUGINS@/eh-wrong-abi.so' }]\nsink.plugin = 'log'\n",
                  "4:23: pipelines[0].filters[0].plugin: cannot load plugin @TESTPLUGINS@/eh-wrong-abi.so: plugin ABI 2.0 "
                  "is incompatible with the host's ABI 1."},
        BadConfig{"BadCron",
                  "[[pipelines]]\nname = 'p'\nsource = { plugin = 'ping', schedule = '0 25 * * *' }\nsink.plugin = 'log'\n",
                  "3:21: pipelines[0].source: plugin 'ping' ("},
        BadConfig{"UnknownTimeZone",
                  "[[pipelines]]\nname = 'p'\nsource = { plugin = 'ping', schedule = '@hourly', timezone = 'Mars/Olympus' }\n"
                  "sink.plugin = 'log'\n",
                  "3:21: pipelines[0].source: plugin 'ping' ("},
        BadConfig{"FilterOnUnknownBroker",
                  "[[triggers]]\nname = 't'\nbroker = 'default'\nfilter.attributes = { type = 'x' }\nsubscriber.plugin = 'log'\n",
                  "3:10: triggers[0].broker: unknown broker 'default' in namespace 'default'"},
        BadConfig{"ThrowingConstructor",
                  "[[pipelines]]\nname = 'p'\nsource = { plugin = 'ping', schedule = '@hourly' }\n"
                  "filters = [{ plugin = 'throwing-ctor' }]\nsink.plugin = 'log'\n",
                  "4:23: pipelines[0].filters[0]: plugin 'throwing-ctor' ("}),
    [](const auto& info) { return std::string(info.param.name); });

// The messages that continue past the plugin path: checked separately because the path is the build's.
TEST_F(Cli, PluginRejectionsCarryThePluginsOwnReason) {
  auto cron = dir_.write("cron.toml", "[[pipelines]]\nname = 'p'\nsource = { plugin = 'ping', schedule = '0 25 * * *' }\nsink.plugin = 'log'\n");
  EXPECT_NE(eventhost({"validate", cron}).err.find(
                ") rejected its config: schedule '0 25 * * *': field 2 (hour): 25 is out of range 0-23\n"),
            std::string::npos);
  auto tz = dir_.write("tz.toml", "[[pipelines]]\nname = 'p'\nsource = { plugin = 'ping', schedule = '@hourly', timezone = 'Mars/Olympus' }\nsink.plugin = 'log'\n");
  EXPECT_NE(eventhost({"validate", tz}).err.find(") rejected its config: unknown time zone 'Mars/Olympus'"),
            std::string::npos);
  auto ctor = dir_.write("ctor.toml", "[[pipelines]]\nname = 'p'\nsource = { plugin = 'ping', schedule = '@hourly' }\nfilters = [{ plugin = 'throwing-ctor' }]\nsink.plugin = 'log'\n");
  EXPECT_NE(eventhost({"run", ctor}).err.find(") rejected its config: boom in constructor\n"), std::string::npos);
}

}  // namespace
}  // namespace eventhost::testing

// The loader refuses every kind of broken plugin with one message that names the file and the reason.
#include "plugins/loaded_plugin.hpp"
#include "plugins/registry.hpp"
#include "runtime/plugin_instance.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace eventhost::host {
namespace {

std::string test_plugin(const std::string& name) { return testing::env_path("EVENTHOST_TEST_PLUGIN_DIR") + "/eh-" + name + ".so"; }

TEST(Loader, LoadsARealPluginAndKeepsItsDescriptor) {
  auto r = load_plugin(testing::env_path("EVENTHOST_BUILD_PLUGIN_DIR") + "/ping/eh-ping.so");
  ASSERT_TRUE(r.plugin) << r.failure.to_string();
  EXPECT_EQ(r.plugin->name(), "ping");
  EXPECT_EQ(r.plugin->kind(), EH_KIND_SOURCE);
  EXPECT_GT(r.plugin->descriptor->schema_len, 0u);
}

TEST(Loader, WrongAbiMajorIsRefusedByName) {
  auto r = load_plugin(test_plugin("wrong-abi"));
  ASSERT_FALSE(r.plugin);
  EXPECT_EQ(r.failure.name, "wrong-abi");
  EXPECT_EQ(r.failure.to_string(), test_plugin("wrong-abi") + ": plugin ABI " + std::to_string(EH_ABI_MAJOR + 1) +
                                       ".0 is incompatible with the host's ABI " + std::to_string(EH_ABI_MAJOR) + "." +
                                       std::to_string(EH_ABI_MINOR) + " (major versions differ)");
}

TEST(Loader, NewerMinorIsRefused) {
  auto r = load_plugin(test_plugin("newer-minor"));
  ASSERT_FALSE(r.plugin);
  EXPECT_NE(r.failure.reason.find("is newer than the host's ABI"), std::string::npos) << r.failure.reason;
  EXPECT_NE(r.failure.reason.find("(upgrade eventhost)"), std::string::npos);
}

TEST(Loader, MissingEntryPoint) {
  auto r = load_plugin(test_plugin("no-entry"));
  ASSERT_FALSE(r.plugin);
  EXPECT_EQ(r.failure.name, "no-entry");  // guessed from the file name
  EXPECT_EQ(r.failure.reason, "not an eventhost plugin: no 'eventhost_plugin_descriptor' entry point");
}

TEST(Loader, NotASharedObject) {
  testing::TempDir dir;
  auto path = dir.write("eh-text.so", "this is a text file\n");
  auto r = load_plugin(path);
  ASSERT_FALSE(r.plugin);
  EXPECT_EQ(r.failure.reason.rfind("not a loadable shared object: ", 0), 0u) << r.failure.reason;
}

TEST(Loader, ThrowingConstructorBecomesAnErrorNamingPluginAndPlace) {
  auto r = load_plugin(test_plugin("throwing-ctor"));
  ASSERT_TRUE(r.plugin) << r.failure.to_string();
  config::PluginSpec spec{r.plugin, "{}", "pipelines[0].filters[0]", {"p.toml", 4, 12}};
  auto instance = PluginInstance::create(spec, std::make_unique<eh_host>());
  ASSERT_FALSE(instance);
  EXPECT_EQ(instance.status().message(), "p.toml:4:12: pipelines[0].filters[0]: plugin 'throwing-ctor' (" +
                                             test_plugin("throwing-ctor") + ") rejected its config: boom in constructor");
}

TEST(Registry, RecordsRefusedFilesAndFindsByNameAndKind) {
  PluginRegistry registry;
  registry.scan({testing::env_path("EVENTHOST_TEST_PLUGIN_DIR"), testing::env_path("EVENTHOST_BUILD_PLUGIN_DIR")});
  std::string error;
  EXPECT_TRUE(registry.find("ping", EH_KIND_SOURCE, &error));
  EXPECT_FALSE(registry.find("ping", EH_KIND_SINK, &error));
  EXPECT_NE(error.find("is a source, expected a sink"), std::string::npos) << error;
  EXPECT_FALSE(registry.find("wrong-abi", EH_KIND_FILTER, &error));
  EXPECT_NE(error.find("plugin 'wrong-abi' was refused"), std::string::npos) << error;
  bool saw_no_entry = false;
  for (const auto& f : registry.failures()) saw_no_entry |= f.name == "no-entry";
  EXPECT_TRUE(saw_no_entry);
}

TEST(Registry, EarlierDirectoriesWin) {
  testing::TempDir dir;
  std::filesystem::copy_file(testing::env_path("EVENTHOST_BUILD_PLUGIN_DIR") + "/log/eh-log.so", dir.file("eh-log.so"));
  PluginRegistry registry;
  registry.scan({dir.path().string(), testing::env_path("EVENTHOST_BUILD_PLUGIN_DIR")});
  std::string error;
  auto log = registry.find("log", EH_KIND_SINK, &error);
  ASSERT_TRUE(log);
  EXPECT_EQ(log->path, std::filesystem::weakly_canonical(dir.file("eh-log.so")).string());
}

}  // namespace
}  // namespace eventhost::host

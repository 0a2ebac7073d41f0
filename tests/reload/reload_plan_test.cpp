// Which pipelines a reload keeps, stops and starts, from two real configs loaded the way the worker loads them.
#include "config/load.hpp"
#include "runtime/readiness.hpp"
#include "runtime/reload_plan.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace eventhost::host {
namespace {

using testing::TempDir;

constexpr const char* kBase = R"(
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
subscriber = { plugin = "log" }
)";

class ReloadPlanTest : public ::testing::Test {
 protected:
  config::WorkerConfig load(const std::string& toml) {
    std::string path = dir_.write("pipelines.toml", toml);
    config::Diagnostics diags;
    auto cfg = config::load_worker_config({path}, config::process_environment(), registry_, diags);
    EXPECT_TRUE(cfg.has_value()) << diags.to_string();
    return cfg ? std::move(*cfg) : config::WorkerConfig{};
  }
  static std::vector<std::string> names(const std::vector<const config::PipelineSpec*>& specs) {
    std::vector<std::string> out;
    for (const auto* s : specs) out.push_back(s->name);
    return out;
  }
  using Names = std::vector<std::string>;

  PluginRegistry registry_;
  TempDir dir_;
};

TEST_F(ReloadPlanTest, TheSameConfigChangesNothing) {
  auto a = load(kBase);
  auto b = load(kBase);
  auto plan = plan_reload(a, b);
  EXPECT_FALSE(plan.changes_pipelines());
  EXPECT_TRUE(plan.needs_restart.empty());
  EXPECT_EQ(plan.unchanged, (Names{"ingress/broker/default/default", "trigger/default/display", "source/default/heartbeat"}));
}

TEST_F(ReloadPlanTest, MovingAndReformattingAPipelineKeepsItsFingerprint) {
  auto a = load(kBase);
  // The trigger first, keys reordered, comments and blank lines: only where it was written differs.
  auto b = load(R"(
# moved up
[[triggers]]
subscriber = { plugin = "log" }
broker = "default"
name = "display"
filter.attributes = { type = "dev.knative.sources.ping" }

[brokers.default]
[[sources]]
sink.broker = "default"
name = "heartbeat"
schedule = "*/2 * * * * *"
plugin = "ping"
)");
  EXPECT_FALSE(plan_reload(a, b).changes_pipelines());
  EXPECT_NE(a.pipelines[0].where.line, b.pipelines[0].where.line);  // the trigger moved
}

TEST_F(ReloadPlanTest, AnAddedTriggerStartsAloneAndTheRestKeepsRunning) {
  auto a = load(kBase);
  auto b = load(std::string(kBase) + R"(
[[triggers]]
name = "audit"
broker = "default"
subscriber = { plugin = "log", format = "json" }
)");
  auto plan = plan_reload(a, b);
  EXPECT_EQ(names(plan.start), (Names{"trigger/default/audit"}));
  EXPECT_TRUE(plan.stop.empty());
  EXPECT_EQ(plan.unchanged.size(), 3u);
  EXPECT_TRUE(plan.buses_added.empty());
}

TEST_F(ReloadPlanTest, AChangedSettingRestartsOnlyItsPipeline) {
  auto a = load(kBase);
  std::string changed = kBase;
  changed.replace(changed.find("*/2 * * * * *"), 13, "*/5 * * * * *");
  auto b = load(changed);  // the plan points into it
  auto plan = plan_reload(a, b);
  EXPECT_EQ(plan.stop, (Names{"source/default/heartbeat"}));
  EXPECT_EQ(names(plan.start), (Names{"source/default/heartbeat"}));
  EXPECT_EQ(plan.unchanged, (Names{"ingress/broker/default/default", "trigger/default/display"}));
}

TEST_F(ReloadPlanTest, DeliveryAndInFlightLimitArePartOfTheFingerprint) {
  auto a = load(kBase);
  std::string retry = std::string(kBase) + "delivery = { retry = 3 }\n";
  std::string limit = std::string(kBase) + "max_in_flight = 8\n";
  std::string timeout = std::string(kBase) + "delivery = { timeout = '2s' }\n";
  for (const auto& text : {retry, limit, timeout}) {
    auto next = load(text);
    auto plan = plan_reload(a, next);
    EXPECT_EQ(plan.stop, (Names{"trigger/default/display"})) << text;
  }
}

TEST_F(ReloadPlanTest, DispatchIsPartOfTheFingerprint) {
  std::string pipeline = "[[pipelines]]\nname = 'p'\nsource = { plugin = 'ping', schedule = '* * * * *' }\nsink = { plugin = 'log' }\n";
  auto a = load(std::string(kBase) + pipeline);
  auto b = load(std::string(kBase) + pipeline + "dispatch = 'inline'\n");
  auto plan = plan_reload(a, b);
  EXPECT_EQ(plan.stop, (Names{"pipeline/p"}));
  EXPECT_EQ(names(plan.start), (Names{"pipeline/p"}));
}

TEST_F(ReloadPlanTest, ARemovedBrokerTakesItsIngressAndTriggersAlong) {
  auto a = load(kBase);
  auto b = load(R"(
[channels.events]
[[sources]]
name = "heartbeat"
plugin = "ping"
schedule = "*/2 * * * * *"
sink.channel = "events"
)");
  auto plan = plan_reload(a, b);
  EXPECT_EQ(plan.buses_removed, (Names{"broker/default/default"}));
  EXPECT_EQ(plan.buses_added, (Names{"channel/default/events"}));
  EXPECT_EQ(plan.stop, (Names{"source/default/heartbeat", "ingress/broker/default/default", "trigger/default/display"}));
  EXPECT_EQ(names(plan.start), (Names{"ingress/channel/default/events", "source/default/heartbeat"}));
}

TEST_F(ReloadPlanTest, HostSettingsThatCannotChangeLiveAreNamed) {
  auto a = load(kBase);
  auto b = load("[host]\nthreads = 3\nlisten = '127.0.0.1:9999'\nshutdown_grace = '5s'\n" + std::string(kBase));
  auto plan = plan_reload(a, b);
  ASSERT_EQ(plan.needs_restart.size(), 3u);
  EXPECT_EQ(plan.needs_restart[0], "host.threads: 0 -> 3");
  EXPECT_EQ(plan.needs_restart[1].substr(0, 12), "host.listen:");
  EXPECT_NE(plan.needs_restart[1].find(" -> '127.0.0.1:9999'"), std::string::npos);
  EXPECT_EQ(plan.needs_restart[2], "host.listen (set explicitly): false -> true");
  EXPECT_FALSE(plan.changes_pipelines());  // the shutdown grace changes live
}

TEST_F(ReloadPlanTest, AChangedElectionNeedsARestart) {
  std::string election = "[election]\nplugin = 'file-elector'\npath = '/run/leader'\n";
  auto a = load(election + kBase);
  EXPECT_TRUE(plan_reload(a, load(election + kBase)).needs_restart.empty());
  std::string moved = election;
  moved.replace(moved.find("/run/leader"), 11, "/run/other");
  EXPECT_EQ(plan_reload(a, load(moved + kBase)).needs_restart,
            (Names{"election: the elector or its settings changed"}));
  EXPECT_EQ(plan_reload(a, load(kBase)).needs_restart, (Names{"election: the elector or its settings changed"}));
}

TEST(ReadinessNote, ARefusedReloadIsShownWithoutMakingTheWorkerUnready) {
  Readiness r;
  int reloader = 0, sink = 0;
  r.note(&reloader, "config", "c.toml:3:1: pipelines: expected an array");
  EXPECT_TRUE(r.ready());
  EXPECT_EQ(r.details(), "config: c.toml:3:1: pipelines: expected an array\n");
  r.set(&sink, "pipeline/p sink http", false, "connection refused");
  EXPECT_FALSE(r.ready());
  r.set(&sink, "pipeline/p sink http", true, "");
  r.note(&reloader, "config", "");
  EXPECT_TRUE(r.ready());
  EXPECT_EQ(r.details(), "");
}

}  // namespace
}  // namespace eventhost::host

// A broker's or channel's `delivery` table: the defaults its triggers and subscriptions overlay key by key, and
// every mistake reported once, at the key where it was written.
#include "config/load.hpp"

#include "temp_dir.hpp"

#include <eventhost/config.hpp>
#include <gtest/gtest.h>

namespace eventhost::config {
namespace {

using testing::TempDir;

class DeliveryDefaults : public ::testing::Test {
 protected:
  std::optional<WorkerConfig> load(const std::string& toml) {
    path_ = dir_.write("pipelines.toml", toml);
    host::PluginRegistry registry;
    Diagnostics diags;
    auto no_env = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
    auto config = load_worker_config({path_}, no_env, registry, diags);
    errors_ = diags.to_string();
    return config;
  }
  const PipelineSpec& pipeline(const WorkerConfig& c, const std::string& name) {
    for (const auto& p : c.pipelines) {
      if (p.name == name) return p;
    }
    throw std::runtime_error("no pipeline " + name);
  }
  // The retry policy's effective settings, as one line: retry, backoff_policy, backoff_delay, retry_after_max.
  static std::string retry_settings(const PipelineSpec& p) {
    if (!p.delivery.policy) return "no policy";
    eventhost::Config c(p.delivery.policy->config_json);
    return std::to_string(c.integer("retry")) + " " + c.string("backoff_policy") + " " +
           std::to_string(c.duration("backoff_delay").count()) + "ms " + std::to_string(c.duration("retry_after_max").count()) + "ms";
  }
  std::string path_;
  std::string errors_;
  TempDir dir_;
};

constexpr const char* kBrokerDefaults = R"(
[brokers.default]
delivery = { retry = 5, backoff_policy = "linear", backoff_delay = "1s", timeout = "3s", dead_letter_sink = { uri = "http://127.0.0.1:9/broker-dls" } }

[[triggers]]
name = "inherits"
broker = "default"
subscriber.uri = "http://127.0.0.1:9/a"

[[triggers]]
name = "overrides"
broker = "default"
subscriber.uri = "http://127.0.0.1:9/b"
delivery = { retry = 2, timeout = "500ms", dead_letter_sink = { uri = "http://127.0.0.1:9/own-dls" } }
)";

TEST_F(DeliveryDefaults, TriggerWithoutDeliveryTakesTheBrokersWhole) {
  auto c = load(kBrokerDefaults);
  ASSERT_TRUE(c) << errors_;
  const auto& t = pipeline(*c, "trigger/default/inherits");
  ASSERT_TRUE(t.delivery.policy);
  EXPECT_EQ(t.delivery.policy->plugin->name(), "retry");
  EXPECT_EQ(retry_settings(t), "5 linear 1000ms 0ms");
  EXPECT_EQ(t.delivery.timeout, std::chrono::milliseconds(3000));
  ASSERT_TRUE(t.delivery.dead_letter);
  EXPECT_EQ(t.delivery.dead_letter->display, "http://127.0.0.1:9/broker-dls");
}

TEST_F(DeliveryDefaults, TriggerKeysReplaceTheBrokersOneByOne) {
  auto c = load(kBrokerDefaults);
  ASSERT_TRUE(c) << errors_;
  const auto& t = pipeline(*c, "trigger/default/overrides");
  ASSERT_TRUE(t.delivery.policy);
  EXPECT_EQ(retry_settings(t), "2 linear 1000ms 0ms");
  EXPECT_EQ(t.delivery.timeout, std::chrono::milliseconds(500));
  ASSERT_TRUE(t.delivery.dead_letter);
  EXPECT_EQ(t.delivery.dead_letter->display, "http://127.0.0.1:9/own-dls");
}

TEST_F(DeliveryDefaults, WithoutAnyDeliveryTableAFailedAttemptStaysFinal) {
  auto c = load("[brokers.default]\n[[triggers]]\nname = 't'\nbroker = 'default'\nsubscriber.plugin = 'log'\n");
  ASSERT_TRUE(c) << errors_;
  EXPECT_FALSE(pipeline(*c, "trigger/default/t").delivery.policy);
  EXPECT_FALSE(pipeline(*c, "trigger/default/t").delivery.dead_letter);
}

TEST_F(DeliveryDefaults, ChannelDefaultsApplyToItsSubscriptions) {
  auto c = load(R"(
[channels.orders]
delivery = { retry = 4, backoff_policy = "exponential", retry_after_max = "10s" }

[[subscriptions]]
name = "s"
channel = "orders"
subscriber.plugin = "log"
delivery.backoff_delay = "PT0.05S"
)");
  ASSERT_TRUE(c) << errors_;
  const auto& s = pipeline(*c, "subscription/default/s");
  ASSERT_TRUE(s.delivery.policy);
  EXPECT_EQ(retry_settings(s), "4 exponential 50ms 10000ms");
  EXPECT_EQ(s.delivery.timeout, std::chrono::milliseconds(0));
  EXPECT_FALSE(s.delivery.dead_letter);
}

TEST_F(DeliveryDefaults, DefaultsOfOneBrokerStayOnIt) {
  auto c = load(R"(
[brokers.a]
delivery.retry = 3
[brokers.b]
[[triggers]]
name = "t"
broker = "b"
subscriber.plugin = "log"
)");
  ASSERT_TRUE(c) << errors_;
  EXPECT_FALSE(pipeline(*c, "trigger/default/t").delivery.policy);
}

TEST_F(DeliveryDefaults, BrokerDeadLetterSinkMayNameABrokerDeclaredLater) {
  auto c = load(R"(
[brokers.main]
delivery.dead_letter_sink.broker = "parking"
[brokers.parking]
[[triggers]]
name = "t"
broker = "main"
subscriber.plugin = "log"
)");
  ASSERT_TRUE(c) << errors_;
  const auto& t = pipeline(*c, "trigger/default/t");
  ASSERT_TRUE(t.delivery.dead_letter);
  EXPECT_EQ(t.delivery.dead_letter->bus, "broker/default/parking");
  ASSERT_TRUE(t.delivery.policy);  // the retry policy with its defaults: no retries, then the dead letter
  EXPECT_EQ(retry_settings(t), "0 exponential 200ms 0ms");
}

TEST_F(DeliveryDefaults, AMistakeInTheBrokerIsReportedOnceAtTheBroker) {
  auto c = load(R"(
[brokers.default]
delivery = { retry = "3", timeout = "2s" }
[[triggers]]
name = "one"
broker = "default"
subscriber.plugin = "log"
[[triggers]]
name = "two"
broker = "default"
subscriber.plugin = "log"
delivery.retry = 1
)");
  EXPECT_FALSE(c);
  EXPECT_EQ(errors_, path_ + ":3:22: brokers.default.delivery.retry: expected an integer, got a string");
}

TEST_F(DeliveryDefaults, UnknownKeyInTheBrokerIsReportedAtTheBroker) {
  auto c = load("[brokers.default]\n[brokers.default.delivery]\nretyr = 3\n"
                "[[triggers]]\nname = 't'\nbroker = 'default'\nsubscriber.plugin = 'log'\n");
  EXPECT_FALSE(c);
  EXPECT_EQ(errors_, path_ + ":3:1: brokers.default.delivery.retyr: unknown key (did you mean 'retry'?)");
}

TEST_F(DeliveryDefaults, AMistakeInTheTriggerIsReportedAtTheTrigger) {
  auto c = load(R"(
[brokers.default]
delivery = { retry = 3, backoff_policy = "linear" }
[[triggers]]
name = "t"
broker = "default"
subscriber.plugin = "log"
delivery = { backoff_policy = "linaer" }
)");
  EXPECT_FALSE(c);
  EXPECT_EQ(errors_, path_ +
                         ":8:31: triggers[0].delivery.backoff_policy: \"linaer\" is not one of linear|exponential "
                         "(did you mean 'linear'?)");
}

TEST_F(DeliveryDefaults, BrokerAndTriggerMistakesAreEachReportedWhereWritten) {
  auto c = load(R"(
[brokers.default]
delivery = { timeout = "soon" }
[[triggers]]
name = "t"
broker = "default"
subscriber.plugin = "log"
delivery = { retry = -1.5 }
)");
  EXPECT_FALSE(c);
  EXPECT_NE(errors_.find(path_ + ":3:24: brokers.default.delivery.timeout: invalid duration \"soon\""),
            std::string::npos)
      << errors_;
  EXPECT_NE(errors_.find(path_ + ":8:22: triggers[0].delivery.retry: expected an integer, got a float"),
            std::string::npos)
      << errors_;
}

TEST_F(DeliveryDefaults, UnknownPolicyPluginInTheBrokerNamesTheBroker) {
  auto c = load("[brokers.default]\ndelivery = { plugin = 'retyr' }\n"
                "[[triggers]]\nname = 't'\nbroker = 'default'\nsubscriber.plugin = 'log'\n");
  EXPECT_FALSE(c);
  EXPECT_NE(errors_.find(path_ + ":2:23: brokers.default.delivery.plugin: unknown delivery-policy plugin 'retyr'"),
            std::string::npos)
      << errors_;
}

TEST_F(DeliveryDefaults, BadDeadLetterSinkInTheBrokerNamesTheBroker) {
  auto c = load("[brokers.default]\ndelivery.dead_letter_sink = { broker = 'nowhere' }\n"
                "[[triggers]]\nname = 't'\nbroker = 'default'\nsubscriber.plugin = 'log'\n");
  EXPECT_FALSE(c);
  EXPECT_EQ(errors_, path_ + ":2:40: brokers.default.delivery.dead_letter_sink.broker: unknown broker 'nowhere' in "
                             "namespace 'default'");
}

TEST_F(DeliveryDefaults, BusDeliveryMustBeATable) {
  auto c = load("[brokers.default]\ndelivery = 3\n");
  EXPECT_FALSE(c);
  EXPECT_EQ(errors_, path_ + ":2:12: brokers.default.delivery: expected a table or an array, got an integer");
}

}  // namespace
}  // namespace eventhost::config

// The elector's keys: defaults from the downward API variables, and every refusal naming its key.
#include "lease_settings.hpp"

#include <gtest/gtest.h>

#include <map>

namespace eventhost::kubelease {
namespace {

using namespace std::chrono_literals;

std::string config_json(const std::string& overrides) {
  std::map<std::string, std::string> values = {
      {"lease", "\"eventhost-singletons\""}, {"namespace", "null"}, {"identity", "null"},
      {"lease_duration", "15000"}, {"renew_deadline", "10000"}, {"retry_period", "2000"},
      {"kubeconfig", "\"/k\""}, {"context", "null"}, {"token_file", "\"/sa/token\""}, {"ca_file", "\"/sa/ca.crt\""}};
  // overrides: "key=json;key=json"
  for (size_t start = 0; start < overrides.size();) {
    size_t end = overrides.find(';', start);
    std::string kv = overrides.substr(start, end == std::string::npos ? std::string::npos : end - start);
    values[kv.substr(0, kv.find('='))] = kv.substr(kv.find('=') + 1);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  std::string json = "{";
  for (const auto& [k, v] : values) json += (json.size() > 1 ? "," : "") + ("\"" + k + "\":" + v);
  return json + "}";
}

Result<LeaseSettings> read(const std::string& overrides, std::map<std::string, std::string> env = {}) {
  return read_lease_settings(Config(config_json(overrides)), [env](const char* name) -> std::optional<std::string> {
    auto it = env.find(name);
    if (it == env.end()) return std::nullopt;
    return it->second;
  });
}

TEST(LeaseSettings, IdentityAndNamespaceComeFromTheDownwardApi) {
  auto s = read("", {{"POD_NAME", "eventhost-7d9f-x2"}, {"POD_NAMESPACE", "events"}});
  ASSERT_TRUE(s) << s.status().message();
  EXPECT_EQ(s->identity.rfind("eventhost-7d9f-x2_", 0), 0u) << s->identity;
  EXPECT_EQ(s->identity.size(), std::string("eventhost-7d9f-x2_").size() + 8);
  EXPECT_EQ(s->ns, "events");
  EXPECT_EQ(s->lease, "eventhost-singletons");
  EXPECT_EQ(s->timing.lease_duration, 15000ms);
  EXPECT_EQ(s->timing.renew_deadline, 10000ms);
  EXPECT_EQ(s->timing.retry_period, 2000ms);
}

TEST(LeaseSettings, ExplicitKeysWinAndEveryProcessGetsItsOwnSuffix) {
  auto a = read("identity=\"replica\";namespace=\"team-a\"", {{"POD_NAME", "p"}, {"POD_NAMESPACE", "events"}});
  auto b = read("identity=\"replica\";namespace=\"team-a\"");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->ns, "team-a");
  EXPECT_EQ(a->identity.rfind("replica_", 0), 0u);
  EXPECT_NE(a->identity, b->identity);
  EXPECT_EQ(b->ns, "team-a");
}

TEST(LeaseSettings, WithAKubeconfigAndNoNamespaceTheLeaseIsInDefault) {
  auto s = read("");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->ns, "default");
  EXPECT_EQ(s->credentials.kubeconfig, "/k");
}

TEST(LeaseSettings, RefusalsNameTheKey) {
  auto error = [](const std::string& overrides) { return read(overrides).status().message(); };
  EXPECT_EQ(error("lease=\"Bad_Name\""), "lease: 'Bad_Name' is not a Kubernetes object name");
  EXPECT_EQ(error("namespace=\"a.b\""), "namespace: 'a.b' is not a namespace name");
  EXPECT_EQ(error("lease_duration=1500"),
            "lease_duration: must be whole seconds, at least 1s (the Lease stores seconds)");
  EXPECT_EQ(error("renew_deadline=15000"),
            "renew_deadline: must be less than lease_duration, so the leader lets go before a follower may take over");
  EXPECT_EQ(error("retry_period=10000"), "retry_period: must be at least 1ms and less than renew_deadline");
  EXPECT_EQ(error("kubeconfig=null;context=\"dev\""), "context: only meaningful with kubeconfig");
}

}  // namespace
}  // namespace eventhost::kubelease

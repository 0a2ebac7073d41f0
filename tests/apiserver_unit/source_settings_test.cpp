#include "source_settings.hpp"

#include <gtest/gtest.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace eventhost::apiserver {
namespace {

// The JSON the host hands the plugin: every key, defaults filled in, durations in milliseconds.
std::string config_json() {
  return R"({"resources":[{"apiVersion":"v1","kind":"Event"}],"namespaces":null,"owner":null,"mode":"Reference",
    "kubeconfig":null,"context":null,"token_file":"/t","ca_file":"/c","reconnect_delay":1000,
    "reconnect_delay_max":30000,"watch_timeout":300000})";
}

Result<SourceSettings> settings(const std::string& overrides) {
  rapidjson::Document base;
  base.Parse(config_json().c_str());
  rapidjson::Document extra;
  extra.Parse(("{" + overrides + "}").c_str());
  for (auto& m : extra.GetObject()) {
    base.RemoveMember(m.name.GetString());
    base.AddMember(rapidjson::Value(m.name, base.GetAllocator()), rapidjson::Value(m.value, base.GetAllocator()),
                   base.GetAllocator());
  }
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  base.Accept(w);
  return read_settings(Config(buf.GetString()));
}

std::string error_of(const std::string& overrides) {
  auto s = settings(overrides);
  EXPECT_FALSE(s) << overrides;
  return s ? std::string() : s.status().message();
}

TEST(SourceSettings, Defaults) {
  auto s = settings("");
  ASSERT_TRUE(s) << s.status().message();
  ASSERT_EQ(s->resources.size(), 1u);
  EXPECT_EQ(s->resources[0].api_version, "v1");
  EXPECT_EQ(s->resources[0].kind, "Event");
  EXPECT_TRUE(s->namespaces.empty()) << "unset: all namespaces";
  EXPECT_EQ(s->mode, EventMode::reference);
  EXPECT_FALSE(s->owner);
  EXPECT_EQ(s->watch_timeout, std::chrono::seconds(300));
  EXPECT_EQ(s->credentials.kubeconfig, "");
}

TEST(SourceSettings, AllKeys) {
  auto s = settings(R"j("resources":[{"apiVersion":"apps/v1","kind":"Deployment","labelSelector":"app in (a,b)"},
    {"apiVersion":"v1","kind":"Pod"}],"namespaces":["a","b-2"],"owner":{"apiVersion":"apps/v1","kind":"ReplicaSet"},
    "mode":"Resource","kubeconfig":"/k","context":"dev")j");
  ASSERT_TRUE(s) << s.status().message();
  ASSERT_EQ(s->resources.size(), 2u);
  EXPECT_EQ(s->resources[0].label_selector, "app in (a,b)");
  EXPECT_EQ(s->namespaces, (std::vector<std::string>{"a", "b-2"}));
  ASSERT_TRUE(s->owner);
  EXPECT_EQ(s->owner->kind, "ReplicaSet");
  EXPECT_EQ(s->mode, EventMode::resource);
  EXPECT_EQ(s->credentials.context, "dev");
}

TEST(SourceSettings, BadResourcesSayWhatIsWrong) {
  EXPECT_EQ(error_of(R"("resources":[])"),
            "resources: must be a non-empty array of tables, e.g. [{ apiVersion = \"v1\", kind = \"Event\" }]");
  EXPECT_EQ(error_of(R"("resources":{"apiVersion":"v1"})"),
            "resources: must be a non-empty array of tables, e.g. [{ apiVersion = \"v1\", kind = \"Event\" }]");
  EXPECT_EQ(error_of(R"("resources":[{"apiVersion":"v1","kind":"Event","selector":"a=b"}])"),
            "resources[0]: unknown key 'selector' (allowed: apiVersion, kind, labelSelector)");
  EXPECT_EQ(error_of(R"("resources":[{"kind":"Event"}])"),
            "resources[0].apiVersion: required (\"v1\" or \"<group>/<version>\")");
  EXPECT_EQ(error_of(R"("resources":[{"apiVersion":"v1"}])"), "resources[0].kind: required (e.g. \"Event\")");
  EXPECT_EQ(error_of(R"("resources":[{"apiVersion":"apps/v1/x","kind":"Event"}])"),
            "resources[0].apiVersion: 'apps/v1/x' is not \"v1\" or \"<group>/<version>\"");
  EXPECT_EQ(error_of(R"("resources":[{"apiVersion":"v1","kind":"pods/log"}])"),
            "resources[0].kind: 'pods/log' is not a kind name");
  EXPECT_EQ(error_of(R"("resources":[{"apiVersion":"v1","kind":1}])"), "resources[0].kind: must be a string");
  EXPECT_EQ(error_of(R"("resources":[{"apiVersion":"v1","kind":"Pod"},{"apiVersion":"v1","kind":"Pod"}])"),
            "resources[1]: v1 Pod is listed twice");
  EXPECT_EQ(error_of(R"("resources":["v1/Pod"])"), "resources[0]: must be a table");
}

TEST(SourceSettings, BadNamespacesOwnerAndTimings) {
  EXPECT_EQ(error_of(R"("namespaces":["Default"])"), "namespaces: 'Default' is not a namespace name");
  EXPECT_EQ(error_of(R"("namespaces":["a","a"])"), "namespaces: 'a' is listed twice");
  EXPECT_EQ(error_of(R"("owner":{})"), "owner: give apiVersion, kind or both");
  EXPECT_EQ(error_of(R"("owner":{"name":"x"})"), "owner: unknown key 'name' (allowed: apiVersion, kind)");
  EXPECT_EQ(error_of(R"("owner":{"kind":"Replica Set"})"), "owner.kind: 'Replica Set' is not a kind name");
  EXPECT_EQ(error_of(R"("context":"dev")"), "context: only meaningful with kubeconfig");
  EXPECT_EQ(error_of(R"("reconnect_delay":0)"), "reconnect_delay: must be at least 1ms");
  EXPECT_EQ(error_of(R"("reconnect_delay_max":10)"), "reconnect_delay_max: must not be less than reconnect_delay");
  EXPECT_EQ(error_of(R"("watch_timeout":500)"), "watch_timeout: must be at least 1s");
}

TEST(OwnerFilter, MatchesTheController) {
  OwnerFilter f{"apps/v1", "ReplicaSet"};
  ObjectMeta m;
  EXPECT_FALSE(f.passes(m)) << "no controller: filtered out";
  m.controller = OwnerRef{"apps/v1", "ReplicaSet", "web"};
  EXPECT_TRUE(f.passes(m));
  m.controller->kind = "StatefulSet";
  EXPECT_FALSE(f.passes(m));
  EXPECT_TRUE((OwnerFilter{"apps/v1", ""}).passes(m)) << "an empty field matches any value";
}

}  // namespace
}  // namespace eventhost::apiserver

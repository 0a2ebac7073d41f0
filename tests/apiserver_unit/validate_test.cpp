// `eventhost validate` on the ready fanout configs (no Kafka, no cluster: validate starts no I/O) and on bad
// apiserver source configs (the plugin's reason, with file, line and column).
#include "subprocess.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

namespace {

using namespace std::chrono_literals;
using eventhost::testing::env_path;
using eventhost::testing::run;
using eventhost::testing::TempDir;

class Validate : public ::testing::Test {
 protected:
  void SetUp() override {
    exe_ = env_path("EVENTHOST_EXE");
    configs_ = env_path("EVENTHOST_CONFIGS");
    ASSERT_FALSE(exe_.empty()) << "EVENTHOST_EXE is not set";
    ASSERT_FALSE(configs_.empty()) << "EVENTHOST_CONFIGS is not set";
  }
  eventhost::testing::ProcessResult validate(const std::string& path) {
    // A clean environment: no KAFKA_BOOTSTRAP, no EVENTHOST_KUBECONFIG, no KUBERNETES_SERVICE_HOST.
    return run({exe_, "validate", path}, 30s, {"PATH=/usr/bin:/bin"});
  }
  std::string exe_, configs_;
  TempDir dir_;
};

TEST_F(Validate, ReadyFanoutConfigsPassWithoutKafkaOrACluster) {
  for (const char* name : {"k8s-events-fanout.toml", "k8s-events-eventrouter.toml"}) {
    auto r = validate(configs_ + "/" + name);
    EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err;
    EXPECT_NE(r.out.find("ok: 1 file(s), 0 broker(s)/channel(s), 1 pipeline(s)"), std::string::npos) << r.out;
  }
}

TEST_F(Validate, BadResourceKeyIsRefusedWithItsPlace) {
  auto path = dir_.write("bad.toml", R"([[pipelines]]
name = "bad"
sink = { plugin = "log" }

[pipelines.source]
plugin = "apiserver"
resources = [{ apiVersion = "v1", kind = "Event", selector = "a=b" }]
)");
  auto r = validate(path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(path + ":6:10"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rejected its config: resources[0]: unknown key 'selector' (allowed: apiVersion, kind, "
                       "labelSelector)"),
            std::string::npos)
      << r.err;
}

TEST_F(Validate, MissingResourcesAndBadModeAreRefused) {
  auto missing = dir_.write("missing.toml", "[[pipelines]]\nname = \"m\"\nsource = { plugin = \"apiserver\" }\n"
                                            "sink = { plugin = \"log\" }\n");
  auto r = validate(missing);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("resources"), std::string::npos) << r.err;
  auto mode = dir_.write("mode.toml", "[[pipelines]]\nname = \"m\"\nsource = { plugin = \"apiserver\", mode = \"Ref\", "
                                      "resources = [{ apiVersion = \"v1\", kind = \"Pod\" }] }\n"
                                      "sink = { plugin = \"log\" }\n");
  r = validate(mode);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("Reference|Resource"), std::string::npos) << r.err;
}

}  // namespace

// The Kubernetes manifests are well formed, hold what a hardened Deployment needs, and the pipelines in their
// ConfigMap pass `eventhost validate`.
#include "subprocess.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <set>

namespace eventhost::testing {
namespace {

namespace fs = std::filesystem;

class Manifests : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = env_path("EVENTHOST_MANIFESTS");
    YAML::Node kustomization = YAML::LoadFile(dir_ + "/kustomization.yaml");
    for (const auto& resource : kustomization["resources"]) {
      std::string file = dir_ + "/" + resource.as<std::string>();
      ASSERT_TRUE(fs::exists(file)) << file;
      for (const auto& doc : YAML::LoadAllFromFile(file)) {
        std::string kind = doc["kind"].as<std::string>();
        docs_[kind + "/" + doc["metadata"]["name"].as<std::string>()] = doc;
        files_[kind + "/" + doc["metadata"]["name"].as<std::string>()] = file;
      }
    }
  }
  YAML::Node get(const std::string& key) {
    EXPECT_TRUE(docs_.count(key)) << key << " is missing";
    return docs_[key];
  }
  std::string dir_;
  std::map<std::string, YAML::Node> docs_;
  std::map<std::string, std::string> files_;
};

TEST_F(Manifests, EveryResourceIsWellFormed) {
  ASSERT_FALSE(docs_.empty());
  for (const auto& [key, doc] : docs_) {
    EXPECT_TRUE(doc["apiVersion"].IsScalar()) << key;
    EXPECT_TRUE(doc["metadata"]["labels"]["app.kubernetes.io/name"].IsScalar()) << key;
    bool cluster_scoped = key.starts_with("Namespace/") || key.starts_with("ClusterRole");
    if (!cluster_scoped) EXPECT_EQ(doc["metadata"]["namespace"].as<std::string>(""), "eventhost") << key;
  }
  for (const char* key : {"Namespace/eventhost", "ServiceAccount/eventhost", "ClusterRole/eventhost-apiserver-source",
                          "ClusterRoleBinding/eventhost-apiserver-source", "ConfigMap/eventhost-pipelines",
                          "Deployment/eventhost", "Service/eventhost", "NetworkPolicy/eventhost",
                          "Role/eventhost-leader-election", "RoleBinding/eventhost-leader-election"}) {
    EXPECT_TRUE(docs_.count(key)) << key;
  }
}

TEST_F(Manifests, RbacOnlyReads) {
  for (const auto& rule : get("ClusterRole/eventhost-apiserver-source")["rules"]) {
    for (const auto& verb : rule["verbs"]) {
      std::string v = verb.as<std::string>();
      EXPECT_TRUE(v == "get" || v == "list" || v == "watch") << v;
    }
  }
  auto binding = get("ClusterRoleBinding/eventhost-apiserver-source");
  EXPECT_EQ(binding["subjects"][0]["name"].as<std::string>(), "eventhost");
}

// The elector needs get, create and update on leases, granted in the worker's own namespace only (a Role).
TEST_F(Manifests, LeaderElectionMayOnlyKeepLeasesInItsNamespace) {
  auto role = get("Role/eventhost-leader-election");
  ASSERT_EQ(role["rules"].size(), 1u);
  auto rule = role["rules"][0];
  EXPECT_EQ(rule["apiGroups"][0].as<std::string>(), "coordination.k8s.io");
  EXPECT_EQ(rule["resources"].size(), 1u);
  EXPECT_EQ(rule["resources"][0].as<std::string>(), "leases");
  std::set<std::string> verbs;
  for (const auto& verb : rule["verbs"]) verbs.insert(verb.as<std::string>());
  EXPECT_EQ(verbs, (std::set<std::string>{"get", "create", "update"}));
  auto binding = get("RoleBinding/eventhost-leader-election");
  EXPECT_EQ(binding["roleRef"]["kind"].as<std::string>(), "Role");
  EXPECT_EQ(binding["subjects"][0]["name"].as<std::string>(), "eventhost");
  EXPECT_EQ(binding["subjects"][0]["namespace"].as<std::string>(), "eventhost");
  bool downward_api = false;
  for (const auto& e : get("Deployment/eventhost")["spec"]["template"]["spec"]["containers"][0]["env"]) {
    if (e["name"].as<std::string>() == "POD_NAME") {
      downward_api = e["valueFrom"]["fieldRef"]["fieldPath"].as<std::string>() == "metadata.name";
    }
  }
  EXPECT_TRUE(downward_api) << "POD_NAME from the downward API names the replica in the Lease";
}

TEST_F(Manifests, DeploymentIsHardenedProbedAndDrains) {
  auto spec = get("Deployment/eventhost")["spec"]["template"]["spec"];
  EXPECT_TRUE(spec["securityContext"]["runAsNonRoot"].as<bool>());
  auto container = spec["containers"][0];
  EXPECT_FALSE(container["securityContext"]["allowPrivilegeEscalation"].as<bool>());
  EXPECT_TRUE(container["securityContext"]["readOnlyRootFilesystem"].as<bool>());
  EXPECT_EQ(container["securityContext"]["capabilities"]["drop"][0].as<std::string>(), "ALL");
  EXPECT_EQ(container["livenessProbe"]["httpGet"]["path"].as<std::string>(), "/healthz");
  EXPECT_EQ(container["readinessProbe"]["httpGet"]["path"].as<std::string>(), "/readyz");
  EXPECT_TRUE(container["resources"]["limits"]["memory"].IsScalar());
  EXPECT_EQ(spec["serviceAccountName"].as<std::string>(), "eventhost");
  EXPECT_EQ(spec["volumes"][0]["configMap"]["name"].as<std::string>(), "eventhost-pipelines");
  EXPECT_EQ(container["args"][1].as<std::string>(), container["volumeMounts"][0]["mountPath"].as<std::string>());
  // The kubelet must wait longer than the worker's drain.
  std::string host_toml = get("ConfigMap/eventhost-pipelines")["data"]["host.toml"].as<std::string>();
  auto at = host_toml.find("shutdown_grace = \"");
  ASSERT_NE(at, std::string::npos);
  int grace_s = std::stoi(host_toml.substr(at + 18));
  EXPECT_GT(spec["terminationGracePeriodSeconds"].as<int>(), grace_s);
}

TEST_F(Manifests, ServiceReachesTheContainerPort) {
  auto port = get("Service/eventhost")["spec"]["ports"][0];
  auto container = get("Deployment/eventhost")["spec"]["template"]["spec"]["containers"][0];
  EXPECT_EQ(port["targetPort"].as<std::string>(), container["ports"][0]["name"].as<std::string>());
}

TEST_F(Manifests, ConfigMapPipelinesValidate) {
  TempDir mount;
  for (const auto& entry : get("ConfigMap/eventhost-pipelines")["data"]) {
    mount.write(entry.first.as<std::string>(), entry.second.as<std::string>());
  }
  auto r = run({env_path("EVENTHOST_BINARY"), "validate", mount.path().string()}, std::chrono::seconds(30));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("ok: 3 file(s)", 0), 0u) << r.out;  // host.toml, election.toml, broker.toml
}

// kustomize is not installed here, so the overlays are checked the way kustomize would read them: they build on the
// base, every patch names a document of the base, and the ConfigMap the Kafka overlay produces (the base's data with
// the patch's keys replaced, a strategic merge) still passes `eventhost validate`.
TEST_F(Manifests, OverlaysPatchTheBaseAndTheirPipelinesValidate) {
  for (const std::string overlay : {"memory", "kafka"}) {
    SCOPED_TRACE(overlay);
    std::string dir = dir_ + "/overlays/" + overlay;
    YAML::Node kustomization = YAML::LoadFile(dir + "/kustomization.yaml");
    ASSERT_EQ(kustomization["resources"].size(), 1u);
    EXPECT_TRUE(fs::equivalent(dir + "/" + kustomization["resources"][0].as<std::string>(), dir_));

    YAML::Node data = YAML::Clone(get("ConfigMap/eventhost-pipelines")["data"]);
    for (const auto& patch : kustomization["patches"]) {
      YAML::Node doc = YAML::LoadFile(dir + "/" + patch["path"].as<std::string>());
      std::string key = doc["kind"].as<std::string>() + "/" + doc["metadata"]["name"].as<std::string>();
      ASSERT_TRUE(docs_.count(key)) << patch["path"] << " patches " << key << ", which the base does not have";
      if (key == "ConfigMap/eventhost-pipelines") {
        for (const auto& entry : doc["data"]) data[entry.first.as<std::string>()] = entry.second;
      }
    }
    TempDir mount;
    for (const auto& entry : data) mount.write(entry.first.as<std::string>(), entry.second.as<std::string>());
    auto r = run({env_path("EVENTHOST_BINARY"), "validate", mount.path().string()}, std::chrono::seconds(30),
                 {"KAFKA_BOOTSTRAP=kafka.example:9092"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  YAML::Node kafka_broker = YAML::LoadFile(dir_ + "/overlays/kafka/pipelines-kafka.yaml")["data"]["broker.toml"];
  EXPECT_NE(kafka_broker.as<std::string>().find("backend = \"kafka\""), std::string::npos);
  YAML::Node env = YAML::LoadFile(dir_ + "/overlays/kafka/deployment-kafka.yaml")["spec"]["template"]["spec"]
                       ["containers"][0]["env"];
  EXPECT_EQ(env[0]["name"].as<std::string>(), "KAFKA_BOOTSTRAP");
}

}  // namespace
}  // namespace eventhost::testing

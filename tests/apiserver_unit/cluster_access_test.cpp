#include "cluster_access.hpp"

#include "temp_dir.hpp"

#include <eventhost/cloudevents/base64.hpp>

#include <gtest/gtest.h>

#include <cstdlib>

namespace eventhost::apiserver {
namespace {

using eventhost::testing::TempDir;

TEST(ParseServerUrl, HostAndPort) {
  auto a = parse_server_url("https://10.96.0.1:443");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "10.96.0.1");
  EXPECT_EQ(a->port, "443");
  EXPECT_EQ(a->url, "https://10.96.0.1:443");
  auto b = parse_server_url("https://kube.example.com/");
  ASSERT_TRUE(b);
  EXPECT_EQ(b->port, "443");
  EXPECT_EQ(b->url, "https://kube.example.com");
  auto c = parse_server_url("https://[fd00::1]:6443");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->host, "fd00::1");
  EXPECT_EQ(c->port, "6443");
}

TEST(ParseServerUrl, RefusesWhatItCannotSpeak) {
  EXPECT_EQ(parse_server_url("http://127.0.0.1:8080").status().message(),
            "server 'http://127.0.0.1:8080': only https:// API servers are supported");
  EXPECT_EQ(parse_server_url("https://k:99999").status().message(), "server 'https://k:99999': bad port '99999'");
  EXPECT_EQ(parse_server_url("https://k/prefix").status().message(),
            "server 'https://k/prefix': a path after the host is not supported");
  EXPECT_FALSE(parse_server_url("https://"));
}

class Kubeconfig : public ::testing::Test {
 protected:
  std::string write(const std::string& users) {
    dir_.write("ca.pem", "CA PEM");
    return dir_.write("config", R"(apiVersion: v1
kind: Config
clusters:
- name: c1
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority: ca.pem
- name: c2
  cluster:
    server: https://10.0.0.1
    certificate-authority-data: )" + ce::base64_encode("INLINE CA") + R"(
contexts:
- name: one
  context: {cluster: c1, user: u1}
- name: two
  context: {cluster: c2, user: u2}
current-context: one
users:
)" + users);
  }
  TempDir dir_;
};

TEST_F(Kubeconfig, CurrentContextWithTokenAndRelativeCaFile) {
  auto a = kubeconfig_access(write("- name: u1\n  user: {token: abc}\n"), "");
  ASSERT_TRUE(a) << a.status().message();
  EXPECT_EQ(a->server.url, "https://127.0.0.1:6443");
  EXPECT_EQ(a->ca_pem, "CA PEM");
  EXPECT_EQ(*a->bearer_token(), "abc");
}

TEST_F(Kubeconfig, NamedContextInlineDataAndClientCertificate) {
  auto path = write("- name: u2\n  user:\n    client-certificate-data: " + ce::base64_encode("CERT") +
                    "\n    client-key-data: " + ce::base64_encode("KEY") + "\n");
  auto a = kubeconfig_access(path, "two");
  ASSERT_TRUE(a) << a.status().message();
  EXPECT_EQ(a->server.port, "443");
  EXPECT_EQ(a->ca_pem, "INLINE CA");
  EXPECT_EQ(a->client_cert_pem, "CERT");
  EXPECT_EQ(a->client_key_pem, "KEY");
  EXPECT_EQ(*a->bearer_token(), "");
}

TEST_F(Kubeconfig, TokenFileIsReadAgainForEveryRequest) {
  dir_.write("token", "first\n");
  auto a = kubeconfig_access(write("- name: u1\n  user: {tokenFile: token}\n"), "");
  ASSERT_TRUE(a) << a.status().message();
  EXPECT_EQ(*a->bearer_token(), "first");
  dir_.write("token", "rotated");
  EXPECT_EQ(*a->bearer_token(), "rotated");
}

TEST_F(Kubeconfig, RefusalsNameTheProblem) {
  auto path = write("- name: u1\n  user:\n    exec: {command: aws}\n");
  EXPECT_EQ(kubeconfig_access(path, "").status().message(),
            "kubeconfig '" + path +
                "' user 'u1': exec and auth-provider credentials are not supported; use a token, tokenFile or a "
                "client certificate");
  EXPECT_EQ(kubeconfig_access(path, "three").status().message(),
            "kubeconfig '" + path + "': no contexts entry named 'three'");
  EXPECT_EQ(kubeconfig_access(dir_.file("missing"), "").status().message(),
            "kubeconfig '" + dir_.file("missing") + "' cannot be read");
  auto no_key = write("- name: u1\n  user: {client-certificate-data: " + ce::base64_encode("C") + "}\n");
  EXPECT_EQ(kubeconfig_access(no_key, "").status().message(),
            "kubeconfig '" + no_key + "' user 'u1': a client certificate needs its key, and back");
  auto bad_data = write("- name: u2\n  user: {client-key-data: '!!'}\n");
  EXPECT_EQ(kubeconfig_access(bad_data, "two").status().message(),
            "kubeconfig '" + bad_data + "' user 'u2'.client-key-data: not valid base64");
  auto missing_token = write("- name: u1\n  user: {tokenFile: nope}\n");
  EXPECT_NE(kubeconfig_access(missing_token, "").status().message().find("token file '" + dir_.file("nope") +
                                                                         "' cannot be read"),
            std::string::npos);
}

TEST_F(Kubeconfig, InsecureSkipVerifyIsRefused) {
  auto path = dir_.write("insecure", R"(clusters:
- name: c
  cluster: {server: https://k, insecure-skip-tls-verify: true}
contexts:
- name: x
  context: {cluster: c}
current-context: x
)");
  EXPECT_EQ(kubeconfig_access(path, "").status().message(),
            "kubeconfig '" + path + "': insecure-skip-tls-verify is not supported; give the cluster's CA");
}

class InCluster : public ::testing::Test {
 protected:
  void TearDown() override {
    unsetenv("KUBERNETES_SERVICE_HOST");
    unsetenv("KUBERNETES_SERVICE_PORT");
  }
  TempDir dir_;
};

TEST_F(InCluster, OutsideAPodSaysToUseAKubeconfig) {
  unsetenv("KUBERNETES_SERVICE_HOST");
  EXPECT_EQ(in_cluster_access("/t", "/c").status().message(),
            "not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST/KUBERNETES_SERVICE_PORT are not set): set "
            "`kubeconfig` to reach an API server from outside the cluster");
}

TEST_F(InCluster, ServiceAccountFiles) {
  setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1", 1);
  setenv("KUBERNETES_SERVICE_PORT", "443", 1);
  auto token = dir_.write("token", "sa-token\n");
  auto ca = dir_.write("ca.crt", "CA");
  auto a = in_cluster_access(token, ca);
  ASSERT_TRUE(a) << a.status().message();
  EXPECT_EQ(a->server.url, "https://10.96.0.1:443");
  EXPECT_EQ(*a->bearer_token(), "sa-token");
  EXPECT_EQ(a->ca_pem, "CA");
  setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
  EXPECT_EQ(in_cluster_access(token, ca)->server.url, "https://[fd00::1]:443");
  EXPECT_EQ(in_cluster_access(token, dir_.file("none")).status().message().rfind("service account CA file '", 0), 0u);
}

}  // namespace
}  // namespace eventhost::apiserver

// The source's list/watch loop against a fake HTTPS API server: Knative events from a list and a watch, relisting
// after 410 Gone without duplicates, reconnecting from the last resourceVersion, token rotation, RBAC refusals,
// backpressure and stop.
#include "source_engine.hpp"

#include "../kafka_unit/fake_host.hpp"
#include "fake_api_server.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <thread>

namespace eventhost::apiserver {
namespace {

using namespace std::chrono_literals;
using eventhost::testing::ApiConnection;
using eventhost::testing::ApiRequest;
using eventhost::testing::FakeApiServer;
using eventhost::testing::FakeHost;
using eventhost::testing::LineQueue;
using eventhost::testing::TempDir;

const char* kDiscovery = R"({"kind":"APIResourceList","groupVersion":"v1","resources":[
  {"name":"pods/log","namespaced":true,"kind":"Pod","verbs":["get"]},
  {"name":"configmaps","namespaced":true,"kind":"ConfigMap","verbs":["get","list","watch"]}]})";

std::string object(const std::string& name, const std::string& rv, const std::string& ns = "ns1",
                   const std::string& extra_meta = "") {
  return R"({"metadata":{"name":")" + name + R"(","namespace":")" + ns + R"(","uid":"uid-)" + name +
         R"(","resourceVersion":")" + rv + "\"" + extra_meta + "}}";
}

// A watch event's object carries apiVersion and kind; list items do not.
std::string watch_event(const std::string& type, const std::string& name, const std::string& rv,
                        const std::string& ns = "ns1", const std::string& extra_meta = "") {
  return R"({"type":")" + type + R"(","object":{"apiVersion":"v1","kind":"ConfigMap",)" +
         object(name, rv, ns, extra_meta).substr(1) + "}";
}

std::string list(const std::string& rv, const std::vector<std::string>& items, const std::string& cont = "") {
  std::string s = R"({"kind":"ConfigMapList","apiVersion":"v1","metadata":{"resourceVersion":")" + rv + "\"";
  if (!cont.empty()) s += R"(,"continue":")" + cont + "\"";
  s += R"(},"items":[)";
  for (size_t i = 0; i < items.size(); ++i) s += (i ? "," : "") + items[i];
  return s + "]}";
}

std::string status(int code, const std::string& reason, const std::string& message) {
  return R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":")" + message + R"(","reason":")" +
         reason + R"(","code":)" + std::to_string(code) + "}";
}

bool is_watch(const ApiRequest& r) { return r.query.count("watch") != 0; }

class SourceEngineTest : public ::testing::Test {
 protected:
  // Starts the fake server with `handler`; discovery of /api/v1 is answered by default.
  void serve(std::function<void(const ApiRequest&, ApiConnection&)> handler) {
    server_ = std::make_unique<FakeApiServer>(dir_.path().string(), [handler](const ApiRequest& r, ApiConnection& c) {
      if (r.path == "/api/v1") return c.respond(200, kDiscovery);
      handler(r, c);
    });
  }

  void write_kubeconfig(const std::string& user) {
    dir_.write("kubeconfig", "clusters:\n- name: fake\n  cluster:\n    server: " + server_->url() +
                                 "\n    certificate-authority: " + server_->ca_file() +
                                 "\ncontexts:\n- name: fake\n  context: {cluster: fake, user: me}\n"
                                 "current-context: fake\nusers:\n- name: me\n  user: " + user + "\n");
  }

  void start(EventMode mode = EventMode::reference, const std::string& user = "{token: secret}") {
    write_kubeconfig(user);
    settings_.resources = {{"v1", "ConfigMap", ""}};
    settings_.credentials.kubeconfig = dir_.file("kubeconfig");
    settings_.mode = mode;
    settings_.reconnect_delay = 20ms;
    settings_.reconnect_delay_max = 100ms;
    settings_.watch_timeout = 30s;
    auto engine = SourceEngine::start(host_.host(), settings_);
    ASSERT_TRUE(engine) << engine.status().message();
    engine_ = std::move(engine).value();
  }

  void TearDown() override {
    for (auto* q : {&watch1_, &watch2_, &watch3_}) q->end();
    engine_.reset();
    server_.reset();
  }

  bool log_contains(const std::string& text, std::chrono::milliseconds timeout = 10s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      for (const auto& l : host_.logs()) {
        if (l.find(text) != std::string::npos) return true;
      }
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }

  // type suffix (add/update/delete) and name of every event so far
  std::vector<std::string> changes() {
    std::vector<std::string> out;
    for (const auto& e : host_.events()) {
      std::string type(*e.get("type"));
      out.push_back(type.substr(type.rfind('.') + 1) + " " + std::string(*e.get("name")));
    }
    return out;
  }

  TempDir dir_;
  FakeHost host_;
  SourceSettings settings_;
  std::unique_ptr<FakeApiServer> server_;
  std::unique_ptr<SourceEngine> engine_;
  LineQueue watch1_, watch2_, watch3_;
  std::atomic<int> lists_{0}, watches_{0};
};

TEST_F(SourceEngineTest, ListThenWatchEmitsKnativeReferenceEvents) {
  serve([this](const ApiRequest& r, ApiConnection& c) {
    if (r.path != "/api/v1/configmaps") return c.respond(404, status(404, "NotFound", "no"));
    if (!is_watch(r)) return c.respond(200, list("10", {object("a", "5")}));
    watch1_.serve(c);
  });
  start();
  ASSERT_TRUE(host_.wait_emitted(1));
  ASSERT_TRUE(server_->wait_for_request("watch=1"));
  watch1_.push(watch_event("ADDED", "b", "11"));
  watch1_.push(watch_event("MODIFIED", "a", "12"));
  watch1_.push(watch_event("DELETED", "b", "13"));
  ASSERT_TRUE(host_.wait_emitted(4));
  EXPECT_EQ(changes(), (std::vector<std::string>{"add a", "add b", "update a", "delete b"}));

  auto events = host_.events();
  const auto& e = events[2];
  EXPECT_EQ(e.get("specversion"), "1.0");
  EXPECT_EQ(e.get("type"), "dev.knative.apiserver.ref.update");
  EXPECT_EQ(e.get("source"), server_->url());
  EXPECT_EQ(e.get("subject"), "/apis/v1/namespaces/ns1/configmaps/a");
  EXPECT_EQ(e.get("kind"), "ConfigMap");
  EXPECT_EQ(e.get("apiversion"), "v1");
  EXPECT_EQ(e.get("name"), "a");
  EXPECT_EQ(e.get("namespace"), "ns1");
  EXPECT_EQ(e.get("datacontenttype"), "application/json");
  EXPECT_TRUE(e.has("time"));
  EXPECT_EQ(e.data(), R"({"kind":"ConfigMap","namespace":"ns1","name":"a","apiVersion":"v1"})");
  EXPECT_EQ(e.get("id")->size(), 36u);
  EXPECT_NE(events[0].get("id"), events[1].get("id"));

  // The watch starts at the list's resourceVersion, with bookmarks, authenticated with the kubeconfig's token.
  for (const auto& r : server_->requests()) {
    EXPECT_EQ(r.authorization, "Bearer secret") << r.target;
    if (!is_watch(r)) continue;
    EXPECT_EQ(r.query.at("resourceVersion"), "10");
    EXPECT_EQ(r.query.at("allowWatchBookmarks"), "true");
    EXPECT_EQ(r.query.at("timeoutSeconds"), "30");
  }
}

TEST_F(SourceEngineTest, ResourceModeCarriesTheWholeObject) {
  serve([this](const ApiRequest& r, ApiConnection& c) {
    if (!is_watch(r)) return c.respond(200, list("10", {object("a", "5")}));
    watch1_.serve(c);
  });
  start(EventMode::resource);
  ASSERT_TRUE(host_.wait_emitted(1));
  watch1_.push(watch_event("DELETED", "a", "11"));
  ASSERT_TRUE(host_.wait_emitted(2));
  auto events = host_.events();
  EXPECT_EQ(events[0].get("type"), "dev.knative.apiserver.resource.add");
  EXPECT_EQ(events[0].data(), R"({"apiVersion":"v1","kind":"ConfigMap",)" + object("a", "5").substr(1))
      << "list items get the apiVersion and kind the API server leaves out";
  EXPECT_EQ(events[1].get("type"), "dev.knative.apiserver.resource.delete");
  EXPECT_EQ(events[1].data(), R"({"apiVersion":"v1","kind":"ConfigMap",)" + object("a", "11").substr(1));
}

TEST_F(SourceEngineTest, GoneInTheWatchRelistsWithoutDuplicates) {
  serve([this](const ApiRequest& r, ApiConnection& c) {
    if (!is_watch(r)) {
      if (lists_++ == 0) return c.respond(200, list("10", {object("a", "5"), object("b", "6"), object("c", "7")}));
      return c.respond(200, list("22", {object("a", "5"), object("b", "20"), object("d", "21")}));
    }
    (watches_++ == 0 ? watch1_ : watch2_).serve(c);
  });
  start();
  ASSERT_TRUE(host_.wait_emitted(3));
  ASSERT_TRUE(server_->wait_for_request("watch=1"));
  watch1_.push(R"({"type":"ERROR","object":)" + status(410, "Expired", "too old resource version: 10 (15)") + "}");
  ASSERT_TRUE(server_->wait_for_request("resourceVersion=22"));
  ASSERT_TRUE(host_.wait_emitted(6));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(changes(), (std::vector<std::string>{"add a", "add b", "add c", "update b", "add d", "delete c"}));
  EXPECT_EQ(lists_, 2);
  EXPECT_TRUE(log_contains("resourceVersion 10 is too old (410 Gone): listing again"));
}

TEST_F(SourceEngineTest, GoneAnswerToTheWatchRequestRelists) {
  serve([this](const ApiRequest& r, ApiConnection& c) {
    if (!is_watch(r)) {
      return c.respond(200, lists_++ == 0 ? list("10", {object("a", "5")}) : list("30", {object("a", "25")}));
    }
    if (watches_++ == 0) return c.respond(410, status(410, "Expired", "too old"));
    watch2_.serve(c);
  });
  start();
  ASSERT_TRUE(server_->wait_for_request("resourceVersion=30"));
  ASSERT_TRUE(host_.wait_emitted(2));
  EXPECT_EQ(changes(), (std::vector<std::string>{"add a", "update a"}));
}

TEST_F(SourceEngineTest, DroppedWatchResumesFromTheLastBookmark) {
  serve([this](const ApiRequest& r, ApiConnection& c) {
    if (!is_watch(r)) {
      ++lists_;
      return c.respond(200, list("10", {}));
    }
    (watches_++ == 0 ? watch1_ : watch2_).serve(c);
  });
  start();
  ASSERT_TRUE(server_->wait_for_request("watch=1"));
  watch1_.push(watch_event("ADDED", "x", "11"));
  watch1_.push(R"({"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"15"}}})");
  watch1_.drop();
  ASSERT_TRUE(server_->wait_for_request("resourceVersion=15"));
  watch2_.push(watch_event("MODIFIED", "x", "16"));
  ASSERT_TRUE(host_.wait_emitted(2));
  EXPECT_EQ(changes(), (std::vector<std::string>{"add x", "update x"}));
  EXPECT_EQ(lists_, 1) << "a dropped connection is resumed, not relisted";
  EXPECT_TRUE(log_contains("watching: reading the answer"));
}

TEST_F(SourceEngineTest, AWatchThatEndsNormallyIsRenewed) {
  serve([this](const ApiRequest& r, ApiConnection& c) {
    if (!is_watch(r)) return c.respond(200, list("10", {}));
    (watches_++ == 0 ? watch1_ : watch2_).serve(c);
  });
  start();
  ASSERT_TRUE(server_->wait_for_request("watch=1"));
  watch1_.push(watch_event("ADDED", "x", "11"));
  watch1_.end();
  ASSERT_TRUE(server_->wait_for_request("resourceVersion=11"));
  ASSERT_TRUE(host_.wait_emitted(1));
  for (const auto& l : host_.logs()) EXPECT_EQ(l.find("retrying"), std::string::npos) << l;
}

TEST_F(SourceEngineTest, RotatedTokenFileIsPickedUp) {
  serve([this](const ApiRequest& r, ApiConnection& c) {
    if (r.authorization != "Bearer fresh") return c.respond(401, status(401, "Unauthorized", "Unauthorized"));
    if (!is_watch(r)) return c.respond(200, list("10", {object("a", "5")}));
    watch1_.serve(c);
  });
  dir_.write("token", "expired\n");
  start(EventMode::reference, "{tokenFile: " + dir_.file("token") + "}");
  ASSERT_TRUE(log_contains("unauthorized (HTTP 401): the API server refused the credentials (Unauthorized)"));
  EXPECT_EQ(host_.emitted_count(), 0u);
  dir_.write("token", "fresh\n");
  ASSERT_TRUE(host_.wait_emitted(1));
}

TEST_F(SourceEngineTest, ForbiddenNamesTheVerbsTheSourceNeeds) {
  serve([](const ApiRequest&, ApiConnection& c) {
    c.respond(403, status(403, "Forbidden",
                          "configmaps is forbidden: User \\\"x\\\" cannot list resource \\\"configmaps\\\""));
  });
  start();
  EXPECT_TRUE(log_contains("forbidden (HTTP 403): the source needs get, list and watch on configmaps (configmaps is "
                           "forbidden: User \"x\" cannot list resource \"configmaps\")"));
  EXPECT_EQ(host_.emitted_count(), 0u);
}

TEST_F(SourceEngineTest, UnknownKindIsRetriedWithAClearMessage) {
  serve([](const ApiRequest&, ApiConnection& c) { c.respond(404, status(404, "NotFound", "no")); });
  write_kubeconfig("{token: t}");
  settings_.resources = {{"v1", "Widget", ""}, {"example.com/v1", "Gadget", ""}};
  settings_.credentials.kubeconfig = dir_.file("kubeconfig");
  settings_.reconnect_delay = 20ms;
  settings_.reconnect_delay_max = 50ms;
  auto engine = SourceEngine::start(host_.host(), settings_);
  ASSERT_TRUE(engine);
  engine_ = std::move(engine).value();
  EXPECT_TRUE(log_contains("v1 Widget: discovery: kind 'Widget' is not served in apiVersion v1; retrying in"));
  EXPECT_TRUE(log_contains("example.com/v1 Gadget: discovery: apiVersion example.com/v1 is not served by the API server"));
  EXPECT_TRUE(server_->wait_for_request("/api/v1", 3)) << "discovery is retried";
}

TEST_F(SourceEngineTest, NamespacesSelectorAndOwnerFilter) {
  serve([this](const ApiRequest& r, ApiConnection& c) {
    if (is_watch(r)) return watch1_.serve(c);
    std::string ns = r.path.substr(std::string("/api/v1/namespaces/").size());
    ns = ns.substr(0, ns.find('/'));
    const std::string controller =
        R"(,"ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"d","controller":true}])";
    c.respond(200, list("10", {object("owned-" + ns, "5", ns, controller), object("free-" + ns, "6", ns)}));
  });
  write_kubeconfig("{token: t}");
  settings_.resources = {{"v1", "ConfigMap", "app=web,tier!=db"}};
  settings_.namespaces = {"ns1", "ns2"};
  settings_.owner = OwnerFilter{"", "Deployment"};
  settings_.credentials.kubeconfig = dir_.file("kubeconfig");
  auto engine = SourceEngine::start(host_.host(), settings_);
  ASSERT_TRUE(engine);
  engine_ = std::move(engine).value();
  ASSERT_TRUE(host_.wait_emitted(2));
  ASSERT_TRUE(server_->wait_for_request("watch=1", 2));
  auto got = changes();
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"add owned-ns1", "add owned-ns2"}));
  for (const auto& r : server_->requests()) {
    if (r.path == "/api/v1") continue;
    EXPECT_TRUE(r.path == "/api/v1/namespaces/ns1/configmaps" || r.path == "/api/v1/namespaces/ns2/configmaps")
        << r.path;
    EXPECT_EQ(r.query.at("labelSelector"), "app=web,tier!=db");
  }
}

TEST_F(SourceEngineTest, ListPagesFollowTheContinueToken) {
  serve([this](const ApiRequest& r, ApiConnection& c) {
    if (is_watch(r)) return watch1_.serve(c);
    EXPECT_EQ(r.query.at("limit"), "500");
    if (r.query.count("continue") == 0) return c.respond(200, list("10", {object("a", "5")}, "page+2"));
    EXPECT_EQ(r.query.at("continue"), "page+2");
    c.respond(200, list("10", {object("b", "6")}));
  });
  start();
  ASSERT_TRUE(host_.wait_emitted(2));
  ASSERT_TRUE(server_->wait_for_request("resourceVersion=10"));
  EXPECT_EQ(changes(), (std::vector<std::string>{"add a", "add b"}));
}

TEST_F(SourceEngineTest, OverloadedPipelinePausesTheWatchAndLosesNothing) {
  serve([this](const ApiRequest& r, ApiConnection& c) {
    if (!is_watch(r)) return c.respond(200, list("10", {}));
    watch1_.serve(c);
  });
  host_.set_capacity(2);
  start();
  ASSERT_TRUE(server_->wait_for_request("watch=1"));
  for (int i = 0; i < 50; ++i) watch1_.push(watch_event("ADDED", "o" + std::to_string(i), std::to_string(100 + i)));
  ASSERT_TRUE(host_.wait_emitted(2));
  std::this_thread::sleep_for(100ms);
  EXPECT_EQ(host_.emitted_count(), 2u) << "nothing is emitted while the pipeline is full";
  EXPECT_GE(host_.overloaded_answers(), 1u);
  auto deadline = std::chrono::steady_clock::now() + 20s;
  while (host_.emitted_count() < 50 && std::chrono::steady_clock::now() < deadline) {
    host_.finish_all();
    engine_->resume();
    std::this_thread::sleep_for(5ms);
  }
  ASSERT_EQ(host_.emitted_count(), 50u);
  EXPECT_LE(host_.max_unfinished(), 2u);
  auto got = changes();
  for (int i = 0; i < 50; ++i) EXPECT_EQ(got[static_cast<size_t>(i)], "add o" + std::to_string(i)) << "in order";
}

TEST_F(SourceEngineTest, NothingIsEmittedAfterStop) {
  serve([this](const ApiRequest& r, ApiConnection& c) {
    if (!is_watch(r)) return c.respond(200, list("10", {}));
    watch1_.serve(c);
  });
  start();
  ASSERT_TRUE(server_->wait_for_request("watch=1"));
  watch1_.push(watch_event("ADDED", "before", "11"));
  ASSERT_TRUE(host_.wait_emitted(1));
  engine_->stop();
  watch1_.push(watch_event("ADDED", "after", "12"));
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(host_.emitted_count(), 1u);
}

TEST_F(SourceEngineTest, MissingCredentialsFailStart) {
  settings_.resources = {{"v1", "ConfigMap", ""}};
  settings_.credentials.kubeconfig = dir_.file("absent");
  auto engine = SourceEngine::start(host_.host(), settings_);
  ASSERT_FALSE(engine);
  EXPECT_EQ(engine.status().message(), "kubeconfig '" + dir_.file("absent") + "' cannot be read");
  dir_.write("badca", "clusters:\n- name: c\n  cluster: {server: https://k, certificate-authority-data: " +
                          std::string("Tk9UIEEgUEVN") + "}\ncontexts:\n- name: x\n  context: {cluster: c}\n"
                          "current-context: x\n");
  settings_.credentials.kubeconfig = dir_.file("badca");
  auto bad = SourceEngine::start(host_.host(), settings_);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.status().message().rfind("the cluster CA is not a valid PEM certificate", 0), 0u)
      << bad.status().message();
}

}  // namespace
}  // namespace eventhost::apiserver

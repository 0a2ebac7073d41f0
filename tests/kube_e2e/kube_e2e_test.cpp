// The apiserver source, the Kubernetes events fanout and the kube-lease elector in the real worker binary, against a
// real kube-apiserver (tests/kube/kube.sh builds and starts it) and a real Kafka broker (EVENTHOST_KAFKA_BOOTSTRAP).
// Objects are created, updated and deleted with plain HTTPS requests (curl); Kafka topics are read back with kcat.
#include <eventhost/cloudevents/json.hpp>

#include "subprocess.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <csignal>
#include <ctime>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include <unistd.h>

namespace {

using namespace std::chrono_literals;
using eventhost::testing::Process;
using eventhost::testing::TempDir;
using eventhost::testing::env_path;
using eventhost::testing::run;

std::string unique(const std::string& prefix) {
  static std::mt19937_64 rng(std::random_device{}());
  return prefix + "-" + std::to_string(rng() % 1000000000);
}

std::string which(const std::string& program) {
  std::string path = env_path("PATH");
  for (size_t start = 0; start <= path.size();) {
    size_t colon = path.find(':', start);
    std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/" + program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return {};
}

std::vector<std::string> json_lines(const std::string& out) {
  std::vector<std::string> lines;
  std::istringstream s(out);
  for (std::string line; std::getline(s, line);) {
    if (!line.empty() && line[0] == '{') lines.push_back(line);
  }
  return lines;
}

// One kube-apiserver (with etcd) for the whole test program.
struct Cluster {
  bool available = false;
  std::string why_not;
  std::string state_dir;
  std::map<std::string, std::string> env;  // KUBE_API_URL, KUBECONFIG, KUBE_TOKEN, KUBE_LIMITED_TOKEN, KUBE_CA
  std::string kube_sh;
};

Cluster& cluster() {
  static Cluster c;
  return c;
}

class KubeEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    Cluster& c = cluster();
    c.kube_sh = env_path("KUBE_SH");
    if (c.kube_sh.empty()) {
      c.why_not = "KUBE_SH is not set";
      return;
    }
    auto bin = run({"/bin/bash", c.kube_sh, "bin"}, 30s);
    if (bin.exit_code != 0) {
      c.why_not = "kube-apiserver and etcd are not built: run `tests/kube/kube.sh build` (20-30 minutes on 2 cores, once; cached afterwards)";
      return;
    }
    c.state_dir = dir_.file("kube");
    auto started = run({"/bin/bash", c.kube_sh, "start", c.state_dir}, 180s);
    if (started.exit_code != 0) {
      c.why_not = "kube.sh start failed: " + started.err;
      return;
    }
    std::istringstream lines(started.out);
    for (std::string line; std::getline(lines, line);) {
      size_t eq = line.find('=');
      if (eq != std::string::npos) c.env[line.substr(0, eq)] = line.substr(eq + 1);
    }
    c.available = c.env.count("KUBE_API_URL") != 0;
    if (!c.available) c.why_not = "kube.sh start printed no KUBE_API_URL: " + started.out;
  }
  void TearDown() override {
    Cluster& c = cluster();
    if (!c.state_dir.empty()) run({"/bin/bash", c.kube_sh, "stop", c.state_dir}, 60s);
  }

 private:
  TempDir dir_;
};

const auto* const kEnvironment = ::testing::AddGlobalTestEnvironment(new KubeEnvironment);

struct HttpAnswer {
  int status = 0;
  std::string body;
};

class KubeE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!cluster().available) GTEST_SKIP() << cluster().why_not;
    exe_ = env_path("EVENTHOST_EXE");
    ASSERT_FALSE(exe_.empty()) << "EVENTHOST_EXE is not set";
    curl_ = which("curl");
    ASSERT_FALSE(curl_.empty()) << "curl is not on PATH (apt-get install -y curl)";
  }

  const std::string& env(const std::string& key) { return cluster().env.at(key); }

  // A plain HTTPS request to the API server as the admin user (or with `token`).
  HttpAnswer kube(const std::string& method, const std::string& path, const std::string& body = "",
                  const std::string& token = "") {
    std::vector<std::string> argv = {curl_, "-sS", "--cacert", env("KUBE_CA"), "-X", method, "-H",
                                     "Authorization: Bearer " + (token.empty() ? env("KUBE_TOKEN") : token), "-w",
                                     "\n%{http_code}"};
    if (!body.empty()) {
      std::string type = method == "PATCH" ? "application/merge-patch+json" : "application/json";
      argv.insert(argv.end(), {"-H", "Content-Type: " + type, "--data-binary", "@" + dir_.write(unique("body"), body)});
    }
    argv.push_back(env("KUBE_API_URL") + path);
    auto r = run(argv, 30s);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    HttpAnswer a;
    size_t nl = r.out.rfind('\n');
    if (nl != std::string::npos) {
      a.body = r.out.substr(0, nl);
      a.status = std::atoi(r.out.c_str() + nl + 1);
    }
    return a;
  }

  void create_namespace(const std::string& ns) {
    auto a = kube("POST", "/api/v1/namespaces", R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":")" + ns + "\"}}");
    ASSERT_EQ(a.status, 201) << a.body;
  }

  // A core/v1 Event about a pod in `ns`, as a kubelet would record it.
  void create_event(const std::string& ns, const std::string& name, const std::string& reason) {
    auto a = kube("POST", "/api/v1/namespaces/" + ns + "/events",
                  R"({"apiVersion":"v1","kind":"Event","metadata":{"name":")" + name + R"(","namespace":")" + ns +
                      R"("},"involvedObject":{"apiVersion":"v1","kind":"Pod","name":"web-1","namespace":")" + ns +
                      R"("},"reason":")" + reason + R"(","message":"e2e","type":"Normal","source":{"component":"e2e"}})");
    ASSERT_EQ(a.status, 201) << a.body;
  }

  std::unique_ptr<Process> worker(const std::string& config, const std::vector<std::string>& environment = {}) {
    std::string path = dir_.write(unique("config") + ".toml", config);
    return std::make_unique<Process>(std::vector<std::string>{exe_, "run", path}, dir_.path().string(), environment);
  }

  // Waits until the worker's stdout has `count` JSON lines whose type ends with `type_suffix`... or time runs out.
  static std::vector<eventhost::CloudEvent> events_of(const Process& p) {
    std::vector<eventhost::CloudEvent> out;
    for (const auto& line : json_lines(p.current_out())) {
      auto e = eventhost::ce::from_json(line);
      if (e) out.push_back(*e);
    }
    return out;
  }

  static std::vector<eventhost::CloudEvent> wait_events(const Process& p, size_t count,
                                                        std::chrono::seconds timeout = 60s) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    auto events = events_of(p);
    while (events.size() < count && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(100ms);
      events = events_of(p);
    }
    return events;
  }

  static void stop(Process& p) {
    p.signal(SIGTERM);
    auto r = p.wait(30s);
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }

  std::string exe_;
  std::string curl_;
  TempDir dir_;
};

std::string data_of(const eventhost::CloudEvent& e) { return std::string(e.data()); }

TEST_F(KubeE2E, ConfigMapLifecycleInBothModes) {
  const std::string ns = unique("e2e-modes");
  create_namespace(ns);
  auto p = worker(
      "[[pipelines]]\nname = \"refs\"\nsource = { plugin = \"apiserver\", kubeconfig = \"" + env("KUBECONFIG") +
      "\", namespaces = [\"" + ns + "\"], resources = [{ apiVersion = \"v1\", kind = \"ConfigMap\" }] }\n"
      "sink = { plugin = \"log\", format = \"json\" }\n\n"
      "[[pipelines]]\nname = \"objects\"\nsource = { plugin = \"apiserver\", mode = \"Resource\", kubeconfig = \"" +
      env("KUBECONFIG") + "\", namespaces = [\"" + ns + "\"], resources = [{ apiVersion = \"v1\", kind = \"ConfigMap\", "
      "labelSelector = \"app=e2e\" }] }\nsink = { plugin = \"log\", format = \"json\" }\n");
  // Each change waits until both pipelines reported the one before: a list/watch client (like Knative's informer)
  // may fold changes that happen before it listed into one `add`.
  auto cm1_events = [&] {
    std::vector<eventhost::CloudEvent> refs, objects;
    for (auto& e : events_of(*p)) {
      if (e.get("name") != "cm1") continue;
      (e.get("type")->find(".ref.") != std::string_view::npos ? refs : objects).push_back(e);
    }
    return std::make_pair(refs, objects);
  };
  auto wait_for = [&](size_t n) {
    auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
      auto [r, o] = cm1_events();
      if (r.size() >= n && o.size() >= n) return true;
      std::this_thread::sleep_for(50ms);
    }
    return false;
  };
  // kube-root-ca.crt (made by a controller that does not run here) would have no app=e2e label anyway.
  auto created = kube("POST", "/api/v1/namespaces/" + ns + "/configmaps",
                      R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm1","labels":{"app":"e2e"}},"data":{"k":"v1"}})");
  ASSERT_EQ(created.status, 201) << created.body;
  ASSERT_TRUE(wait_for(1)) << p->current_out() << p->current_err();
  ASSERT_EQ(kube("PATCH", "/api/v1/namespaces/" + ns + "/configmaps/cm1", R"({"data":{"k":"v2"}})").status, 200);
  ASSERT_TRUE(wait_for(2)) << p->current_out() << p->current_err();
  ASSERT_EQ(kube("DELETE", "/api/v1/namespaces/" + ns + "/configmaps/cm1").status, 200);
  ASSERT_TRUE(wait_for(3)) << p->current_out() << p->current_err();
  std::this_thread::sleep_for(300ms);
  auto [refs, objects] = cm1_events();
  stop(*p);
  ASSERT_EQ(refs.size(), 3u) << p->current_out() << p->current_err();
  ASSERT_EQ(objects.size(), 3u) << p->current_out();

  const char* changes[] = {"add", "update", "delete"};
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(refs[i].get("type"), std::string("dev.knative.apiserver.ref.") + changes[i]);
    EXPECT_EQ(objects[i].get("type"), std::string("dev.knative.apiserver.resource.") + changes[i]);
    for (const auto* e : {&refs[i], &objects[i]}) {
      EXPECT_EQ(e->source(), env("KUBE_API_URL"));
      EXPECT_EQ(e->get("subject"), "/apis/v1/namespaces/" + ns + "/configmaps/cm1");
      EXPECT_EQ(e->get("kind"), "ConfigMap");
      EXPECT_EQ(e->get("apiversion"), "v1");
      EXPECT_EQ(e->get("namespace"), ns);
      EXPECT_EQ(e->get("datacontenttype"), "application/json");
    }
    EXPECT_EQ(data_of(refs[i]), R"({"kind":"ConfigMap","namespace":")" + ns + R"(","name":"cm1","apiVersion":"v1"})");
  }
  rapidjson::Document updated;
  updated.Parse(data_of(objects[1]).c_str());
  ASSERT_TRUE(updated.IsObject());
  EXPECT_STREQ(updated["data"]["k"].GetString(), "v2");
  EXPECT_STREQ(updated["kind"].GetString(), "ConfigMap");
  std::set<std::string> ids;
  for (const auto& e : refs) ids.insert(std::string(e.id()));
  for (const auto& e : objects) ids.insert(std::string(e.id()));
  EXPECT_EQ(ids.size(), 6u) << "every event has its own id";
}

// The service account form: KUBERNETES_SERVICE_HOST/PORT, a token file and a CA file; a user with no rights is
// refused until it is granted exactly what docs/kubernetes.md says (get, list, watch), then events flow.
TEST_F(KubeE2E, InClusterCredentialsAndTheDocumentedRbac) {
  const std::string ns = unique("e2e-rbac");
  create_namespace(ns);
  std::string url = env("KUBE_API_URL");
  std::string port = url.substr(url.rfind(':') + 1);
  std::string token_file = dir_.write("sa-token", env("KUBE_LIMITED_TOKEN") + "\n");
  auto p = worker("[[pipelines]]\nname = \"in-cluster\"\nsource = { plugin = \"apiserver\", token_file = \"" +
                      token_file + "\", ca_file = \"" + env("KUBE_CA") + "\", reconnect_delay = \"100ms\", "
                      "reconnect_delay_max = \"500ms\", resources = [{ apiVersion = \"v1\", kind = \"Event\" }] }\n"
                      "sink = { plugin = \"log\", format = \"json\" }\n",
                  {"KUBERNETES_SERVICE_HOST=127.0.0.1", "KUBERNETES_SERVICE_PORT=" + port});
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (p->current_err().find("the source needs get, list and watch on events") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_NE(p->current_err().find("forbidden (HTTP 403): the source needs get, list and watch on events"),
            std::string::npos)
      << p->current_err();

  const std::string role = unique("eventhost-events-reader");
  ASSERT_EQ(kube("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles",
                 R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":")" + role +
                     R"("},"rules":[{"apiGroups":[""],"resources":["events"],"verbs":["get","list","watch"]}]})")
                .status,
            201);
  ASSERT_EQ(kube("POST", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings",
                 R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":")" +
                     role + R"("},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":")" +
                     role + R"("},"subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"eventhost-limited"}]})")
                .status,
            201);
  create_event(ns, "granted", "Granted");
  deadline = std::chrono::steady_clock::now() + 60s;
  bool seen = false;
  while (!seen && std::chrono::steady_clock::now() < deadline) {
    for (const auto& e : events_of(*p)) seen |= e.get("name") == "granted" && e.get("namespace") == ns;
    if (!seen) std::this_thread::sleep_for(100ms);
  }
  stop(*p);
  EXPECT_TRUE(seen) << p->current_out() << p->current_err();
}

// Two replicas with the kube-lease elector and a ping source ticking every second: exactly one replica runs the
// ping at a time. SIGKILL of the leader moves it to the other once the lease expires (3 s); SIGTERM of a leader gives
// the lease up, so the other takes over at its next try (0.5 s).
class ElectionE2E : public KubeE2E {
 protected:
  std::unique_ptr<Process> replica(const std::string& lease, const std::string& identity) {
    return worker("[host]\nshutdown_grace = \"2s\"\n\n"
                  "[election]\nplugin = \"kube-lease\"\nlease = \"" + lease + "\"\nnamespace = \"default\"\n"
                  "identity = \"" + identity + "\"\nkubeconfig = \"" + env("KUBECONFIG") + "\"\n"
                  "lease_duration = \"3s\"\nrenew_deadline = \"2s\"\nretry_period = \"500ms\"\n\n"
                  "[[sources]]\nname = \"tick\"\nplugin = \"ping\"\nschedule = \"* * * * * *\"\n"
                  "sink = { plugin = \"log\", format = \"json\" }\n");
  }

  // The tick times a replica emitted.
  static std::vector<std::string> ticks(const Process& p) {
    std::vector<std::string> out;
    for (const auto& e : events_of(p)) out.emplace_back(*e.get("time"));
    return out;
  }

  static bool wait_ticks(const Process& p, size_t count, std::chrono::seconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (ticks(p).size() < count) {
      if (std::chrono::steady_clock::now() >= deadline) return false;
      std::this_thread::sleep_for(50ms);
    }
    return true;
  }

  std::string holder(const std::string& lease) {
    auto a = kube("GET", "/apis/coordination.k8s.io/v1/namespaces/default/leases/" + lease);
    rapidjson::Document d;
    d.Parse(a.body.c_str());
    if (!d.IsObject() || !d.HasMember("spec") || !d["spec"].HasMember("holderIdentity")) return {};
    return d["spec"]["holderIdentity"].GetString();
  }
};

std::chrono::sys_seconds tick_time(const std::string& rfc3339) {
  std::tm tm{};
  strptime(rfc3339.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  return std::chrono::sys_seconds(std::chrono::seconds(timegm(&tm)));
}

TEST_F(ElectionE2E, EachPingFiresOnOneReplicaAndMovesWhenTheLeaderDies) {
  const std::string lease = unique("e2e-lease");
  auto a = replica(lease, "replica-a");
  ASSERT_TRUE(wait_ticks(*a, 2, 30s)) << a->current_err();
  EXPECT_EQ(holder(lease).rfind("replica-a_", 0), 0u);
  auto b = replica(lease, "replica-b");
  std::this_thread::sleep_for(4s);  // longer than the lease: b must still only follow
  EXPECT_TRUE(ticks(*b).empty()) << b->current_out();
  EXPECT_NE(b->current_err().find("campaigning for Lease default/" + lease), std::string::npos) << b->current_err();

  a->signal(SIGKILL);
  auto killed = std::chrono::steady_clock::now();
  a->wait(10s);
  auto deadline = killed + 15s;
  while (holder(lease).rfind("replica-b_", 0) != 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  auto takeover = std::chrono::steady_clock::now() - killed;
  // The lease duration (3 s) from the last renewal b saw (at most one retry period after a's), and b's next try.
  EXPECT_LT(takeover, 4500ms) << "takeover after " << std::chrono::duration_cast<std::chrono::milliseconds>(takeover).count() << "ms";
  std::cout << "the lease was taken over " << std::chrono::duration_cast<std::chrono::milliseconds>(takeover).count()
            << " ms after SIGKILL of its holder\n";
  ASSERT_TRUE(wait_ticks(*b, 1, 3s)) << b->current_err();
  ASSERT_TRUE(wait_ticks(*b, 3, 10s));

  // A graceful stop gives the lease up: a third replica takes over at its next try, without waiting for expiry.
  auto c = replica(lease, "replica-c");
  std::this_thread::sleep_for(2s);
  EXPECT_TRUE(ticks(*c).empty()) << c->current_out();
  b->signal(SIGTERM);
  auto stopped = std::chrono::steady_clock::now();
  auto b_exit = b->wait(15s);
  EXPECT_EQ(b_exit.exit_code, 0) << b_exit.err;
  EXPECT_NE(b_exit.err.find("gave the Lease default/" + lease + " up"), std::string::npos) << b_exit.err;
  ASSERT_TRUE(wait_ticks(*c, 1, 15s)) << c->current_err();
  auto handover = std::chrono::steady_clock::now() - stopped;
  // Expiry would take the lease duration (3 s) and the next whole second: release takes c's next try and that second.
  EXPECT_LT(handover, 2500ms) << "a released lease was taken over only after "
                              << std::chrono::duration_cast<std::chrono::milliseconds>(handover).count() << "ms";
  std::cout << "a released lease was taken over " << std::chrono::duration_cast<std::chrono::milliseconds>(handover).count()
            << " ms after SIGTERM of its holder (first tick included)\n";
  ASSERT_TRUE(wait_ticks(*c, 2, 5s));
  stop(*c);

  // Every tick fired on exactly one replica, and the ticks run on with no gap beyond a failover.
  std::vector<std::string> all;
  for (const auto* p : {a.get(), b.get(), c.get()}) {
    for (auto& t : ticks(*p)) all.push_back(t);
  }
  std::set<std::string> unique_ticks(all.begin(), all.end());
  EXPECT_EQ(unique_ticks.size(), all.size()) << "a tick fired on two replicas";
  std::vector<std::chrono::sys_seconds> times;
  for (const auto& t : unique_ticks) times.push_back(tick_time(t));
  for (size_t i = 1; i < times.size(); ++i) {
    EXPECT_LE((times[i] - times[i - 1]).count(), 6) << "no replica ran the ping between "
                                                    << *std::next(unique_ticks.begin(), i - 1) << " and "
                                                    << *std::next(unique_ticks.begin(), i);
  }
}

// In a pod: a service account with no rights is refused until it is bound the Role of manifests/rbac.yaml (get,
// create and update on leases in the Lease's namespace); then it leads and runs the ping.
TEST_F(ElectionE2E, TheDocumentedRoleIsAllTheElectorNeeds) {
  const std::string ns = unique("e2e-election-rbac");
  create_namespace(ns);
  std::string url = env("KUBE_API_URL");
  std::string port = url.substr(url.rfind(':') + 1);
  std::string token_file = dir_.write(unique("sa-token"), env("KUBE_LIMITED_TOKEN") + "\n");
  auto p = worker("[election]\nplugin = \"kube-lease\"\nnamespace = \"" + ns + "\"\ntoken_file = \"" + token_file +
                      "\"\nca_file = \"" + env("KUBE_CA") +
                      "\"\nlease_duration = \"3s\"\nrenew_deadline = \"2s\"\nretry_period = \"500ms\"\n\n"
                      "[[sources]]\nname = \"tick\"\nplugin = \"ping\"\nschedule = \"* * * * * *\"\n"
                      "sink = { plugin = \"log\", format = \"json\" }\n",
                  {"KUBERNETES_SERVICE_HOST=127.0.0.1", "KUBERNETES_SERVICE_PORT=" + port});
  const std::string refused = "forbidden (HTTP 403): the elector needs get, create and update on leases "
                              "(coordination.k8s.io) in namespace " + ns;
  auto deadline = std::chrono::steady_clock::now() + 30s;
  while (p->current_err().find(refused) == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_NE(p->current_err().find(refused), std::string::npos) << p->current_err();
  std::this_thread::sleep_for(1500ms);
  EXPECT_TRUE(ticks(*p).empty()) << "a replica that cannot hold the lease ran the ping";

  const std::string rbac = "/apis/rbac.authorization.k8s.io/v1/namespaces/" + ns;
  ASSERT_EQ(kube("POST", rbac + "/roles",
                 R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"eventhost-leader-election"},)"
                 R"("rules":[{"apiGroups":["coordination.k8s.io"],"resources":["leases"],"verbs":["get","create","update"]}]})")
                .status,
            201);
  ASSERT_EQ(kube("POST", rbac + "/rolebindings",
                 R"({"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"eventhost-leader-election"},)"
                 R"("roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"eventhost-leader-election"},)"
                 R"("subjects":[{"kind":"User","apiGroup":"rbac.authorization.k8s.io","name":"eventhost-limited"}]})")
                .status,
            201);
  ASSERT_TRUE(wait_ticks(*p, 2, 30s)) << p->current_err();
  p->signal(SIGTERM);
  auto r = p->wait(15s);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("gave the Lease " + ns + "/eventhost-singletons up"), std::string::npos) << r.err;
}

struct KcatRecord {
  std::map<std::string, std::string> headers;
  std::string payload;
};

class KafkaFanoutE2E : public KubeE2E {
 protected:
  void SetUp() override {
    const char* bootstrap = std::getenv("EVENTHOST_KAFKA_BOOTSTRAP");
    if (bootstrap == nullptr || *bootstrap == '\0') {
      GTEST_SKIP() << "EVENTHOST_KAFKA_BOOTSTRAP is not set: start a broker with "
                      "`ADDR=$(tests/kafka/kafka.sh start)` and export EVENTHOST_KAFKA_BOOTSTRAP=$ADDR";
    }
    bootstrap_ = bootstrap;
    kcat_ = which("kcat");
    ASSERT_FALSE(kcat_.empty()) << "kcat is not on PATH (apt-get install -y kcat)";
    configs_ = env_path("EVENTHOST_CONFIGS");
    ASSERT_FALSE(configs_.empty()) << "EVENTHOST_CONFIGS is not set";
    exe_ = env_path("EVENTHOST_EXE");
    ASSERT_FALSE(exe_.empty()) << "EVENTHOST_EXE is not set";
    curl_ = which("curl");
  }

  // Every record of the topic, read from the beginning until `count` are there or `timeout` passed.
  std::vector<KcatRecord> consume(const std::string& topic, size_t count, std::chrono::seconds timeout = 60s) {
    std::vector<KcatRecord> out;
    std::string err;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (out.size() < count && std::chrono::steady_clock::now() < deadline) {
      auto r = run({kcat_, "-b", bootstrap_, "-C", "-t", topic, "-o", "beginning", "-e", "-J", "-q"}, 30s);
      err = r.err;
      out.clear();
      for (const auto& line : json_lines(r.out)) {
        rapidjson::Document d;
        d.Parse(line.c_str());
        if (d.HasParseError() || !d.IsObject()) continue;
        KcatRecord rec;
        if (d.HasMember("payload") && d["payload"].IsString()) rec.payload = d["payload"].GetString();
        if (d.HasMember("headers") && d["headers"].IsArray()) {
          const auto& h = d["headers"].GetArray();
          for (rapidjson::SizeType i = 0; i + 1 < h.Size(); i += 2) {
            rec.headers[h[i].GetString()] = h[i + 1].IsString() ? h[i + 1].GetString() : "";
          }
        }
        out.push_back(std::move(rec));
      }
      if (out.size() < count) std::this_thread::sleep_for(500ms);
    }
    EXPECT_GE(out.size(), count) << "topic " << topic << ": kcat stderr: " << err;
    return out;
  }

  std::string bootstrap_;
  std::string kcat_;
  std::string configs_;
};

TEST_F(KafkaFanoutE2E, ApiServerEventsLandInOneTopicPerNamespace) {
  if (!cluster().available) GTEST_SKIP() << cluster().why_not;
  const std::string base = unique("fan");
  const std::vector<std::string> namespaces = {base + "-a", base + "-b", base + "-c"};
  for (const auto& ns : namespaces) create_namespace(ns);
  auto p = std::make_unique<Process>(std::vector<std::string>{exe_, "run", configs_ + "/k8s-events-fanout.toml"},
                                     dir_.path().string(),
                                     std::vector<std::string>{"EVENTHOST_KUBECONFIG=" + env("KUBECONFIG"),
                                                              "KAFKA_BOOTSTRAP=" + bootstrap_});
  for (size_t i = 0; i < namespaces.size(); ++i) {
    for (size_t n = 0; n <= i; ++n) create_event(namespaces[i], "ev-" + std::to_string(n), "Reason" + std::to_string(n));
  }
  std::map<std::string, std::vector<KcatRecord>> topics;
  for (size_t i = 0; i < namespaces.size(); ++i) topics[namespaces[i]] = consume(namespaces[i], i + 1);
  // Changed after it was reported: an update record follows in the same topic.
  ASSERT_EQ(kube("PATCH", "/api/v1/namespaces/" + namespaces[2] + "/events/ev-0", R"({"message":"changed"})").status, 200);
  topics[namespaces[2]] = consume(namespaces[2], 4);
  stop(*p);

  for (size_t i = 0; i < namespaces.size(); ++i) {
    const auto& records = topics[namespaces[i]];
    ASSERT_EQ(records.size(), i + 1 + (i == 2 ? 1u : 0u)) << namespaces[i];
    for (const auto& rec : records) {
      rapidjson::Document d;
      d.Parse(rec.payload.c_str());
      ASSERT_TRUE(d.IsObject()) << rec.payload;
      EXPECT_STREQ(d["kind"].GetString(), "Event");
      EXPECT_EQ(std::string(d["metadata"]["namespace"].GetString()), namespaces[i]) << "each namespace in its own topic";
      EXPECT_EQ(rec.headers.at("ce_source"), env("KUBE_API_URL"));
      EXPECT_EQ(rec.headers.at("ce_namespace"), namespaces[i]);
      EXPECT_EQ(rec.headers.at("content-type"), "application/json");
    }
    EXPECT_EQ(records[0].headers.at("ce_type"), "dev.knative.apiserver.resource.add");
  }
  EXPECT_EQ(topics[namespaces[2]].back().headers.at("ce_type"), "dev.knative.apiserver.resource.update");
}

TEST_F(KafkaFanoutE2E, EventrouterRecordsLandInOneTopicPerNamespace) {
  const std::string base = unique("router");
  const std::vector<std::string> namespaces = {base + "-a", base + "-b", base + "-c"};
  std::vector<std::string> records;
  for (size_t i = 0; i < namespaces.size(); ++i) {
    for (size_t n = 0; n <= i; ++n) {
      records.push_back(R"({"verb":"ADDED","event":{"metadata":{"name":"ev-)" + std::to_string(n) +
                        R"(","namespace":")" + namespaces[i] + R"("},"involvedObject":{"kind":"Pod","namespace":")" +
                        namespaces[i] + R"("},"reason":"Started"}})");
    }
  }
  const std::string unrouted = R"({"verb":"ADDED","event":{"metadata":{"name":")" + base + R"(-node"}}})";
  records.push_back(unrouted);
  std::string input;
  for (const auto& r : records) input += r + "\n";
  auto produced = run({kcat_, "-b", bootstrap_, "-P", "-t", "cluster-events", "-l", dir_.write("records", input)}, 30s);
  ASSERT_EQ(produced.exit_code, 0) << produced.err;

  auto p = std::make_unique<Process>(std::vector<std::string>{exe_, "run", configs_ + "/k8s-events-eventrouter.toml"},
                                     dir_.path().string(), std::vector<std::string>{"KAFKA_BOOTSTRAP=" + bootstrap_});
  std::map<std::string, std::vector<KcatRecord>> topics;
  for (size_t i = 0; i < namespaces.size(); ++i) topics[namespaces[i]] = consume(namespaces[i], i + 1);
  auto deadline = std::chrono::steady_clock::now() + 60s;
  bool unrouted_seen = false;
  while (!unrouted_seen && std::chrono::steady_clock::now() < deadline) {
    for (const auto& rec : consume("cluster-events-unrouted", 1, 5s)) unrouted_seen |= rec.payload == unrouted;
  }
  stop(*p);

  size_t next = 0;
  for (size_t i = 0; i < namespaces.size(); ++i) {
    const auto& got = topics[namespaces[i]];
    ASSERT_EQ(got.size(), i + 1) << namespaces[i];
    for (size_t n = 0; n <= i; ++n) {
      EXPECT_EQ(got[n].payload, records[next++]) << "the record value is kept as eventrouter wrote it";
    }
  }
  EXPECT_TRUE(unrouted_seen) << "an event without a namespace goes to cluster-events-unrouted";
}

}  // namespace

// The elector's loop against a small fake API server holding one Lease with resourceVersions: it creates the lease
// and leads, re-reads at once after a 409, lets go within the renew deadline when renewals fail, takes an expired
// lease over, and clears holderIdentity on stop.
#include "lease_engine.hpp"

#include "fake_api_server.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <condition_variable>
#include <thread>
#include <utility>

namespace eventhost::kubelease {
namespace {

using namespace std::chrono_literals;
using testing::ApiConnection;
using testing::ApiRequest;
using testing::FakeApiServer;
using testing::TempDir;

constexpr const char* kLeasePath = "/apis/coordination.k8s.io/v1/namespaces/ns/leases";

// What the elector reports to the host: leadership changes (in order) and log lines.
class Recorder {
 public:
  Recorder() {
    api_.struct_size = sizeof api_;
    api_.log = [](eh_host* h, eh_log_level, eh_str m) { self(h).add_log(std::string(m.ptr, m.len)); };
    api_.leadership_set = [](eh_host* h, int leading) { self(h).add_leading(leading != 0); };
  }
  Host host() { return Host(&api_, reinterpret_cast<eh_host*>(this)); }

  bool wait_leading(bool leading, std::chrono::milliseconds timeout = 10s) {
    std::unique_lock lock(mutex_);
    return cv_.wait_for(lock, timeout, [&] { return !reports_.empty() && reports_.back() == leading; });
  }
  std::vector<bool> reports() {
    std::lock_guard lock(mutex_);
    return reports_;
  }
  std::string logs() {
    std::lock_guard lock(mutex_);
    return logs_;
  }

 private:
  static Recorder& self(eh_host* h) { return *reinterpret_cast<Recorder*>(h); }
  void add_log(std::string line) {
    std::lock_guard lock(mutex_);
    logs_ += line + "\n";
  }
  void add_leading(bool leading) {
    std::lock_guard lock(mutex_);
    reports_.push_back(leading);
    cv_.notify_all();
  }

  eh_host_api api_{};
  std::mutex mutex_;
  std::condition_variable cv_;
  std::vector<bool> reports_;
  std::string logs_;
};

// One Lease "l" in namespace "ns", kept the way the API server keeps it: every write needs the current
// resourceVersion.
class LeaseStore {
 public:
  void handle(const ApiRequest& r, ApiConnection& c) {
    std::lock_guard lock(mutex_);
    if (r.method == "GET" && r.path == std::string(kLeasePath) + "/l") {
      return lease_.empty() ? c.respond(404, R"({"kind":"Status","code":404,"message":"not found"})")
                            : c.respond(200, lease_);
    }
    if (fail_writes_) return c.respond(500, R"({"kind":"Status","code":500,"message":"etcd is away"})");
    if (r.method == "POST" && r.path == kLeasePath) {
      if (!lease_.empty()) return c.respond(409, R"({"kind":"Status","code":409,"message":"already exists"})");
      return c.respond(201, store(r.body));
    }
    if (r.method == "PUT" && r.path == std::string(kLeasePath) + "/l") {
      if (!interpose_.empty()) write_holder(std::exchange(interpose_, ""), 1);
      rapidjson::Document d;
      d.Parse(r.body.c_str());
      std::string sent_version = d["metadata"]["resourceVersion"].GetString();
      if (sent_version != std::to_string(version_)) {
        ++conflicts_;
        return c.respond(409, R"({"kind":"Status","code":409,"message":"the object has been modified"})");
      }
      return c.respond(200, store(r.body));
    }
    c.respond(400, R"({"kind":"Status","code":400,"message":"unexpected request"})");
  }

  // Someone else writes the lease (a newer resourceVersion), e.g. another replica.
  void put_holder(const std::string& holder, int duration_seconds) {
    std::lock_guard lock(mutex_);
    write_holder(holder, duration_seconds);
  }
  // `holder` writes the lease (for 1 s) just before the next PUT arrives: that PUT carries a stale resourceVersion.
  void interpose_before_next_put(const std::string& holder) {
    std::lock_guard lock(mutex_);
    interpose_ = holder;
  }
  std::string holder() {
    std::lock_guard lock(mutex_);
    return lease_.empty() ? "" : parse_lease_record(lease_)->holder;
  }
  void fail_writes(bool fail) {
    std::lock_guard lock(mutex_);
    fail_writes_ = fail;
  }
  int conflicts() {
    std::lock_guard lock(mutex_);
    return conflicts_;
  }

 private:
  void write_holder(const std::string& holder, int duration_seconds) {
    LeaseRecord r{holder, duration_seconds, "a", "r" + std::to_string(version_), 0};
    store(lease_with(lease_, "l", "ns", r));
  }

  std::string store(const std::string& body) {
    rapidjson::Document d;
    d.Parse(body.c_str());
    auto& meta = d["metadata"];
    meta.RemoveMember("resourceVersion");
    meta.AddMember("resourceVersion", rapidjson::Value(std::to_string(++version_).c_str(), d.GetAllocator()),
                   d.GetAllocator());
    rapidjson::StringBuffer out;
    rapidjson::Writer<rapidjson::StringBuffer> w(out);
    d.Accept(w);
    lease_ = out.GetString();
    return lease_;
  }

  std::mutex mutex_;
  std::string lease_;
  int version_ = 0;
  int conflicts_ = 0;
  bool fail_writes_ = false;
  std::string interpose_;
};

class LeaseEngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<FakeApiServer>(dir_.path().string(),
                                              [this](const ApiRequest& r, ApiConnection& c) { store_.handle(r, c); });
    dir_.write("kubeconfig", "clusters:\n- name: fake\n  cluster:\n    server: " + server_->url() +
                                 "\n    certificate-authority: " + server_->ca_file() +
                                 "\ncontexts:\n- name: fake\n  context: {cluster: fake, user: me}\n"
                                 "current-context: fake\nusers:\n- name: me\n  user: {token: secret}\n");
  }

  std::unique_ptr<LeaseEngine> start(const std::string& identity = "me_1") {
    LeaseSettings s;
    s.lease = "l";
    s.ns = "ns";
    s.identity = identity;
    s.timing = LeaseTiming{1000ms, 600ms, 100ms};
    s.credentials.kubeconfig = dir_.file("kubeconfig");
    auto engine = LeaseEngine::start(recorder_.host(), s);
    EXPECT_TRUE(engine) << engine.status().message();
    return engine ? std::move(engine).value() : nullptr;
  }

  TempDir dir_;
  LeaseStore store_;
  Recorder recorder_;
  std::unique_ptr<FakeApiServer> server_;
};

TEST_F(LeaseEngineTest, CreatesTheLeaseLeadsAndReleasesItOnStop) {
  auto engine = start();
  ASSERT_TRUE(recorder_.wait_leading(true)) << recorder_.logs();
  EXPECT_EQ(store_.holder(), "me_1");
  std::this_thread::sleep_for(1500ms);  // renewals keep it past the lease duration
  EXPECT_EQ(recorder_.reports(), std::vector<bool>{true}) << recorder_.logs();
  engine->stop();
  EXPECT_EQ(recorder_.reports(), (std::vector<bool>{true, false})) << "stop reports the loss before it returns";
  engine.reset();  // waits for the release
  EXPECT_EQ(store_.holder(), "");
  EXPECT_NE(recorder_.logs().find("gave the Lease ns/l up"), std::string::npos) << recorder_.logs();
}

TEST_F(LeaseEngineTest, AFollowerTakesOverOnlyAfterTheLeaseWentUnrenewedForItsDuration) {
  store_.put_holder("other_1", 1);
  auto engine = start();
  auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(recorder_.wait_leading(true)) << recorder_.logs();
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_GE(waited, 1000ms);
  EXPECT_LT(waited, 2000ms);
  EXPECT_EQ(store_.holder(), "me_1");
}

TEST_F(LeaseEngineTest, AConflictIsReadAgainAndTheNewHolderRespected) {
  auto engine = start();
  ASSERT_TRUE(recorder_.wait_leading(true)) << recorder_.logs();
  store_.interpose_before_next_put("other_1");
  ASSERT_TRUE(recorder_.wait_leading(false, 2s)) << recorder_.logs();
  EXPECT_EQ(store_.conflicts(), 1);
  EXPECT_EQ(store_.holder(), "other_1") << "a 409 is never overwritten";
  // other_1 never renews: after its 1 s the elector takes the lease back.
  ASSERT_TRUE(recorder_.wait_leading(true, 3s)) << recorder_.logs();
  EXPECT_EQ(store_.holder(), "me_1");
}

TEST_F(LeaseEngineTest, TheLeaderLetsGoWithinTheRenewDeadlineWhenRenewalsFail) {
  auto engine = start();
  ASSERT_TRUE(recorder_.wait_leading(true)) << recorder_.logs();
  store_.fail_writes(true);
  auto failing = std::chrono::steady_clock::now();
  ASSERT_TRUE(recorder_.wait_leading(false, 2s)) << recorder_.logs();
  // The renew deadline (600 ms) from the last accepted renewal, before the lease (1 s) may be taken over.
  EXPECT_LT(std::chrono::steady_clock::now() - failing, 1000ms);
  EXPECT_NE(recorder_.logs().find("HTTP 500: etcd is away"), std::string::npos) << recorder_.logs();
  store_.fail_writes(false);
  ASSERT_TRUE(recorder_.wait_leading(true, 2s)) << "the lease is still ours: renewing it leads again";
}

}  // namespace
}  // namespace eventhost::kubelease

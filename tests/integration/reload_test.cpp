// Config reload through the real binary: a ConfigMap-like directory whose `..data` symlink is swapped the way the
// kubelet does it, and SIGHUP for a file the watcher does not see change. Unchanged pipelines keep running (their
// sinks are not destroyed, their counters go on), an invalid config is refused and named in /readyz while the old
// one keeps delivering, and fixing it applies it.
#include "worker_fixture.hpp"

#include <filesystem>
#include <regex>

namespace eventhost::testing {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

class Reload : public WorkerTest {
 protected:
  // kubelet's layout: pipelines.toml -> ..data/pipelines.toml, ..data -> ..<timestamp>.
  std::string config_map(const std::string& content) {
    fs::create_directory(dir_.path() / "cm");
    swap_data(content);
    fs::create_symlink("..data/pipelines.toml", dir_.path() / "cm" / "pipelines.toml");
    return dir_.file("cm");
  }
  // A new timestamped directory, a new symlink renamed over ..data (atomic), the old directory removed.
  void swap_data(const std::string& content) {
    fs::path cm = dir_.path() / "cm";
    std::string stamp = "..2026_11_23_06_00_00." + std::to_string(++version_);
    fs::create_directory(cm / stamp);
    std::ofstream(cm / stamp / "pipelines.toml") << content;
    fs::create_directory_symlink(stamp, cm / "..data_tmp");
    fs::rename(cm / "..data_tmp", cm / "..data");
    if (version_ > 1) fs::remove_all(cm / ("..2026_11_23_06_00_00." + std::to_string(version_ - 1)));
  }

  std::string trigger(const std::string& name, const std::string& record_file) {
    return "[[triggers]]\nname = '" + name + "'\nbroker = 'default'\nsubscriber = { plugin = 'scripted', record = '" +
           dir_.file(record_file) + "' }\n";
  }
  // A ping every second into the in-memory broker, and the broker's ingress.
  static std::string base() {
    return "[host]\nshutdown_grace = '5s'\n[brokers.default]\n"
           "[[sources]]\nname = 'heartbeat'\nplugin = 'ping'\nschedule = '* * * * * *'\nsink.broker = 'default'\n";
  }

  std::string address(Process& worker) {
    for (int i = 0; i < 500; ++i) {
      std::string err = worker.current_err();
      if (auto at = err.find("http: listening on "); at != std::string::npos) {
        return err.substr(at + 19, err.find('\n', at) - at - 19);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return {};
  }
  static ProcessResult curl(const std::vector<std::string>& args) {
    std::vector<std::string> argv{"/usr/bin/curl", "-sS", "-w", "%{http_code}\n"};
    argv.insert(argv.end(), args.begin(), args.end());
    return run(argv, seconds(10));
  }
  static int64_t metric(const std::string& page, const std::string& series) {
    auto at = page.find("\n" + series + " ");
    return at == std::string::npos ? -1 : std::stoll(page.substr(at + series.size() + 2));
  }
  static bool wait_for_err(Process& worker, const std::string& text, size_t times = 1) {
    for (auto deadline = std::chrono::steady_clock::now() + seconds(10); std::chrono::steady_clock::now() < deadline;) {
      if (occurrences(worker.current_err(), text) >= times) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  int version_ = 0;
};

TEST_F(Reload, ConfigMapSwapAddsRefusesAndFixesWithoutStoppingUnchangedPipelines) {
  auto worker = start(config_map(base() + trigger("first", "first.jsonl")));
  std::string addr = address(*worker);
  ASSERT_FALSE(addr.empty()) << worker->current_err();
  ASSERT_TRUE(wait_for_lines(dir_.file("first.jsonl"), 2, seconds(5))) << worker->current_err();

  // (a) a trigger is added: its events start arriving; the ping source and the first trigger run on untouched.
  swap_data(base() + trigger("first", "first.jsonl") + trigger("second", "second.jsonl"));
  ASSERT_TRUE(wait_for_err(*worker, "config reload: generation 2: starting 1 pipeline(s), stopping 0, 3 unchanged"))
      << worker->current_err();
  ASSERT_TRUE(wait_for_lines(dir_.file("second.jsonl"), 2, seconds(5))) << worker->current_err();
  EXPECT_FALSE(fs::exists(dir_.file("first.jsonl.summary"))) << "the unchanged trigger's sink was destroyed";
  std::string metrics = curl({"http://" + addr + "/metrics"}).out;
  size_t delivered_first = line_count(dir_.file("first.jsonl"));
  // One ping, one delivery to `first`, since the start: had the source been restarted, its count would be behind.
  EXPECT_GE(metric(metrics, "eventhost_pipeline_received_total{pipeline=\"source/default/heartbeat\"}") + 1,
            static_cast<int64_t>(delivered_first)) << metrics;
  EXPECT_EQ(metric(metrics, "eventhost_config_generation"), 2) << metrics;
  EXPECT_EQ(metric(metrics, "eventhost_config_reloads_total{result=\"applied\"}"), 1) << metrics;

  // (b) an invalid config: refused with its place and reason, in the log and in /readyz, which stays 200 while the
  // old pipelines keep delivering.
  swap_data(base() + trigger("first", "first.jsonl") + trigger("second", "second.jsonl") +
            "[[triggers]]\nname = 'third'\nbroker = 'default'\nsubscriber = { plugin = 'scripted', recrd = 'x' }\n");
  ASSERT_TRUE(wait_for_err(*worker, "config reload refused, still running generation 2")) << worker->current_err();
  std::string where = dir_.file("cm") + "/pipelines.toml:";
  auto readyz = curl({"http://" + addr + "/readyz"}).out;
  // Every diagnostic on its own line, each starting with FILE:LINE:COL; 200: the replica still serves generation 2.
  EXPECT_TRUE(readyz.starts_with("ready\nconfig: reload refused, running generation 2:\n  " + where)) << readyz;
  std::regex unknown_key(std::regex_replace(where, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") +
                         R"(\d+:\d+: triggers\[2\]\.subscriber\.recrd: unknown key \(did you mean 'record'\?\)\n)");
  EXPECT_TRUE(std::regex_search(readyz, unknown_key)) << readyz;
  EXPECT_TRUE(readyz.ends_with("missing required key\n200\n")) << readyz;
  size_t first_then = line_count(dir_.file("first.jsonl"));
  size_t second_then = line_count(dir_.file("second.jsonl"));
  EXPECT_TRUE(wait_for_lines(dir_.file("first.jsonl"), first_then + 2, seconds(5)));
  EXPECT_TRUE(wait_for_lines(dir_.file("second.jsonl"), second_then + 2, seconds(5)));
  metrics = curl({"http://" + addr + "/metrics"}).out;
  EXPECT_EQ(metric(metrics, "eventhost_config_reloads_total{result=\"refused\"}"), 1) << metrics;
  EXPECT_EQ(metric(metrics, "eventhost_config_generation"), 2) << metrics;

  // (c) fixed, and `second` changed: applied, the reason is gone, `second` re-subscribes with its new sink after
  // the old one was drained, and the broker's ingress (unchanged) still takes events.
  swap_data(base() + trigger("first", "first.jsonl") + trigger("second", "second-b.jsonl") +
            trigger("third", "third.jsonl"));
  ASSERT_TRUE(wait_for_err(*worker, "config reload: generation 3: starting 2 pipeline(s), stopping 1, 3 unchanged"))
      << worker->current_err();
  ASSERT_TRUE(wait_for_lines(dir_.file("third.jsonl"), 1, seconds(5))) << worker->current_err();
  ASSERT_TRUE(wait_for_lines(dir_.file("second-b.jsonl"), 1, seconds(5))) << worker->current_err();
  EXPECT_TRUE(wait_for_err(*worker, "trigger/default/second: stopped"));
  EXPECT_TRUE(fs::exists(dir_.file("second.jsonl.summary"))) << "the changed trigger's old sink is destroyed";
  EXPECT_FALSE(fs::exists(dir_.file("first.jsonl.summary")));
  EXPECT_EQ(curl({"http://" + addr + "/readyz"}).out, "ready\n200\n");
  auto posted = curl({"-X", "POST", "http://" + addr + "/default/default", "-H", "ce-specversion: 1.0", "-H",
                      "ce-id: after-reload", "-H", "ce-source: /test", "-H", "ce-type: test.reload", "-d", "{}"});
  EXPECT_EQ(posted.out, "202\n") << posted.err;
  auto has_event = [&] { return read_file(dir_.file("third.jsonl")).find("\"after-reload\"") != std::string::npos; };
  for (int i = 0; i < 250 && !has_event(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(has_event());

  worker->signal(SIGTERM);
  auto r = worker->wait(seconds(20));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(occurrences(r.err, "http: listening on "), 1u) << "the worker restarted: " << r.err;
}

TEST_F(Reload, SighupReloadsAFileTheWatcherCannotSee) {
  // The config is a symlink to a file elsewhere: editing the target changes nothing the watcher looks at.
  fs::create_directory(dir_.path() / "real");
  fs::create_directory(dir_.path() / "etc");
  std::string real = dir_.file("real/worker.toml");
  std::ofstream(real) << base() + trigger("first", "first.jsonl");
  fs::create_symlink(real, dir_.path() / "etc" / "worker.toml");
  auto worker = start(dir_.file("etc/worker.toml"));
  ASSERT_TRUE(wait_for_lines(dir_.file("first.jsonl"), 1, seconds(5))) << worker->current_err();

  std::ofstream(real) << base() + trigger("first", "first.jsonl") + trigger("second", "second.jsonl");
  worker->signal(SIGHUP);
  ASSERT_TRUE(wait_for_err(*worker, "received SIGHUP, reloading the config")) << worker->current_err();
  ASSERT_TRUE(wait_for_err(*worker, "config reload: generation 2: starting 1 pipeline(s), stopping 0, 3 unchanged"))
      << worker->current_err();
  EXPECT_TRUE(wait_for_lines(dir_.file("second.jsonl"), 1, seconds(5)));

  // The same file again: nothing to do, and the worker says so.
  worker->signal(SIGHUP);
  EXPECT_TRUE(wait_for_err(*worker, "config reloaded: nothing changed (generation 2)"));

  // The broker renamed: the old ingress path is gone (404), the new one takes events.
  std::string addr = address(*worker);
  ASSERT_FALSE(addr.empty());
  std::string renamed = base() + "[brokers.other]\n" + trigger("first", "first.jsonl");
  renamed.replace(renamed.find("[brokers.default]\n"), 18, "");
  renamed.replace(renamed.find("sink.broker = 'default'"), 23, "sink.broker = 'other'");
  renamed.replace(renamed.find("broker = 'default'"), 18, "broker = 'other'");
  std::ofstream(real) << renamed;
  worker->signal(SIGHUP);
  ASSERT_TRUE(wait_for_err(*worker, "config reload: generation 3: starting 3 pipeline(s), stopping 4, 0 unchanged"))
      << worker->current_err();
  auto post = [&](const std::string& path) {
    return curl({"-X", "POST", "http://" + addr + path, "-H", "ce-specversion: 1.0", "-H", "ce-id: 1", "-H",
                 "ce-source: /test", "-H", "ce-type: test.reload", "-d", "{}", "-o", "/dev/null"}).out;
  };
  EXPECT_EQ(post("/default/default"), "404\n");
  EXPECT_EQ(post("/default/other"), "202\n");

  // [host] settings that cannot change live are refused by name.
  std::ofstream(real) << "[host]\nthreads = 3\n" + base().substr(7) + trigger("first", "first.jsonl");
  worker->signal(SIGHUP);
  EXPECT_TRUE(wait_for_err(*worker, "host.threads: 0 -> 3: cannot change while running; restart the worker"))
      << worker->current_err();
  worker->signal(SIGTERM);
  EXPECT_EQ(worker->wait(seconds(20)).exit_code, 0);
}

// A pipeline that passes validation but cannot start (its HTTP path is the broker's) is reported, the rest of the
// reload stays in effect, and every later reload tries it again until it is fixed.
TEST_F(Reload, APipelineThatCannotStartIsReportedAndTriedAgain) {
  std::string head = "[host]\nshutdown_grace = '5s'\n[brokers.default]\n" + trigger("first", "first.jsonl");
  auto raw = [&](const std::string& path) {
    return "[[pipelines]]\nname = 'raw'\nsource = { plugin = 'http', path = '" + path +
           "' }\nsink = { plugin = 'scripted', record = '" + dir_.file("raw.jsonl") + "' }\n";
  };
  fs::create_directory(dir_.path() / "real");
  std::string real = dir_.file("real/worker.toml");
  std::ofstream(real) << head;
  fs::create_symlink(real, dir_.path() / "worker.toml");  // edits of the target are invisible to the watcher
  auto worker = start(dir_.file("worker.toml"));
  std::string addr = address(*worker);
  ASSERT_FALSE(addr.empty()) << worker->current_err();
  ASSERT_TRUE(wait_for_err(*worker, "eventhost running")) << worker->current_err();

  std::ofstream(real) << head + raw("/default/default");
  worker->signal(SIGHUP);
  std::string taken = "pipeline/raw: source failed to start: HTTP path /default/default is already served by "
                      "ingress/broker/default/default";
  ASSERT_TRUE(wait_for_err(*worker, taken)) << worker->current_err();
  auto readyz = curl({"http://" + addr + "/readyz"}).out;
  EXPECT_EQ(readyz, "ready\nconfig: generation 2 applied, but: " + taken + "\n200\n");
  worker->signal(SIGHUP);  // the same config again: the pipeline that did not start is tried again
  ASSERT_TRUE(wait_for_err(*worker, taken, 2)) << worker->current_err();
  auto metrics = curl({"http://" + addr + "/metrics"}).out;
  EXPECT_EQ(metric(metrics, "eventhost_config_reloads_total{result=\"failed\"}"), 2) << metrics;

  std::ofstream(real) << head + raw("/raw");
  worker->signal(SIGHUP);
  ASSERT_TRUE(wait_for_err(*worker, "config reload: generation 4: starting 1 pipeline(s), stopping 0, 2 unchanged"))
      << worker->current_err();
  EXPECT_EQ(curl({"http://" + addr + "/readyz"}).out, "ready\n200\n");
  auto posted = curl({"-X", "POST", "http://" + addr + "/raw", "-H", "ce-specversion: 1.0", "-H", "ce-id: r1", "-H",
                      "ce-source: /test", "-H", "ce-type: test.reload", "-d", "{}", "-o", "/dev/null"});
  EXPECT_EQ(posted.out, "202\n") << posted.err;
  worker->signal(SIGTERM);
  EXPECT_EQ(worker->wait(seconds(20)).exit_code, 0);
}

// With an elector, a singleton source added by a reload runs only once this replica leads, and one removed by a
// reload stops through the gate.
TEST_F(Reload, SingletonsAddedOrRemovedByAReloadGoThroughTheElection) {
  std::string leader = dir_.write("leader", "follow");
  auto config = [&](const std::vector<std::string>& names) {
    std::string c = "[host]\nshutdown_grace = '5s'\n[election]\nplugin = 'file-elector'\npath = '" + leader + "'\n";
    for (const auto& n : names) {
      c += "[[sources]]\nname = '" + n + "'\nplugin = 'ping'\nschedule = '* * * * * *'\nsink = { plugin = 'scripted', "
           "record = '" + dir_.file(n + ".jsonl") + "' }\n";
    }
    return c;
  };
  std::string path = dir_.write("c.toml", config({"a"}));
  auto worker = start(path);
  ASSERT_TRUE(wait_for_err(*worker, "eventhost running 1 pipeline(s)")) << worker->current_err();

  dir_.write("c.toml", config({"a", "b"}));  // the watcher sees the file written
  ASSERT_TRUE(wait_for_err(*worker, "config reload: generation 2: starting 1 pipeline(s), stopping 0, 1 unchanged"))
      << worker->current_err();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(line_count(dir_.file("b.jsonl")), 0u) << "a follower ran the added singleton";

  dir_.write("leader", "lead");
  ASSERT_TRUE(wait_for_err(*worker, "this replica leads: started 2 singleton source(s)")) << worker->current_err();
  ASSERT_TRUE(wait_for_lines(dir_.file("b.jsonl"), 1, seconds(5))) << worker->current_err();

  dir_.write("c.toml", config({"a"}));
  ASSERT_TRUE(wait_for_err(*worker, "source/default/b: stopped")) << worker->current_err();
  size_t b_when_removed = line_count(dir_.file("b.jsonl"));
  size_t a_when_removed = line_count(dir_.file("a.jsonl"));
  EXPECT_TRUE(wait_for_lines(dir_.file("a.jsonl"), a_when_removed + 2, seconds(5)));
  EXPECT_EQ(line_count(dir_.file("b.jsonl")), b_when_removed) << "the removed singleton ran on";

  worker->signal(SIGTERM);
  EXPECT_EQ(worker->wait(seconds(20)).exit_code, 0);
}

}  // namespace
}  // namespace eventhost::testing

// The [election] gate through the real binary, with a test elector that leads while a file says so: singleton
// sources run only while leading, stop when leadership is lost and start again when it returns; on SIGTERM they
// stop before the elector resigns; a singleton that cannot start stops the worker.
#include "worker_fixture.hpp"

#include <csignal>

namespace eventhost::testing {
namespace {

using namespace std::chrono_literals;

class Election : public WorkerTest {
 protected:
  std::string config(const std::string& sources) {
    return "[host]\nshutdown_grace = '5s'\n\n[election]\nplugin = 'file-elector'\npath = '" + dir_.file("leader") +
           "'\n\n" + sources;
  }
  std::string ping() {
    return "[[sources]]\nname = 'tick'\nplugin = 'ping'\nschedule = '* * * * * *'\nsink = { plugin = 'scripted', "
           "record = '" + ticks() + "' }\n";
  }
  std::string ticks() { return dir_.file("ticks.jsonl"); }
  void lead(bool yes) { dir_.write("leader", yes ? "lead" : "follow"); }

  static bool wait_for_err(const Process& p, const std::string& text, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (p.current_err().find(text) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(20ms);
    }
    return true;
  }
};

TEST_F(Election, SingletonSourcesRunOnlyWhileThisReplicaLeads) {
  lead(false);
  auto worker = start(dir_.write("c.toml", config(ping())));
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(line_count(ticks()), 0u) << "a follower ran the ping";

  lead(true);
  ASSERT_TRUE(wait_for_lines(ticks(), 2, 5s)) << worker->current_err();
  EXPECT_NE(worker->current_err().find("this replica leads: started 1 singleton source(s)"), std::string::npos);

  lead(false);
  ASSERT_TRUE(wait_for_err(*worker, "this replica does not lead: stopped 1 singleton source(s)", 5s))
      << worker->current_err();
  std::this_thread::sleep_for(300ms);  // a tick emitted just before the stop is still delivered
  size_t ticks_when_stopped = line_count(ticks());
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(line_count(ticks()), ticks_when_stopped) << "the ping ran on after leadership was lost";

  lead(true);
  ASSERT_TRUE(wait_for_lines(ticks(), ticks_when_stopped + 2, 5s)) << worker->current_err();

  worker->signal(SIGTERM);
  auto r = worker->wait(20s);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  auto stopped = r.err.rfind("this replica does not lead: stopped 1 singleton source(s)");
  auto resigned = r.err.find("file-elector: resigned");
  ASSERT_NE(resigned, std::string::npos) << r.err;
  EXPECT_LT(stopped, resigned) << "the leadership was given up while a singleton still ran:\n" << r.err;
}

TEST_F(Election, ASingletonThatCannotStartAfterWinningStopsTheWorker) {
  lead(true);
  auto worker = start(dir_.write(
      "c.toml", config("[[sources]]\nname = 'watch'\nplugin = 'apiserver'\nkubeconfig = '" + dir_.file("absent") +
                       "'\nresources = [{ apiVersion = 'v1', kind = 'Event' }]\nsink = { plugin = 'scripted', record = '" +
                       ticks() + "' }\n")));
  auto r = worker->wait(20s);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("source failed to start: kubeconfig '" + dir_.file("absent") + "' cannot be read"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("file-elector: resigned"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace eventhost::testing

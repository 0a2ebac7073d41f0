// The runtime through the real binary: completions reach sources, a slow sink slows its source instead of memory
// growing, retries and dead letters lose nothing, a throwing plugin does not take the worker down, SIGTERM drains.
#include "worker_fixture.hpp"

#include <csignal>

namespace eventhost::testing {
namespace {

using std::chrono::seconds;

class Runtime : public WorkerTest {
 protected:
  // A burst source into a scripted sink; `extra` goes into the [[pipelines]] table.
  std::string pipeline(int count, const std::string& sink_keys, const std::string& extra = "") {
    return "[host]\nshutdown_grace = '10s'\n[[pipelines]]\nname = 'p'\n" + extra +
           "source = { plugin = 'burst', count = " + std::to_string(count) + ", report = '" + dir_.file("report.json") +
           "' }\nsink = { plugin = 'scripted', record = '" + dir_.file("sink.jsonl") + "'" + sink_keys + " }\n";
  }
  // The worker's HTTP address, from its "http: listening on" log line.
  static std::string listening_address(Process& worker) {
    std::string err = worker.current_err();
    auto at = err.find("http: listening on ");
    if (at == std::string::npos) return {};
    return err.substr(at + 19, err.find('\n', at) - at - 19);
  }
  static std::string get(const std::string& address, const std::string& path) {
    return run({"/usr/bin/curl", "-sS", "-w", "%{http_code}\n", "http://" + address + path}, seconds(10)).out;
  }
  ProcessResult stop(std::unique_ptr<Process>& worker) {
    worker->signal(SIGTERM);
    return worker->wait(seconds(20));
  }
  // The burst source's report: all `count` events finished OK, none while emit had not returned, none off the pool.
  void expect_completed_on_the_workers(int count) {
    auto report = read_file(dir_.file("report.json"));
    const std::string n = std::to_string(count);
    EXPECT_NE(report.find("\"completed\":" + n + ",\"completed_inside_emit\":0,\"completed_off_pool\":0"),
              std::string::npos) << report;
    EXPECT_NE(report.find("\"status_ok\":" + n), std::string::npos) << report;
  }
  // Runs `config` until the sink recorded `lines` deliveries, then stops the worker with SIGTERM, which must exit 0.
  void run_until_delivered(const std::string& config, size_t lines) {
    auto worker = start(dir_.write("c.toml", config));
    ASSERT_TRUE(wait_for_lines(dir_.file("sink.jsonl"), lines, seconds(30))) << worker->current_err();
    auto r = stop(worker);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
};

TEST_F(Runtime, QuickstartPrintsPingEventsAndDrainsOnSigterm) {
  auto worker = start(env_path("EVENTHOST_CONFIGS") + "/quickstart.toml");
  ASSERT_TRUE(worker->wait_for_output("type: dev.knative.sources.ping", seconds(10))) << worker->current_err();
  auto r = stop(worker);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("☁️  cloudevents.Event\nContext Attributes,\n  specversion: 1.0\n"), std::string::npos);
  EXPECT_NE(r.out.find("source: /apis/v1/namespaces/default/pingsources/heartbeat"), std::string::npos);
  EXPECT_NE(r.err.find("received SIGTERM, draining"), std::string::npos) << r.err;
}

TEST_F(Runtime, SlowSinkSlowsTheSourceAndEveryCompletionArrives) {
  ASSERT_NO_FATAL_FAILURE(run_until_delivered(pipeline(200, ", delay_ms = 5", "max_in_flight = 4\n"), 200));
  auto report = read_file(dir_.file("report.json"));
  EXPECT_NE(report.find("\"emitted\":200,"), std::string::npos) << report;
  EXPECT_NE(report.find("\"completed\":200"), std::string::npos) << report;
  EXPECT_NE(report.find("\"status_ok\":200"), std::string::npos) << report;
  EXPECT_EQ(report.find("\"overloaded\":0,"), std::string::npos) << "the source was never slowed down: " << report;
  EXPECT_EQ(report.find("\"resumed\":0,"), std::string::npos) << "the source was never resumed: " << report;
  EXPECT_EQ(read_file(dir_.file("sink.jsonl.summary")), "{\"max_in_flight\":4}\n");
}

// dispatch = "inline": the filter and the sink run on the source's own thread, and an event the filter drops still
// completes only after emit returned.
TEST_F(Runtime, InlineDispatchRunsOnTheSourceThreadAndNeverCompletesInsideEmit) {
  auto config = pipeline(100, "", "dispatch = 'inline'\nfilters = [{ plugin = 'cesql', expression = \"id LIKE '%5'\" }]\n");
  ASSERT_NO_FATAL_FAILURE(run_until_delivered(config, 10));
  expect_completed_on_the_workers(100);
  auto delivered = read_file(dir_.file("sink.jsonl"));
  EXPECT_EQ(line_count(dir_.file("sink.jsonl")), 10u) << delivered;
  EXPECT_EQ(delivered.find("\"thread\":\"eh-worker\""), std::string::npos) << "a delivery ran on the pool: " << delivered;
  EXPECT_NE(delivered.find("\"id\":\"95\",\"ok\":true,\"thread\":\"burst-source\""), std::string::npos) << delivered;
}

// A sink answering from its own thread, as the Kafka producer's delivery reports arrive: every event still finishes,
// and on the host's workers, whether the answers come in batches or one at a time.
TEST_F(Runtime, AnswersFromTheSinksOwnThreadFinishEveryEventOnTheWorkers) {
  ASSERT_NO_FATAL_FAILURE(
      run_until_delivered(pipeline(2000, ", answer_from_own_thread = true", "max_in_flight = 100\n"), 2000));
  expect_completed_on_the_workers(2000);
}

TEST_F(Runtime, AnswersFromTheSinksOwnThreadOneAtATimeFinishEveryEvent) {
  ASSERT_NO_FATAL_FAILURE(
      run_until_delivered(pipeline(100, ", answer_from_own_thread = true", "max_in_flight = 1\n"), 100));
  expect_completed_on_the_workers(100);
}

TEST_F(Runtime, PoolDispatchRunsOnTheWorkers) {
  ASSERT_NO_FATAL_FAILURE(run_until_delivered(pipeline(10, ""), 10));
  auto delivered = read_file(dir_.file("sink.jsonl"));
  EXPECT_EQ(delivered.find("\"thread\":\"burst-source\""), std::string::npos) << delivered;
  EXPECT_NE(delivered.find("\"thread\":\"eh-worker\""), std::string::npos) << delivered;
}

TEST_F(Runtime, RetriesThenDeadLetterWithKnativeExtensions) {
  std::string dls = dir_.file("dls.jsonl");
  auto worker = start(dir_.write("c.toml", pipeline(5, ", fail_first = -1, fail_code = 503",
                                                    "delivery = { retry = 2, backoff_delay = '10ms', dead_letter_sink = "
                                                    "{ plugin = 'scripted', record = '" + dls + "' } }\n")));
  ASSERT_TRUE(wait_for_lines(dls, 5, seconds(20))) << worker->current_err();
  auto r = stop(worker);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(line_count(dir_.file("sink.jsonl")), 15u);  // 1 attempt + 2 retries, each
  auto letters = read_file(dls);
  EXPECT_EQ(occurrences(letters, "\"knativeerrordest\":\"plugin:scripted\""), 5u) << letters;
  EXPECT_EQ(occurrences(letters, "\"knativeerrorcode\":\"503\""), 5u) << letters;
  EXPECT_EQ(occurrences(letters, "\"knativeerrordata\":\"c2NyaXB0ZWQgZmFpbHVyZQ==\""), 5u) << letters;  // "scripted failure"
  EXPECT_NE(read_file(dir_.file("report.json")).find("\"status_ok\":5"), std::string::npos);
  EXPECT_NE(r.err.find("dead_lettered=5"), std::string::npos) << r.err;
}

TEST_F(Runtime, FailingDeadLetterSinkIsRetriedUntilItTakesEverything) {
  std::string dls = dir_.file("dls.jsonl");
  auto worker = start(dir_.write(
      "c.toml", pipeline(3, ", fail_first = -1",
                         "delivery = { dead_letter_sink = { plugin = 'scripted', fail_first = 4, record = '" + dls + "' } }\n")));
  ASSERT_TRUE(wait_for_lines(dls, 7, seconds(20))) << worker->current_err();  // 4 refusals, then all 3 taken
  auto r = stop(worker);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(occurrences(read_file(dls), "\"ok\":true"), 3u);
  EXPECT_NE(read_file(dir_.file("report.json")).find("\"status_ok\":3"), std::string::npos);
  EXPECT_NE(r.err.find("dead-letter sink plugin:scripted failed"), std::string::npos) << r.err;
}

TEST_F(Runtime, WithoutDeadLetterSinkExhaustedEventsAreReportedFailed) {
  auto worker = start(dir_.write("c.toml", pipeline(2, ", fail_first = -1, fail_code = 400")));
  ASSERT_TRUE(wait_for_lines(dir_.file("sink.jsonl"), 2, seconds(10)));
  auto r = stop(worker);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(dir_.file("report.json")).find("\"status_rejected\":2"), std::string::npos);
  EXPECT_NE(r.err.find("failed=2"), std::string::npos) << r.err;
}

TEST_F(Runtime, PluginCountersAppearOnMetrics) {
  auto worker = start(dir_.write("c.toml", "[host]\nlisten = '127.0.0.1:0'\n" + pipeline(7, "").substr(7)));
  ASSERT_TRUE(wait_for_lines(dir_.file("sink.jsonl"), 7, seconds(10))) << worker->current_err();
  std::string address = listening_address(*worker);
  ASSERT_FALSE(address.empty()) << worker->current_err();
  std::string metrics = get(address, "/metrics");
  EXPECT_NE(metrics.find("# TYPE eventhost_plugin_scripted_attempts_total counter\n"
                         "eventhost_plugin_scripted_attempts_total{pipeline=\"pipeline/p\",plugin=\"scripted\",kind=\"sink\"} 7\n"),
            std::string::npos) << metrics;
  EXPECT_NE(metrics.find("# TYPE eventhost_plugin_scripted_in_flight gauge\n"
                         "eventhost_plugin_scripted_in_flight{pipeline=\"pipeline/p\",plugin=\"scripted\",kind=\"sink\"} 0\n"),
            std::string::npos) << metrics;
  EXPECT_NE(metrics.find("eventhost_pipeline_delivered_total{pipeline=\"pipeline/p\"} 7"), std::string::npos);
  EXPECT_EQ(stop(worker).exit_code, 0);
}

// A plugin that reports its dependency down takes the worker out of service, named in /readyz, until it recovers.
TEST_F(Runtime, ReadyzNamesAnUnhealthyPluginUntilItRecovers) {
  auto worker = start(dir_.write(
      "c.toml", "[host]\nlisten = '127.0.0.1:0'\n" +
                    pipeline(1, ", fail_first = 3, fail_code = 503, unready_while_failing = true",
                             "delivery = { retry = 5, backoff_delay = '500ms' }\n")
                        .substr(7)));
  std::string address;
  for (int i = 0; i < 500 && address.empty(); ++i) {
    address = listening_address(*worker);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_FALSE(address.empty()) << worker->current_err();
  auto poll = [&](const std::string& wanted) {
    auto deadline = std::chrono::steady_clock::now() + seconds(15);
    std::string body = get(address, "/readyz");
    while (body != wanted && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      body = get(address, "/readyz");
    }
    return body;
  };
  EXPECT_EQ(poll("not ready\npipeline/p sink scripted: scripted failure 503\n503\n"),
            "not ready\npipeline/p sink scripted: scripted failure 503\n503\n");
  EXPECT_EQ(poll("ready\n200\n"), "ready\n200\n");
  ASSERT_TRUE(wait_for_lines(dir_.file("sink.jsonl"), 4, seconds(5)));
  EXPECT_EQ(stop(worker).exit_code, 0);
}

TEST_F(Runtime, ThrowingSinkDoesNotTakeTheWorkerDown) {
  auto worker = start(dir_.write("c.toml", pipeline(10, ", throw_in_deliver = true")));
  auto deadline = std::chrono::steady_clock::now() + seconds(10);
  while (worker->current_err().find("sink exploded") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  auto r = stop(worker);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(dir_.file("report.json")).find("\"status_internal\":10"), std::string::npos)
      << read_file(dir_.file("report.json"));
}

TEST_F(Runtime, GraceExpiryHandsWaitingEventsBackToTheirSource) {
  // Every attempt fails and waits an hour for its retry: SIGTERM must not wait that long.
  auto worker = start(dir_.write("c.toml", "[host]\nshutdown_grace = '300ms'\n[[pipelines]]\nname = 'p'\n"
                                           "source = { plugin = 'burst', count = 3, report = '" + dir_.file("report.json") +
                                           "' }\nsink = { plugin = 'scripted', fail_first = -1, record = '" +
                                           dir_.file("sink.jsonl") + "' }\ndelivery = { retry = 5, backoff_delay = 'PT1H' }\n"));
  ASSERT_TRUE(wait_for_lines(dir_.file("sink.jsonl"), 3, seconds(10)));
  auto started = std::chrono::steady_clock::now();
  auto r = stop(worker);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(5));
  EXPECT_NE(read_file(dir_.file("report.json")).find("\"status_shutdown\":3"), std::string::npos)
      << read_file(dir_.file("report.json"));
}

}  // namespace
}  // namespace eventhost::testing

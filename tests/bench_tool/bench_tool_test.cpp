// Runs the eventhost-bench binary against real plugins and checks what it reports (never how fast: no timing is
// asserted beyond what the schedule itself guarantees).
#include "subprocess.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdlib>
#include <string>
#include <vector>

namespace eventhost::bench {
namespace {

using namespace std::chrono_literals;
using eventhost::testing::ProcessResult;
using eventhost::testing::TempDir;

std::string env(const char* name) {
  const char* v = std::getenv(name);
  EXPECT_NE(v, nullptr) << name << " must be set by the build";
  return v != nullptr ? v : "";
}

struct Bench {
  TempDir dir;
  ProcessResult run(std::vector<std::string> args) {
    args.insert(args.begin(), env("EVENTHOST_BENCH"));
    return eventhost::testing::run(args, 120s);
  }
  // Runs with --json --output and parses the report.
  rapidjson::Document report(std::vector<std::string> args, ProcessResult* result = nullptr) {
    std::string out = dir.file("report.json");
    args.insert(args.end(), {"--json", "--output", out});
    ProcessResult r = run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    if (result != nullptr) *result = r;
    rapidjson::Document doc;
    doc.Parse(eventhost::testing::read_file(out).c_str());
    EXPECT_FALSE(doc.HasParseError()) << eventhost::testing::read_file(out);
    return doc;
  }
};

uint64_t u64(const rapidjson::Value& v, const char* key) {
  EXPECT_TRUE(v.HasMember(key)) << key;
  return v.HasMember(key) ? v[key].GetUint64() : 0;
}

void expect_sane_latency(const rapidjson::Value& result, uint64_t events) {
  const auto& l = result["latency_ns"];
  EXPECT_EQ(u64(l, "count"), events);
  EXPECT_LE(u64(l, "p50"), u64(l, "p90"));
  EXPECT_LE(u64(l, "p90"), u64(l, "p99"));
  EXPECT_LE(u64(l, "p99"), u64(l, "p99.9"));
  EXPECT_LE(u64(l, "p99.9"), u64(l, "max"));
  EXPECT_GT(u64(l, "max"), 0u);
  EXPECT_GT(result["events_per_second"].GetDouble(), 0.0);
  EXPECT_GT(result["seconds"].GetDouble(), 0.0);
  EXPECT_GT(result["cpu"]["ns_per_event"].GetDouble(), 0.0);
  EXPECT_GT(u64(result, "peak_rss_bytes"), 1u << 20);
}

TEST(BenchTool, FilterCountsPassesAndDrops) {
  Bench b;
  auto doc = b.report({env("ATTRIBUTES_PLUGIN"), "--events", "4000", "--warmup", "100", "--config",
                       R"({"attributes":{"type":"dev.eventhost.bench.0"}})"});
  const auto& r = doc["result"];
  EXPECT_STREQ(r["plugin"]["name"].GetString(), "attributes");
  EXPECT_STREQ(r["plugin"]["kind"].GetString(), "filter");
  EXPECT_EQ(u64(r, "events"), 4000u);
  EXPECT_EQ(u64(r, "warmup_events"), 100u);
  // Synthetic types cycle over four values: one in four passes.
  EXPECT_EQ(u64(r["outcomes"], "pass"), 1000u);
  EXPECT_EQ(u64(r["outcomes"], "drop"), 3000u);
  EXPECT_TRUE(r["errors"].ObjectEmpty());
  expect_sane_latency(r, 4000);
}

TEST(BenchTool, FilterByNameFromTheBuildTree) {
  Bench b;
  auto doc = b.report({"attributes", "--events", "100", "--config", R"({"attributes":{"type":""}})"});
  EXPECT_EQ(u64(doc["result"]["outcomes"], "pass"), 100u);
}

TEST(BenchTool, SinkDeliversEveryEventAndWaitsForCompletions) {
  Bench b;
  ProcessResult r;
  std::string config = b.dir.write("log.toml", "format = \"json\"\n");
  auto doc = b.report({env("LOG_PLUGIN"), "--events", "3000", "--warmup", "50", "--config-file", config,
                       "--max-in-flight", "8", "--threads", "2"},
                      &r);
  const auto& res = doc["result"];
  EXPECT_EQ(u64(res, "events"), 3000u);
  EXPECT_EQ(u64(res["outcomes"], "ok"), 3000u);
  EXPECT_TRUE(res["errors"].ObjectEmpty());
  expect_sane_latency(res, 3000);
  // The log sink really ran: one JSON line per event, warm-up included.
  size_t lines = 0;
  for (char c : r.out) lines += c == '\n' ? 1 : 0;
  EXPECT_EQ(lines, 3050u);
}

TEST(BenchTool, SinkAtAFixedRateFollowsTheSchedule) {
  Bench b;
  auto doc = b.report({env("LOG_PLUGIN"), "--events", "200", "--warmup", "0", "--rate", "2000", "--config",
                       R"({"format":"json"})"});
  const auto& res = doc["result"];
  EXPECT_EQ(u64(res, "events"), 200u);
  // The last event is due 199/2000 s after the first; the run cannot be shorter than its schedule.
  EXPECT_GE(res["seconds"].GetDouble(), 0.0995);
  EXPECT_DOUBLE_EQ(doc["settings"]["rate"].GetDouble(), 2000.0);
}

TEST(BenchTool, SourceIsDrainedAsFastAsItEmits) {
  Bench b;
  auto doc = b.report({env("ENDLESS_SOURCE_PLUGIN"), "--events", "5000", "--warmup", "100", "--max-in-flight", "4"});
  const auto& res = doc["result"];
  EXPECT_STREQ(res["plugin"]["kind"].GetString(), "source");
  EXPECT_EQ(u64(res, "events"), 5000u);
  EXPECT_EQ(u64(res["outcomes"], "emitted"), 5000u);
  // The first measured emit has no predecessor to measure a gap from.
  EXPECT_EQ(u64(res["latency_ns"], "count"), 4999u);
}

TEST(BenchTool, DeliveryPolicyDecidesEveryEvent) {
  Bench b;
  auto doc = b.report({env("RETRY_PLUGIN"), "--events", "1000", "--config", R"({"retry":2})"});
  const auto& res = doc["result"];
  uint64_t total = 0;
  for (const auto& m : res["outcomes"].GetObject()) total += m.value.GetUint64();
  EXPECT_EQ(total, 1000u);
  EXPECT_GT(u64(res["outcomes"], "retry"), 0u);
  EXPECT_GT(u64(res["outcomes"], "dead_letter"), 0u);
  EXPECT_TRUE(res["errors"].ObjectEmpty());
}

TEST(BenchTool, RecordedEventsFromAFile) {
  Bench b;
  std::string input = b.dir.write("events.jsonl",
                                  R"({"specversion":"1.0","id":"1","source":"/s","type":"keep"})"
                                  "\n"
                                  R"({"specversion":"1.0","id":"2","source":"/s","type":"skip"})"
                                  "\n"
                                  R"({"specversion":"1.0","id":"3","source":"/s","type":"keep"})"
                                  "\n");
  auto doc = b.report({env("ATTRIBUTES_PLUGIN"), "--input", input, "--warmup", "0", "--config",
                       R"({"attributes":{"type":"keep"}})"});
  const auto& res = doc["result"];
  EXPECT_EQ(u64(res, "events"), 3u);
  EXPECT_EQ(u64(res["outcomes"], "pass"), 2u);
  EXPECT_EQ(u64(res["outcomes"], "drop"), 1u);
}

TEST(BenchTool, CompareRunsBothAlternatelyAndGivesRatios) {
  Bench b;
  auto doc = b.report({"--compare", env("ATTRIBUTES_PLUGIN"), env("ATTRIBUTES_PLUGIN"), "--events", "1000",
                       "--warmup", "10", "--rounds", "2", "--config", R"({"attributes":{"type":""}})",
                       "--config-b", R"({"attributes":{"type":"","subject":"","source":""}})"});
  EXPECT_EQ(u64(doc["a"], "events"), 2000u);
  EXPECT_EQ(u64(doc["b"], "events"), 2000u);
  EXPECT_EQ(u64(doc["a"]["outcomes"], "pass"), 2000u);
  const auto& ratios = doc["ratios_b_over_a"];
  for (const char* k : {"events_per_second", "p50", "p99", "cpu_ns_per_event", "peak_rss_bytes"}) {
    ASSERT_TRUE(ratios.HasMember(k)) << k;
    EXPECT_GT(ratios[k].GetDouble(), 0.0) << k;
  }
}

TEST(BenchTool, TableForPeople) {
  Bench b;
  ProcessResult r = b.run({env("ATTRIBUTES_PLUGIN"), "--events", "500", "--config", R"({"attributes":{"type":""}})"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* part : {"attributes 1.0.0 (filter)", "throughput", "events/s", "p50", "p99.9", "max",
                           "per event", "peak rss", "outcomes     pass 500", "errors       none"}) {
    EXPECT_NE(r.out.find(part), std::string::npos) << part << " in:\n" << r.out;
  }
  // No progress line when standard error is not a terminal and --progress was not asked for.
  EXPECT_EQ(r.err.find("measuring"), std::string::npos) << r.err;
}

TEST(BenchTool, ProgressLineWhenAskedFor) {
  Bench b;
  ProcessResult r = b.run({env("LOG_PLUGIN"), "--events", "1500", "--rate", "1000", "--warmup", "0", "--progress",
                           "--config", R"({"format":"json"})"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("log measuring "), std::string::npos) << r.err;
}

struct Refusal {
  std::vector<std::string> args;
  std::string expected;  // the first line of standard error
};

void expect_refused(Bench& b, const Refusal& c) {
  ProcessResult r = b.run(c.args);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')), c.expected);
  EXPECT_EQ(r.out, "");
}

TEST(BenchTool, BadPluginPathIsAClearError) {
  Bench b;
  expect_refused(b, {{"/nonexistent/eh-nothing.so"}, "eventhost-bench: /nonexistent/eh-nothing.so: no such file"});
  std::string fake = b.dir.write("eh-fake.so", "not a shared object");
  ProcessResult r = b.run({fake});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("eventhost-bench: cannot load plugin " + fake + ": ", 0), 0u) << r.err;
}

TEST(BenchTool, UnknownNameSuggestsTheClosest) {
  Bench b;
  ProcessResult r = b.run({"atributes"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("eventhost-bench: unknown plugin 'atributes' (did you mean 'attributes'?) (searched ", 0), 0u)
      << r.err;
}

TEST(BenchTool, BadConfigAndInputAreRefusedBeforeRunning) {
  Bench b;
  expect_refused(b, {{env("LOG_PLUGIN"), "--config", R"({"formt":"json"})"},
                     "eventhost-bench: --config: formt: unknown key (did you mean 'format'?)"});
  expect_refused(b, {{env("ATTRIBUTES_PLUGIN")},
                     "eventhost-bench: config (none given; pass --config or --config-file): attributes: missing "
                     "required key"});
  std::string input = b.dir.write("bad.jsonl", "{\"specversion\":\"1.0\"\n");
  ProcessResult r = b.run({env("ATTRIBUTES_PLUGIN"), "--input", input, "--config", R"({"attributes":{}})"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("eventhost-bench: " + input + ":1: ", 0), 0u) << r.err;
  expect_refused(b, {{"--compare", env("ATTRIBUTES_PLUGIN"), env("LOG_PLUGIN"), "--config", R"({"attributes":{}})",
                      "--config-b", "{}"},
                     "eventhost-bench: --compare: attributes is a filter but log is a sink"});
}

TEST(BenchTool, PluginRejectingItsConfigIsReported) {
  Bench b;
  ProcessResult r = b.run({env("ATTRIBUTES_PLUGIN"), "--config", R"({"attributes":{"":"x"}})"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("plugin 'attributes'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("rejected its config: attributes: empty attribute name"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace eventhost::bench

// The kafka source and sink in the real worker binary against a real Kafka broker, with kcat writing the input and
// reading the output: Kafka -> Kafka in both content modes, KafkaSource -> log sink, and a SIGKILL mid-stream.
#include <eventhost/cloudevents/json.hpp>

#include "subprocess.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <csignal>
#include <fstream>
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

struct KcatRecord {
  std::optional<std::string> key;
  std::map<std::string, std::string> headers;
  std::string payload;
  int partition = 0;
  int64_t offset = 0;
};

std::string unique(const std::string& prefix) {
  static std::mt19937_64 rng(std::random_device{}());
  return prefix + "-" + std::to_string(rng() % 1000000000);
}

// kcat's full path: the test's subprocess helper runs programs without a PATH search.
std::string kcat() {
  std::string path = eventhost::testing::env_path("PATH");
  for (size_t start = 0; start <= path.size();) {
    size_t colon = path.find(':', start);
    std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    std::string candidate = (dir.empty() ? std::string(".") : dir) + "/kcat";
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string::npos) break;
    start = colon + 1;
  }
  return {};
}

class KafkaE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* bootstrap = std::getenv("EVENTHOST_KAFKA_BOOTSTRAP");
    if (bootstrap == nullptr || *bootstrap == '\0') {
      GTEST_SKIP() << "EVENTHOST_KAFKA_BOOTSTRAP is not set: start a broker with "
                      "`ADDR=$(tests/kafka/kafka.sh start)` and export EVENTHOST_KAFKA_BOOTSTRAP=$ADDR";
    }
    bootstrap_ = bootstrap;
    exe_ = eventhost::testing::env_path("EVENTHOST_EXE");
    ASSERT_FALSE(exe_.empty()) << "EVENTHOST_EXE is not set";
    kcat_ = kcat();
    ASSERT_FALSE(kcat_.empty()) << "kcat is not on PATH (apt-get install -y kcat)";
  }

  // Writes "key:value" lines to the topic with kcat, each with the given headers.
  void produce(const std::string& topic, const std::vector<std::string>& key_value_lines,
               const std::vector<std::string>& headers = {}) {
    std::string file = dir_.write(unique("input") + ".txt", join(key_value_lines));
    std::vector<std::string> argv = {kcat_, "-b", bootstrap_, "-P", "-t", topic, "-K", ":", "-l", file};
    for (const auto& h : headers) {
      argv.push_back("-H");
      argv.push_back(h);
    }
    auto r = eventhost::testing::run(argv, 30s);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // Reads `count` records from the beginning of the topic with kcat's JSON envelope, asking again until they are
  // all there (the topic may not exist yet) or `timeout` passed.
  std::vector<KcatRecord> consume(const std::string& topic, size_t count, std::chrono::seconds timeout = 60s) {
    std::vector<KcatRecord> out;
    std::string err;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (out.size() < count && std::chrono::steady_clock::now() < deadline) {
      auto r = eventhost::testing::run({kcat_, "-b", bootstrap_, "-C", "-t", topic, "-o", "beginning", "-c",
                                        std::to_string(count), "-e", "-J", "-q"},
                                       30s);
      err = r.err;
      out = parse_envelopes(r.out);
      if (out.size() < count) std::this_thread::sleep_for(500ms);
    }
    EXPECT_EQ(out.size(), count) << "kcat stderr: " << err;
    return out;
  }

  static std::vector<KcatRecord> parse_envelopes(const std::string& text) {
    std::vector<KcatRecord> out;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
      rapidjson::Document d;
      d.Parse(line.c_str());
      if (d.HasParseError() || !d.IsObject()) continue;
      KcatRecord rec;
      if (d.HasMember("key") && d["key"].IsString()) rec.key = d["key"].GetString();
      if (d.HasMember("payload") && d["payload"].IsString()) rec.payload = d["payload"].GetString();
      rec.partition = d["partition"].GetInt();
      rec.offset = d["offset"].GetInt64();
      if (d.HasMember("headers") && d["headers"].IsArray()) {
        const auto& h = d["headers"].GetArray();
        for (rapidjson::SizeType i = 0; i + 1 < h.Size(); i += 2) {
          rec.headers[h[i].GetString()] = h[i + 1].IsString() ? h[i + 1].GetString() : "";
        }
      }
      out.push_back(std::move(rec));
    }
    return out;
  }

  std::string source_table(const std::string& topic, const std::string& group) {
    return "{ plugin = \"kafka\", bootstrap_servers = \"" + bootstrap_ + "\", topics = [\"" + topic +
           "\"], consumer_group = \"" + group +
           "\", initial_offset = \"earliest\", kafka = { \"session.timeout.ms\" = 6000 } }";
  }

  std::unique_ptr<Process> run_worker(const std::string& config) {
    std::string path = dir_.write(unique("config") + ".toml", config);
    auto p = std::make_unique<Process>(std::vector<std::string>{exe_, "run", path}, dir_.path().string());
    return p;
  }

  void run_kafka_to_kafka(const std::string& content_mode);

  static std::string join(const std::vector<std::string>& lines) {
    std::string s;
    for (const auto& l : lines) s += l + "\n";
    return s;
  }

  std::string bootstrap_;
  std::string exe_;
  std::string kcat_;
  TempDir dir_;
};

void KafkaE2E::run_kafka_to_kafka(const std::string& content_mode) {
  const std::string in = unique("in"), out = unique("out");
  std::vector<std::string> lines;
  for (int i = 0; i < 20; ++i) lines.push_back("key" + std::to_string(i) + ":{\"n\":" + std::to_string(i) + "}");
  produce(in, lines, {"X-Trace=t1"});
  // One CloudEvent in binary mode among plain records: it passes through unchanged.
  produce(in, {"ce-key:{\"ce\":true}"},
          {"ce_specversion=1.0", "ce_id=given-id", "ce_source=/given", "ce_type=given.type", "content-type=application/json"});

  auto worker = run_worker("[host]\nshutdown_grace = \"5s\"\n\n[[pipelines]]\nname = \"k2k\"\nsource = " +
                           source_table(in, unique("g")) + "\nsink = { plugin = \"kafka\", bootstrap_servers = \"" +
                           bootstrap_ + "\", topic = \"" + out + "\", content_mode = \"" + content_mode + "\" }\n");
  auto records = consume(out, 21);
  worker->signal(SIGTERM);
  auto result = worker->wait(30s);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  ASSERT_EQ(records.size(), 21u);

  std::set<std::string> ids;
  for (const auto& rec : records) {
    eventhost::CloudEvent event;
    if (content_mode == "structured") {
      EXPECT_EQ(rec.headers.at("content-type"), "application/cloudevents+json; charset=UTF-8");
      auto parsed = eventhost::ce::from_json(rec.payload);
      ASSERT_TRUE(parsed) << parsed.status().message() << ": " << rec.payload;
      event = *parsed;
    } else {
      EXPECT_FALSE(rec.headers.count("ce_id") == 0) << "binary mode carries attributes in ce_ headers";
      for (const auto& [name, value] : rec.headers) {
        if (name.rfind("ce_", 0) == 0) event.set(name.substr(3), value);
      }
      event.set_data(rec.payload);
    }
    std::string id(event.id());
    ids.insert(id);
    if (id == "given-id") {
      EXPECT_EQ(event.type(), "given.type");
      EXPECT_EQ(rec.key, std::nullopt) << "a passed-through event without partitionkey is written without key";
      continue;
    }
    EXPECT_EQ(event.type(), "dev.knative.kafka.event");
    EXPECT_EQ(event.source(), "/apis/v1/namespaces/default/kafkasources/k2k#" + in);
    EXPECT_EQ(event.get("kafkaheaderxtrace"), "t1");
    EXPECT_EQ(rec.key, event.get("partitionkey")) << "the record key comes from partitionkey";
    EXPECT_EQ(event.get("key"), event.get("partitionkey"));
    const std::string n = std::string(*event.get("key")).substr(3);
    EXPECT_EQ(event.data(), "{\"n\":" + n + "}");
  }
  EXPECT_EQ(ids.size(), 21u);
  for (int i = 0; i < 20; ++i) EXPECT_EQ(ids.count("partition:0/offset:" + std::to_string(i)), 1u) << i;
}

TEST_F(KafkaE2E, KafkaToKafkaBinaryMode) { run_kafka_to_kafka("binary"); }

TEST_F(KafkaE2E, KafkaToKafkaStructuredMode) { run_kafka_to_kafka("structured"); }

std::vector<std::string> json_lines(const std::string& out) {
  std::vector<std::string> lines;
  std::istringstream s(out);
  for (std::string line; std::getline(s, line);) {
    if (!line.empty() && line[0] == '{') lines.push_back(line);
  }
  return lines;
}

TEST_F(KafkaE2E, KafkaSourceIntoTheLogSink) {
  const std::string in = unique("logged");
  produce(in, {"a:first", "b:second", "c:third"}, {"Content-Type=text/plain"});
  auto worker = run_worker("[[sources]]\nname = \"orders\"\nnamespace = \"shop\"\nplugin = \"kafka\"\n"
                           "bootstrap_servers = \"" + bootstrap_ + "\"\ntopics = [\"" + in + "\"]\n"
                           "initial_offset = \"earliest\"\nsink.plugin = \"log\"\nsink.format = \"json\"\n");
  ASSERT_TRUE(worker->wait_for_output("partition:0/offset:2", 60s)) << worker->current_err();
  worker->signal(SIGTERM);
  auto result = worker->wait(30s);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  auto lines = json_lines(result.out);
  ASSERT_EQ(lines.size(), 3u) << result.out;
  const char* data[] = {"first", "second", "third"};
  const char* keys[] = {"a", "b", "c"};
  for (size_t i = 0; i < 3; ++i) {
    auto event = eventhost::ce::from_json(lines[i]);
    ASSERT_TRUE(event) << event.status().message();
    EXPECT_EQ(event->id(), "partition:0/offset:" + std::to_string(i));
    EXPECT_EQ(event->source(), "/apis/v1/namespaces/shop/kafkasources/orders#" + in);
    EXPECT_EQ(event->get("subject"), "partition:0#" + std::to_string(i));
    EXPECT_EQ(event->get("datacontenttype"), "text/plain");
    EXPECT_EQ(event->get("key"), keys[i]);
    EXPECT_TRUE(event->has("time"));
    EXPECT_EQ(event->data(), data[i]);
  }
  EXPECT_NE(result.err.find("assigned 1 partition"), std::string::npos) << result.err;
}

// A broker that creates topics on a metadata request (Kafka's default) must not see one for the sink's topic before
// the sink created it with its partitions.
TEST_F(KafkaE2E, SinkCreatesALiteralTopicWithItsPartitions) {
  const std::string in = unique("lit-in"), out = unique("lit-out");
  produce(in, {"a:one"});
  auto worker = run_worker("[[pipelines]]\nname = \"copy\"\nsource = " + source_table(in, unique("g")) +
                           "\nsink = { plugin = \"kafka\", bootstrap_servers = \"" + bootstrap_ + "\", topic = \"" + out +
                           "\", create_topics = true, partitions = 3, replication_factor = 1 }\n");
  auto copied = consume(out, 1);
  worker->signal(SIGTERM);
  auto result = worker->wait(30s);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  ASSERT_EQ(copied.size(), 1u);
  auto meta = eventhost::testing::run({kcat_, "-b", bootstrap_, "-L", "-t", out}, 30s);
  EXPECT_NE(meta.out.find("with 3 partitions"), std::string::npos) << meta.out;
}

TEST_F(KafkaE2E, SinkCreatesTopicsNamedFromTheData) {
  const std::string in = unique("k8s"), prefix = unique("ns");
  produce(in, {"a:{\"involvedObject\":{\"namespace\":\"alpha\"}}", "b:{\"involvedObject\":{\"namespace\":\"beta\"}}",
               "c:{\"involvedObject\":{}}"});
  auto worker = run_worker("[[pipelines]]\nname = \"fanout\"\nsource = " + source_table(in, unique("g")) +
                           "\nsink = { plugin = \"kafka\", bootstrap_servers = \"" + bootstrap_ + "\", topic = \"" + prefix +
                           "-{data:/involvedObject/namespace}\", default_topic = \"" + prefix +
                           "-unknown\", create_topics = true, partitions = 3, replication_factor = 1 }\n");
  auto alpha = consume(prefix + "-alpha", 1);
  auto beta = consume(prefix + "-beta", 1);
  auto unknown = consume(prefix + "-unknown", 1);
  worker->signal(SIGTERM);
  auto result = worker->wait(30s);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  ASSERT_EQ(alpha.size(), 1u);
  EXPECT_EQ(alpha[0].payload, "{\"involvedObject\":{\"namespace\":\"alpha\"}}");
  ASSERT_EQ(beta.size(), 1u);
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].key, "c");
  auto meta = eventhost::testing::run({kcat_, "-b", bootstrap_, "-L", "-t", prefix + "-alpha"}, 30s);
  EXPECT_NE(meta.out.find("with 3 partitions"), std::string::npos) << meta.out;
  EXPECT_NE(result.err.find("creating topic " + prefix + "-alpha"), std::string::npos) << result.err;
}

TEST_F(KafkaE2E, KilledMidStreamSkipsNothingAfterRestart) {
  const std::string in = unique("stream"), group = unique("g");
  constexpr int kRecords = 3000;
  std::vector<std::string> lines;
  for (int i = 0; i < kRecords; ++i) lines.push_back("k" + std::to_string(i % 7) + ":r" + std::to_string(i));
  produce(in, lines);
  const std::string config = "[[pipelines]]\nname = \"stream\"\nmax_in_flight = 16\nsource = " +
                             source_table(in, group) + "\nsink = { plugin = \"log\", format = \"json\" }\n";
  std::set<std::string> seen;
  auto collect = [&](const std::string& out) {
    for (const auto& line : json_lines(out)) {
      if (auto e = eventhost::ce::from_json(line)) seen.insert(std::string(e->data()));
    }
  };
  {
    auto first = run_worker(config);
    ASSERT_TRUE(first->wait_for_output("partition:0/offset:500\"", 60s)) << first->current_err();
    first->signal(SIGKILL);
    collect(first->wait(10s).out);
  }
  const size_t before = seen.size();
  EXPECT_GE(before, 500u);
  EXPECT_LT(before, static_cast<size_t>(kRecords)) << "killed too late to be mid-stream";
  auto second = run_worker(config);
  ASSERT_TRUE(second->wait_for_output("partition:0/offset:" + std::to_string(kRecords - 1) + "\"", 90s))
      << second->current_err();
  second->signal(SIGTERM);
  auto result = second->wait(30s);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  collect(result.out);
  EXPECT_EQ(seen.size(), static_cast<size_t>(kRecords)) << "every record reached the sink at least once";
}

}  // namespace

// `eventhost filter CONFIG --trigger NAME < events.jsonl`: the trigger's real filter plugins decide each line.
#include "cli_runner.hpp"

#include <sstream>

namespace {

using cli_test::eventhost;
using cli_test::Scratch;

constexpr const char* kConfig = R"(
[brokers.default]

[[triggers]]
name = "orders"
broker = "default"
subscriber = { plugin = "log" }
filters = [
  { prefix = { type = "com.example.order." } },
  { any = [ { exact = { region = "eu" } }, { cesql = "priority > 3" } ] },
]

[[triggers]]
name = "created"
broker = "default"
filter.attributes = { type = "com.example.order.created", region = "" }
subscriber = { plugin = "log" }

[[triggers]]
name = "everything"
broker = "default"
subscriber = { plugin = "log" }
)";

std::string event(const std::string& id, const std::string& type, const std::string& extensions = "") {
  return R"({"specversion": "1.0", "id": ")" + id + R"(", "source": "/shop", "type": ")" + type + "\"" +
         extensions + "}\n";
}

const std::string kEvents = event("e1", "com.example.order.created", R"(, "region": "eu")") +
                            event("e2", "com.example.order.deleted", R"(, "priority": 5)") +
                            "\n" +
                            event("e4", "com.example.user.created", R"(, "region": "eu")") +
                            event("e5", "com.example.order.created", R"(, "region": "us", "priority": 1)");

TEST(FilterCommand, PrintsWhichEventsPassTheDialects) {
  SKIP_WITHOUT_EVENTHOST();
  Scratch scratch;
  std::string config = scratch.write("triggers.toml", kConfig);
  auto r = eventhost({"filter", config, "--trigger", "orders"}, kEvents);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1\tpass\te1\n2\tpass\te2\n4\tdrop\te4\n5\tdrop\te5\n");
  EXPECT_EQ(r.err, "eventhost: trigger trigger/default/orders: 2 pass, 2 drop, 0 invalid\n");
}

TEST(FilterCommand, AttributesFilterAndNoFilter) {
  SKIP_WITHOUT_EVENTHOST();
  Scratch scratch;
  std::string config = scratch.write("triggers.toml", kConfig);
  auto r = eventhost({"filter", "--trigger", "default/created", config}, kEvents);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "1\tpass\te1\n2\tdrop\te2\n4\tdrop\te4\n5\tpass\te5\n");

  r = eventhost({"filter", config, "--trigger", "everything"}, kEvents);
  EXPECT_EQ(r.out, "1\tpass\te1\n2\tpass\te2\n4\tpass\te4\n5\tpass\te5\n");
}

TEST(FilterCommand, InvalidLinesAreReportedAndTheRestStillDecided) {
  SKIP_WITHOUT_EVENTHOST();
  Scratch scratch;
  std::string config = scratch.write("triggers.toml", kConfig);
  std::string input = event("e1", "com.example.order.created", R"(, "region": "eu")") + "{\"id\": \"broken\"\n" +
                      R"({"specversion": "1.0", "id": "x", "source": "/s"})" "\n" +
                      event("e4", "com.example.order.created", R"(, "region": "eu")");
  auto r = eventhost({"filter", config, "--trigger", "orders"}, input);
  EXPECT_EQ(r.exit_code, 1);
  std::istringstream lines(r.out);
  std::vector<std::string> out;
  for (std::string line; std::getline(lines, line);) out.push_back(line);
  ASSERT_EQ(out.size(), 4u) << r.out;
  EXPECT_EQ(out[0], "1\tpass\te1");
  EXPECT_EQ(out[1].rfind("2\tinvalid\tnot valid JSON", 0), 0u) << out[1];
  EXPECT_EQ(out[2].rfind("3\tinvalid\t", 0), 0u) << out[2];
  EXPECT_NE(out[2].find("type"), std::string::npos) << out[2];  // the missing required attribute
  EXPECT_EQ(out[3], "4\tpass\te4");
  EXPECT_EQ(r.err, "eventhost: trigger trigger/default/orders: 2 pass, 0 drop, 2 invalid\n");
}

TEST(FilterCommand, UnknownOrAmbiguousTrigger) {
  SKIP_WITHOUT_EVENTHOST();
  Scratch scratch;
  std::string config = scratch.write("triggers.toml", std::string(kConfig) + R"(
[[triggers]]
name = "orders"
namespace = "team-a"
broker = "default-a"
subscriber = { plugin = "log" }

[brokers.default-a]
namespace = "team-a"
)");
  auto r = eventhost({"filter", config, "--trigger", "ordrs"}, "");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "eventhost: no trigger 'ordrs' in the config (did you mean 'orders'?)\n");

  r = eventhost({"filter", config, "--trigger", "orders"}, "");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "eventhost: trigger 'orders' exists in several namespaces; name it NAMESPACE/NAME: default/orders "
                   "team-a/orders\n");

  r = eventhost({"filter", config}, "");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "eventhost: filter needs --trigger NAME\n");
}

TEST(FilterCommand, InvalidConfigIsReportedLikeValidate) {
  SKIP_WITHOUT_EVENTHOST();
  Scratch scratch;
  std::string config = scratch.write("bad.toml", R"([brokers.default]

[[triggers]]
name = "orders"
broker = "default"
subscriber = { plugin = "log" }
filters = [ { exact = { type = "" } } ]
)");
  auto r = eventhost({"filter", config, "--trigger", "orders"}, event("e1", "t"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind(config + ":7:11: triggers[0].filters: plugin 'dialects' (", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(") rejected its config: filters[0].exact.type: value must not be empty"), std::string::npos)
      << r.err;
}

}  // namespace

// `eventhost cesql 'EXPR' [--event FILE] [--json]`, run as a user runs it.
#include "cli_runner.hpp"

#include <rapidjson/document.h>

namespace {

using cli_test::eventhost;
using cli_test::Scratch;

constexpr const char* kOrder =
    R"({"specversion": "1.0", "id": "o-1", "source": "/shop/orders", "type": "com.example.order.created",
        "priority": 5, "urgent": true, "region": "eu-west-1"})";

TEST(CesqlCommand, DefaultEventAndText) {
  SKIP_WITHOUT_EVENTHOST();
  auto r = eventhost({"cesql", "type = 'com.example.event' AND source LIKE '/eventhost/%'"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Boolean true\n");
  EXPECT_EQ(r.err, "");
}

TEST(CesqlCommand, ValueTypesFromAnEventFile) {
  SKIP_WITHOUT_EVENTHOST();
  Scratch scratch;
  std::string event = scratch.write("order.json", kOrder);
  EXPECT_EQ(eventhost({"cesql", "priority * 2", "--event", event}).out, "Integer 10\n");
  EXPECT_EQ(eventhost({"cesql", "--event", event, "UPPER(region)"}).out, "String \"EU-WEST-1\"\n");
  EXPECT_EQ(eventhost({"cesql", "urgent AND priority IN (1, 5)", "--event", event}).out, "Boolean true\n");
}

TEST(CesqlCommand, EvaluationErrorsAreListedAfterTheValue) {
  SKIP_WITHOUT_EVENTHOST();
  auto r = eventhost({"cesql", "1 / 0 + nosuch"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out,
            "Integer 0\n"
            "error: math error at position 3: division by zero\n"
            "error: missingAttribute error at position 9: no attribute nosuch\n");
}

TEST(CesqlCommand, JsonOutputIsOneObject) {
  SKIP_WITHOUT_EVENTHOST();
  Scratch scratch;
  std::string event = scratch.write("order.json", kOrder);
  auto r = eventhost({"cesql", "--json", "--event", event, "CONCAT(region, '/', STRING(priority))"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"value\":\"eu-west-1/5\",\"type\":\"String\",\"errors\":[]}\n");

  r = eventhost({"cesql", "INT('x') + 1", "--json"});
  EXPECT_EQ(r.exit_code, 0);
  rapidjson::Document doc;
  doc.Parse(r.out.c_str());
  ASSERT_FALSE(doc.HasParseError()) << r.out;
  EXPECT_EQ(doc["value"].GetInt(), 1);
  EXPECT_STREQ(doc["type"].GetString(), "Integer");
  ASSERT_EQ(doc["errors"].Size(), 1u);
  EXPECT_STREQ(doc["errors"][0]["kind"].GetString(), "cast");
  EXPECT_EQ(std::string(doc["errors"][0]["message"].GetString()).rfind("position 1: ", 0), 0u);

  EXPECT_EQ(eventhost({"cesql", "TRUE", "--json"}).out, "{\"value\":true,\"type\":\"Boolean\",\"errors\":[]}\n");
}

TEST(CesqlCommand, ParseErrorExitsNonZeroWithPositionAndCaret) {
  SKIP_WITHOUT_EVENTHOST();
  auto r = eventhost({"cesql", "type = "});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err,
            "eventhost: position 8: expected an expression, found the end of the expression\n"
            "  type = \n"
            "         ^\n");
}

TEST(CesqlCommand, ParseErrorInJson) {
  SKIP_WITHOUT_EVENTHOST();
  auto r = eventhost({"cesql", "--json", "type = "});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            "{\"value\":null,\"type\":null,\"errors\":[{\"kind\":\"parse\",\"message\":\"position 8: expected an "
            "expression, found the end of the expression\"}]}\n");
}

TEST(CesqlCommand, EventFromStdinAndExpressionsStartingWithAMinus) {
  SKIP_WITHOUT_EVENTHOST();
  auto r = eventhost({"cesql", "--event", "-", "--", "-priority"}, kOrder);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "Integer -5\n");
}

TEST(CesqlCommand, BadInputIsRefusedWithAReason) {
  SKIP_WITHOUT_EVENTHOST();
  Scratch scratch;
  auto r = eventhost({"cesql", "TRUE", "--event", scratch.path("missing.json")});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "eventhost: cannot read event file " + scratch.path("missing.json") + "\n");

  std::string invalid = scratch.write("invalid.json", R"({"specversion": "1.0", "id": "1", "type": "t"})");
  r = eventhost({"cesql", "TRUE", "--event", invalid});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind("eventhost: " + invalid + " is not a valid CloudEvent in JSON format: ", 0), 0u) << r.err;
  EXPECT_EQ(r.out, "");

  r = eventhost({"cesql"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "eventhost: usage: eventhost cesql 'EXPR' [--event FILE] [--json]\n");
  r = eventhost({"cesql", "TRUE", "--event"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "eventhost: --event needs a value (see eventhost --help)\n");
  r = eventhost({"validate", "x.toml", "--json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err, "eventhost: --event and --json belong to the cesql command\n");
}

}  // namespace

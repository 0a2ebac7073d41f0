// Runs the CESQL v1 conformance suite (TCK) over the engine. The TCK directory comes from CESQL_TCK_DIR (set by
// meson); the test is skipped when it is absent.
//
// Where a case contradicts the spec text the engine follows the spec: such a case stays in the run and must give
// the outcome the spec defines, as listed in kDeviations (and in docs/cesql.md).
#include <eventhost/cesql.hpp>
#include <eventhost/event.hpp>

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace cesql = eventhost::cesql;
using cesql::ErrorKind;
using cesql::Value;

struct Outcome {
  std::optional<Value> value;       // nullopt: the case does not say
  std::optional<ErrorKind> error;   // nullopt: no error
};

struct Deviation {
  std::string_view file;  // without ".yaml"
  std::string_view test;
  std::string_view spec_section;
  Outcome per_spec;
};

const Deviation kDeviations[] = {
    // §3.4.1 NOT is Boolean -> Boolean and not ambiguous, so 10 is cast to Boolean; §3.7 defines Integer ->
    // Boolean (true for non-zero) as a cast that MUST be supported and cannot fail. NOT 10 is false, no error.
    {"not_operator", "Invalid int cast", "3.4.1, 3.7", {Value::boolean(false), std::nullopt}},
    // §3.3 every operator returns a value even after an error: 1 / 0 is 0 with a MathError, 1 != 0 is true, so
    // the whole expression is true (with the MathError). The case's false is the fail-fast mode of §4.1, which
    // is non-normative; a filter fails the event either way because of the error (§1.2).
    {"binary_logical_operators", "AND operator is NOT short circuit evaluated when the first operand evaluates to true",
     "3.3, 3.4.2, 4.1", {Value::boolean(true), ErrorKind::Math}},
    {"binary_logical_operators", "OR operator is NOT short circuit evaluated when the first operand evaluates to false",
     "3.3, 3.4.2, 4.1", {Value::boolean(true), ErrorKind::Math}},
    // §2.2 value-identifier ::= ( lowercase-char | digit )+ and only keywords are case-insensitive (§2), so
    // `EXISTS SOURCE` is a syntax error.
    {"exists_expression", "required attributes always exist", "2.2", {Value::boolean(false), ErrorKind::Parse}},
};

const Deviation* find_deviation(std::string_view file, std::string_view test) {
  for (const Deviation& d : kDeviations) {
    if (d.file == file && d.test == test) return &d;
  }
  return nullptr;
}

bool is_quoted(const YAML::Node& node) { return node.Tag() == "!"; }

// A YAML scalar as a CESQL value: plain true/false and integers keep their type, everything else is a String
// (the YAML 1.1 timestamp `2018-04-26T14:48:09+02:00` included).
Value to_value(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (!is_quoted(node)) {
    std::string lower = text;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower == "true" || lower == "false") return Value::boolean(lower == "true");
    try {
      size_t used = 0;
      long long n = std::stoll(text, &used);
      if (used == text.size() && n >= INT32_MIN && n <= INT32_MAX) return Value::integer(static_cast<int32_t>(n));
    } catch (const std::exception&) {
    }
  }
  return Value::string(text);
}

eh_attr_type attribute_type(std::string_view name, const Value& value) {
  if (value.type() == cesql::Type::Boolean) return EH_ATTR_BOOLEAN;
  if (value.type() == cesql::Type::Integer) return EH_ATTR_INTEGER;
  if (name == "source") return EH_ATTR_URI_REF;
  if (name == "dataschema") return EH_ATTR_URI;
  if (name == "time") return EH_ATTR_TIMESTAMP;
  return EH_ATTR_STRING;
}

void set_attributes(eventhost::CloudEvent& event, const YAML::Node& map) {
  for (const auto& entry : map) {
    std::string name = entry.first.as<std::string>();
    Value value = to_value(entry.second);
    std::string text = entry.second.Scalar();
    if (value.type() == cesql::Type::Boolean) text = value.as_bool() ? "true" : "false";
    event.set(name, text, attribute_type(name, value));
  }
}

eventhost::CloudEvent event_for(const YAML::Node& test) {
  eventhost::CloudEvent event;
  if (test["event"]) {
    set_attributes(event, test["event"]);
    return event;
  }
  event.set("specversion", "1.0");
  event.set("id", "tck-id");
  event.set("source", "/tck", EH_ATTR_URI_REF);
  event.set("type", "io.cloudevents.tck");
  if (test["eventOverrides"]) set_attributes(event, test["eventOverrides"]);
  return event;
}

std::optional<ErrorKind> error_kind(const std::string& name) {
  for (ErrorKind k : {ErrorKind::Parse, ErrorKind::Math, ErrorKind::Cast, ErrorKind::MissingAttribute,
                      ErrorKind::MissingFunction, ErrorKind::FunctionEvaluation, ErrorKind::Generic}) {
    if (cesql::kind_name(k) == name) return k;
  }
  return std::nullopt;
}

struct Actual {
  Value value;
  std::set<ErrorKind> errors;
  std::string detail;  // for failure messages
};

Actual run(const std::string& expression, const eventhost::CloudEvent& event) {
  auto parsed = cesql::parse(expression);
  if (!parsed) return {Value::boolean(false), {ErrorKind::Parse}, parsed.status().message()};
  cesql::EvalResult r = cesql::evaluate(*parsed, cesql::lookup(event));
  Actual actual{r.value, {}, ""};
  for (const cesql::Error& e : r.errors) {
    actual.errors.insert(e.kind);
    actual.detail += cesql::to_string(e) + "; ";
  }
  return actual;
}

// Empty when `actual` is the expected outcome, else what differs.
std::string compare(const Outcome& expected, const Actual& actual) {
  std::string problems;
  if (expected.value && !(*expected.value == actual.value)) {
    problems += "value " + cesql::to_string(actual.value) + ", expected " + cesql::to_string(*expected.value) + ". ";
  }
  std::set<ErrorKind> wanted;
  if (expected.error) wanted.insert(*expected.error);
  if (wanted != actual.errors) {
    problems += "errors [" + actual.detail + "], expected " +
                (expected.error ? std::string(cesql::kind_name(*expected.error)) : std::string("none")) + ". ";
  }
  return problems;
}

TEST(CesqlTck, EveryCase) {
  const char* dir = std::getenv("CESQL_TCK_DIR");
  if (dir == nullptr || !std::filesystem::is_directory(dir)) {
    GTEST_SKIP() << "CESQL TCK not found: set CESQL_TCK_DIR to the cesql-tck folder (it is looked for in "
                    "../shared/conformance/cesql-tck beside the repository)";
  }
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());

  int cases = 0, passed = 0, deviations = 0;
  std::set<std::pair<std::string, std::string>> deviations_seen;
  for (const auto& path : files) {
    std::string file = path.stem().string();
    YAML::Node suite = YAML::LoadFile(path.string());
    for (const YAML::Node& test : suite["tests"]) {
      ++cases;
      std::string name = test["name"].as<std::string>();
      std::string expression = test["expression"].as<std::string>();
      Outcome expected;
      if (test["result"]) expected.value = to_value(test["result"]);
      if (test["error"]) {
        expected.error = error_kind(test["error"].as<std::string>());
        ASSERT_TRUE(expected.error) << file << ": unknown error kind " << test["error"].as<std::string>();
      }
      Actual actual = run(expression, event_for(test));
      if (const Deviation* d = find_deviation(file, name)) {
        deviations_seen.insert({file, name});
        std::string problems = compare(d->per_spec, actual);
        EXPECT_TRUE(problems.empty()) << file << " / " << name << " (deviation, spec " << d->spec_section
                                      << "): " << expression << " -> " << problems;
        EXPECT_FALSE(compare(expected, actual).empty())
            << file << " / " << name << " now agrees with the TCK: remove it from kDeviations";
        if (problems.empty()) ++deviations;
        continue;
      }
      std::string problems = compare(expected, actual);
      EXPECT_TRUE(problems.empty()) << file << " / " << name << ": " << expression << " -> " << problems;
      if (problems.empty()) ++passed;
    }
  }
  EXPECT_EQ(deviations_seen.size(), std::size(kDeviations)) << "a deviation names a case the TCK does not have";
  std::cout << "CESQL TCK: " << cases << " cases in " << files.size() << " files: " << passed
            << " pass as written, " << deviations << " expected deviations (spec over TCK, see docs/cesql.md), "
            << cases - passed - deviations << " failures\n";
}

}  // namespace

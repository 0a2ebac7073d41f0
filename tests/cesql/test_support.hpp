// Helpers shared by the CESQL unit tests.
#pragma once

#include <eventhost/cesql.hpp>
#include <eventhost/event.hpp>

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <tuple>

namespace cesql_test {

namespace cesql = eventhost::cesql;

// A valid event plus the given attributes: {name, value, type}.
inline eventhost::CloudEvent event_with(
    std::initializer_list<std::tuple<std::string_view, std::string_view, eh_attr_type>> attributes = {}) {
  eventhost::CloudEvent event;
  event.set("specversion", "1.0");
  event.set("id", "e1");
  event.set("source", "/unit", EH_ATTR_URI_REF);
  event.set("type", "com.example.test");
  for (const auto& [name, value, type] : attributes) event.set(name, value, type);
  return event;
}

inline cesql::Expression compile(std::string_view text) {
  auto expression = cesql::parse(text);
  EXPECT_TRUE(expression) << text << ": " << expression.status().message();
  if (!expression) throw std::invalid_argument(expression.status().message());
  return std::move(expression).value();
}

inline cesql::EvalResult eval(std::string_view text, const eventhost::CloudEvent& event = event_with()) {
  return cesql::evaluate(compile(text), cesql::lookup(event));
}

// The error kinds of a result, in order, e.g. "math,cast".
inline std::string kinds(const cesql::EvalResult& r) {
  std::string out;
  for (const cesql::Error& e : r.errors) {
    if (!out.empty()) out += ",";
    out += cesql::kind_name(e.kind);
  }
  return out;
}

// The message of a failed parse, "position N: reason".
inline std::string parse_error(std::string_view text) {
  auto expression = cesql::parse(text);
  EXPECT_FALSE(expression) << text << " parsed";
  return expression ? std::string() : expression.status().message();
}

}  // namespace cesql_test

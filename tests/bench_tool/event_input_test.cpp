#include "event_input.hpp"

#include "temp_dir.hpp"

#include <eventhost/cloudevents/validate.hpp>

#include <gtest/gtest.h>

#include <set>

namespace eventhost::bench {
namespace {

TEST(EventInput, SyntheticEventsAreValidAndVaried) {
  auto events = synthetic_events(1024);
  ASSERT_EQ(events.size(), 16u);
  std::set<std::string> types;
  for (const auto& e : events) {
    EXPECT_TRUE(ce::validate(e.ce)) << ce::validate(e.ce).message();
    EXPECT_EQ(e.ce.data().size(), 1024u);
    types.emplace(*e.ce.get("type"));
  }
  EXPECT_EQ(types.size(), 4u);
  EXPECT_FALSE(synthetic_events(0).front().ce.has_data());
}

TEST(EventInput, ReadsJsonLinesSkippingBlankOnes) {
  testing::TempDir dir;
  std::string path = dir.write("events.jsonl",
                               R"({"specversion":"1.0","id":"1","source":"/s","type":"t","data":{"a":1}})"
                               "\n\n"
                               R"({"specversion":"1.0","id":"2","source":"/s","type":"u"})"
                               "\n");
  auto events = read_events_file(path);
  ASSERT_TRUE(events) << events.status().message();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ(*(*events)[1].ce.get("type"), "u");
  EXPECT_EQ((*events)[0].ce.data(), R"({"a":1})");
}

TEST(EventInput, BadLineFailsWithItsNumber) {
  testing::TempDir dir;
  std::string path = dir.write("events.jsonl",
                               R"({"specversion":"1.0","id":"1","source":"/s","type":"t"})"
                               "\n"
                               R"({"specversion":"1.0","source":"/s","type":"t"})"
                               "\n");
  auto events = read_events_file(path);
  ASSERT_FALSE(events);
  EXPECT_EQ(events.status().message().rfind(path + ":2: ", 0), 0u) << events.status().message();
  EXPECT_NE(events.status().message().find("id"), std::string::npos) << events.status().message();
}

TEST(EventInput, MissingAndEmptyFilesAreRefused) {
  testing::TempDir dir;
  auto missing = read_events_file(dir.file("nope.jsonl"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().message(), dir.file("nope.jsonl") + ": cannot open: No such file or directory");
  std::string empty = dir.write("empty.jsonl", "\n");
  auto none = read_events_file(empty);
  ASSERT_FALSE(none);
  EXPECT_EQ(none.status().message(), empty + ": no events (expected one CloudEvent JSON object per line)");
}

}  // namespace
}  // namespace eventhost::bench

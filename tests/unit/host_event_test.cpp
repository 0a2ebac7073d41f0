// The events the host makes for sources (event_new): a typical event's attributes fit the storage reserved up front.
#include "allocation_counter.hpp"
#include "runtime/event_impl.hpp"
#include "runtime/host_context.hpp"

#include <gtest/gtest.h>

#include <string_view>
#include <utility>
#include <vector>

namespace {

eh_str s(std::string_view v) { return {v.data(), v.size()}; }

// The attributes of the Kafka relay's events (bench/kafka), plus the two a Kafka-backed trigger adds.
const std::vector<std::pair<std::string_view, std::string_view>> kTypical = {
    {"id", "8f6a1f2c-4bde-4a39-9a57-6c0f2e0d1b7e"},
    {"source", "/apis/v1/namespaces/default/kafkasources/orders#orders"},
    {"type", "com.example.order.created"},
    {"time", "2026-01-01T00:00:00Z"},
    {"datacontenttype", "application/json"},
    {"knativekafkapartition", "7"},
    {"knativekafkaoffset", "1234567"},
};

TEST(HostEvent, ATypicalEventCostsItsObjectItsIndexAndItsText) {
  const eh_host_api* api = eventhost::host::host_api();
  eh_event* event = nullptr;
  int n = eventhost::testing::allocations_during([&] {
    event = api->event_new(nullptr);
    for (const auto& [name, value] : kTypical) api->event_set(event, s(name), s(value), EH_ATTR_STRING);
  });
  EXPECT_EQ(event->ce.attribute_count(), kTypical.size() + 1);  // and specversion
  EXPECT_EQ(n, 3);
  api->event_free(event);
}

}  // namespace

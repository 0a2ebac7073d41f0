// Issue 3's typical event, shared by the CloudEvents codec benchmark and its instruction counter: six attributes,
// two extensions (`partitionkey` String, `sequence` Integer) and 1 KiB of JSON data.
#pragma once

#include <eventhost/event.hpp>

#include <string>

namespace eventhost::bench {

// About 1 KiB of JSON shaped like a real payload: nested objects, an array, numbers, booleans, escapes.
inline std::string kib_order_json() {
  std::string items;
  for (int i = 0; i < 6; ++i) {
    if (i) items += ',';
    items += R"({"sku":"SKU-)" + std::to_string(1000 + i) +
             R"(","name":"Widget \"deluxe\" size )" + std::to_string(i) +
             R"(","quantity":)" + std::to_string(i + 1) + R"(,"price":)" + std::to_string(9 + i) +
             R"(.99,"gift":)" + (i % 2 ? "true" : "false") + "}";
  }
  return R"({"orderId":"ord-5f2c3b0e","customer":{"id":42,"name":"Zoë Müller","email":"zoe@example.com",)"
         R"("address":{"street":"1 Main St","city":"Zürich","zip":"8001","country":"CH"}},"items":[)" +
         items + R"(],"total":123.45,"currency":"CHF","paid":true,"notes":null})";
}

inline CloudEvent typical_event() {
  CloudEvent ev;
  ev.set("specversion", "1.0");
  ev.set("id", "5f2c3b0e-9a1d-4c8e-8f00-1d2e3f4a5b6c");
  ev.set("source", "/apis/v1/namespaces/default/pingsources/bench", EH_ATTR_URI_REF);
  ev.set("type", "com.example.order.created");
  ev.set("time", "2026-11-23T03:00:00.123Z", EH_ATTR_TIMESTAMP);
  ev.set("datacontenttype", "application/json");
  ev.set("partitionkey", "customer-42");
  ev.set("sequence", "1234567", EH_ATTR_INTEGER);
  ev.set_data(kib_order_json());
  return ev;
}

}  // namespace eventhost::bench

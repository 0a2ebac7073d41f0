// libFuzzer target: the JSON event format decoder, single events and batches. A decoded event must survive
// encode-then-decode with the same attributes (data may be re-serialized, so only its presence is compared).
#include <eventhost/cloudevents/json.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace ce = eventhost::ce;

namespace {

bool same_attributes(const eventhost::CloudEvent& a, const eventhost::CloudEvent& b) {
  if (a.attribute_count() != b.attribute_count() || a.has_data() != b.has_data()) return false;
  bool same = true;
  a.for_each([&](const eventhost::AttributeView& attr) {
    auto other = b.get_typed(attr.name);
    same = other && other->value == attr.value && other->type == attr.type;
    return same;
  });
  return same;
}

void check_round_trip(const eventhost::CloudEvent& event) {
  auto again = ce::from_json(ce::to_json(event));
  if (!again || !same_attributes(event, *again)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(bytes), size);
  if (auto event = ce::from_json(input)) check_round_trip(*event);
  if (auto events = ce::batch_from_json(input)) {
    for (const auto& event : *events) check_round_trip(event);
  }
  return 0;
}

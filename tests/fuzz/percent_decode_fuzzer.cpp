// libFuzzer target: header value decoding (quoted strings, percent-decoding, UTF-8 check). What it accepts is valid
// UTF-8, and percent_encode of any valid value decodes back to that value.
#include <eventhost/cloudevents/header_value.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace ce = eventhost::ce;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(bytes), size);
  std::string scratch;
  auto value = ce::decode_header_value(input, scratch);
  if (value && !ce::is_valid_utf8(*value)) std::abort();
  if (ce::is_valid_utf8(input)) {
    std::string encoded = ce::percent_encode(input);
    std::string scratch2;
    auto decoded = ce::decode_header_value(encoded, scratch2);
    if (!decoded || *decoded != input) std::abort();
  }
  return 0;
}

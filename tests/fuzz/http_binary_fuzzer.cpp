// libFuzzer target: the HTTP decoder, mostly in binary mode. Input framing: header lines "Name: value" separated by
// '\n', an empty line, then the body. A binary-mode event must come back equal from to_http_binary.
#include <eventhost/cloudevents/http.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace ce = eventhost::ce;

namespace {

ce::HttpMessage frame(std::string_view input) {
  ce::HttpMessage message;
  while (!input.empty()) {
    size_t end = input.find('\n');
    std::string_view line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
    if (line.empty()) break;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    message.headers.emplace_back(line.substr(0, colon), line.substr(colon + 1));
  }
  message.body = input;
  return message;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  ce::HttpMessage message = frame({reinterpret_cast<const char*>(bytes), size});
  auto event = ce::from_http(message);
  if (!event || ce::content_mode(message.header("content-type")) != ce::ContentMode::binary) return 0;
  auto again = ce::from_http(ce::to_http_binary(*event));
  if (!again || !(*again == *event)) std::abort();
  return 0;
}

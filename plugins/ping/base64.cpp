#include "base64.hpp"

#include <array>

namespace eventhost::ping {
namespace {

constexpr int kInvalid = -1;

constexpr std::array<int, 256> make_alphabet() {
  std::array<int, 256> values{};
  values.fill(kInvalid);
  constexpr std::string_view chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < chars.size(); ++i) values[static_cast<unsigned char>(chars[i])] = static_cast<int>(i);
  return values;
}

constexpr std::array<int, 256> kAlphabet = make_alphabet();

}  // namespace

Result<std::string> decode_base64(std::string_view text) {
  if (text.size() % 4 != 0) {
    return Status::invalid("base64 length " + std::to_string(text.size()) + " is not a multiple of 4");
  }
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') padding = text[text.size() - 2] == '=' ? 2 : 1;
  const size_t payload = text.size() - padding;

  std::string out;
  out.reserve(text.size() / 4 * 3);
  uint32_t buffer = 0;
  int bits = 0;
  for (size_t i = 0; i < payload; ++i) {
    int value = kAlphabet[static_cast<unsigned char>(text[i])];
    if (value == kInvalid) {
      return Status::invalid("invalid base64 character '" + std::string(1, text[i]) + "' at position " +
                             std::to_string(i));
    }
    buffer = (buffer << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  return out;
}

}  // namespace eventhost::ping

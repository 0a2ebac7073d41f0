// Decoding of standard base64 (RFC 4648 section 4, padded), the encoding of Knative's dataBase64.
#pragma once

#include <eventhost/status.hpp>

#include <string>
#include <string_view>

namespace eventhost::ping {

// The decoded bytes, or an error giving the position of the first offending character.
Result<std::string> decode_base64(std::string_view text);

}  // namespace eventhost::ping

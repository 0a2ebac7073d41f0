// SAX reading of the JSON event format (json-format.md): events are built straight from the parser's callbacks,
// without a DOM. A JSON `data` value is kept as its compact text: copied from the input when it is compact already,
// re-serialized otherwise.
#pragma once

#include <eventhost/cloudevents/base64.hpp>
#include <eventhost/cloudevents/media_type.hpp>
#include <eventhost/cloudevents/types.hpp>
#include <eventhost/cloudevents/unicode.hpp>
#include <eventhost/cloudevents/validate.hpp>
#include <eventhost/event.hpp>
#include <eventhost/status.hpp>

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace eventhost::ce::detail {

// A RapidJSON output stream that appends to a std::string, so written JSON needs no copy afterwards.
struct StringOutput {
  using Ch = char;
  std::string* out;
  void Put(char c) { out->push_back(c); }
  void Flush() {}
};

// Numbers stay text (exact, no range limit) and deep nesting cannot exhaust the stack.
inline constexpr unsigned kJsonParseFlags = rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseIterativeFlag;
inline constexpr unsigned kJsonValidatingParseFlags = kJsonParseFlags | rapidjson::kParseValidateEncodingFlag;

// Text already known to be valid UTF-8 skips RapidJSON's slower per-string check; other text keeps it, so invalid
// UTF-8 is refused with RapidJSON's own message and offset.
template <typename Handler>
rapidjson::ParseResult parse_json(rapidjson::MemoryStream& stream, std::string_view text, Handler& handler) {
  rapidjson::Reader reader;
  if (is_valid_utf8(text)) return reader.Parse<kJsonParseFlags>(stream, handler);
  return reader.Parse<kJsonValidatingParseFlags>(stream, handler);
}

// MemoryStream reports a NUL byte as the end of input, so text after one would go unread. No JSON contains one.
inline bool has_nul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

inline bool is_json_text(std::string_view text) {
  if (has_nul(text)) return false;
  rapidjson::MemoryStream stream(text.data(), text.size());
  rapidjson::BaseReaderHandler<> ignore;
  return !parse_json(stream, text, ignore).IsError();
}

// A Writer that keeps numbers parsed as strings (kParseNumbersAsStringsFlag) as numbers: Writer::RawNumber
// quotes them in RapidJSON 1.1.
struct CompactWriter : rapidjson::Writer<StringOutput> {
  using rapidjson::Writer<StringOutput>::Writer;
  bool RawNumber(const char* s, rapidjson::SizeType len, bool) { return RawValue(s, len, rapidjson::kNumberType); }
};

// The first index from `i` that may hold '"' or '\\' (or the last index), skipping 8 bytes at a time: inside a JSON
// string, only those two matter to is_compact_json.
inline size_t skip_plain_string_bytes(std::string_view text, size_t i) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL, kHighs = 0x8080808080808080ULL;
  auto has_byte = [](uint64_t word, unsigned char b) {
    uint64_t x = word ^ (kOnes * b);
    return ((x - kOnes) & ~x & kHighs) != 0;
  };
  while (i + 8 < text.size()) {
    uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    if (has_byte(word, '"') || has_byte(word, '\\')) break;
    i += 8;
  }
  return i;
}

// True when valid JSON `text` is exactly what CompactWriter writes for it: no whitespace between tokens, and only
// the escapes the Writer uses (\" \\ \b \f \n \r \t, and \u00XX in upper-case hex for other control characters).
inline bool is_compact_json(std::string_view text) {
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (in_string) i = skip_plain_string_bytes(text, i);
    char c = text[i];
    if (!in_string) {
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return false;
      in_string = c == '"';
      continue;
    }
    if (c == '"') {
      in_string = false;
    } else if (c == '\\') {
      char e = text[++i];  // in valid JSON a backslash is never last
      if (e == '"' || e == '\\' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') continue;
      if (e != 'u' || text.compare(i + 1, 2, "00") != 0) return false;
      char hi = text[i + 3], lo = text[i + 4];
      int code = (hi - '0') << 4 | (lo >= 'A' ? lo - 'A' + 10 : lo - '0');
      bool upper_hex = (hi == '0' || hi == '1') && ((lo >= '0' && lo <= '9') || (lo >= 'A' && lo <= 'F'));
      if (!upper_hex || code == 0x08 || code == 0x09 || code == 0x0A || code == 0x0C || code == 0x0D) return false;
      i += 4;
    }
  }
  return true;
}

// The compact form of valid JSON `text`.
inline std::string compact_json(std::string_view text) {
  std::string out;
  StringOutput output{&out};
  CompactWriter writer(output);
  rapidjson::MemoryStream stream(text.data(), text.size());
  rapidjson::Reader().Parse<kJsonParseFlags>(stream, writer);
  return out;
}

class JsonEventHandler : public rapidjson::BaseReaderHandler<rapidjson::UTF8<>, JsonEventHandler> {
 public:
  explicit JsonEventHandler(bool batch) : batch_(batch), event_depth_(batch ? 2 : 1) {}

  std::vector<CloudEvent> events;
  Status error;
  const rapidjson::MemoryStream* stream = nullptr;  // the input being parsed, for the text of JSON data values

  bool Null() {
    if (capturing_) return true;
    if (!at_member_value()) return not_an_object();
    if (key_ == "data") return capture_scalar([](Writer& w) { return w.Null(); });
    return true;  // null means unset, for data_base64 as for attributes
  }
  bool Bool(bool b) {
    if (capturing_) return true;
    if (!at_member_value()) return not_an_object();
    if (key_ == "data") return capture_scalar([&](Writer& w) { return w.Bool(b); });
    if (key_ == "data_base64") return not_base64();
    if (!is_extension()) return fail(key_ + ": must be a JSON string");
    event_.set(key_, canonical_boolean(b), EH_ATTR_BOOLEAN);
    return true;
  }
  bool RawNumber(const char* s, rapidjson::SizeType len, bool) {
    // RawValue, not Writer::RawNumber, which quotes the number in RapidJSON 1.1.
    if (capturing_) return true;
    auto write = [&](Writer& w) { return w.RawValue(s, len, rapidjson::kNumberType); };
    if (!at_member_value()) return not_an_object();
    if (key_ == "data") return capture_scalar(write);
    if (key_ == "data_base64") return not_base64();
    if (!is_extension()) return fail(key_ + ": must be a JSON string");
    auto n = parse_integer({s, len});
    if (!n) return fail(key_ + ": not a signed 32-bit Integer: " + in_quotes({s, len}));
    event_.set(key_, canonical_integer(*n), EH_ATTR_INTEGER);
    return true;
  }
  bool String(const char* s, rapidjson::SizeType len, bool) {
    std::string_view value(s, len);
    if (capturing_) return true;
    if (!at_member_value()) return not_an_object();
    if (key_ == "data") {
      data_ = DataKind::string;
      data_text_.assign(value);
      return true;
    }
    if (key_ == "data_base64") {
      auto bytes = base64_decode(value);
      if (!bytes) return fail("data_base64: not canonical base64 (RFC 4648)");
      data_ = DataKind::bytes;
      data_text_ = std::move(*bytes);
      return true;
    }
    event_.set(key_, value, string_attribute_type(key_));
    return true;
  }

  bool StartObject() {
    if (capturing_) return nest(+1);
    if (depth_ == event_depth_ - 1) return start_event();
    if (at_member_value() && key_ == "data") return start_capture();
    if (at_member_value() && key_ == "data_base64") return not_base64();
    if (at_member_value()) return fail(key_ + ": must be a string, number or boolean, not an object");
    return not_an_object();
  }
  bool Key(const char* s, rapidjson::SizeType len, bool) {
    if (capturing_) return true;
    key_.assign(s, len);
    if (key_ == "data" || key_ == "data_base64") {
      if (data_member_) return fail(data_member_name_ == key_ ? key_ + ": appears more than once"
                                                             : "data and data_base64 are mutually exclusive");
      data_member_ = true;
      data_member_name_ = key_ == "data" ? "data" : "data_base64";
      return true;
    }
    if (!is_attribute_name(key_)) {
      return fail("member " + in_quotes(key_) + " is not an attribute name (lower-case letters and digits only)");
    }
    if (event_.has(key_)) return fail(key_ + ": appears more than once");
    return true;
  }
  bool EndObject(rapidjson::SizeType) {
    if (capturing_) return nest(-1);
    --depth_;
    return finish_event();
  }
  bool StartArray() {
    if (capturing_) return nest(+1);
    if (batch_ && depth_ == 0) {
      ++depth_;
      return true;
    }
    if (at_member_value() && key_ == "data") return start_capture();
    if (at_member_value() && key_ == "data_base64") return not_base64();
    if (at_member_value()) return fail(key_ + ": must be a string, number or boolean, not an array");
    return not_an_object();
  }
  bool EndArray(rapidjson::SizeType) {
    if (capturing_) return nest(-1);
    --depth_;
    return true;
  }

 private:
  using Writer = rapidjson::Writer<StringOutput>;
  enum class DataKind { none, string, json, bytes };

  bool at_member_value() const { return in_event_ && depth_ == event_depth_; }
  bool is_extension() const { return !spec_attribute_type(key_).has_value(); }

  bool fail(std::string message) {
    bool inside_batch = batch_ && depth_ > 0;
    error = Status::invalid(inside_batch ? "event " + std::to_string(events.size()) + ": " + message
                                         : std::move(message));
    return false;
  }
  bool not_base64() { return fail("data_base64: must be a base64 string"); }
  bool not_an_object() {
    return fail(batch_ && depth_ == 0 ? "a batch must be a JSON array of events" : "an event must be a JSON object");
  }

  bool start_event() {
    ++depth_;
    in_event_ = true;
    event_ = CloudEvent();
    data_ = DataKind::none;
    data_member_ = false;
    return true;
  }

  // At the '{' or '[' of a JSON data value, which the parser has not consumed yet.
  bool start_capture() {
    data_ = DataKind::json;
    capturing_ = true;
    capture_depth_ = depth_;
    capture_start_ = stream->Tell();
    return nest(+1);
  }
  template <typename Write>
  bool capture_scalar(Write write) {
    data_ = DataKind::json;
    data_text_.clear();
    output_.out = &data_text_;
    writer_.Reset(output_);
    return write(writer_);
  }
  // Inside a JSON data value; at its closing '}' or ']' (not consumed yet) the value's text is complete.
  bool nest(int depth_change) {
    depth_ += depth_change;
    if (depth_ != capture_depth_) return true;
    capturing_ = false;
    std::string_view text(stream->begin_ + capture_start_, stream->Tell() + 1 - capture_start_);
    if (is_compact_json(text)) {
      data_text_.assign(text);
    } else {
      data_text_ = compact_json(text);
    }
    return true;
  }

  bool finish_event() {
    in_event_ = false;
    if (Status s = validate(event_); !s) return fail(s.message());
    if (data_ == DataKind::string || data_ == DataKind::json) {
      bool json_content = is_json_content_type(event_.get("datacontenttype"));
      if (!json_content && data_ == DataKind::json) {
        return fail("data: must be a JSON string, as datacontenttype " + in_quotes(*event_.get("datacontenttype")) +
                    " is not JSON");
      }
      if (json_content && data_ == DataKind::string) data_text_ = json_string(data_text_);
    }
    if (data_ != DataKind::none) event_.set_data(std::move(data_text_));
    events.push_back(std::move(event_));
    return true;
  }

  static std::string json_string(std::string_view value) {
    std::string text;
    StringOutput out{&text};
    Writer writer(out);
    writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    return text;
  }

  bool batch_;
  int event_depth_;
  int depth_ = 0;
  bool in_event_ = false;
  CloudEvent event_;
  std::string key_;
  DataKind data_ = DataKind::none;
  bool data_member_ = false;  // "data" or "data_base64" seen
  std::string_view data_member_name_;
  std::string data_text_;
  bool capturing_ = false;
  int capture_depth_ = 0;
  size_t capture_start_ = 0;
  StringOutput output_{nullptr};
  Writer writer_;
};

// Parses `json` as one event (batch = false) or a batch array (batch = true) into handler.events.
inline Status read_json_events(std::string_view json, JsonEventHandler& handler) {
  if (has_nul(json)) return Status::invalid("not valid JSON: contains a NUL byte");
  rapidjson::MemoryStream stream(json.data(), json.size());
  handler.stream = &stream;
  rapidjson::ParseResult result = parse_json(stream, json, handler);
  if (!handler.error.is_ok()) return handler.error;
  if (result.IsError()) {
    return Status::invalid(std::string("not valid JSON at offset ") + std::to_string(result.Offset()) + ": " +
                           rapidjson::GetParseError_En(result.Code()));
  }
  return Status::ok();
}

}  // namespace eventhost::ce::detail

// SAX reading of the JSON event format (json-format.md): events are built straight from the parser's callbacks,
// without a DOM. A JSON `data` value is kept as its compact text: copied from the input when it is compact already,
// re-serialized otherwise.
//
// The parse is in situ: RapidJSON reads a per-thread copy of the input and hands out strings where they lie in that
// copy, instead of pushing every character of every string onto its own stack. Attribute names and values are
// therefore views into the copy until the event is complete, and each event's storage is reserved once, at its
// final size.
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

#include <bit>
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
// UTF-8 is refused with RapidJSON's own message and offset. `extra_flags` may add kParseInsituFlag.
template <unsigned extra_flags = 0, typename Stream, typename Handler>
rapidjson::ParseResult parse_json(Stream& stream, std::string_view text, Handler& handler) {
  rapidjson::Reader reader;
  if (is_valid_utf8(text)) return reader.Parse<kJsonParseFlags | extra_flags>(stream, handler);
  return reader.Parse<kJsonValidatingParseFlags | extra_flags>(stream, handler);
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

// The index of the first '"' or '\\' from `i` on (text.size() if none), 8 bytes at a time: inside a JSON string,
// only those two matter to scan_json_container.
inline size_t find_quote_or_backslash(std::string_view text, size_t i) {
  // On a little-endian machine the first byte of a word is its lowest, so the lowest bit that byte_matches sets
  // marks the first matching byte.
  for (; std::endian::native == std::endian::little && i + 8 <= text.size(); i += 8) {
    uint64_t matches = byte_matches(load8(text.data() + i), '"') | byte_matches(load8(text.data() + i), '\\');
    if (matches != 0) return i + static_cast<size_t>(std::countr_zero(matches)) / 8;
  }
  while (i < text.size() && text[i] != '"' && text[i] != '\\') ++i;
  return i;
}

// True when the escape at text[i] ('\\' then at least one more character, as valid JSON guarantees) is one that
// CompactWriter writes: \" \\ \b \f \n \r \t, or \u00XX in upper-case hex for the other control characters.
inline bool is_compact_escape(std::string_view text, size_t i) {
  char e = text[i + 1];
  if (e == '"' || e == '\\' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') return true;
  if (e != 'u' || text.compare(i + 2, 2, "00") != 0) return false;
  char hi = text[i + 4], lo = text[i + 5];
  int code = (hi - '0') << 4 | (lo >= 'A' ? lo - 'A' + 10 : lo - '0');
  bool upper_hex = (hi == '0' || hi == '1') && ((lo >= '0' && lo <= '9') || (lo >= 'A' && lo <= 'F'));
  return upper_hex && code != 0x08 && code != 0x09 && code != 0x0A && code != 0x0C && code != 0x0D;
}

struct ContainerScan {
  size_t length;  // up to and including the closing '}' or ']'
  bool compact;   // exactly what CompactWriter writes for it: no whitespace between tokens, only its escapes
};

// Scans the JSON object or array at the start of `text`, whose every token up to its closing bracket the parser has
// already accepted. One pass finds where the value ends and whether it is compact.
inline ContainerScan scan_json_container(std::string_view text) {
  bool in_string = false, compact = true;
  int depth = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (in_string) {
      i = find_quote_or_backslash(text, i);
      if (i == text.size()) break;
      if (text[i] == '"') {
        in_string = false;
      } else if (text[i] == '\\') {
        compact = compact && is_compact_escape(text, i);
        i += text[i + 1] == 'u' ? 5 : 1;
      }
      continue;
    }
    switch (text[i]) {
      case ' ': case '\t': case '\n': case '\r': compact = false; break;
      case '"': in_string = true; break;
      case '{': case '[': ++depth; break;
      case '}': case ']':
        if (--depth == 0) return {i + 1, compact};
        break;
      default: break;
    }
  }
  return {text.size(), compact};  // not reached for text the parser accepted
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
  explicit JsonEventHandler(bool batch) : batch_(batch), event_depth_(batch ? 2 : 1) {
    attributes_.reserve(kTypicalAttributeCount);  // one allocation per document, not one per attribute
  }

  std::vector<CloudEvent> events;
  Status error;
  // Set by read_json_events: the untouched input, from which JSON data values are taken, and the in-situ copy, at
  // whose offsets they begin.
  std::string_view input;
  const char* insitu = nullptr;

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
    if (!is_extension()) return fail(std::string(key_) + ": must be a JSON string");
    attributes_.push_back({key_, canonical_boolean(b), EH_ATTR_BOOLEAN});
    return true;
  }
  bool RawNumber(const char* s, rapidjson::SizeType len, bool) {
    // RawValue, not Writer::RawNumber, which quotes the number in RapidJSON 1.1.
    if (capturing_) return true;
    auto write = [&](Writer& w) { return w.RawValue(s, len, rapidjson::kNumberType); };
    if (!at_member_value()) return not_an_object();
    if (key_ == "data") return capture_scalar(write);
    if (key_ == "data_base64") return not_base64();
    if (!is_extension()) return fail(std::string(key_) + ": must be a JSON string");
    std::string_view text(s, len);
    if (!parse_integer(text)) return fail(std::string(key_) + ": not a signed 32-bit Integer: " + in_quotes(text));
    // parse_integer accepts exactly the canonical decimal forms, and "-0", whose canonical form is "0".
    attributes_.push_back({key_, text == "-0" ? std::string_view("0") : text, EH_ATTR_INTEGER});
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
    attributes_.push_back({key_, value, string_attribute_type(key_)});
    return true;
  }

  bool StartObject() {
    if (capturing_) return nest(+1);
    if (depth_ == event_depth_ - 1) return start_event();
    if (at_member_value() && key_ == "data") return start_capture();
    if (at_member_value() && key_ == "data_base64") return not_base64();
    if (at_member_value()) return fail(std::string(key_) + ": must be a string, number or boolean, not an object");
    return not_an_object();
  }
  bool Key(const char* s, rapidjson::SizeType len, bool) {
    if (capturing_) return true;
    key_ = std::string_view(s, len);
    if (key_ == "data" || key_ == "data_base64") {
      if (data_member_) return fail(data_member_name_ == key_ ? std::string(key_) + ": appears more than once"
                                                             : "data and data_base64 are mutually exclusive");
      data_member_ = true;
      data_member_name_ = key_ == "data" ? "data" : "data_base64";
      data_key_offset_ = static_cast<size_t>(s - insitu);  // in situ, a string starts where its text does
      return true;
    }
    if (!is_attribute_name(key_)) {
      return fail("member " + in_quotes(key_) + " is not an attribute name (lower-case letters and digits only)");
    }
    if (has_attribute(key_)) return fail(std::string(key_) + ": appears more than once");
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
    if (at_member_value()) return fail(std::string(key_) + ": must be a string, number or boolean, not an array");
    return not_an_object();
  }
  bool EndArray(rapidjson::SizeType) {
    if (capturing_) return nest(-1);
    --depth_;
    return true;
  }

 private:
  using Writer = rapidjson::Writer<StringOutput>;
  static constexpr size_t kTypicalAttributeCount = 16;
  enum class DataKind { none, string, json, bytes };

  bool at_member_value() const { return in_event_ && depth_ == event_depth_; }
  bool is_extension() const {
    AttributeType ignored;
    return !spec_type_of(key_, ignored);
  }
  bool has_attribute(std::string_view name) const {
    for (const AttributeView& a : attributes_) {
      if (a.name == name) return true;
    }
    return false;
  }

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
    attributes_.clear();
    data_ = DataKind::none;
    data_member_ = false;
    return true;
  }

  // At the '{' or '[' of a JSON data value.
  bool start_capture() {
    data_ = DataKind::json;
    capturing_ = true;
    capture_depth_ = depth_;
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
  // Inside a JSON data value; at its closing '}' or ']' the parser has accepted all of its text.
  bool nest(int depth_change) {
    depth_ += depth_change;
    if (depth_ != capture_depth_) return true;
    capturing_ = false;
    std::string_view value = input.substr(data_value_offset());
    ContainerScan scan = scan_json_container(value);
    value = value.substr(0, scan.length);
    if (scan.compact) {
      data_text_.assign(value);
    } else {
      data_text_ = compact_json(value);
    }
    return true;
  }
  // Where the data member's value starts in the input: after the rest of its key, the ':' and any whitespace.
  size_t data_value_offset() const {
    size_t i = data_key_offset_;
    while (input[i] != '"') i += input[i] == '\\' ? 2 : 1;  // the key as written, which may hold escapes
    ++i;
    while (input[i] != '{' && input[i] != '[') ++i;  // only whitespace and the ':' lie between
    return i;
  }

  bool finish_event() {
    in_event_ = false;
    CloudEvent event;  // built at its final size: one allocation for its attributes
    size_t bytes = 0;
    for (const AttributeView& a : attributes_) bytes += a.name.size() + a.value.size();
    event.reserve(attributes_.size(), bytes);
    for (const AttributeView& a : attributes_) event.add(a.name, a.value, a.type);
    if (Status s = validate(event); !s) return fail(s.message());
    if (data_ == DataKind::string || data_ == DataKind::json) {
      bool json_content = is_json_content_type(event.get("datacontenttype"));
      if (!json_content && data_ == DataKind::json) {
        return fail("data: must be a JSON string, as datacontenttype " + in_quotes(*event.get("datacontenttype")) +
                    " is not JSON");
      }
      if (json_content && data_ == DataKind::string) data_text_ = json_string(data_text_);
    }
    if (data_ != DataKind::none) event.set_data(std::move(data_text_));
    events.push_back(std::move(event));
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
  std::vector<AttributeView> attributes_;  // of the event being read: views into the in-situ copy
  std::string_view key_;
  DataKind data_ = DataKind::none;
  bool data_member_ = false;  // "data" or "data_base64" seen
  std::string_view data_member_name_;
  std::string data_text_;
  bool capturing_ = false;
  int capture_depth_ = 0;
  size_t data_key_offset_ = 0;
  StringOutput output_{nullptr};
  Writer writer_;
};

// The per-thread copy that in-situ parsing reads and overwrites. It keeps its capacity between documents, so a
// decode costs no allocation for it once it fits, unless a document was larger than kKeptBytes: that one's memory
// is given back rather than held by the thread for good.
class InsituBuffer {
 public:
  static constexpr size_t kKeptBytes = 64 * 1024;

  explicit InsituBuffer(std::string_view json) : text_(storage()) { text_.assign(json); }
  ~InsituBuffer() {
    if (text_.capacity() > kKeptBytes) std::string().swap(text_);
  }
  InsituBuffer(const InsituBuffer&) = delete;
  InsituBuffer& operator=(const InsituBuffer&) = delete;

  char* data() { return text_.data(); }  // NUL-terminated, as InsituStringStream needs

 private:
  static std::string& storage() {
    thread_local std::string text;
    return text;
  }
  std::string& text_;
};

// Parses `json` as one event (batch = false) or a batch array (batch = true) into handler.events.
inline Status read_json_events(std::string_view json, JsonEventHandler& handler) {
  if (has_nul(json)) return Status::invalid("not valid JSON: contains a NUL byte");
  InsituBuffer copy(json);
  rapidjson::InsituStringStream stream(copy.data());
  handler.input = json;
  handler.insitu = copy.data();
  rapidjson::ParseResult result = parse_json<rapidjson::kParseInsituFlag>(stream, json, handler);
  if (!handler.error.is_ok()) return handler.error;
  if (result.IsError()) {
    return Status::invalid(std::string("not valid JSON at offset ") + std::to_string(result.Offset()) + ": " +
                           rapidjson::GetParseError_En(result.Code()));
  }
  return Status::ok();
}

}  // namespace eventhost::ce::detail

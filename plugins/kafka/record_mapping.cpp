#include "record_mapping.hpp"

#include <eventhost/cloudevents/base64.hpp>
#include <eventhost/cloudevents/unicode.hpp>

#include <bit>
#include <charconv>
#include <cstring>
#include <ctime>

namespace eventhost::kafka {
namespace {

constexpr std::string_view kEventType = "dev.knative.kafka.event";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    char y = b[i] >= 'A' && b[i] <= 'Z' ? static_cast<char>(b[i] - 'A' + 'a') : b[i];
    if (x != y) return false;
  }
  return true;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// What the CloudEvents Kafka binding would read as an event: a structured content type or a ce_specversion header.
bool claims_to_be_cloudevent(const ce::KafkaRecordView& record) {
  if (record.header("ce_specversion")) return true;
  auto content_type = record.header(ce::kKafkaContentType);
  return content_type && ce::content_mode(content_type) != ce::ContentMode::binary;
}

// Java's OffsetDateTime.toString() in UTC, which Knative uses: milliseconds only when they are not zero.
std::string format_timestamp(int64_t ms) {
  int64_t seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000;
  auto millis = static_cast<int>(ms - seconds * 1000);
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::string out(buf, n);
  if (millis != 0) {
    char frac[8];
    std::snprintf(frac, sizeof frac, ".%03d", millis);
    out += frac;
  }
  out += 'Z';
  return out;
}

template <typename T>
T read_big_endian(std::string_view bytes) {
  using U = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  U v = 0;
  for (unsigned char b : bytes) v = (v << 8) | b;
  return std::bit_cast<T>(v);
}

template <typename T>
std::string shortest(T value) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  return std::string(buf, end);
}

// The key as the `key` and `partitionkey` extensions. Lengths that do not fit the asked type fall back to bytes,
// as Knative's key type mappers do.
void set_key(CloudEvent& event, std::string_view key, KeyType type) {
  auto both = [&](std::string_view value, AttributeType t) {
    event.set("key", value, t);
    event.set("partitionkey", value, t);
  };
  switch (type) {
    case KeyType::string:
      both(to_ce_string(key), EH_ATTR_STRING);
      return;
    case KeyType::integer:
      if (key.size() == 4) {
        both(std::to_string(read_big_endian<int32_t>(key)), EH_ATTR_INTEGER);
        return;
      }
      if (key.size() == 8) {
        int64_t v = read_big_endian<int64_t>(key);
        bool fits = v >= INT32_MIN && v <= INT32_MAX;  // CloudEvents Integer is 32 bits; wider values stay text
        both(std::to_string(v), fits ? EH_ATTR_INTEGER : EH_ATTR_STRING);
        return;
      }
      break;
    case KeyType::floating:
      // CloudEvents has no floating-point type: the number travels as its shortest decimal text.
      if (key.size() == 4) {
        both(shortest(read_big_endian<float>(key)), EH_ATTR_STRING);
        return;
      }
      if (key.size() == 8) {
        both(shortest(read_big_endian<double>(key)), EH_ATTR_STRING);
        return;
      }
      break;
    case KeyType::bytes:
      break;
  }
  both(ce::base64_encode(key), EH_ATTR_BINARY);
}

void knative_event(const ce::KafkaRecordView& record, const RecordOrigin& origin, const SourceIdentity& source,
                   KeyType key_type, CloudEvent& event) {
  event.clear();
  const std::string partition = std::to_string(origin.partition);
  const std::string offset = std::to_string(origin.offset);
  event.set("specversion", "1.0");
  event.set("id", "partition:" + partition + "/offset:" + offset);
  event.set("source",
            "/apis/v1/namespaces/" + source.ns + "/kafkasources/" + source.name + "#" + std::string(origin.topic),
            EH_ATTR_URI_REF);
  event.set("type", kEventType);
  event.set("subject", "partition:" + partition + "#" + offset);
  if (origin.timestamp_ms) event.set("time", format_timestamp(*origin.timestamp_ms), EH_ATTR_TIMESTAMP);
  if (record.key) set_key(event, *record.key, key_type);
  for (const auto& [name, value] : record.headers) {
    if (iequals(name, ce::kKafkaContentType)) {
      std::string content_type = lower(to_ce_string(value));
      if (ce::parse_media_type(content_type)) {
        event.set("datacontenttype", content_type);
        continue;
      }
    }
    event.set(header_extension_name(name), to_ce_string(value));
  }
  if (record.value) event.set_data(*record.value);
}

}  // namespace

std::optional<KeyType> parse_key_type(std::string_view name) {
  if (name == "string") return KeyType::string;
  if (name == "int") return KeyType::integer;
  if (name == "float") return KeyType::floating;
  if (name == "byte-array") return KeyType::bytes;
  return std::nullopt;
}

std::string header_extension_name(std::string_view header_name) {
  std::string out = "kafkaheader";
  for (char c : header_name) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
  }
  return out;
}

std::string to_ce_string(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    size_t start = i;
    auto cp = ce::next_code_point(bytes, i);
    if (!cp) {
      out += kReplacement;
      i = start + 1;
    } else if (ce::is_control(*cp) || ce::is_noncharacter(*cp)) {
      out += kReplacement;
    } else {
      out.append(bytes.substr(start, i - start));
    }
  }
  return out;
}

void map_record(const ce::KafkaRecordView& record, const RecordOrigin& origin, const SourceIdentity& source,
                KeyType key_type, MappedEvent& out) {
  out.passed_through = claims_to_be_cloudevent(record) && ce::from_kafka(record, out.event);
  if (!out.passed_through) knative_event(record, origin, source, key_type, out.event);
}

}  // namespace eventhost::kafka

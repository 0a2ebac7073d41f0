// Kafka record -> CloudEvent, as Knative's KafkaSource does it: records that are CloudEvents (binary or structured
// content mode) pass through; any other record becomes a `dev.knative.kafka.event` built from its metadata.
#pragma once

#include <eventhost/cloudevents/kafka.hpp>
#include <eventhost/event.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace eventhost::kafka {

// Where a record came from; the record itself is a ce::KafkaRecordView.
struct RecordOrigin {
  std::string_view topic;
  int32_t partition = 0;
  int64_t offset = 0;
  std::optional<int64_t> timestamp_ms;  // nullopt when the record carries none
};

// How the record key is read (Knative's `kafka.eventing.knative.dev/key-type`).
enum class KeyType { string, integer, floating, bytes };
std::optional<KeyType> parse_key_type(std::string_view name);

// Who is reading: names the source in `/apis/v1/namespaces/<ns>/kafkasources/<name>#<topic>`.
struct SourceIdentity {
  std::string ns;
  std::string name;
};

struct MappedEvent {
  CloudEvent event;
  bool passed_through = false;  // the record was a CloudEvent
};

// Never fails: a record that claims to be a CloudEvent but is not a valid one is wrapped like any other record,
// so that the partition keeps moving (Knative's InvalidCloudEventInterceptor does the same). Writes into `out`,
// reusing its storage: a consumer that maps every record into the same MappedEvent allocates nothing for a
// binary-mode CloudEvent once that storage has grown to fit.
void map_record(const ce::KafkaRecordView& record, const RecordOrigin& origin, const SourceIdentity& source,
                KeyType key_type, MappedEvent& out);

// Lower-cased, then everything outside [a-z0-9] dropped, prefixed with "kafkaheader".
std::string header_extension_name(std::string_view header_name);

// Bytes as a valid CloudEvents String: ill-formed UTF-8, control characters and noncharacters become U+FFFD.
std::string to_ce_string(std::string_view bytes);

}  // namespace eventhost::kafka

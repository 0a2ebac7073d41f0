// Decodes issue 3's typical event COUNT times in one mode, for counting instructions per decode under callgrind:
// unlike times, instruction counts do not change with the load of a shared machine.
//
//   valgrind --tool=callgrind --toggle-collect='*decode_repeatedly*' --callgrind-out-file=ce.out
//            BUILD/bench/micro/eventhost-cloudevents-instructions json 2000
//   callgrind_annotate ce.out | grep 'PROGRAM TOTALS'     (then divide by COUNT)
//
// Modes: json, http-binary, http-binary-into (one reused event), kafka-binary, kafka-binary-into.
#include "cloudevents_typical_event.hpp"

#include <eventhost/cloudevents/http.hpp>
#include <eventhost/cloudevents/json.hpp>
#include <eventhost/cloudevents/kafka.hpp>

#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace {

using namespace eventhost;

// Not inlined, so that callgrind can collect inside it alone.
template <typename Decode>
[[gnu::noinline]] bool decode_repeatedly(int count, Decode decode) {
  bool all_ok = true;
  for (int i = 0; i < count; ++i) all_ok = decode() && all_ok;
  return all_ok;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s json|http-binary|http-binary-into|kafka-binary|kafka-binary-into COUNT\n", argv[0]);
    return 2;
  }
  std::string_view mode = argv[1];
  int count = std::atoi(argv[2]);
  const CloudEvent event = bench::typical_event();
  const std::string json = ce::to_json(event);
  const ce::HttpMessage message = ce::to_http_binary(event);
  const ce::KafkaRecord record = ce::to_kafka_binary(event);
  CloudEvent reused;
  bool ok;
  if (mode == "json") {
    ok = decode_repeatedly(count, [&] { return ce::from_json(json).is_ok(); });
  } else if (mode == "http-binary") {
    ok = decode_repeatedly(count, [&] { return ce::from_http(message).is_ok(); });
  } else if (mode == "http-binary-into") {
    ok = decode_repeatedly(count, [&] { return ce::from_http(message, reused).is_ok(); });
  } else if (mode == "kafka-binary") {
    ok = decode_repeatedly(count, [&] { return ce::from_kafka(record).is_ok(); });
  } else if (mode == "kafka-binary-into") {
    ok = decode_repeatedly(count, [&] { return ce::from_kafka(record, reused).is_ok(); });
  } else {
    std::fprintf(stderr, "unknown mode '%s'\n", argv[1]);
    return 2;
  }
  return ok ? 0 : 1;
}

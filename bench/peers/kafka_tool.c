/* The Kafka ends of bench/peers: writes the scenario's events and reads what a system wrote, with plain librdkafka,
 * so every system is fed and read the same way. It is also the raw ceiling of producing and consuming.
 *
 *   kafka-tool produce BOOTSTRAP TOPIC COUNT RATE BODY_FILE
 *       COUNT binary-mode CloudEvents (six attributes: specversion, id, source, type, time, datacontenttype) with
 *       BODY_FILE as data, acks=all and idempotence. RATE events/s, or 0 for as fast as librdkafka takes them.
 *       ce_time is the moment each record is handed to librdkafka (microseconds), so a reader can tell its age.
 *       At a fixed RATE, one more record goes first, without ce_time (so no reader ages it), and is delivered before
 *       the clock starts: the producer has its connection, producer id and the topic's metadata by then, so its
 *       own start-up (about a second on a loaded machine) is not counted against the system under test.
 *       The seconds reported at full speed run from the first delivery report to the last.
 *       Every "ns-0" in the body becomes ns-<i % 10>: the Kubernetes events of the fanout span ten namespaces.
 *   kafka-tool consume BOOTSTRAP TOPIC_OR_^REGEX GROUP COUNT [WARM]
 *       reads COUNT records from the beginning; seconds from the first to the last, and the age of each record
 *       (now - ce_time) at arrival; and the last hop's share of it: now - the record's Kafka timestamp (the moment
 *       the system that wrote it handed it to its producer, for a CreateTime topic). The first WARM records
 *       (default 0) are a warm-up and not aged. Prints FIRST when the warm-up (or, without one, the first record)
 *       is in, so a caller can start its clocks. A record with a bench-warm-up header (the producer warm-up of
 *       bench/kafka/raw_relay.c, written before it reads anything) is skipped and not counted.
 *
 * Both print one line: RESULT records=N seconds=S events_per_s=E [p50_ms=.. p99_ms=.. hop_p50_ms=.. hop_p99_ms=..]. */
#define _GNU_SOURCE
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long delivered, failed;
static double first_delivery;

static double monotonic(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double wall(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void set(rd_kafka_conf_t *conf, const char *key, const char *value) {
  char err[512];
  if (rd_kafka_conf_set(conf, key, value, err, sizeof err) != RD_KAFKA_CONF_OK) { fprintf(stderr, "%s\n", err); exit(1); }
}

static rd_kafka_t *client(rd_kafka_type_t type, rd_kafka_conf_t *conf) {
  char err[512];
  rd_kafka_t *rk = rd_kafka_new(type, conf, err, sizeof err);
  if (!rk) { fprintf(stderr, "rd_kafka_new: %s\n", err); exit(1); }
  return rk;
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
  (void)rk, (void)opaque;
  if (delivered + failed == 0) first_delivery = monotonic();
  if (m->err) failed++; else delivered++;
}

static char *read_file(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(1); }
  fseek(f, 0, SEEK_END);
  *size = (size_t)ftell(f);
  rewind(f);
  char *text = malloc(*size + 1);
  if (fread(text, 1, *size, f) != *size) { perror(path); exit(1); }
  text[*size] = 0;
  while (*size > 0 && (text[*size - 1] == '\n' || text[*size - 1] == '\r')) text[--*size] = 0;
  fclose(f);
  return text;
}

/* RFC 3339 UTC with microseconds, e.g. 2026-11-23T05:40:00.123456Z */
static void format_time(double t, char *out, size_t size) {
  time_t seconds = (time_t)t;
  struct tm tm;
  gmtime_r(&seconds, &tm);
  size_t n = strftime(out, size, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(out + n, size - n, ".%06ldZ", (long)((t - (double)seconds) * 1e6));
}

static double parse_time(const char *text, size_t len) {
  char buf[64];
  if (len >= sizeof buf) return -1;
  memcpy(buf, text, len);
  buf[len] = 0;
  struct tm tm = {0};
  char *rest = strptime(buf, "%Y-%m-%dT%H:%M:%S", &tm);
  if (!rest) return -1;
  double fraction = *rest == '.' ? strtod(rest, NULL) : 0;
  return (double)timegm(&tm) + fraction;
}

static int produce(const char *bootstrap, const char *topic, long count, double rate, const char *body_file) {
  size_t size;
  char *body = read_file(body_file, &size);
  char *namespace_digits[8];
  int namespaces = 0;
  for (char *at = strstr(body, "\"ns-0\""); at && namespaces < 8; at = strstr(at + 1, "\"ns-0\""))
    namespace_digits[namespaces++] = at + 4;
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", bootstrap);
  set(conf, "enable.idempotence", "true");
  set(conf, "acks", "all");
  set(conf, "linger.ms", "5");
  rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  rd_kafka_t *producer = client(RD_KAFKA_PRODUCER, conf);
  if (rate > 0) {
    rd_kafka_headers_t *headers = rd_kafka_headers_new(5);
    rd_kafka_header_add(headers, "ce_specversion", -1, "1.0", -1);
    rd_kafka_header_add(headers, "ce_id", -1, "bench-producer-warm-up", -1);
    rd_kafka_header_add(headers, "ce_source", -1, "/bench/peers", -1);
    rd_kafka_header_add(headers, "ce_type", -1, "com.example.order.created", -1);
    rd_kafka_header_add(headers, "content-type", -1, "application/json", -1);
    if (rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_VALUE(body, size),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers), RD_KAFKA_V_END) ||
        rd_kafka_flush(producer, 60000) || failed) {
      fprintf(stderr, "produce: the warm-up record was not delivered\n");
      return 1;
    }
    delivered = 0;
  }
  const double start = monotonic();
  for (long i = 0; i < count; i++) {
    if (rate > 0) {
      double due = start + i / rate;
      while (monotonic() < due) rd_kafka_poll(producer, 0), nanosleep(&(struct timespec){0, 100000}, NULL);
    }
    for (int n = 0; n < namespaces; n++) *namespace_digits[n] = (char)('0' + i % 10);
    char id[32], when[64];
    snprintf(id, sizeof id, "bench-%ld", i);
    format_time(wall(), when, sizeof when);
    rd_kafka_headers_t *headers = rd_kafka_headers_new(6);
    rd_kafka_header_add(headers, "ce_specversion", -1, "1.0", -1);
    rd_kafka_header_add(headers, "ce_id", -1, id, -1);
    rd_kafka_header_add(headers, "ce_source", -1, "/bench/peers", -1);
    rd_kafka_header_add(headers, "ce_type", -1, "com.example.order.created", -1);
    rd_kafka_header_add(headers, "ce_time", -1, when, -1);
    rd_kafka_header_add(headers, "content-type", -1, "application/json", -1);
    for (;;) {
      rd_kafka_resp_err_t err = rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_VALUE(body, size),
                                                  RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(headers),
                                                  RD_KAFKA_V_END);
      if (!err) break;
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) { fprintf(stderr, "produce: %s\n", rd_kafka_err2str(err)); return 1; }
      rd_kafka_poll(producer, 10);
    }
    rd_kafka_poll(producer, 0);
  }
  while (delivered + failed < count) rd_kafka_poll(producer, 10);
  /* At full speed, from the first delivery report to the last (as bench/kafka/raw_relay.c), so connecting and
   * acquiring the idempotent producer id are not counted; at a fixed rate, from the first send. */
  const double seconds = monotonic() - (rate > 0 ? start : first_delivery);
  printf("RESULT records=%ld failed=%ld seconds=%.3f events_per_s=%.0f\n", delivered, failed, seconds, count / seconds);
  rd_kafka_destroy(producer);
  free(body);
  return failed != 0;
}

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int consume(const char *bootstrap, const char *topic, const char *group, long count, long warm) {
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", bootstrap);
  set(conf, "group.id", group);
  set(conf, "auto.offset.reset", "earliest");
  set(conf, "topic.metadata.refresh.interval.ms", "1000"); /* a regex subscription sees new fanout topics soon */
  rd_kafka_t *consumer = client(RD_KAFKA_CONSUMER, conf);
  rd_kafka_poll_set_consumer(consumer);
  rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, topic, RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(consumer, topics);
  double *ages = calloc((size_t)count, sizeof *ages), *hops = calloc((size_t)count, sizeof *hops);
  long consumed = 0, aged = 0, hopped = 0;
  double first = 0, last = 0;
  while (consumed < count) {
    rd_kafka_message_t *m = rd_kafka_consumer_poll(consumer, 100);
    if (!m) continue;
    if (m->err) { rd_kafka_message_destroy(m); continue; }
    rd_kafka_headers_t *headers = NULL;
    const void *value;
    size_t size;
    if (!rd_kafka_message_headers(m, &headers) && !rd_kafka_header_get_last(headers, "bench-warm-up", &value, &size)) {
      rd_kafka_message_destroy(m); /* raw_relay.c's own warm-up, written before it reads anything: not an event */
      continue;
    }
    const double arrival = wall();
    last = monotonic();
    if (consumed++ == (warm > 0 ? warm - 1 : 0)) {
      first = last;
      printf("FIRST\n");
      fflush(stdout);
    }
    if (consumed <= warm) {
      rd_kafka_message_destroy(m);
      continue;
    }
    if (headers && !rd_kafka_header_get_last(headers, "ce_time", &value, &size)) {
      double sent = parse_time(value, size);
      if (sent > 0) ages[aged++] = arrival - sent;
      rd_kafka_timestamp_type_t timestamp_type;
      const int64_t timestamp_ms = rd_kafka_message_timestamp(m, &timestamp_type);
      if (sent > 0 && timestamp_type == RD_KAFKA_TIMESTAMP_CREATE_TIME) hops[hopped++] = arrival - timestamp_ms / 1e3;
    }
    rd_kafka_message_destroy(m);
  }
  const double seconds = last - first;
  printf("RESULT records=%ld seconds=%.3f events_per_s=%.0f", consumed, seconds, seconds > 0 ? count / seconds : 0);
  if (aged > 0) {
    qsort(ages, (size_t)aged, sizeof *ages, compare_doubles);
    printf(" p50_ms=%.2f p99_ms=%.2f", ages[aged / 2] * 1e3, ages[aged * 99 / 100] * 1e3);
  }
  if (hopped > 0) {
    qsort(hops, (size_t)hopped, sizeof *hops, compare_doubles);
    printf(" hop_p50_ms=%.2f hop_p99_ms=%.2f", hops[hopped / 2] * 1e3, hops[hopped * 99 / 100] * 1e3);
  }
  printf("\n");
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  rd_kafka_topic_partition_list_destroy(topics);
  free(ages);
  free(hops);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 7 && strcmp(argv[1], "produce") == 0) return produce(argv[2], argv[3], atol(argv[4]), atof(argv[5]), argv[6]);
  if ((argc == 6 || argc == 7) && strcmp(argv[1], "consume") == 0)
    return consume(argv[2], argv[3], argv[4], atol(argv[5]), argc == 7 ? atol(argv[6]) : 0);
  fprintf(stderr, "usage: kafka-tool produce BOOTSTRAP TOPIC COUNT RATE BODY_FILE\n"
                  "       kafka-tool consume BOOTSTRAP TOPIC_OR_^REGEX GROUP COUNT [WARM]\n");
  return 2;
}

/* The baseline of bench/kafka: the least a librdkafka program does to copy records from one topic to another
 * (consume in a group, produce each record's key, value and headers with acks=all and idempotence, wait for every
 * delivery report). Prints the seconds from the first to the last delivery report, as run.sh times the worker.
 * The producer first gets its producer id and the output topic's metadata with one warm-up record, before the
 * consumer subscribes: otherwise the clock, which starts at the first delivery report, would start only after the
 * relay had already read and queued most of the records during that wait, and time just the draining of its queue.
 *
 *   raw-relay BOOTSTRAP IN_TOPIC OUT_TOPIC GROUP COUNT      (built by bench/kafka/run.sh with gcc -lrdkafka)
 *   raw-relay create BOOTSTRAP TOPIC PARTITIONS              (the bench's topics; the test broker has no admin tool) */
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static long delivered, failed;
static double start;

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque) {
  (void)rk, (void)opaque;
  if (delivered + failed == 0) start = now();
  if (m->err) failed++; else delivered++;
}

static rd_kafka_t *client(rd_kafka_type_t type, rd_kafka_conf_t *conf) {
  char err[512];
  rd_kafka_t *rk = rd_kafka_new(type, conf, err, sizeof err);
  if (!rk) { fprintf(stderr, "rd_kafka_new: %s\n", err); exit(1); }
  return rk;
}

static void set(rd_kafka_conf_t *conf, const char *key, const char *value) {
  char err[512];
  if (rd_kafka_conf_set(conf, key, value, err, sizeof err) != RD_KAFKA_CONF_OK) { fprintf(stderr, "%s\n", err); exit(1); }
}

static int create_topic(const char *bootstrap, const char *topic, int partitions) {
  rd_kafka_conf_t *conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", bootstrap);
  rd_kafka_t *rk = client(RD_KAFKA_PRODUCER, conf);
  char err[512];
  rd_kafka_NewTopic_t *new_topic = rd_kafka_NewTopic_new(topic, partitions, 1, err, sizeof err);
  rd_kafka_queue_t *queue = rd_kafka_queue_new(rk);
  rd_kafka_CreateTopics(rk, &new_topic, 1, NULL, queue);
  rd_kafka_event_t *ev = rd_kafka_queue_poll(queue, 30000);
  size_t n = 0;
  const rd_kafka_topic_result_t **results = ev ? rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev), &n) : NULL;
  int failed = !ev || rd_kafka_event_error(ev) || n != 1 || rd_kafka_topic_result_error(results[0]);
  if (failed) fprintf(stderr, "create %s: %s\n", topic, ev ? (rd_kafka_event_error(ev) ? rd_kafka_event_error_string(ev) : n == 1 ? rd_kafka_topic_result_error_string(results[0]) : "no result") : "timed out");
  if (ev) rd_kafka_event_destroy(ev);
  rd_kafka_NewTopic_destroy(new_topic);
  rd_kafka_queue_destroy(queue);
  rd_kafka_destroy(rk);
  return failed;
}

int main(int argc, char **argv) {
  if (argc == 5 && strcmp(argv[1], "create") == 0) return create_topic(argv[2], argv[3], atoi(argv[4]));
  if (argc != 6) { fprintf(stderr, "usage: raw-relay BOOTSTRAP IN_TOPIC OUT_TOPIC GROUP COUNT\n"); return 2; }
  const long count = atol(argv[5]);
  rd_kafka_conf_t *pconf = rd_kafka_conf_new();
  set(pconf, "bootstrap.servers", argv[1]);
  set(pconf, "enable.idempotence", "true");
  set(pconf, "acks", "all");
  rd_kafka_conf_set_dr_msg_cb(pconf, on_delivery);
  rd_kafka_t *producer = client(RD_KAFKA_PRODUCER, pconf);
  /* bench/peers' reader (kafka_tool.c consume) skips a record with this header instead of counting it */
  if (rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(argv[3]), RD_KAFKA_V_VALUE("warm-up", 7),
                        RD_KAFKA_V_HEADER("bench-warm-up", "1", 1), RD_KAFKA_V_END) ||
      rd_kafka_flush(producer, 30000) || failed) {
    fprintf(stderr, "warm-up record not delivered\n");
    return 1;
  }
  delivered = 0;
  rd_kafka_conf_t *cconf = rd_kafka_conf_new();
  set(cconf, "bootstrap.servers", argv[1]);
  set(cconf, "group.id", argv[4]);
  set(cconf, "auto.offset.reset", "earliest");
  rd_kafka_t *consumer = client(RD_KAFKA_CONSUMER, cconf);
  rd_kafka_poll_set_consumer(consumer);
  rd_kafka_topic_partition_list_t *topics = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(topics, argv[2], RD_KAFKA_PARTITION_UA);
  rd_kafka_subscribe(consumer, topics);

  long consumed = 0;
  while (consumed < count) {
    rd_kafka_message_t *m = rd_kafka_consumer_poll(consumer, 100);
    rd_kafka_poll(producer, 0);
    if (!m) continue;
    if (m->err) { rd_kafka_message_destroy(m); continue; }
    consumed++;
    rd_kafka_headers_t *headers = NULL;
    rd_kafka_message_headers(m, &headers);
    rd_kafka_resp_err_t err;
    for (;;) {
      rd_kafka_headers_t *copy = headers ? rd_kafka_headers_copy(headers) : rd_kafka_headers_new(0);
      err = rd_kafka_producev(producer, RD_KAFKA_V_TOPIC(argv[3]), RD_KAFKA_V_KEY(m->key, m->key_len),
                              RD_KAFKA_V_VALUE(m->payload, m->len), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
                              RD_KAFKA_V_HEADERS(copy), RD_KAFKA_V_END);
      if (!err) break;
      rd_kafka_headers_destroy(copy); /* producev takes the headers only when it succeeds */
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) { fprintf(stderr, "produce: %s\n", rd_kafka_err2str(err)); return 1; }
      rd_kafka_poll(producer, 10);
    }
    rd_kafka_message_destroy(m);
  }
  while (delivered + failed < count) rd_kafka_poll(producer, 10);
  struct rusage usage;
  getrusage(RUSAGE_SELF, &usage);
  printf("RESULT records=%ld failed=%ld seconds=%.3f minor_faults=%ld\n", delivered, failed, now() - start,
         usage.ru_minflt);
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  rd_kafka_destroy(producer);
  rd_kafka_topic_partition_list_destroy(topics);
  return failed != 0;
}

"""Kafka-backed brokers and channels end to end: a real eventhost writes what its HTTP ingress accepts to a real
Kafka, and its triggers and subscriptions read it back, each in its own consumer group, and deliver to real HTTP
subscribers. Every test uses topics and consumer groups of its own (a fresh suffix per run).

Needs EVENTHOST_KAFKA_BOOTSTRAP (tests/run-all.sh starts Kafka and sets it); every test skips without it."""
import http.client
import json
import os
import queue
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import uuid

sys.path.insert(0, os.environ.get("EVENTHOST_HTTP_TEST_DIR", os.path.join(os.path.dirname(__file__), "..", "http")))
from e2e_support import Subscriber, Worker  # noqa: E402

BOOTSTRAP = os.environ.get("EVENTHOST_KAFKA_BOOTSTRAP", "")
KAFKA_SH = os.environ.get("KAFKA_SH", os.path.join(os.path.dirname(__file__), "..", "kafka", "kafka.sh"))


def suffix():
    return uuid.uuid4().hex[:10]


def header(recorded, name):
    for k, v in recorded[1]:
        if k.lower() == name:
            return v
    return None


def wait_until(predicate, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError("timed out after %ds waiting for %s" % (timeout, what))


def event(event_id, event_type="com.example.order.created", key=None, data=None):
    e = {"specversion": "1.0", "id": event_id, "source": "/e2e", "type": event_type,
         "datacontenttype": "application/json", "data": data if data is not None else {"id": event_id}}
    if key is not None:
        e["partitionkey"] = key
    return e


def post(base, path, events, timeout=60):
    """POSTs a batch; (status, headers) or (None, reason) when the connection failed."""
    host, port = base[len("http://"):].rsplit(":", 1)
    conn = http.client.HTTPConnection(host, int(port), timeout=timeout)
    try:
        conn.request("POST", path, body=json.dumps(events).encode(),
                     headers={"Content-Type": "application/cloudevents-batch+json"})
        r = conn.getresponse()
        r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}
    except (OSError, http.client.HTTPException) as e:
        return None, {"error": str(e)}
    finally:
        conn.close()


def post_all(base, path, events, batch=50):
    for i in range(0, len(events), batch):
        status, headers = post(base, path, events[i:i + batch])
        if status != 202:
            raise AssertionError("POST %s answered %s %s" % (path, status, headers))


def distinct_ids(sub, path):
    with sub.lock:
        return {header(r, "ce-id") for r in sub.requests if r[0] == path}


def requests_to(sub, path):
    with sub.lock:
        return [r for r in sub.requests if r[0] == path]


def metric(worker, name, pipeline):
    m = re.search(r'^%s\{pipeline="%s"\} (\d+)' % (re.escape(name), re.escape(pipeline)), worker.metrics(), re.M)
    return int(m.group(1)) if m else 0


def broker_config(bootstrap, broker, triggers, extra_broker="", host_extra=""):
    return """
[host]
listen = "127.0.0.1:0"
threads = 2
shutdown_grace = "5s"
{host_extra}

[brokers.{broker}]
backend = "kafka"
bootstrap_servers = "{bootstrap}"
partitions = 10
{extra_broker}
{triggers}
""".format(bootstrap=bootstrap, broker=broker, triggers=triggers, extra_broker=extra_broker, host_extra=host_extra)


def trigger(name, broker, event_type, url, extra=""):
    return """
[[triggers]]
name = "{name}"
broker = "{broker}"
filter.attributes = {{ type = "{type}" }}
subscriber.uri = "{url}"
delivery = {{ retry = 10, backoff_delay = "PT0.1S" }}
{extra}
""".format(name=name, broker=broker, type=event_type, url=url, extra=extra)


@unittest.skipUnless(BOOTSTRAP, "EVENTHOST_KAFKA_BOOTSTRAP is not set: no Kafka to test against (tests/run-all.sh starts one)")
class KafkaBrokerE2E(unittest.TestCase):
    def setUp(self):
        self.sub = Subscriber()
        self.workers = []

    def tearDown(self):
        for w in self.workers:
            if w.process.poll() is None:
                w.stop()
            else:
                w.log.close()
                w.dir.cleanup()
        self.sub.close()

    def start_worker(self, config):
        w = Worker(config)
        self.workers.append(w)
        return w

    def test_triggers_filter_keep_order_per_key_and_replies_reach_other_triggers(self):
        s = suffix()
        broker = "b" + s
        config = broker_config(BOOTSTRAP, broker,
                               trigger("orders-" + s, broker, "com.example.order.created", self.sub.url("/reply"),
                                       'delivery_order = "ordered"') +
                               trigger("replies-" + s, broker, "com.example.order.replied", self.sub.url("/replies")) +
                               trigger("other-" + s, broker, "com.example.other", self.sub.url("/other")))
        w = self.start_worker(config)
        keys = ["k%d" % i for i in range(5)]
        orders = [event("o-%s-%03d" % (k, n), key=k, data={"key": k, "seq": n}) for n in range(40) for k in keys]
        others = [event("x-%02d" % n, "com.example.other") for n in range(10)]
        # One event per request, each sent after the previous one's 202: the order a sender can count on (the events
        # of one batch are written concurrently).
        post_all(w.base, "/default/" + broker, others)
        for e in orders:
            post_all(w.base, "/default/" + broker, [e])

        order_ids = {e["id"] for e in orders}
        wait_until(lambda: distinct_ids(self.sub, "/reply") >= order_ids, 60, "every order at its trigger")
        wait_until(lambda: distinct_ids(self.sub, "/other") >= {e["id"] for e in others}, 60, "the other events")
        wait_until(lambda: distinct_ids(self.sub, "/replies") >= {"reply-to-" + i for i in order_ids}, 60,
                   "every reply at the replies trigger")

        # Filters: each subscriber saw its type only.
        self.assertEqual({header(r, "ce-type") for r in requests_to(self.sub, "/reply")}, {"com.example.order.created"})
        self.assertEqual({header(r, "ce-type") for r in requests_to(self.sub, "/other")}, {"com.example.other"})
        self.assertEqual({header(r, "ce-type") for r in requests_to(self.sub, "/replies")}, {"com.example.order.replied"})
        # Ordered: per partition key, in the order sent.
        seen = {}
        for r in requests_to(self.sub, "/reply"):
            body = json.loads(r[2])
            seen.setdefault(body["key"], []).append(body["seq"])
        for k in keys:
            firsts = list(dict.fromkeys(seen[k]))  # a redelivery repeats, never reorders
            self.assertEqual(firsts, list(range(40)), "order of key %s" % k)
        # Knative's extensions name where each event was read.
        first = requests_to(self.sub, "/reply")[0]
        self.assertRegex(header(first, "ce-knativekafkapartition") or "", r"^\d$")
        self.assertRegex(header(first, "ce-knativekafkaoffset") or "", r"^\d+$")
        self.assertEqual(header(first, "ce-partitionkey"), json.loads(first[2])["key"])

    def test_channel_chain_each_reply_feeds_the_next_channel(self):
        s = suffix()
        config = """
[host]
listen = "127.0.0.1:0"
threads = 2
shutdown_grace = "5s"

[channels.step1-{s}]
backend = "kafka"
bootstrap_servers = "{b}"
partitions = 3

[channels.step2-{s}]
backend = "kafka"
bootstrap_servers = "{b}"
partitions = 3

[[subscriptions]]
name = "enrich"
channel = "step1-{s}"
subscriber.uri = "{reply}"
reply.channel = "step2-{s}"

[[subscriptions]]
name = "ship"
channel = "step2-{s}"
subscriber.uri = "{final}"
""".format(s=s, b=BOOTSTRAP, reply=self.sub.url("/reply"), final=self.sub.url("/final"))
        w = self.start_worker(config)
        events = [event("c-%02d" % n) for n in range(30)]
        post_all(w.base, "/default/step1-" + s, events)
        want = {"reply-to-" + e["id"] for e in events}
        wait_until(lambda: distinct_ids(self.sub, "/final") >= want, 60, "every reply at the second step")
        self.assertEqual(distinct_ids(self.sub, "/reply"), {e["id"] for e in events})
        self.assertEqual(distinct_ids(self.sub, "/final"), want)
        # Both topics exist under Knative's channel names.
        listing = subprocess.run(["kcat", "-b", BOOTSTRAP, "-L"], capture_output=True, text=True, timeout=30).stdout
        self.assertIn('"knative-messaging-kafka.default.step1-%s"' % s, listing)
        self.assertIn('"knative-messaging-kafka.default.step2-%s"' % s, listing)

    def test_sigkill_in_the_middle_of_20000_events_loses_none_that_got_202(self):
        s = suffix()
        broker = "b" + s
        config = broker_config(BOOTSTRAP, broker,
                               trigger("sink-" + s, broker, "com.example.order.created", self.sub.url("/sink"),
                                       "max_in_flight = 200"))
        total, batch = 20000, 50
        batches = queue.Queue()
        for i in range(0, total, batch):
            batches.put([event("s-%05d" % n, key="k%d" % (n % 16)) for n in range(i, i + batch)])
        accepted = set()
        accepted_lock = threading.Lock()
        target = {"base": self.start_worker(config).base}
        done = threading.Event()

        def sender():
            while not done.is_set():
                try:
                    b = batches.get(timeout=0.2)
                except queue.Empty:
                    continue
                status, _ = post(target["base"], "/default/" + broker, b)
                if status == 202:
                    with accepted_lock:
                        accepted.update(e["id"] for e in b)
                    time.sleep(0.1)  # a stream of ~15s, so that the kill lands in its middle
                else:
                    batches.put(b)  # not accepted: send again (to the restarted worker)
                    time.sleep(0.1)
                batches.task_done()

        threads = [threading.Thread(target=sender, daemon=True) for _ in range(3)]
        for t in threads:
            t.start()
        # Mid-stream on both sides: some events delivered (and committed), more accepted and still in Kafka only.
        wait_until(lambda: len(accepted) >= 8000 and len(distinct_ids(self.sub, "/sink")) >= 1000, 120,
                   "8000 accepted and 1000 delivered before the kill")
        victim = self.workers[0]
        victim.process.send_signal(signal.SIGKILL)
        victim.process.wait()
        with accepted_lock:
            accepted_at_kill = len(accepted)
        delivered_at_kill = len(distinct_ids(self.sub, "/sink"))
        self.assertLess(accepted_at_kill, total, "the kill came after the stream ended: it proves nothing")
        target["base"] = self.start_worker(config).base
        wait_until(lambda: len(accepted) == total, 300, "every batch accepted")
        done.set()
        for t in threads:
            t.join()
        wait_until(lambda: distinct_ids(self.sub, "/sink") >= accepted, 300, "every accepted event delivered")
        self.assertEqual(len(distinct_ids(self.sub, "/sink")), total)
        print("killed at %d accepted / %d delivered; %d deliveries for %d events" %
              (accepted_at_kill, delivered_at_kill, len(requests_to(self.sub, "/sink")), total), file=sys.stderr)

    def test_two_workers_split_the_partitions_and_deliver_every_event(self):
        s = suffix()
        broker = "b" + s
        name = "shared-" + s
        config = broker_config(BOOTSTRAP, broker, trigger(name, broker, "com.example.order.created", self.sub.url("/sink")))
        a = self.start_worker(config)
        post_all(a.base, "/default/" + broker, [event("warmup")])  # creates the topic
        wait_until(lambda: "warmup" in distinct_ids(self.sub, "/sink"), 60, "the first event")
        b = self.start_worker(config)
        wait_until(lambda: "assigned" in b.output() and a.output().count("assigned") >= 2, 60,
                   "the group to rebalance over both workers")
        events = [event("t-%04d" % n, key="key-%d" % n) for n in range(2000)]
        for i in range(0, len(events), 50):
            post_all((a if (i // 50) % 2 == 0 else b).base, "/default/" + broker, events[i:i + 50])
        wait_until(lambda: distinct_ids(self.sub, "/sink") >= {e["id"] for e in events}, 120, "every event")
        pipeline = "trigger/default/" + name
        by_a, by_b = metric(a, "eventhost_pipeline_delivered_total", pipeline), metric(b, "eventhost_pipeline_delivered_total", pipeline)
        self.assertGreater(by_a, 0, "worker a delivered nothing")
        self.assertGreater(by_b, 0, "worker b delivered nothing")
        self.assertGreaterEqual(by_a + by_b, len(events))

    def test_the_bus_kafka_table_reaches_librdkafka_and_its_secrets_stay_out_of_the_log(self):
        # SASL against a plaintext listener: authentication fails, so the write is refused (503), which shows the
        # properties reached the clients; the password from the environment must not appear anywhere in the log.
        s = suffix()
        broker = "b" + s
        os.environ["EVENTHOST_E2E_SASL_PASSWORD"] = "pw-" + s
        extra = 'ack_timeout = "2s"\nkafka = { "security.protocol" = "SASL_PLAINTEXT", "sasl.mechanisms" = "PLAIN", ' \
                '"sasl.username" = "user", "sasl.password" = "${EVENTHOST_E2E_SASL_PASSWORD}" }'
        w = self.start_worker(broker_config(BOOTSTRAP, broker,
                                            trigger("t-" + s, broker, "com.example.order.created", self.sub.url("/sink")),
                                            extra_broker=extra))
        status, headers = post(w.base, "/default/" + broker, [event("refused")])
        self.assertEqual(status, 503)
        wait_until(lambda: "SASL" in w.output(), 30, "librdkafka to report the SASL failure")
        self.assertNotIn("pw-" + s, w.output())


@unittest.skipUnless(BOOTSTRAP, "EVENTHOST_KAFKA_BOOTSTRAP is not set: no Kafka to test against (tests/run-all.sh starts one)")
class UnreachableKafkaE2E(unittest.TestCase):
    """A Kafka of its own, frozen (SIGSTOP) before the worker starts and thawed later; an address where nothing
    listens at all; and a Kafka started where the worker already looks for it, then stopped."""

    def setUp(self):
        self.sub = Subscriber()
        self.workers = []

    def tearDown(self):
        for w in self.workers:
            w.stop()
        self.sub.close()

    def config(self, bootstrap, broker, s):
        return broker_config(bootstrap, broker,
                             trigger("t-" + s, broker, "com.example.order.created", self.sub.url("/sink")),
                             extra_broker='ack_timeout = "3s"')

    def test_nothing_listening_the_worker_starts_and_the_ingress_answers_503(self):
        s = suffix()
        w = Worker(self.config("127.0.0.1:1", "b" + s, s))
        self.workers.append(w)
        status, headers = post(w.base, "/default/b" + s, [event("lost-1")])
        self.assertEqual(status, 503)
        self.assertIn("retry-after", headers)
        self.assertIsNone(w.process.poll(), "the worker must keep running")

    def test_readyz_is_503_while_kafka_is_down_and_200_once_it_is_up(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        addr = "127.0.0.1:%d" % port
        reason = "kafka %s: all brokers down" % addr
        s = suffix()
        broker = "b" + s
        w = Worker(self.config(addr, broker, s))
        self.workers.append(w)

        def readyz():
            status, _, body = w.request("GET", "/readyz")
            return status, body.decode()
        wait_until(lambda: readyz()[0] == 503 and reason in readyz()[1], 30, "/readyz to name the unreachable Kafka")
        status, headers = post(w.base, "/default/" + broker, [event("early")])
        self.assertEqual(status, 503)
        self.assertIn("retry-after", headers)
        started = time.time()
        status, _ = post(w.base, "/default/" + broker, [event("early-2")])
        self.assertEqual(status, 503)
        self.assertLess(time.time() - started, 2, "known unreachable: the ingress answers at once, not after ack_timeout")

        state = tempfile.mkdtemp(prefix="eventhost-bk-kafka-")
        try:
            subprocess.run([KAFKA_SH, "start", state], check=True, capture_output=True, text=True,
                           env=dict(os.environ, KAFKA_PORT=str(port)))
            wait_until(lambda: readyz()[0] == 200, 60, "/readyz 200 once Kafka is up")
            accepted = []

            def send_until_accepted():
                status, _ = post(w.base, "/default/" + broker, [event("after-%d" % len(accepted))])
                if status == 202:
                    accepted.append(True)
                return status == 202
            wait_until(send_until_accepted, 30, "the ingress to accept")
            wait_until(lambda: "after-0" in distinct_ids(self.sub, "/sink"), 60, "delivery once Kafka is up")
            lag = re.compile(r'^eventhost_plugin_consumer_lag\{pipeline="trigger/default/t-%s",plugin="kafka",'
                             r'kind="source"\} 0$' % s, re.M)
            wait_until(lambda: lag.search(w.metrics()), 30, "the trigger's consumer_lag gauge at 0 once it caught up")

            subprocess.run([KAFKA_SH, "stop", state], check=True, capture_output=True)
            wait_until(lambda: readyz()[0] == 503 and reason in readyz()[1], 60, "/readyz 503 once Kafka stopped")
            status, _ = post(w.base, "/default/" + broker, [event("late")])
            self.assertEqual(status, 503)
        finally:
            subprocess.run([KAFKA_SH, "stop", state], capture_output=True)

    def test_frozen_kafka_then_back_the_worker_recovers(self):
        state = tempfile.mkdtemp(prefix="eventhost-bk-kafka-")
        addr = subprocess.run([KAFKA_SH, "start", state], check=True, capture_output=True, text=True).stdout.strip()
        with open(os.path.join(state, "broker.pid")) as f:
            pid = int(f.read().strip())
        try:
            os.kill(pid, signal.SIGSTOP)
            s = suffix()
            broker = "b" + s
            w = Worker(self.config(addr, broker, s))
            self.workers.append(w)
            status, headers = post(w.base, "/default/" + broker, [event("early")])
            self.assertEqual(status, 503, "Kafka does not answer: the ingress must not claim the event")
            self.assertIn("retry-after", headers)
            self.assertIsNone(w.process.poll())
            os.kill(pid, signal.SIGCONT)
            accepted = []

            def send_until_accepted():
                status, _ = post(w.base, "/default/" + broker, [event("after-%d" % len(accepted))])
                if status == 202:
                    accepted.append(True)
                return status == 202
            wait_until(send_until_accepted, 120, "the ingress to accept again")
            wait_until(lambda: "after-0" in distinct_ids(self.sub, "/sink"), 120, "delivery after Kafka came back")
        finally:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass
            subprocess.run([KAFKA_SH, "stop", state], capture_output=True)


if __name__ == "__main__":
    unittest.main(verbosity=2)

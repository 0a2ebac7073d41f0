"""End to end over real HTTP on loopback: curl and the official CloudEvents Python SDK send to a memory broker of
a real eventhost; a real HTTP subscriber records what the broker's triggers deliver."""
import datetime
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from e2e_support import Subscriber, Worker  # noqa: E402

from cloudevents.core.bindings.http import HTTPMessage, from_http, to_binary, to_structured  # noqa: E402
from cloudevents.core.formats.json import JSONFormat  # noqa: E402
from cloudevents.core.v1.event import CloudEvent  # noqa: E402

CONFIG = """
[host]
listen = "127.0.0.1:0"
threads = 2
shutdown_grace = "3s"

[brokers.default]

[[triggers]]
name = "orders"
broker = "default"
filter.attributes = {{ type = "com.example.order.created" }}
subscriber.uri = "{orders}"

[[triggers]]
name = "replying"
broker = "default"
filter.attributes = {{ type = "com.example.order.reply-wanted" }}
subscriber.uri = "{reply}"

[[triggers]]
name = "replies"
broker = "default"
filter.attributes = {{ type = "com.example.order.replied" }}
subscriber.uri = "{replies}"
"""


def curl(*args):
    out = subprocess.run(["curl", "-s", "-o", "/dev/stderr", "-w", "%{http_code}", *args], capture_output=True, text=True)
    return int(out.stdout), out.stderr


def ce_headers(recorded):
    """The CloudEvents headers of a recorded request, percent-decoded (the binding lets encoders differ in what
    they escape: a space may arrive as %20)."""
    return {k.lower(): urllib.parse.unquote(v) for k, v in recorded[1]
            if k.lower().startswith("ce-") or k.lower() == "content-type"}


class BrokerIngress(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sub = Subscriber()
        cls.worker = Worker(CONFIG.format(orders=cls.sub.url("/orders"), reply=cls.sub.url("/reply"),
                                          replies=cls.sub.url("/replies")))
        cls.broker = cls.worker.base + "/default/default"

    @classmethod
    def tearDownClass(cls):
        cls.worker.stop()
        cls.sub.close()

    def deliveries(self, path):
        return [r for r in self.sub.requests if r[0] == path]

    def assert_nothing_delivered_after(self, before):
        time.sleep(0.3)
        self.assertEqual(len(self.sub.requests), before, "a refused request must not reach any subscriber")

    def test_binary_mode_with_curl_arrives_unchanged(self):
        before = len(self.sub.requests)
        status, _ = curl("-X", "POST", self.broker,
                         "-H", "Ce-Specversion: 1.0", "-H", "Ce-Type: com.example.order.created",
                         "-H", "Ce-Source: my-service", "-H", "Ce-Id: curl-binary-1",
                         "-H", "Ce-Subject: caf%C3%A9 order", "-H", "Ce-Time: 2024-05-01T12:00:00.5Z",
                         "-H", "Ce-Dataschema: https://example.com/schema", "-H", "Ce-Partitionkey: p-7",
                         "-H", "Content-Type: application/json", "-d", '{"orderId": "12345", "amount": 99.99}')
        self.assertEqual(status, 202)
        got = self.sub.wait_for(before + 1)[before]
        self.assertEqual(got[0], "/orders")
        self.assertEqual(ce_headers(got), {
            "ce-specversion": "1.0", "ce-type": "com.example.order.created", "ce-source": "my-service",
            "ce-id": "curl-binary-1", "ce-subject": "café order", "ce-time": "2024-05-01T12:00:00.5Z",
            "ce-dataschema": "https://example.com/schema", "ce-partitionkey": "p-7",
            "content-type": "application/json"})
        self.assertEqual(got[2], b'{"orderId": "12345", "amount": 99.99}')
        self.assertIn(("Prefer", "reply"), got[1])

    def test_sdk_binary_and_structured_arrive_unchanged(self):
        for mode, encode in (("binary", to_binary), ("structured", to_structured)):
            with self.subTest(mode=mode):
                before = len(self.sub.requests)
                event = CloudEvent({"specversion": "1.0", "type": "com.example.order.created",
                                    "source": "/sdk/" + mode, "id": "sdk-" + mode, "subject": "ünïcode ✓ 100%",
                                    "myextension": "v 1", "datacontenttype": "application/json",
                                    "time": datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)},
                                   {"orderId": "A-1", "items": [1, 2, 3]})
                message = encode(event, JSONFormat())
                status, _, answer = self.worker.request("POST", "/default/default", message.body, message.headers)
                self.assertEqual(status, 202, answer)
                got = self.sub.wait_for(before + 1)[before]
                received = from_http(HTTPMessage(dict(got[1]), got[2]), JSONFormat())
                self.assertEqual(received.get_attributes(), event.get_attributes())
                self.assertEqual(received.get_data(), event.get_data())

    def test_batch_delivers_every_event(self):
        before = len(self.sub.requests)
        batch = [{"specversion": "1.0", "type": "com.example.order.created", "source": "/batch", "id": "b-%d" % i,
                  "data": {"n": i}} for i in range(3)]
        status, _ = curl("-X", "POST", self.broker, "-H", "Content-Type: application/cloudevents-batch+json",
                         "--data-binary", json.dumps(batch))
        self.assertEqual(status, 202)
        got = self.sub.wait_for(before + 3)[before:before + 3]
        self.assertEqual(sorted(ce_headers(g)["ce-id"] for g in got), ["b-0", "b-1", "b-2"])
        for g in got:
            n = int(ce_headers(g)["ce-id"][2:])
            self.assertEqual(json.loads(g[2]), {"n": n})
            self.assertNotIn("content-type", ce_headers(g))  # the events had no datacontenttype: none is made up

    def test_reply_loops_back_through_the_broker(self):
        before_replies = len(self.deliveries("/replies"))
        status, _ = curl("-X", "POST", self.broker, "-H", "Ce-Specversion: 1.0", "-H", "Ce-Id: wants-reply",
                         "-H", "Ce-Type: com.example.order.reply-wanted", "-H", "Ce-Source: /test")
        self.assertEqual(status, 202)
        deadline = time.time() + 10
        while len(self.deliveries("/replies")) == before_replies and time.time() < deadline:
            time.sleep(0.05)
        reply = self.deliveries("/replies")[before_replies]
        self.assertEqual(ce_headers(reply)["ce-id"], "reply-to-wants-reply")
        self.assertEqual(ce_headers(reply)["ce-source"], "/subscriber")
        self.assertEqual(reply[2], b"thanks for wants-reply")

    def test_each_error_answer(self):
        before = len(self.sub.requests)
        valid = {"Ce-Specversion": "1.0", "Ce-Type": "com.example.order.created", "Ce-Source": "/e", "Ce-Id": "x"}
        cases = [
            ("missing id", "POST", "/default/default", b"{}",
             {k: v for k, v in valid.items() if k != "Ce-Id"}, 400, "ce-id: required attribute is missing"),
            ("bad specversion", "POST", "/default/default", b"", dict(valid, **{"Ce-Specversion": "0.3"}), 400,
             "specversion"),
            ("broken structured JSON", "POST", "/default/default", b'{"specversion": "1.0",',
             {"Content-Type": "application/cloudevents+json"}, 400, ""),
            ("unknown format", "POST", "/default/default", b"<event/>",
             {"Content-Type": "application/cloudevents+xml"}, 415, "unsupported event format"),
            ("unknown path", "POST", "/default/nobroker", b"", valid, 404, "no route for /default/nobroker"),
            ("wrong method", "GET", "/default/default", None, {}, 405, "only POST"),
            ("wrong method on a probe", "POST", "/healthz", b"", {}, 405, "use GET"),
        ]
        for name, method, path, body, headers, want, reason in cases:
            with self.subTest(name):
                status, answer_headers, answer = self.worker.request(method, path, body, headers)
                self.assertEqual(status, want, answer)
                self.assertIn(reason, answer.decode())
                if want == 405:
                    self.assertIn("allow", answer_headers)
        self.assert_nothing_delivered_after(before)
        metrics = self.worker.metrics()
        for reason in ("invalid", "unsupported_format", "method_not_allowed"):
            self.assertRegex(metrics, r'eventhost_ingress_rejected_total\{pipeline="ingress/broker/default/default",'
                                      r'reason="%s"\} [1-9]' % reason)

    def test_body_over_the_limit_is_413(self):
        before = len(self.sub.requests)
        with tempfile.NamedTemporaryFile() as f:
            f.write(b"x" * (4 * 1024 * 1024 + 1))
            f.flush()
            args = ["-X", "POST", self.broker, "-H", "Ce-Specversion: 1.0", "-H", "Ce-Type: com.example.order.created",
                    "-H", "Ce-Source: /big", "-H", "Ce-Id: big", "--data-binary", "@" + f.name]
            # With Expect: 100-continue (curl's default for big bodies) the answer comes before the body is sent;
            # without it, after the limit is crossed while reading (a chunked body has no length to check first).
            for extra in ([], ["-H", "Expect:"], ["-H", "Expect:", "-H", "Transfer-Encoding: chunked"]):
                with self.subTest(headers=extra):
                    status, answer = curl(*args, *extra)
                    self.assertEqual(status, 413, answer)
                    self.assertIn("over the limit of 4194304", answer)
        self.assert_nothing_delivered_after(before)

    def test_probes(self):
        self.assertEqual(self.worker.request("GET", "/healthz")[0], 200)
        self.assertEqual(self.worker.request("GET", "/readyz")[0], 200)
        metrics = self.worker.metrics()
        for family in ("eventhost_pipeline_received_total", "eventhost_pipeline_delivered_total",
                       "eventhost_pipeline_in_flight", "eventhost_delivery_latency_seconds_bucket",
                       "eventhost_ingress_latency_seconds_bucket", "eventhost_ingress_accepted_total"):
            self.assertIn(family, metrics)


BACKPRESSURE = """
[host]
listen = "127.0.0.1:0"
threads = 1
shutdown_grace = "3s"

[brokers.default]

[[triggers]]
name = "stalled"
broker = "default"
subscriber.uri = "{stall}"
max_in_flight = 2
"""


class Backpressure(unittest.TestCase):
    def test_stalled_subscriber_makes_ingress_answer_429_then_recovers(self):
        sub = Subscriber()
        worker = Worker(BACKPRESSURE.format(stall=sub.url("/stall")))
        try:
            headers = {"Ce-Specversion": "1.0", "Ce-Type": "t", "Ce-Source": "/bp"}
            statuses = []
            for i in range(50):
                status, answer_headers, _ = worker.request("POST", "/default/default", b"", dict(headers, **{"Ce-Id": str(i)}))
                statuses.append(status)
                if status == 429:
                    self.assertEqual(answer_headers.get("retry-after"), "1")
            self.assertEqual(statuses[:2], [202, 202])
            self.assertEqual(set(statuses[2:]), {429}, statuses)
            metrics = worker.metrics()
            self.assertIn('eventhost_pipeline_in_flight{pipeline="trigger/default/stalled"} 2', metrics)
            self.assertIn('eventhost_ingress_rejected_total{pipeline="ingress/broker/default/default",reason="overloaded"} 48',
                          metrics)
            sub.wait_for(2)
            sub.release.set()
            deadline = time.time() + 10
            while time.time() < deadline:
                status, _, _ = worker.request("POST", "/default/default", b"", dict(headers, **{"Ce-Id": "after"}))
                if status == 202:
                    break
                time.sleep(0.1)
            self.assertEqual(status, 202)
            ids = [dict((k.lower(), v) for k, v in r[1])["ce-id"] for r in sub.wait_for(3)]
            self.assertEqual(ids, ["0", "1", "after"])
        finally:
            worker.stop()
            sub.close()

    def test_draining_worker_answers_503(self):
        sub = Subscriber()
        worker = Worker(BACKPRESSURE.format(stall=sub.url("/stall")))
        try:
            headers = {"Ce-Specversion": "1.0", "Ce-Type": "t", "Ce-Source": "/bp", "Ce-Id": "held"}
            self.assertEqual(worker.request("POST", "/default/default", b"", headers)[0], 202)
            sub.wait_for(1)
            worker.process.send_signal(2)  # SIGINT: drain while the stalled delivery holds the worker
            deadline = time.time() + 5
            while "draining" not in worker.output() and time.time() < deadline:
                time.sleep(0.05)
            status, answer_headers, answer = worker.request("POST", "/default/default", b"", headers)
            self.assertEqual(status, 503, answer)
            self.assertEqual(answer_headers.get("retry-after"), "5")
            self.assertEqual(worker.request("GET", "/readyz")[0], 503)
            self.assertEqual(worker.request("GET", "/healthz")[0], 200)
            sub.release.set()
            self.assertEqual(worker.process.wait(10), 0)
        finally:
            worker.stop()
            sub.close()


if __name__ == "__main__":
    unittest.main(verbosity=2)

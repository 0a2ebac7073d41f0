"""End to end over real HTTP on loopback: memory channels take events on POST /<ns>/<channel>, each subscription's
real subscriber receives them unchanged, and a subscriber's reply goes to the subscription's `reply` destination:
another channel (and on to that channel's subscriber) or a plain URI."""
import datetime
import os
import re
import sys
import time
import unittest

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

[channels.c1]
[channels.c2]
[channels.c3]

[[subscriptions]]
name = "enrich"
channel = "c1"
subscriber.uri = "{reply}"
reply = {{ channel = "c2" }}

[[subscriptions]]
name = "audit"
channel = "c1"
subscriber.uri = "{audit}"

[[subscriptions]]
name = "ship"
channel = "c2"
subscriber.uri = "{shipped}"

[[subscriptions]]
name = "direct"
channel = "c3"
subscriber.uri = "{reply}"
reply = {{ uri = "{direct_replies}" }}
"""


def wait_until(condition, what, timeout=10):
    deadline = time.time() + timeout
    while not condition():
        if time.time() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.05)


class ChannelIngressAndReplies(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.sub = Subscriber()
        cls.worker = Worker(CONFIG.format(reply=cls.sub.url("/reply"), audit=cls.sub.url("/audit"),
                                          shipped=cls.sub.url("/shipped"),
                                          direct_replies=cls.sub.url("/direct-replies")))

    @classmethod
    def tearDownClass(cls):
        cls.worker.stop()
        cls.sub.close()

    def deliveries(self, path):
        with self.sub.lock:
            return [r for r in self.sub.requests if r[0] == path]

    def received(self, recorded):
        return from_http(HTTPMessage(dict(recorded[1]), recorded[2]), JSONFormat())

    def send(self, channel, event, encode=to_binary):
        message = encode(event, JSONFormat())
        status, _, answer = self.worker.request("POST", "/default/" + channel, message.body, message.headers)
        self.assertEqual(status, 202, answer)

    def event(self, event_id):
        return CloudEvent({"specversion": "1.0", "type": "com.example.order.created", "source": "/channel-test",
                           "id": event_id, "subject": "ünïcode ✓ 100%", "myextension": "v 1",
                           "datacontenttype": "application/json",
                           "time": datetime.datetime(2024, 5, 1, 12, 0, 0, tzinfo=datetime.timezone.utc)},
                          {"orderId": event_id})

    def test_every_subscription_receives_the_event_unchanged_and_the_reply_reaches_the_next_channel(self):
        paths = ("/reply", "/audit", "/shipped")
        at_start = {p: len(self.deliveries(p)) for p in paths}
        for mode, encode in (("binary", to_binary), ("structured", to_structured)):
            with self.subTest(mode=mode):
                event = self.event("c1-" + mode)
                before = {p: len(self.deliveries(p)) for p in paths}
                self.send("c1", event, encode)
                wait_until(lambda: all(len(self.deliveries(p)) > before[p] for p in before), "every subscriber")
                for path in ("/reply", "/audit"):
                    got = self.received(self.deliveries(path)[before[path]])
                    self.assertEqual(got.get_attributes(), event.get_attributes(), path)
                    self.assertEqual(got.get_data(), event.get_data(), path)
                reply = self.deliveries("/shipped")[before["/shipped"]]
                attributes = self.received(reply).get_attributes()
                self.assertEqual(attributes["id"], "reply-to-c1-" + mode)
                self.assertEqual(attributes["source"], "/subscriber")
                self.assertEqual(attributes["type"], "com.example.order.replied")
                self.assertEqual(reply[2], b"thanks for c1-" + mode.encode())
        # A reply goes only to its reply destination: it never loops back into c1, and each event arrives once.
        time.sleep(0.3)
        self.assertEqual({p: len(self.deliveries(p)) - at_start[p] for p in paths}, {p: 2 for p in paths})
        metrics = self.worker.metrics()
        self.assertRegex(metrics, r'eventhost_pipeline_replies_total\{pipeline="subscription/default/enrich"\} 2\b')
        self.assertRegex(metrics, r'eventhost_pipeline_replies_total\{pipeline="subscription/default/audit"\} 0\b')

    def test_a_reply_to_a_uri_reaches_that_uri(self):
        before = len(self.deliveries("/direct-replies"))
        self.send("c3", self.event("c3-1"))
        wait_until(lambda: len(self.deliveries("/direct-replies")) > before, "the reply at its uri")
        reply = self.deliveries("/direct-replies")[before]
        self.assertEqual(self.received(reply).get_attributes()["id"], "reply-to-c3-1")
        self.assertEqual(reply[2], b"thanks for c3-1")

    def test_an_unknown_channel_is_404_and_nothing_is_delivered(self):
        before = len(self.sub.requests)
        status, _, answer = self.worker.request("POST", "/default/c9", b"", {
            "Ce-Specversion": "1.0", "Ce-Type": "t", "Ce-Source": "/s", "Ce-Id": "lost"})
        self.assertEqual(status, 404, answer)
        self.assertIn("no route for /default/c9", answer.decode())
        time.sleep(0.3)
        self.assertEqual(len(self.sub.requests), before)

    def test_channel_ingress_is_its_own_pipeline(self):
        self.send("c2", self.event("c2-direct"))
        wait_until(lambda: any(self.received(r).get_attributes()["id"] == "c2-direct" for r in self.deliveries("/shipped")),
                   "the event posted straight to c2")
        metrics = self.worker.metrics()
        self.assertTrue(re.search(r'eventhost_ingress_accepted_total\{pipeline="ingress/channel/default/c2"\} [1-9]',
                                  metrics), metrics)


if __name__ == "__main__":
    unittest.main(verbosity=2)

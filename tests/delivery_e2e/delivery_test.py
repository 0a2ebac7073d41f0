"""Knative delivery end to end: a real eventhost, events posted to its memory broker's ingress, the real http sink
delivering to a scripted subscriber, and a second HTTP server as the dead-letter sink. Checks the number of
attempts, the waits between them, what the dead-letter sink receives, and that nothing is lost."""
import base64
import json
import os
import re
import socket
import sys
import time
import unittest
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "http"))
sys.path.insert(0, os.path.dirname(__file__))
from e2e_support import Worker  # noqa: E402
from scripted_server import ScriptedServer, long_body  # noqa: E402

# Waits are measured between arrivals at the subscriber: never shorter than asked (timers do not fire early; a
# little slack for the clocks of two processes), and late by at most LATE on a busy machine.
EARLY = 0.03
LATE = 0.25


def free_port():
    """A loopback port where nothing listens (connection refused) until a test starts a server on it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def trigger(name, subscriber, delivery=None):
    return """
[[triggers]]
name = "{name}"
broker = "default"
filter.attributes = {{ type = "{name}" }}
subscriber.uri = "{subscriber}"
""".format(name=name, subscriber=subscriber) + ("delivery = { %s }\n" % delivery if delivery is not None else "")


def start_worker(body, broker_delivery=""):
    os.environ["EVENTHOST_LISTEN"] = "127.0.0.1:0"
    return Worker('[host]\nthreads = 2\nshutdown_grace = "2s"\n\n[brokers.default]\n' + broker_delivery + body)


def send(worker, event_type, script, event_id=None):
    """Posts one binary-mode event whose data is the subscriber's script; returns its id."""
    event_id = event_id or str(uuid.uuid4())
    status, _, body = worker.request("POST", "/default/default", json.dumps(script).encode(), {
        "ce-specversion": "1.0", "ce-type": event_type, "ce-source": "/delivery-test", "ce-id": event_id,
        "content-type": "application/json"})
    if status != 202:
        raise AssertionError("ingress answered %d: %s" % (status, body))
    return event_id


def metric(worker, name, pipeline):
    m = re.search(r'^%s\{pipeline="%s"\} (\d+)$' % (name, re.escape(pipeline)), worker.metrics(), re.M)
    return int(m.group(1)) if m else None


class Attempts(unittest.TestCase):
    """One worker, one trigger per scenario; each test checks one scenario's attempts and dead letter."""

    @classmethod
    def setUpClass(cls):
        cls.sub = ScriptedServer()
        cls.dls = ScriptedServer(scripted=False)
        cls.refused = "http://127.0.0.1:%d/nobody" % free_port()
        dls = 'dead_letter_sink = { uri = "%s" }' % cls.dls.url("/dead-letters")
        cls.worker = start_worker(
            trigger("linear", cls.sub.url("/linear"), 'retry = 3, backoff_policy = "linear", backoff_delay = "PT0.2S", ' + dls) +
            trigger("exponential", cls.sub.url("/exponential"), 'retry = 4, backoff_policy = "exponential", backoff_delay = "PT0.1S", ' + dls) +
            trigger("retry-after", cls.sub.url("/retry-after"), 'retry = 2, backoff_policy = "linear", backoff_delay = "PT0.05S", retry_after_max = "PT5S", ' + dls) +
            trigger("retry-after-capped", cls.sub.url("/capped"), 'retry = 2, backoff_policy = "linear", backoff_delay = "PT0.05S", retry_after_max = "PT0.4S", ' + dls) +
            trigger("not-retried", cls.sub.url("/not-retried"), 'retry = 5, backoff_policy = "linear", backoff_delay = "PT0.05S", ' + dls) +
            trigger("timeout", cls.sub.url("/timeout"), 'retry = 2, backoff_policy = "linear", backoff_delay = "PT0.3S", timeout = "PT0.3S", ' + dls) +
            trigger("refused", cls.refused, 'retry = 2, backoff_policy = "linear", backoff_delay = "PT0.1S", ' + dls) +
            trigger("no-dead-letter", cls.sub.url("/no-dead-letter"), 'retry = 1, backoff_delay = "PT0.05S"') +
            trigger("unordered", cls.sub.url("/unordered"), 'retry = 2, backoff_policy = "linear", backoff_delay = "PT1S", ' + dls))

    @classmethod
    def tearDownClass(cls):
        cls.worker.stop()
        cls.sub.close()
        cls.dls.close()

    def assert_waits(self, requests, expected):
        times = [r[0] for r in requests]
        waits = [round(b - a, 3) for a, b in zip(times, times[1:])]
        self.assertEqual(len(waits), len(expected), waits)
        for got, want in zip(waits, expected):
            self.assertTrue(want - EARLY <= got <= want + LATE, "waits %s, expected %s" % (waits, expected))

    def dead_letter(self, event_id):
        letters = self.dls.wait_for(event_id, 1)
        time.sleep(0.2)
        self.assertEqual(len(self.dls.received(event_id)), 1, "exactly one dead letter per event")
        return letters[0][2], letters[0][3]

    def assert_attempts_then_dead_letter(self, name, script, attempts, waits, code):
        event_id = send(self.worker, name, script)
        requests = self.sub.wait_for(event_id, attempts)
        headers, body = self.dead_letter(event_id)
        self.assertEqual(len(self.sub.received(event_id)), attempts, "no attempt after the last")
        self.assert_waits(requests, waits)
        self.assertEqual(headers["ce-knativeerrordest"], self.sub.url(requests[0][1]))
        self.assertEqual(headers.get("ce-knativeerrorcode"), code)
        self.assertEqual(body, json.dumps(script).encode(), "the dead letter is the event as it was sent")
        return headers

    def test_always_500_linear(self):
        headers = self.assert_attempts_then_dead_letter(
            "linear", {"status": 500, "body": "database down"}, 4, [0.2, 0.4, 0.6], "500")
        self.assertEqual(base64.b64decode(headers["ce-knativeerrordata"]), b"database down")
        self.assertEqual(headers["ce-type"], "linear")
        self.assertEqual(headers["ce-source"], "/delivery-test")

    def test_always_500_exponential(self):
        self.assert_attempts_then_dead_letter(
            "exponential", {"status": 502}, 5, [0.1, 0.2, 0.4, 0.8], "502")

    def test_503_retry_after_is_honoured(self):
        self.assert_attempts_then_dead_letter(
            "retry-after", {"status": 503, "headers": {"Retry-After": "1"}}, 3, [1.0, 1.0], "503")

    def test_429_retry_after_is_honoured_up_to_retry_after_max(self):
        self.assert_attempts_then_dead_letter(
            "retry-after-capped", {"status": 429, "headers": {"Retry-After": "3"}}, 3, [0.4, 0.4], "429")

    def test_retry_after_on_500_is_not_honoured(self):
        self.assert_attempts_then_dead_letter(
            "retry-after", {"status": 500, "headers": {"Retry-After": "1"}}, 3, [0.05, 0.1], "500")

    def test_400_is_not_retried(self):
        headers = self.assert_attempts_then_dead_letter(
            "not-retried", {"status": 400, "body": "missing field orderId"}, 1, [], "400")
        self.assertEqual(base64.b64decode(headers["ce-knativeerrordata"]), b"missing field orderId")

    def test_404_and_409_are_retried(self):
        for status in (404, 409):
            self.assert_attempts_then_dead_letter("not-retried", {"status": status}, 6, [0.05, 0.1, 0.15, 0.2, 0.25],
                                                  str(status))

    def test_knativeerrordata_is_the_first_1024_bytes_of_a_long_body(self):
        headers = self.assert_attempts_then_dead_letter("not-retried", {"status": 422, "body_len": 5000}, 1, [], "422")
        self.assertEqual(base64.b64decode(headers["ce-knativeerrordata"]), long_body(1024))

    def test_empty_error_body_sends_no_knativeerrordata(self):
        headers = self.assert_attempts_then_dead_letter("not-retried", {"status": 403}, 1, [], "403")
        self.assertNotIn("ce-knativeerrordata", headers)

    def test_timeout_is_retried_and_dead_lettered_without_a_code(self):
        # Each attempt is cut at 0.3 s, then retry n waits 0.3 s * n: attempts start 0.6 s and 0.9 s apart.
        headers = self.assert_attempts_then_dead_letter("timeout", {"status": 200, "sleep": 1.5}, 3, [0.6, 0.9], None)
        self.assertNotIn("ce-knativeerrordata", headers)

    def test_connection_refused_is_retried_then_dead_lettered(self):
        before = metric(self.worker, "eventhost_pipeline_retried_total", "trigger/default/refused") or 0
        sent = time.monotonic()
        event_id = send(self.worker, "refused", {})
        headers, _ = self.dead_letter(event_id)
        waited = self.dls.received(event_id)[0][0] - sent
        self.assertGreaterEqual(waited, 0.1 + 0.2 - EARLY)
        self.assertLessEqual(waited, 0.3 + 3 * LATE)
        self.assertEqual(headers["ce-knativeerrordest"], self.refused)
        self.assertNotIn("ce-knativeerrorcode", headers)
        self.assertNotIn("ce-knativeerrordata", headers)
        self.assertEqual(metric(self.worker, "eventhost_pipeline_retried_total", "trigger/default/refused"), before + 2)

    def test_without_dead_letter_sink_an_exhausted_event_is_dropped_counted_and_logged(self):
        pipeline = "trigger/default/no-dead-letter"
        before = metric(self.worker, "eventhost_pipeline_failed_total", pipeline) or 0
        event_id = send(self.worker, "no-dead-letter", {"status": 500})
        self.sub.wait_for(event_id, 2)
        deadline = time.monotonic() + 5
        while metric(self.worker, "eventhost_pipeline_failed_total", pipeline) != before + 1:
            self.assertLess(time.monotonic(), deadline, "the dropped event was not counted")
            time.sleep(0.05)
        time.sleep(0.2)
        self.assertEqual(len(self.sub.received(event_id)), 2)
        self.assertEqual(self.dls.received(event_id), [])
        self.assertRegex(self.worker.output(), r"%s: event %s from /delivery-test: delivery to %s failed after 2 "
                                               r"attempt\(s\)" % (re.escape(pipeline), event_id,
                                                                 re.escape(self.sub.url("/no-dead-letter"))))
        self.assertEqual(metric(self.worker, "eventhost_pipeline_in_flight", pipeline), 0)

    def test_retries_of_one_event_do_not_delay_another_on_an_unordered_trigger(self):
        failing = send(self.worker, "unordered", {"status": 500})
        self.sub.wait_for(failing, 1)
        sent = time.monotonic()
        succeeding = send(self.worker, "unordered", {"status": 202})
        arrived = self.sub.wait_for(succeeding, 1, timeout=5)[0][0]
        self.assertLess(arrived - sent, 0.5, "the second event waited for the first one's retries")
        self.assertEqual(len(self.sub.received(failing)), 1, "the first event is still waiting for its retry")
        self.sub.wait_for(failing, 3)
        self.dead_letter(failing)
        self.assertEqual(len(self.sub.received(succeeding)), 1)
        self.assertEqual(self.dls.received(succeeding), [])


class BrokerDefaults(unittest.TestCase):
    """The broker's `delivery` table applies to its triggers, each trigger key replacing the broker's."""

    def test_triggers_use_the_brokers_delivery_overlaid_with_their_own(self):
        sub, dls = ScriptedServer(), ScriptedServer(scripted=False)
        worker = start_worker(
            trigger("inherits", sub.url("/inherits")) + trigger("overrides", sub.url("/overrides"), "retry = 1"),
            'delivery = { retry = 3, backoff_policy = "linear", backoff_delay = "PT0.1S", '
            'dead_letter_sink = { uri = "%s" } }\n' % dls.url("/dead-letters"))
        try:
            for name, attempts, waits in (("inherits", 4, [0.1, 0.2, 0.3]), ("overrides", 2, [0.1])):
                event_id = send(worker, name, {"status": 500})
                requests = sub.wait_for(event_id, attempts)
                dls.wait_for(event_id, 1)
                self.assertEqual(len(sub.received(event_id)), attempts, name)
                times = [r[0] for r in requests]
                for got, want in zip([b - a for a, b in zip(times, times[1:])], waits):
                    self.assertTrue(want - EARLY <= got <= want + LATE, "%s: waited %.3f, expected %.3f" % (name, got, want))
        finally:
            worker.stop()
            sub.close()
            dls.close()


class DeadLetterSinkDown(unittest.TestCase):
    """A dead-letter sink that fails for a while receives every dead letter once it is back; none is lost."""

    EVENTS = 12

    def run_outage(self, dls_url, recover):
        sub = ScriptedServer()
        worker = start_worker(trigger("down", sub.url("/down"), 'retry = 1, backoff_delay = "PT0.05S", '
                                      'dead_letter_sink = { uri = "%s" }' % dls_url))
        try:
            ids = [send(worker, "down", {"status": 500}) for _ in range(self.EVENTS)]
            for event_id in ids:
                sub.wait_for(event_id, 2)
            time.sleep(1.0)  # the dead-letter sink stays down while the worker retries it
            self.assertEqual(metric(worker, "eventhost_pipeline_in_flight", "trigger/default/down"), self.EVENTS,
                             "every event is held while its dead letter is not taken")
            self.assertEqual(metric(worker, "eventhost_pipeline_dead_lettered_total", "trigger/default/down"), 0)
            dls = recover()
            try:
                for event_id in ids:
                    dls.wait_for(event_id, 1, timeout=10)
                deadline = time.monotonic() + 5
                while metric(worker, "eventhost_pipeline_in_flight", "trigger/default/down") != 0:
                    self.assertLess(time.monotonic(), deadline, "events still in flight after their dead letters")
                    time.sleep(0.05)
                time.sleep(0.3)
                taken = [r[2]["ce-id"] for r in dls.requests if r[4] == 202]
                self.assertEqual(sorted(taken), sorted(ids), "each dead letter is taken exactly once")
                self.assertEqual(metric(worker, "eventhost_pipeline_dead_lettered_total", "trigger/default/down"),
                                 self.EVENTS)
                self.assertEqual(metric(worker, "eventhost_pipeline_failed_total", "trigger/default/down"), 0)
                for event_id in ids:
                    self.assertEqual(len(sub.received(event_id)), 2, "the subscriber is not retried for the dead letter")
                for r in dls.requests:
                    self.assertEqual(r[2]["ce-knativeerrordest"], sub.url("/down"))
                    self.assertEqual(r[2]["ce-knativeerrorcode"], "500")
            finally:
                dls.close()
            self.assertIn("dead-letter sink %s failed" % dls_url, worker.output())
        finally:
            worker.stop()
            sub.close()

    def test_dead_letter_sink_answering_503(self):
        dls = ScriptedServer(scripted=False)
        dls.answer = 503

        def recover():
            dls.answer = 202
            return dls
        self.run_outage(dls.url("/dead-letters"), recover)
        self.assertGreater(len(dls.requests), self.EVENTS, "the 503 answers were retried")

    def test_dead_letter_sink_refusing_connections(self):
        port = free_port()

        def recover():
            return ScriptedServer(port=port, scripted=False)
        self.run_outage("http://127.0.0.1:%d/dead-letters" % port, recover)


if __name__ == "__main__":
    unittest.main(verbosity=2)

"""End to end over HTTPS on loopback: a memory broker's trigger delivers to a real TLS subscriber whose certificate
is signed by a throwaway CA made with openssl. Trusted through `ca_file` the event arrives unchanged; with the
system trust store alone the handshake fails, the failure is logged and nothing reaches the subscriber."""
import os
import re
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from e2e_support import Subscriber, Worker  # noqa: E402

CONFIG = """
[host]
listen = "127.0.0.1:0"
threads = 2
shutdown_grace = "3s"

[brokers.default]

[[triggers]]
name = "secure"
broker = "default"
subscriber = {{ uri = "{uri}"{extra} }}
"""

EVENT = {"Ce-Specversion": "1.0", "Ce-Type": "com.example.order.created", "Ce-Source": "/tls-test",
         "Ce-Id": "tls-1", "Ce-Subject": "caf%C3%A9", "Ce-Myextension": "v1", "Content-Type": "application/json"}
BODY = b'{"orderId": "12345"}'


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca_and_server_cert(directory):
    """ca.pem signs server.pem, valid for IP 127.0.0.1 only; returns (ca.pem, server.pem, server.key)."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl("req", "-x509", *ec, "-keyout", "ca.key", "-out", "ca.pem", "-days", "1",
            "-subj", "/CN=eventhost test CA", "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign", cwd=directory)
    openssl("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1", cwd=directory)
    with open(os.path.join(directory, "server.ext"), "w") as f:
        f.write("basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "1", "-extfile", "server.ext", cwd=directory)
    return tuple(os.path.join(directory, n) for n in ("ca.pem", "server.pem", "server.key"))


def wait_for_metric(worker, pattern, timeout=10):
    """The subscriber records a request before answering it, so the worker counts the outcome a moment later."""
    deadline = time.time() + timeout
    while not re.search(pattern, worker.metrics()):
        if time.time() > deadline:
            raise AssertionError("no metric matches %s:\n%s" % (pattern, worker.metrics()))
        time.sleep(0.05)


class HttpsDelivery(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.dir = tempfile.TemporaryDirectory()
        cls.ca, cert, key = make_ca_and_server_cert(cls.dir.name)
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(cert, key)
        cls.sub = Subscriber(tls)

    @classmethod
    def tearDownClass(cls):
        cls.sub.close()
        cls.dir.cleanup()

    def test_trusted_through_ca_file_the_event_arrives_unchanged(self):
        before = len(self.sub.requests)
        worker = Worker(CONFIG.format(uri=self.sub.url("/orders"), extra=', ca_file = "%s"' % self.ca))
        try:
            status, _, answer = worker.request("POST", "/default/default", BODY, EVENT)
            self.assertEqual(status, 202, answer)
            got = self.sub.wait_for(before + 1)[before]
            self.assertEqual(got[0], "/orders")
            headers = {k.lower(): urllib.parse.unquote(v) for k, v in got[1]}
            for name, value in EVENT.items():
                self.assertEqual(headers.get(name.lower()), urllib.parse.unquote(value), name)
            self.assertEqual(got[2], BODY)
            wait_for_metric(worker, r'eventhost_pipeline_delivered_total\{pipeline="trigger/default/secure"\} 1\b')
        finally:
            worker.stop()

    def test_with_the_system_trust_store_the_handshake_fails_and_nothing_is_delivered(self):
        before = len(self.sub.requests)
        worker = Worker(CONFIG.format(uri=self.sub.url("/orders"), extra=""))
        try:
            status, _, answer = worker.request("POST", "/default/default", BODY, EVENT)
            self.assertEqual(status, 202, answer)  # accepted by the broker; the delivery is what fails
            deadline = time.time() + 10
            while "delivery to" not in worker.output() and time.time() < deadline:
                time.sleep(0.05)
            log = worker.output()
            self.assertRegex(log, r"trigger/default/secure: event tls-1 from /tls-test: delivery to .* failed after "
                                  r"1 attempt\(s\): unavailable: TLS handshake with 127\.0\.0\.1:%d: .*certificate verify failed"
                             % self.sub.port)
            wait_for_metric(worker, r'eventhost_pipeline_failed_total\{pipeline="trigger/default/secure"\} 1\b')
            self.assertEqual(len(self.sub.requests), before, "no request may pass an unverified handshake")
        finally:
            worker.stop()

    def test_a_missing_ca_file_is_refused_with_its_name(self):
        missing = os.path.join(self.dir.name, "nowhere.pem")
        worker_output = self.run_expecting_refusal(CONFIG.format(uri=self.sub.url("/orders"),
                                                                  extra=', ca_file = "%s"' % missing))
        self.assertIn("ca_file '%s'" % missing, worker_output)

    def run_expecting_refusal(self, config_text):
        with tempfile.NamedTemporaryFile("w", suffix=".toml") as f:
            f.write(config_text)
            f.flush()
            out = subprocess.run([os.environ["EVENTHOST"], "run", f.name], capture_output=True, text=True, timeout=30)
        self.assertNotEqual(out.returncode, 0, out.stdout + out.stderr)
        return out.stdout + out.stderr


if __name__ == "__main__":
    unittest.main(verbosity=2)

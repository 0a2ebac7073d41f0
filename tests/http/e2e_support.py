"""Helpers for the HTTP end-to-end tests: a recording subscriber and a worker process on free loopback ports."""
import http.server
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request


class Subscriber:
    """A real HTTP server that records every request (method, path, headers, body) and answers by path:
    /reply answers 200 with a binary-mode CloudEvent reply, /stall waits until released, anything else 202.
    With `tls` (a server-side ssl.SSLContext) it serves HTTPS."""

    def __init__(self, tls=None):
        self.requests = []
        self.lock = threading.Condition()
        self.release = threading.Event()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with outer.lock:
                    outer.requests.append((self.path, [(k, v) for k, v in self.headers.items()], body))
                    outer.lock.notify_all()
                if self.path == "/stall":
                    outer.release.wait(60)
                if self.path == "/reply":
                    event_id = self.headers.get("ce-id", "")
                    self.send_response(200)
                    self.send_header("ce-specversion", "1.0")
                    self.send_header("ce-id", "reply-to-" + event_id)
                    self.send_header("ce-source", "/subscriber")
                    self.send_header("ce-type", "com.example.order.replied")
                    self.send_header("Content-Type", "text/plain")
                    payload = b"thanks for " + event_id.encode()
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.scheme = "http"
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
            self.scheme = "https"
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return "%s://127.0.0.1:%d%s" % (self.scheme, self.port, path)

    def wait_for(self, count, timeout=10):
        deadline = time.time() + timeout
        with self.lock:
            while len(self.requests) < count:
                left = deadline - time.time()
                if left <= 0:
                    raise AssertionError("subscriber got %d request(s), expected %d" % (len(self.requests), count))
                self.lock.wait(left)
            return list(self.requests)

    def close(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


class Worker:
    """eventhost running a config on 127.0.0.1:0; `base` is the address it really listens on."""

    def __init__(self, config_text):
        self.dir = tempfile.TemporaryDirectory()
        path = os.path.join(self.dir.name, "worker.toml")
        with open(path, "w") as f:
            f.write(config_text)
        self.log_path = os.path.join(self.dir.name, "worker.log")
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([os.environ["EVENTHOST"], "run", path], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 20
        while time.time() < deadline:
            m = re.search(r"http: listening on (\S+)", self.output())
            if m and "eventhost running" in self.output():
                self.base = "http://" + m.group(1)
                return
            if self.process.poll() is not None:
                raise AssertionError("worker exited %d:\n%s" % (self.process.returncode, self.output()))
            time.sleep(0.05)
        raise AssertionError("worker did not start:\n" + self.output())

    def output(self):
        with open(self.log_path) as f:
            return f.read()

    def request(self, method, path, body=None, headers=None):
        """(status, headers dict with lower-case names, body bytes)."""
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=30) as r:
                return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
        except urllib.error.HTTPError as e:
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()

    def metrics(self):
        return self.request("GET", "/metrics")[2].decode()

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        self.dir.cleanup()

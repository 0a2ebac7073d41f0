"""An HTTP server for the delivery tests that answers what each request asks for and records when it came.

As a subscriber it reads the script from the event itself: the body is the event's JSON data, e.g.
{"status": 503, "headers": {"Retry-After": "1"}, "body": "...", "body_len": 3000, "sleep": 1.5}: wait `sleep`
seconds, then answer `status` (202 when absent) with those headers and that body (or `body_len` bytes of a pattern).
As a dead-letter sink it answers what `answer` holds now (202 until a test changes it)."""
import http.server
import json
import threading
import time


def long_body(n):
    return bytes((ord("a") + i % 26) for i in range(n))


class ScriptedServer:
    def __init__(self, port=0, scripted=True):
        self.requests = []  # (monotonic arrival, path, {lower-case header: value}, body, status answered)
        self.lock = threading.Condition()
        self.answer = 202
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                arrived = time.monotonic()
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                script = {"status": outer.answer}
                if scripted:
                    try:
                        script = json.loads(body)
                    except ValueError:
                        script = {}
                headers = {k.lower(): v for k, v in self.headers.items()}
                with outer.lock:
                    outer.requests.append((arrived, self.path, headers, body, script.get("status", 202)))
                    outer.lock.notify_all()
                time.sleep(script.get("sleep", 0))
                payload = script.get("body", "").encode()
                if "body_len" in script:
                    payload = long_body(script["body_len"])
                try:
                    self.send_response(script.get("status", 202))
                    for name, value in script.get("headers", {}).items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the worker gave up waiting (delivery.timeout) and closed the connection

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, path):
        return "http://127.0.0.1:%d%s" % (self.port, path)

    def received(self, event_id):
        with self.lock:
            return [r for r in self.requests if r[2].get("ce-id") == event_id]

    def wait_for(self, event_id, count, timeout=15):
        """The requests that carried event `event_id`, once there are `count` of them."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                got = [r for r in self.requests if r[2].get("ce-id") == event_id]
                if len(got) >= count:
                    return got
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("%s: got %d request(s) for %s, expected %d" %
                                         (self.url(""), len(got), event_id, count))
                self.lock.wait(left)

    def close(self):
        self.server.shutdown()
        self.server.server_close()

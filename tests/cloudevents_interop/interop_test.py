"""Cross-check of the SDK's HTTP codecs against the official CloudEvents Python SDK (cloudevents 2.2.0).

Python encodes events in binary and structured mode and our decoder (through the ce-interop helper, $CE_INTEROP)
must read back the same attributes, types and data; our encoder writes events that the Python SDK must decode to
the same values.
"""

import base64
import json
import os
import subprocess
import unittest
from datetime import datetime, timezone

from cloudevents.core.bindings.http import HTTPMessage, from_http, to_binary, to_structured
from cloudevents.core.formats.json import JSONFormat
from cloudevents.core.v1.event import CloudEvent
from dateutil.parser import isoparse

CE_INTEROP = os.environ["CE_INTEROP"]
SPEC_TYPES = {"source": "URI-reference", "dataschema": "URI", "time": "Timestamp"}
NON_ASCII = 'Euro € 😀 "quoted" 100% ok'
JSON_DATA = {"order": 42, "items": [{"sku": "ü-1", "qty": 2.5}, None, True], "note": NON_ASCII, "nested": {"a": []}}
NON_UTF8_BYTES = bytes(range(256))


def ours(command, document):
    """Runs ce-interop; returns its JSON answer, failing the test with the helper's error if it refused."""
    done = subprocess.run([CE_INTEROP, command], input=json.dumps(document).encode(), capture_output=True,
                          timeout=30, check=False)
    answer = json.loads(done.stdout)
    if done.returncode != 0:
        raise AssertionError(f"ce-interop {command} refused: {answer.get('error')}")
    return answer


def timestamp(value):
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def canonical(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return timestamp(value)
    return str(value)


def expected_type(name, value, mode):
    """The type our decoder gives an attribute: headers carry strings, JSON carries booleans and numbers."""
    if mode == "structured" and isinstance(value, bool):
        return "Boolean"
    if mode == "structured" and isinstance(value, int):
        return "Integer"
    return SPEC_TYPES.get(name, "String")


def python_events():
    """Events built with the Python SDK: every attribute, extensions of each JSON type, JSON/binary/text data."""
    when = datetime(2026, 11, 23, 3, 4, 5, 123456, tzinfo=timezone.utc)
    full = {
        "id": "id-€-1", "source": "https://example.com/sources/a?b=c", "type": "com.example.order.created",
        "specversion": "1.0", "datacontenttype": "application/json", "dataschema": "https://example.com/schema.json",
        "subject": NON_ASCII, "time": when,
        "strext": "ünïcödé ✓", "intext": 42, "minint": -2147483648, "uriext": "https://example.com/x?y=1&z=%20",
        "urirefext": "/relative/path#frag", "binext": base64.b64encode(b"\x00\x01\xfe\xff").decode(),
        "tsext": "2026-11-23T03:00:00.5+01:00",
    }
    return {
        "full_json_data": CloudEvent(full, JSON_DATA),
        "binary_data": CloudEvent({"id": "2", "source": "/s", "type": "t", "specversion": "1.0", "time": when,
                                   "datacontenttype": "application/octet-stream"}, NON_UTF8_BYTES),
        "text_data": CloudEvent({"id": "3", "source": "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", "type": "t",
                                 "specversion": "1.0", "time": when,
                                 "datacontenttype": "text/plain; charset=utf-8"}, NON_ASCII),
        "no_data": CloudEvent({"id": "4", "source": "/s", "type": "t", "specversion": "1.0", "time": when}),
    }


class PythonEncodesOursDecodes(unittest.TestCase):
    def check(self, mode, encode, with_bool):
        for name, event in python_events().items():
            with self.subTest(event=name, mode=mode):
                if with_bool and name == "full_json_data":
                    attributes = dict(event.get_attributes(), boolext=True, falseext=False)
                    event = CloudEvent(attributes, event.get_data())
                message = encode(event, JSONFormat())
                got = ours("decode-http", {"headers": list(message.headers.items()),
                                           "body_base64": base64.b64encode(message.body).decode()})
                self.assertEqual(got["mode"], mode)
                want = {k: {"type": expected_type(k, v, mode), "value": canonical(v)}
                        for k, v in event.get_attributes().items()}
                self.assertEqual(got["attributes"], want)
                self.check_data(event, got, message, mode)

    def check_data(self, event, got, message, mode):
        data = event.get_data()
        if data is None:
            self.assertNotIn("data_base64", got)
            return
        ours_data = base64.b64decode(got["data_base64"])
        if mode == "binary":
            self.assertEqual(ours_data, message.body, "binary mode: data is the body, byte for byte")
        if isinstance(data, dict):
            self.assertEqual(json.loads(ours_data), data)
        elif isinstance(data, str):
            self.assertEqual(ours_data, data.encode())
        else:
            self.assertEqual(ours_data, data)

    def test_binary_mode(self):
        # Booleans are left out: the Python SDK writes str(True) == "True", not the canonical "true".
        self.check("binary", to_binary, with_bool=False)

    def test_structured_mode(self):
        self.check("structured", to_structured, with_bool=True)


def our_events():
    """Events in ce-interop's shape, with every attribute type our model has."""
    def attrs(**kv):
        return {k: {"type": t, "value": v} for k, (t, v) in kv.items()}

    required = dict(id=("String", "id-€-1"), source=("URI-reference", "/sources/ünï?x=1"),
                    type=("String", "com.example.t"), specversion=("String", "1.0"),
                    # The Python SDK gives an event without time the current one, so every event here has it.
                    time=("Timestamp", "2026-11-23T03:04:05.5Z"))
    return {
        "full_json_data": {
            "attributes": attrs(**required, datacontenttype=("String", "application/json"),
                                dataschema=("URI", "https://example.com/schema.json"), subject=("String", NON_ASCII),
                                strext=("String", "ünïcödé ✓ %20"),
                                boolext=("Boolean", "true"), falseext=("Boolean", "false"),
                                intext=("Integer", "-2147483648"), binext=("Binary", "AAH+/w=="),
                                uriext=("URI", "https://example.com/x?y=1"), urirefext=("URI-reference", "../up"),
                                tsext=("Timestamp", "1985-04-12T23:20:50.52+01:00")),
            "data": JSON_DATA,
        },
        "binary_data": {"attributes": attrs(**required, datacontenttype=("String", "application/octet-stream")),
                        "data": NON_UTF8_BYTES},
        "text_data": {"attributes": attrs(**required, datacontenttype=("String", "text/plain; charset=utf-8")),
                      "data": NON_ASCII},
        "no_data": {"attributes": attrs(**required)},
    }


def as_bytes(data):
    if isinstance(data, dict):
        return json.dumps(data).encode()
    return data.encode() if isinstance(data, str) else data


class OursEncodesPythonDecodes(unittest.TestCase):
    def check(self, command):
        mode = command.removeprefix("encode-http-")
        for name, event in our_events().items():
            with self.subTest(event=name, mode=mode):
                document = {"attributes": event["attributes"]}
                if "data" in event:
                    document["data_base64"] = base64.b64encode(as_bytes(event["data"])).decode()
                message = ours(command, document)
                decoded = from_http(HTTPMessage(dict(message["headers"]), base64.b64decode(message["body_base64"])),
                                    JSONFormat())
                want = {k: self.python_value(k, a, mode) for k, a in event["attributes"].items()}
                self.assertEqual(decoded.get_attributes(), want)
                self.assertEqual(decoded.get_data(), event.get("data"))

    @staticmethod
    def python_value(name, attribute, mode):
        """What the Python SDK gives for one of our attributes: JSON types in structured mode, strings in headers."""
        value = attribute["value"]
        if name == "time":
            return isoparse(value)
        if mode == "structured" and attribute["type"] == "Boolean":
            return value == "true"
        if mode == "structured" and attribute["type"] == "Integer":
            return int(value)
        return value

    def test_binary_mode(self):
        self.check("encode-http-binary")

    def test_structured_mode(self):
        self.check("encode-http-structured")


if __name__ == "__main__":
    unittest.main(verbosity=2)

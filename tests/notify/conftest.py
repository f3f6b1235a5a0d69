"""A real HTTP receiver on 127.0.0.1 standing in for the robots' webhooks: nothing leaves the machine."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from notify.models import Channel
from teams.models import Department

OK = (200, {"errcode": 0, "errmsg": "ok"})


class _Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        time.sleep(self.server.delay)
        length = int(self.headers.get("Content-Length", 0))
        body = self.rfile.read(length)
        parts = urlsplit(self.path)
        self.server.received.append(
            {
                "path": parts.path,
                "query": parse_qs(parts.query),
                "raw_query": parts.query,
                "headers": dict(self.headers),
                "body": body,
            }
        )
        status, answer = self.server.answers.pop(0) if len(self.server.answers) > 1 else self.server.answers[0]
        data = answer if isinstance(answer, bytes) else json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    """`receiver.url`, `receiver.received` (each request's path, query, headers, body) and
    `receiver.answers`, the (status, JSON) answers to give in turn (the last one repeats)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.received = []
    server.answers = [OK]
    server.delay = 0  # seconds before answering: a slow robot widens the window two runs could both send in
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def water(reference):
    return Department.objects.get(name="水生态环境处")


@pytest.fixture
def wecom(receiver, water):
    return Channel.objects.create(
        department=water, kind="wecom", name="水处工作群", url=f"{receiver.url}/cgi-bin/webhook/send?key=wk-123"
    )


@pytest.fixture
def dingtalk(receiver, water):
    return Channel.objects.create(
        department=water,
        kind="dingtalk",
        name="水处钉钉群",
        secret="SECabc",
        url=f"{receiver.url}/robot/send?access_token=dt-456",
    )

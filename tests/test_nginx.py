"""Login lockout through a real nginx with the README's proxy block, from two real client addresses.

Debian's nginx (nginx-light) listens on a free port of 127.0.0.1 and proxies to the test's live server
with the `location /` block copied out of the README, so the test fails if the README's block stops doing
its job. The clients bind their sockets to 127.0.0.2 and 127.0.0.3 (all of 127/8 is the loopback on Linux),
so nginx sees two distinct addresses and writes each into X-Forwarded-For itself. Locally the test skips
when nginx is missing; REQUIRE_NGINX=1 (set by .ci/run) makes that a failure.
"""

import http.client
import os
import re
import shutil
import socket
import subprocess
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings as django_settings

from audit.models import AuditEvent

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ATTACKER, USER = "127.0.0.2", "127.0.0.3"


def readme_location_block():
    """The `location / { … }` block of the README's nginx server block, as written there."""
    readme = (Path(django_settings.BASE_DIR) / "README.md").read_text(encoding="utf-8")
    [server] = re.findall(r"```nginx\n(.*?)```", readme, flags=re.S)
    match = re.search(r"\n(\s*location / \{.*?\n\s*\})", server, flags=re.S)
    assert match, "the README's nginx block has no `location /`"
    return match.group(1)


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def nginx(live_server, tmp_path):
    """nginx on 127.0.0.1:<port> in front of the live server; yields the port."""
    if not Path(NGINX).exists():
        message = "nginx not found: apt-get install -y nginx-light to run the test through a real proxy"
        if os.environ.get("REQUIRE_NGINX") == "1":
            pytest.fail(message + " — REQUIRE_NGINX=1 makes this an error")
        pytest.skip(message)
    upstream = urlsplit(live_server.url)
    location = readme_location_block()
    assert "proxy_pass http://127.0.0.1:8000;" in location
    location = location.replace("http://127.0.0.1:8000", f"http://127.0.0.1:{upstream.port}")
    port = _free_port()
    for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp_path / name).mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"""
daemon off;
master_process off;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
{location}
    }}
}}
""",
        encoding="utf-8",
    )
    process = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(conf)], stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            if process.poll() is not None:
                pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


class Browser:
    """A client whose connections leave from one loopback address, keeping its cookies."""

    def __init__(self, port, source):
        self.port, self.source, self.cookies = port, source, SimpleCookie()

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30, source_address=(self.source, 0))
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        connection.close()
        return response.status, response.headers, text

    def login(self, username, password, headers=None):
        _status, _headers, page = self.request("GET", "/accounts/login/", headers=headers)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urlencode({"csrfmiddlewaretoken": token, "username": username, "password": password})
        status, answer_headers, page = self.request("POST", "/accounts/login/", body=form, headers=headers)
        return status, answer_headers, page


@pytest.fixture
def lockout(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    settings.TIEJU_PROXY_COUNT = 1  # AXES_IPWARE_PROXY_COUNT=1 in the README's environment


def test_failures_from_one_address_lock_only_that_address(nginx, lockout, admin_user):
    from axes.models import AccessAttempt

    attacker, user = Browser(nginx, ATTACKER), Browser(nginx, USER)
    for _ in range(2):
        assert attacker.login("admin", "wrong")[0] == 200
    status, _headers, page = attacker.login("admin", "wrong")
    assert status == 429 and ATTACKER in page and "admin" in page
    assert attacker.login("admin", "pw")[0] == 429  # the right password, from the locked address
    status, headers, _page = user.login("admin", "pw")
    assert status == 302 and headers["Location"] == "/"
    assert user.request("GET", "/")[0] == 200
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    failed = AuditEvent.objects.filter(action="auth.login_failed")
    # Three wrong passwords and the refused right one, all from the attacker's address.
    assert failed.count() == 4 and set(failed.values_list("ip_address", flat=True)) == {ATTACKER}
    assert AuditEvent.objects.get(action="auth.login").ip_address == USER


def test_a_client_cannot_choose_its_address_through_nginx(nginx, lockout, admin_user):
    from axes.models import AccessAttempt

    attacker = Browser(nginx, ATTACKER)
    # Each failure claims to come from somewhere else; nginx replaces the header with what it saw.
    for n in range(3):
        attacker.login("admin", "wrong", headers={"X-Forwarded-For": f"198.51.100.{n + 1}"})
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {ATTACKER}
    assert set(AuditEvent.objects.filter(action="auth.login_failed").values_list("ip_address", flat=True)) == {ATTACKER}
    # Nor can the locked-out client slip out of its lock by naming another address …
    assert attacker.login("admin", "pw", headers={"X-Forwarded-For": USER})[0] == 429
    # … while the address it named still signs in.
    assert Browser(nginx, USER).login("admin", "pw")[0] == 302

"""Login lockout per user name and client address behind the README's nginx (issue 17).

nginx sends `X-Forwarded-For: $remote_addr` to gunicorn on 127.0.0.1, replacing what the client
sent; before, every client was 127.0.0.1 and five failures from anyone locked `admin` out for all.
"""

import os
import subprocess
import sys

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from audit.models import AuditEvent

LOGIN = reverse("login")


def _via_nginx(client, client_address, username, password):
    """A request as nginx forwards it: from the proxy's address, the client's in the header."""
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=client_address,
    )


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=5, TIEJU_PROXY_COUNT=1)
def test_it_locks_only_the_attacking_address_out(client, admin_user):
    from axes.models import AccessAttempt

    for _ in range(4):
        assert _via_nginx(client, "203.0.113.7", "admin", "wrong").status_code == 200
    locked = _via_nginx(client, "203.0.113.7", "admin", "wrong")
    assert locked.status_code == 429
    # The right password from the attacker's address is still refused …
    assert _via_nginx(client, "203.0.113.7", "admin", "pw").status_code == 429
    # … but the administrator, signing in from another address, gets in.
    other = client.__class__()
    assert _via_nginx(other, "198.51.100.9", "admin", "pw").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    failures = AuditEvent.objects.filter(action="auth.login_failed")
    assert set(failures.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    assert AuditEvent.objects.get(action="auth.login").ip_address == "198.51.100.9"
    lockouts = AuditEvent.objects.filter(action="auth.lockout")
    assert lockouts.exists() and set(lockouts.values_list("ip_address", flat=True)) == {"203.0.113.7"}


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3, TIEJU_PROXY_COUNT=1)
def test_the_lockout_page_says_what_is_locked_and_until_when(client, admin_user):
    from axes.models import AccessAttempt

    for _ in range(3):
        response = _via_nginx(client, "203.0.113.7", "admin", "wrong")
    page = response.content.decode()
    assert response.status_code == 429
    assert "admin" in page and "203.0.113.7" in page and "30 分钟" in page
    last = AccessAttempt.objects.get().attempt_time
    from datetime import timedelta

    from django.utils import timezone

    until = timezone.localtime(last + timedelta(minutes=30))
    assert f"{until:%Y-%m-%d %H:%M}" in page
    assert "在本机" not in page


@override_settings(TIEJU_PROXY_COUNT=1)
def test_a_client_cannot_choose_its_address():
    from django.test import RequestFactory

    from tieju.clientip import client_ip

    factory = RequestFactory()
    # Reaching gunicorn directly (not from a trusted proxy): its own header is ignored.
    direct = factory.get("/", REMOTE_ADDR="203.0.113.7", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert client_ip(direct) == "203.0.113.7"
    # Through a proxy that appends instead of replacing, the client's own text is on the left.
    appended = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.7")
    assert client_ip(appended) == "203.0.113.7"
    # Garbage in the header falls back to the proxy's address rather than storing the text.
    garbage = factory.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="<script>")
    assert client_ip(garbage) == "127.0.0.1"


@override_settings(TIEJU_PROXY_COUNT=0)
def test_without_a_proxy_the_header_is_never_read():
    from django.test import RequestFactory

    from tieju.clientip import client_ip

    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    assert client_ip(request) == "127.0.0.1"


def test_the_readme_deployment_setting_turns_the_proxy_on():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.TIEJU_PROXY_COUNT, settings.AXES_CLIENT_IP_CALLABLE)"
    )
    env = {**os.environ, "DEBUG": "true", "AXES_IPWARE_PROXY_COUNT": "1", "DJANGO_SETTINGS_MODULE": "tieju.settings"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.stdout.split() == ["1", "tieju.clientip.client_ip"], result.stderr

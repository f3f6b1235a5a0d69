"""The pages and log lines for refused requests (issue 17)."""

import logging

import pytest
from django.urls import reverse

from audit.models import AuditEvent


@pytest.mark.parametrize("path", ["/indicators/2026-10/approve/", "/indicators/2026-10/submit/"])
def test_it_explains_a_post_only_address_opened_in_the_browser(client, admin_user, path):
    client.force_login(admin_user)
    response = client.get(path, HTTP_REFERER="http://testserver/bulletin/2026-06/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert "此地址不能直接打开" in page and "不能在浏览器地址栏中直接打开" in page
    assert 'href="http://testserver/bulletin/2026-06/"' in page  # back where the user came from
    assert f'href="{reverse("tasks:dashboard")}"' in page


def test_it_does_not_link_back_to_another_site(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/indicators/2026-10/approve/", HTTP_REFERER="https://evil.example/").content.decode()
    assert "evil.example" not in page


def test_it_logs_a_403_as_one_line_and_audits_it(client, water_staff, caplog):
    client.force_login(water_staff)
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.post("/indicators/2026-10/approve/")
    assert response.status_code == 403
    assert "安全管理员" in response.content.decode()
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].exc_info is None
    formatted = logging.Formatter().format(records[0])
    assert formatted == "Forbidden (Permission denied): /indicators/2026-10/approve/"
    event = AuditEvent.objects.get(action="access.denied")
    assert (event.actor_name, event.outcome, event.object_repr) == ("water", "failure", "/indicators/2026-10/approve/")


def test_a_server_error_keeps_its_traceback():
    from tieju.logfilters import ClientErrorsOneLine

    try:
        raise ValueError("boom")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Internal Server Error", (), sys.exc_info()
        )
    record.status_code = 500
    assert ClientErrorsOneLine().filter(record) and record.exc_info is not None

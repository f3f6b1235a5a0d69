"""Publishing a bulletin: who may, which months, the confirmation, the issue number, the frozen snapshot."""

import json
import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from metrics.models import Bulletin, Month, MonthlyValue

URL = reverse("metrics:bulletin", args=["2026", "06"])
PUBLISH = reverse("metrics:bulletin-publish", args=["2026", "06"])


def _article(page):
    return page[page.index('<article class="bulletin">') : page.index("</article>")]


def _publish_url(year, month):
    return reverse("metrics:bulletin-publish", args=[f"{year:04d}", f"{month:02d}"])


def _confirm(client, url, reason=None):
    """Open the confirmation page, then confirm what it shows (as the administrator's browser would)."""
    page = client.get(url).content.decode()
    digest = re.search(r'name="confirm" value="([0-9a-f]+)"', page).group(1)
    fields = {"confirm": digest}
    if reason is not None:
        fields["reason"] = reason
    return client.post(url, fields)


def test_it_requires_login_to_publish(client, sample_indicators):
    response = client.post(PUBLISH)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert Bulletin.objects.count() == 0


def test_it_hides_publishing_from_an_account_without_a_role(client, outsider, sample_indicators):
    client.force_login(outsider)
    assert client.post(PUBLISH).status_code == 404
    assert Bulletin.objects.count() == 0


def test_it_refuses_publishing_to_leaders_and_staff(client, leader, water_staff, sample_indicators):
    for user in (leader, water_staff):
        client.force_login(user)
        assert client.post(PUBLISH).status_code == 403
        assert client.get(PUBLISH).status_code == 403
    assert Bulletin.objects.count() == 0
    assert "发布通报" not in client.get(URL).content.decode()


def test_it_asks_for_confirmation_showing_what_will_be_frozen(client, admin_user, sample_indicators):
    client.force_login(admin_user)
    assert f'href="{PUBLISH}"' in client.get(URL).content.decode()  # the bulletin page links to the confirmation
    page = client.get(PUBLISH).content.decode()
    assert "请确认将要固化的内容" in page and "2026年第1期" in page and "确认发布第1期" in page
    assert "比去年同期（25.7微克/立方米）下降4.6微克/立方米" in page  # the narrative to be frozen
    assert Bulletin.objects.count() == 0  # looking publishes nothing
    response = client.post(PUBLISH)  # a POST that did not come from the confirmation
    assert response.status_code == 400 and Bulletin.objects.count() == 0
    assert "确认之后数据已有变化" in response.content.decode()


def test_it_refuses_a_confirmation_of_figures_that_changed_since(client, admin_user, sample_indicators):
    client.force_login(admin_user)
    digest = re.search(r'name="confirm" value="([0-9a-f]+)"', client.get(PUBLISH).content.decode()).group(1)
    MonthlyValue.objects.filter(indicator__code="pm25", month=date(2026, 3, 1)).update(value=40)
    response = client.post(PUBLISH, {"confirm": digest})
    assert response.status_code == 400 and Bulletin.objects.count() == 0
    assert _confirm(client, PUBLISH).status_code == 302  # confirmed again, on the new figures
    assert [r["ytd"] for r in Bulletin.objects.get().data["indicators"] if r["code"] == "pm25"] != ["21.1"]


@pytest.mark.parametrize("year, month", [(2030, 1), (None, None)])
def test_it_refuses_a_month_that_has_not_ended(client, admin_user, sample_indicators, year, month):
    today = timezone.localdate()
    year, month = (year, month) if year else (today.year, today.month)
    client.force_login(admin_user)
    page = client.get(reverse("metrics:bulletin", args=[f"{year:04d}", f"{month:02d}"])).content.decode()
    assert "尚未结束" in page and "发布通报" not in page
    response = client.get(_publish_url(year, month))
    assert "现在不能发布" in response.content.decode() and f"{year}年{month}月尚未结束" in response.content.decode()
    assert 'name="confirm"' not in response.content.decode()
    assert client.post(_publish_url(year, month), {"confirm": "x", "reason": "x"}).status_code == 400
    assert Bulletin.objects.count() == 0


def test_it_needs_a_reason_for_data_not_approved_and_prints_it(client, admin_user, sample_indicators):
    """2026-10 is still 填报中 in the sample."""
    client.force_login(admin_user)
    url = _publish_url(2026, 10)
    page = client.get(url).content.decode()
    assert "该月指标数据尚未审核（填报中）" in page and 'name="reason"' in page
    response = _confirm(client, url, reason="  ")
    assert response.status_code == 400 and Bulletin.objects.count() == 0
    assert "尚未审核：请审核后再发布，或填写未经审核即发布的理由" in response.content.decode()
    assert _confirm(client, url, reason="市领导会议急需，数据待监测站复核").status_code == 302
    bulletin = Bulletin.objects.get()
    assert (bulletin.data_state, bulletin.reason) == ("draft", "市领导会议急需，数据待监测站复核")
    page = client.get(reverse("metrics:bulletin", args=["2026", "10"])).content.decode()
    assert "数据未经审核：市领导会议急需，数据待监测站复核" in page


def test_it_numbers_issues_within_the_year_and_keeps_the_number_for_a_new_version(
    client, admin_user, sample_indicators
):
    client.force_login(admin_user)
    assert _confirm(client, PUBLISH).status_code == 302  # 2026-06: the year's first
    assert _confirm(client, _publish_url(2026, 3)).status_code == 302  # then 2026-03: the second
    assert _confirm(client, _publish_url(2025, 12)).status_code == 302  # 2025 counts on its own
    MonthlyValue.objects.filter(indicator__code="pm25", month=date(2026, 3, 1)).update(value=40)
    assert _confirm(client, PUBLISH).status_code == 302  # 2026-06 again: same number, version 2
    rows = list(Bulletin.objects.order_by("pk").values_list("month", "issue_number", "version"))
    assert rows == [
        (date(2026, 6, 1), 1, 1),
        (date(2026, 3, 1), 2, 1),
        (date(2025, 12, 1), 1, 1),
        (date(2026, 6, 1), 1, 2),
    ]
    page = client.get(URL).content.decode()
    assert "第1期" in page and "（第2版）" in page
    issued = timezone.localdate()
    assert f"{issued.year}年{issued.month}月{issued.day}日" in page  # the issue date, as GB/T 9704 writes it


def test_it_publishes_a_frozen_snapshot_that_renders_identically_later(client, admin_user, leader, sample_indicators):
    client.force_login(admin_user)
    assert _confirm(client, PUBLISH).status_code == 302
    bulletin = Bulletin.objects.get()
    assert bulletin.version == 1 and bulletin.published_by == admin_user and bulletin.published_via == "web"
    assert bulletin.data["issued_on"] and any(r["code"] == "pm25" for r in bulletin.data["indicators"])
    # Facts, not sentences: the snapshot holds no rendered text to go stale or stay Chinese.
    stored = json.dumps(bulletin.data, ensure_ascii=False)
    assert "同比" not in stored and "narrative" not in bulletin.data and "黄灯" not in stored
    client.force_login(leader)
    before = client.get(URL).content.decode()
    assert "印发日期" in before and "21.1" in before

    MonthlyValue.objects.filter(indicator__code="pm25", month=date(2026, 3, 1)).update(value=40)
    after = client.get(URL).content.decode()
    assert _article(after) == _article(before)  # the bulletin itself, byte for byte
    assert "21.1" in after

    draft = client.get(URL, {"draft": "1"}).content.decode()
    assert "实时草稿" in draft and "与已发布第1版相比的变化" in draft
    assert "全市PM2.5平均浓度 · 累计" in draft  # the changed figure is listed
    assert "21.1" in draft  # as published, beside the new figure


def test_it_renders_a_published_bulletin_in_english_and_compares_figures_not_labels(
    client, admin_user, sample_indicators
):
    client.force_login(admin_user)
    assert _confirm(client, PUBLISH).status_code == 302
    client.post(reverse("set_language"), {"language": "en", "next": URL})
    english = _article(client.get(URL).content.decode())
    assert "1. Overview" in english and "Issue 1" in english
    assert "down 4.6 微克/立方米 on the same period last year (25.7 微克/立方米)" in english  # units are data
    assert "一、总体情况" not in english and "同比" not in english and "比去年同期" not in english
    # Nothing changed: the English draft-vs-published table lists no difference (no 黄灯 → Amber).
    draft = client.get(URL, {"draft": "1"}).content.decode()
    assert "Same as the published version." in draft


def test_it_keeps_earlier_versions_when_publishing_again(client, admin_user, sample_indicators):
    client.force_login(admin_user)
    _confirm(client, PUBLISH)
    MonthlyValue.objects.filter(indicator__code="pm25", month=date(2026, 3, 1)).update(value=40)
    _confirm(client, PUBLISH)
    versions = list(Bulletin.objects.for_month(date(2026, 6, 1)))
    assert [b.version for b in versions] == [2, 1]
    first = [r for r in versions[1].data["indicators"] if r["code"] == "pm25"][0]["ytd"]
    second = [r for r in versions[0].data["indicators"] if r["code"] == "pm25"][0]["ytd"]
    assert first == "21.1" and second != first
    page = client.get(URL, {"version": "1"}).content.decode()
    assert "（第1版）" in page and "21.1" in page
    assert "第2版" in client.get(URL).content.decode()


def test_it_prints_the_published_version_from_the_command(client, admin_user, sample_indicators):
    out = StringIO()
    call_command("bulletin", "2026-06", "--format", "json", stdout=out)
    assert "version" not in json.loads(out.getvalue())  # never published: no version
    client.force_login(admin_user)
    _confirm(client, PUBLISH)
    MonthlyValue.objects.filter(indicator__code="pm25", month=date(2026, 3, 1)).update(value=40)
    out = StringIO()
    call_command("bulletin", "2026-06", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["version"] == 1
    out = StringIO()
    call_command("bulletin", "2026-06", "--format", "json", "--draft", stdout=out)
    data = json.loads(out.getvalue())
    assert "version" not in data and [r for r in data["indicators"] if r["code"] == "pm25"][0]["ytd"] != "21.1"


def test_it_publishes_from_the_command_under_the_same_rules(admin_user, leader, sample_indicators):
    with pytest.raises(CommandError, match="尚未结束"):
        call_command("bulletin", "2030-01", "--publish", stdout=StringIO())
    with pytest.raises(CommandError, match="尚未审核"):
        call_command("bulletin", "2026-10", "--publish", stdout=StringIO())
    with pytest.raises(CommandError, match="may not publish"):
        call_command("bulletin", "2026-06", "--publish", "--user", "leader", stdout=StringIO())
    with pytest.raises(CommandError, match="no active user"):
        call_command("bulletin", "2026-06", "--publish", "--user", "nobody", stdout=StringIO())
    assert Bulletin.objects.count() == 0
    call_command("bulletin", "2026-06", "--publish", stdout=StringIO())
    call_command("bulletin", "2026-10", "--publish", "--reason", "急需", "--user", "admin", stdout=StringIO())
    first, second = Bulletin.objects.order_by("pk")
    assert (first.issue_number, first.published_by, first.published_via) == (1, None, "command")
    assert (second.issue_number, second.published_by, second.reason) == (2, admin_user, "急需")
    assert Month.objects.get(month=date(2026, 10, 1)).state == "draft"  # publishing approves nothing


def test_it_records_each_publication_in_the_security_audit_trail(client, admin_user, leader, sample_indicators):
    client.force_login(leader)
    client.post(PUBLISH, {"confirm": "0" * 64})  # refused: a leader does not publish
    client.force_login(admin_user)
    _confirm(client, PUBLISH)
    events = list(AuditEvent.objects.filter(action="bulletin.publish").values_list("actor_name", "outcome"))
    assert events == [("admin", "success")]
    assert not Bulletin.objects.filter(published_by=leader).exists()

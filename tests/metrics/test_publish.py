from datetime import date

from django.urls import reverse

from metrics.models import Bulletin, MonthlyValue

URL = reverse("metrics:bulletin", args=["2026", "06"])
PUBLISH = reverse("metrics:bulletin-publish", args=["2026", "06"])


def _article(page):
    return page[page.index('<article class="bulletin">'):page.index("</article>")]


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
    assert Bulletin.objects.count() == 0
    assert "发布通报" not in client.get(URL).content.decode()


def test_it_refuses_get_on_publish(client, admin_user, sample_indicators):
    client.force_login(admin_user)
    assert client.get(PUBLISH).status_code == 405
    assert Bulletin.objects.count() == 0


def test_it_publishes_a_frozen_snapshot_that_renders_identically_later(client, admin_user, leader, sample_indicators):
    client.force_login(admin_user)
    assert client.post(PUBLISH).status_code == 302
    bulletin = Bulletin.objects.get()
    assert bulletin.version == 1 and bulletin.published_by == admin_user
    assert bulletin.data["issued_on"] and any(r["code"] == "pm25" for r in bulletin.data["indicators"])
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


def test_it_keeps_earlier_versions_when_publishing_again(client, admin_user, sample_indicators):
    client.force_login(admin_user)
    client.post(PUBLISH)
    MonthlyValue.objects.filter(indicator__code="pm25", month=date(2026, 3, 1)).update(value=40)
    client.post(PUBLISH)
    versions = list(Bulletin.objects.for_month(date(2026, 6, 1)))
    assert [b.version for b in versions] == [2, 1]
    first = [r for r in versions[1].data["indicators"] if r["code"] == "pm25"][0]["ytd"]
    second = [r for r in versions[0].data["indicators"] if r["code"] == "pm25"][0]["ytd"]
    assert first == "21.1" and second != first
    page = client.get(URL, {"version": "1"}).content.decode()
    assert "（第1版）" in page and "21.1" in page
    assert "第2版" in client.get(URL).content.decode()


def test_it_prints_the_published_version_from_the_command(client, admin_user, sample_indicators):
    import json
    from io import StringIO

    from django.core.management import call_command

    client.force_login(admin_user)
    client.post(PUBLISH)
    MonthlyValue.objects.filter(indicator__code="pm25", month=date(2026, 3, 1)).update(value=40)
    out = StringIO()
    call_command("bulletin", "2026-06", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["version"] == 1
    out = StringIO()
    call_command("bulletin", "2026-06", "--format", "json", "--draft", stdout=out)
    data = json.loads(out.getvalue())
    assert "version" not in data and [r for r in data["indicators"] if r["code"] == "pm25"][0]["ytd"] != "21.1"

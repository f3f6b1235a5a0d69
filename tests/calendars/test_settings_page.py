"""我的日历订阅: turn on, see the address once, regenerate (the old one dies), turn off."""

import re

from django.urls import reverse

from calendars.models import CalendarFeed

SETTINGS = reverse("calendars:settings")


def _address(page):
    match = re.search(r'<input id="feed-url"[^>]* value="([^"]+)"', page)
    return match and match.group(1)


def test_it_sends_anonymous_visitors_to_login(client):
    response = client.get(SETTINGS)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_refuses_an_account_without_a_role(client, outsider):
    client.force_login(outsider)
    assert client.get(SETTINGS).status_code == 403
    assert client.post(reverse("calendars:turn-on")).status_code == 403
    assert CalendarFeed.objects.count() == 0


def test_it_refuses_get_on_the_writing_urls(client, water_staff):
    client.force_login(water_staff)
    assert client.get(reverse("calendars:turn-on")).status_code == 405


def test_it_shows_the_address_once_and_it_works(client, water_staff, table):
    client.force_login(water_staff)
    assert "日历订阅未开启" in client.get(SETTINGS).content.decode()
    response = client.post(reverse("calendars:turn-on"), follow=True)
    page = response.content.decode()
    assert "已开启日历订阅。" in page
    url = _address(page)
    assert url.startswith("http://testserver/calendar/feed/") and url.endswith(".ics")
    assert f'href="webcal://{url.split("://")[1]}"' in page
    assert client.get(url.replace("http://testserver", "")).status_code == 200
    # Shown once: reloading the page no longer carries it.
    again = client.get(SETTINGS).content.decode()
    assert _address(again) is None and "日历订阅已开启" in again


def test_it_regenerates_and_kills_the_old_address(client, water_staff, table):
    client.force_login(water_staff)
    old = _address(client.post(reverse("calendars:turn-on"), follow=True).content.decode())
    page = client.post(reverse("calendars:turn-on"), follow=True).content.decode()
    new = _address(page)
    assert "已生成新的订阅地址，原地址已失效。" in page and new != old
    assert client.get(old.replace("http://testserver", "")).status_code == 404
    assert client.get(new.replace("http://testserver", "")).status_code == 200


def test_it_turns_the_feed_off(client, water_staff, table):
    client.force_login(water_staff)
    url = _address(client.post(reverse("calendars:turn-on"), follow=True).content.decode())
    page = client.post(reverse("calendars:turn-off"), follow=True).content.decode()
    assert "已关闭日历订阅，订阅地址已失效。" in page and "日历订阅未开启" in page
    assert client.get(url.replace("http://testserver", "")).status_code == 404
    assert CalendarFeed.objects.count() == 0


def test_it_needs_the_csrf_token(water_staff):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(water_staff)
    assert client.post(reverse("calendars:turn-on")).status_code == 403
    assert CalendarFeed.objects.count() == 0


def test_it_records_turning_on_regenerating_and_turning_off_in_the_audit_trail(client, water_staff, table):
    from audit.models import AuditEvent

    client.force_login(water_staff)
    client.post(reverse("calendars:turn-on"))
    client.post(reverse("calendars:turn-on"))
    client.post(reverse("calendars:turn-off"))
    client.post(reverse("calendars:turn-off"))  # already off: nothing happened, nothing recorded
    events = AuditEvent.objects.filter(action__startswith="calendar.").order_by("pk")
    assert [e.action for e in events] == ["calendar.on", "calendar.regenerate", "calendar.off"]
    assert {(e.actor_name, e.object_repr) for e in events} == {("water", "water")}
    # The secret address is never written into the trail.
    assert all("feed" not in e.detail for e in events)


def test_it_records_an_administrator_deleting_a_feed(client, superuser, water_staff, table):
    from audit.models import AuditEvent

    client.force_login(water_staff)
    client.post(reverse("calendars:turn-on"))
    feed = CalendarFeed.objects.get()
    client.force_login(superuser)
    response = client.post(reverse("admin:calendars_calendarfeed_delete", args=[feed.pk]), {"post": "yes"})
    assert response.status_code == 302 and not CalendarFeed.objects.exists()
    event = AuditEvent.objects.filter(action="calendar.off").get()
    assert (event.actor_name, event.object_repr, event.detail_data) == ("root", "water", {"by": "admin"})

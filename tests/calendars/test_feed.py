"""The .ics feed read back by a second parser (icalendar, and dateutil for the recurrences)."""

from datetime import date, datetime

from dateutil.rrule import rrulestr
from django.urls import reverse
from icalendar import Calendar

from calendars.ical import feed_calendar
from calendars.models import CalendarFeed, feed_enable
from tests.factories import make_requirement


def _events(body):
    calendar = Calendar.from_ical(body)
    return calendar, {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


def _next(event, count):
    start = event.decoded("DTSTART")
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=datetime(start.year, start.month, start.day))
    return [d.date() for d in rule[:count]]


def test_it_serves_the_departments_deadlines_at_the_secret_address(client, water_staff, table):
    token = feed_enable(user=water_staff)
    response = client.get(reverse("calendars:feed", args=[token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar, events = _events(response.content)
    assert str(calendar["VERSION"]) == "2.0" and str(calendar["X-WR-CALNAME"]) == "铁军任务通 · water"
    pk3, pk4 = table[3].pk, table[4].pk
    assert set(events) == {f"requirement-{pk3}-deadline", f"requirement-{pk4}-deadline"}

    deadline = events[f"requirement-{pk3}-deadline"]
    assert str(deadline["SUMMARY"]) == "【完成时限】3. 消除黑臭水体"
    assert deadline.decoded("DTSTART") == date(2026, 12, 31) and deadline.decoded("DTEND") == date(2027, 1, 1)
    assert str(deadline["URL"]) == f"http://testserver/requirements/{pk3}/"
    description = str(deadline["DESCRIPTION"])
    assert "完成时限：2026年12月底前" in description and "责任部门：水生态环境处" in description
    assert "主管领导：分管水副局长" in description and "状态：未启动，进度 0%" in description

    # Cooperating counts too, and the postponed deadline is the one in the calendar.
    postponed = events[f"requirement-{pk4}-deadline"]
    assert postponed.decoded("DTSTART") == date(2027, 3, 31)
    assert "已延期至：2027-03-31" in str(postponed["DESCRIPTION"])


def test_it_follows_a_moved_deadline(client, water_staff, table):
    token = feed_enable(user=water_staff)
    url = reverse("calendars:feed", args=[token])
    requirement = table[3]
    requirement.postponed_to = date(2027, 6, 30)
    requirement.save()
    _calendar, events = _events(client.get(url).content)
    assert events[f"requirement-{requirement.pk}-deadline"].decoded("DTSTART") == date(2027, 6, 30)


def test_it_gives_a_leader_their_lead_official_entries(client, leader, table):
    _calendar, events = _events(client.get(reverse("calendars:feed", args=[feed_enable(user=leader)])).content)
    assert list(events) == [f"requirement-{table[9].pk}-deadline"]
    assert events[f"requirement-{table[9].pk}-deadline"].decoded("DTSTART") == date(2026, 11, 30)


def test_it_repeats_report_due_dates_from_the_first_one_owed(water_staff, water, table):
    on = date(2026, 6, 20)  # a Saturday; June's monthly report is not yet owed, May's is
    monthly = make_requirement(
        number=20,
        text="每月通报",
        responsible=[water],
        deadline_kind="recurring",
        deadline_text="每月",
        recurrence="monthly",
        reported_through=date(2026, 4, 30),
    )
    ongoing = make_requirement(
        number=21,
        text="长期坚持事项",
        responsible=[water],
        deadline_kind="ongoing",
        deadline_text="长期坚持",
        reported_through=date(2026, 3, 31),
    )
    weekly = make_requirement(
        number=22,
        text="每周调度",
        responsible=[water],
        deadline_kind="recurring",
        deadline_text="每周",
        recurrence="weekly",
        reported_through=date(2026, 6, 14),
    )
    yearly = make_requirement(
        number=23,
        text="年度总结",
        responsible=[water],
        deadline_kind="recurring",
        deadline_text="每年",
        recurrence="yearly",
    )
    _calendar, events = _events(feed_calendar(water_staff, base_url="https://tieju.example.gov.cn/", on=on))

    event = events[f"requirement-{monthly.pk}-report"]
    assert str(event["SUMMARY"]) == "【进度反馈】20. 每月通报"
    assert _next(event, 4) == [date(2026, 5, 31), date(2026, 6, 30), date(2026, 7, 31), date(2026, 8, 31)]
    assert "反馈宽限：周期结束后 5 天" in str(event["DESCRIPTION"])
    assert _next(events[f"requirement-{ongoing.pk}-report"], 4) == [
        date(2026, 6, 30),
        date(2026, 9, 30),
        date(2026, 12, 31),
        date(2027, 3, 31),
    ]
    assert _next(events[f"requirement-{weekly.pk}-report"], 3) == [
        date(2026, 6, 21),
        date(2026, 6, 28),
        date(2026, 7, 5),
    ]
    assert _next(events[f"requirement-{yearly.pk}-report"], 2) == [date(2026, 12, 31), date(2027, 12, 31)]
    assert str(event["UID"]) == f"requirement-{monthly.pk}-report@tieju.example.gov.cn"


def test_it_moves_the_series_on_once_the_report_is_filed(water_staff, water, table):
    monthly = make_requirement(
        number=20,
        text="每月通报",
        responsible=[water],
        deadline_kind="recurring",
        deadline_text="每月",
        recurrence="monthly",
        reported_through=date(2026, 6, 30),
    )
    _calendar, events = _events(feed_calendar(water_staff, base_url="http://x/", on=date(2026, 6, 20)))
    assert _next(events[f"requirement-{monthly.pk}-report"], 1) == [date(2026, 7, 31)]


def test_it_answers_404_for_an_unknown_or_old_address(client, water_staff, table):
    old = feed_enable(user=water_staff)
    new = feed_enable(user=water_staff)
    assert client.get(reverse("calendars:feed", args=[old])).status_code == 404
    assert client.get(reverse("calendars:feed", args=["x" * 43])).status_code == 404
    assert client.get(reverse("calendars:feed", args=["x" * 500])).status_code == 404
    assert client.get(reverse("calendars:feed", args=[new])).status_code == 200


def test_it_closes_the_feed_of_a_deactivated_account(client, water_staff, table):
    token = feed_enable(user=water_staff)
    water_staff.is_active = False
    water_staff.save()
    assert client.get(reverse("calendars:feed", args=[token])).status_code == 404


def test_it_shows_nothing_to_an_account_that_lost_its_role(client, water_staff, table):
    token = feed_enable(user=water_staff)
    water_staff.groups.clear()
    _calendar, events = _events(client.get(reverse("calendars:feed", args=[token])).content)
    assert events == {}


def test_it_stores_only_a_digest_of_the_address(water_staff, table):
    import hashlib

    token = feed_enable(user=water_staff)
    stored = CalendarFeed.objects.get(user=water_staff).token_hash
    assert token not in stored and stored == hashlib.sha256(token.encode()).hexdigest()


def test_it_records_when_the_feed_was_last_read(client, water_staff, table):
    token = feed_enable(user=water_staff)
    client.get(reverse("calendars:feed", args=[token]))
    assert CalendarFeed.objects.get(user=water_staff).last_read_at is not None

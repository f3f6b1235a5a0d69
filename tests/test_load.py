"""`make load`'s pieces against the current code: the form it posts and the journal check it trusts.

The run itself needs gunicorn, locust and PostgreSQL (`make load`); these keep its two judgements
honest when the requirement page or the progress report changes.
"""

import re

import pytest
from django.test import Client
from django.urls import reverse

from bench import load
from bench.htmlform import form_fields
from tasks import services
from tasks.models import JournalEntry, Requirement
from tests.factories import make_requirement

RUN = "load-test-run"


@pytest.fixture
def monthly(water_staff):
    """A requirement reported monthly: its form has a period select on top of status, progress and version."""
    return make_requirement(deadline_kind="recurring", recurrence="monthly", responsible=water_staff.departments.all())


def _snapshot():
    return {r.pk: r for r in Requirement.objects.only(*load.REQUIREMENT_FIELDS)}


def test_it_posts_the_report_form_as_the_page_gives_it(water_staff, monthly):
    client = Client(enforce_csrf_checks=True)
    client.force_login(water_staff)
    page_url, report_url = (
        reverse("tasks:requirement-detail", args=[monthly.pk]),
        reverse("tasks:requirement-report", args=[monthly.pk]),
    )
    fields = form_fields(client.get(page_url).content.decode(), report_url)
    assert set(fields) == {"csrfmiddlewaretoken", "version", "status", "progress", "period", "note"}
    assert fields["version"] == "1" and fields["status"] == "not_started" and fields["note"] == ""
    assert re.fullmatch(r"\d{4}-\d{2}-01", fields["period"])
    fields.update(status="in_progress", progress="30", note=f"{RUN}-a")
    response = client.post(report_url, {**fields, "files": ""})
    assert response.status_code == 302 and response["Location"] == page_url
    entry = JournalEntry.objects.get(note=f"{RUN}-a")
    assert (entry.requirement, entry.status_after, entry.progress_after) == (monthly, "in_progress", 30)
    assert entry.period_start.isoformat() == fields["period"]


def test_it_finds_no_form_for_another_action():
    assert form_fields('<form action="/a/"><input name="x" value="1"></form>', "/b/") is None


def test_it_passes_a_run_whose_accepted_reports_are_all_in_the_journal(water_staff, monthly):
    before = _snapshot()
    for i, note in enumerate(["a", "b"], start=1):
        services.progress_record(
            requirement=monthly,
            user=water_staff,
            status="in_progress",
            progress=10 * i,
            note=f"{RUN}-{note}",
            version=i,
        )
    reports = {
        f"{RUN}-a": [monthly.pk, "accepted"],
        f"{RUN}-b": [monthly.pk, "accepted"],
        f"{RUN}-c": [monthly.pk, "conflict"],
    }
    lines, ok = load._journal_check(RUN, reports, before)
    assert ok, lines
    assert "2 of 2 accepted reports found once on their requirement, 0 missing" in lines[1]


def test_it_fails_a_run_with_a_lost_or_misplaced_report(water_staff, monthly):
    other = make_requirement(responsible=water_staff.departments.all())
    before = _snapshot()
    services.progress_record(
        requirement=monthly, user=water_staff, status="in_progress", progress=10, note=f"{RUN}-a", version=1
    )
    lines, ok = load._journal_check(
        RUN, {f"{RUN}-a": [monthly.pk, "accepted"], f"{RUN}-b": [monthly.pk, "accepted"]}, before
    )
    assert not ok and "1 of 2 accepted reports found once on their requirement, 1 missing" in lines[1]
    lines, ok = load._journal_check(RUN, {f"{RUN}-a": [other.pk, "accepted"]}, before)
    assert not ok and "1 missing" in lines[1]


def test_it_fails_a_run_that_wrote_a_refused_report(water_staff, monthly):
    before = _snapshot()
    services.progress_record(
        requirement=monthly, user=water_staff, status="in_progress", progress=10, note=f"{RUN}-a", version=1
    )
    lines, ok = load._journal_check(RUN, {f"{RUN}-a": [monthly.pk, "conflict"]}, before)
    assert not ok and "refused reports written anyway: 1" in lines[1]


def test_it_fails_a_run_whose_requirement_moved_without_its_journal(water_staff, monthly):
    before = _snapshot()
    services.progress_record(
        requirement=monthly, user=water_staff, status="in_progress", progress=10, note=f"{RUN}-a", version=1
    )
    # An update the journal does not show, as a lost update would leave behind.
    Requirement.objects.filter(pk=monthly.pk).update(progress=55)
    lines, ok = load._journal_check(RUN, {f"{RUN}-a": [monthly.pk, "accepted"]}, before)
    assert not ok and f"does not follow their journal: 1 ({monthly.pk})" in lines[2]


def test_it_undoes_the_run(water_staff, monthly):
    from django.contrib.sessions.models import Session

    services.progress_record(
        requirement=monthly, user=water_staff, status="blocked", progress=10, note="written before the run", version=1
    )
    before = _snapshot()
    client = Client()
    client.force_login(water_staff)
    session = client.cookies["sessionid"].value
    services.progress_record(
        requirement=monthly, user=water_staff, status="in_progress", progress=20, note=f"{RUN}-a", version=2
    )
    assert load._restore(RUN, before, [session]) == 1
    monthly.refresh_from_db()
    assert (monthly.status, monthly.progress, monthly.version) == ("blocked", 10, 2)
    assert list(JournalEntry.objects.values_list("note", flat=True)) == ["written before the run"]
    assert not Session.objects.filter(session_key=session).exists()

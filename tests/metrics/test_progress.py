"""The state of each requirement at a month's end, rebuilt in the database (metrics.progress.History):
the light rule's cases give the same light as tasks.lights' Python rule, and the journal decides the past."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from metrics.progress import History
from tasks.lights import compute_light
from tasks.models import JournalEntry, Postponement, Requirement
from tests.factories import make_breakdown, make_requirement

MONTH_ENDS = [date(2026, m, 1) - timedelta(days=1) for m in range(2, 13)] + [date(2026, 12, 31), date(2027, 1, 6)]


@pytest.fixture
def breakdown(db):
    return make_breakdown(starts_on=date(2026, 1, 1))


def _at(day, hour=10):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _entry(requirement, day, **fields):
    entry = JournalEntry.objects.create(requirement=requirement, kind=fields.pop("kind", "report"), **fields)
    JournalEntry.objects.filter(pk=entry.pk).update(created_at=_at(day))


def test_it_gives_every_kind_of_requirement_the_light_the_python_rule_gives(breakdown):
    """The cases of tests/tasks/test_lights.py (no journal: the state is the requirement's own) at each month's
    end: the history's light, made by tasks.lights' SQL expression over the rebuilt values, is compute_light's."""
    kinds = [dict(due_date=date(2026, 3, 31), progress=p) for p in (0, 50, 90)]
    kinds += [dict(due_date=date(2026, 9, 30), progress=p) for p in (0, 40, 90)]
    kinds += [dict(due_date=date(2026, 3, 31), postponed_to=date(2026, 8, 31), progress=10)]
    for every in ("weekly", "monthly", "quarterly", "half_yearly", "yearly"):
        for through in (None, date(2026, 3, 31), date(2026, 6, 30), date(2026, 12, 31)):
            kinds.append(
                {
                    "deadline_kind": "recurring",
                    "recurrence": every,
                    "deadline_text": "定期",
                    "reported_through": through,
                }
            )
    kinds += [
        {"deadline_kind": "ongoing", "deadline_text": "长期坚持", "reported_through": t}
        for t in (None, date(2026, 6, 30))
    ]
    kinds += [dict(status="completed", progress=100)]
    requirements = [make_requirement(**kind) for kind in kinds]
    for on in MONTH_ENDS:
        states = History(on=on).states(on)
        for r in requirements:
            expected = compute_light(
                status=r.status,
                progress=r.progress,
                deadline_kind=r.deadline_kind,
                due_date=r.due_date,
                postponed_to=r.postponed_to,
                recurrence=r.recurrence,
                reported_through=r.reported_through,
                starts_on=breakdown.starts_on,
                on=on,
            )
            assert states[r.pk].light == expected, (on, r.deadline_kind, r.recurrence, r.reported_through)


def test_it_rebuilds_status_progress_and_completion_from_the_journal(breakdown):
    r = make_requirement(due_date=date(2026, 12, 31), status="completed", progress=100)
    _entry(r, date(2026, 3, 5), status_before="", status_after="in_progress", progress_before=0, progress_after=30)
    _entry(
        r,
        date(2026, 5, 10),
        status_before="in_progress",
        status_after="completed",
        progress_before=30,
        progress_after=100,
    )
    history = History(on=date(2026, 5, 31), before=date(2026, 4, 30))
    may, april = history.states(date(2026, 5, 31))[r.pk], history.states(date(2026, 4, 30))[r.pk]
    assert (may.status, may.progress, may.completed_on, may.light.code) == (
        "completed",
        100,
        date(2026, 5, 10),
        "completed",
    )
    assert april.light.code != "completed"
    february = History(on=date(2026, 2, 28)).states(date(2026, 2, 28))[r.pk]
    # Before the first change: the state it changed from (none written: not started).
    assert (february.status, february.progress, february.completed_on) == ("not_started", 0, None)
    march = History(on=date(2026, 3, 31)).states(date(2026, 3, 31))[r.pk]
    assert (march.status, march.progress) == ("in_progress", 30)
    # A journal entry on the day itself counts (the bureau's day, Asia/Shanghai): 05-10 23:30 is still 05-10.
    JournalEntry.objects.filter(requirement=r, status_after="completed").update(
        created_at=timezone.make_aware(datetime(2026, 5, 10, 23, 30))
    )
    assert History(on=date(2026, 5, 10)).states(date(2026, 5, 10))[r.pk].status == "completed"
    assert History(on=date(2026, 5, 9)).states(date(2026, 5, 9))[r.pk].status == "in_progress"


def test_it_reads_reports_and_postponements_as_they_stood(breakdown, admin_user):
    monthly = make_requirement(
        deadline_kind="recurring", recurrence="monthly", deadline_text="每月", reported_through=date(2026, 5, 31)
    )
    _entry(monthly, date(2026, 3, 3), period_end=date(2026, 2, 28), note="二月情况")
    _entry(monthly, date(2026, 6, 2), period_end=date(2026, 5, 31), note="五月情况")
    march = History(on=date(2026, 3, 31)).states(date(2026, 3, 31))[monthly.pk]
    assert march.reported_through == date(2026, 2, 28) and march.last_report == (date(2026, 3, 3), "二月情况")
    assert march.light.reason == "on_track"  # March 31: February's report is in, March's is not owed yet
    april = History(on=date(2026, 4, 30)).states(date(2026, 4, 30))[monthly.pk]
    assert april.light.reason == "report_overdue"  # March's report missing past the grace window
    assert History(on=date(2026, 2, 28)).states(date(2026, 2, 28))[monthly.pk].reported_through is None

    dated = make_requirement(due_date=date(2026, 3, 31), progress=60, postponed_to=date(2026, 9, 30))
    decision = Postponement.objects.create(
        requirement=dated,
        requested_by=admin_user,
        new_due=date(2026, 9, 30),
        reason="施工期调整",
        state="approved",
        decided_by=admin_user,
        decided_at=_at(date(2026, 4, 20)),
    )
    april = History(on=date(2026, 4, 30), before=date(2026, 3, 31))
    assert april.states(date(2026, 3, 31))[dated.pk].postponed_to is None  # decided after March
    assert april.states(date(2026, 4, 30))[dated.pk].postponed_to == date(2026, 9, 30)
    assert april.states(date(2026, 4, 30))[dated.pk].category == "postponed"
    # Decided in April, so at April 15 the original deadline stood and had passed.
    assert History(on=date(2026, 4, 15)).states(date(2026, 4, 15))[dated.pk].light.reason == "overdue"
    Postponement.objects.filter(pk=decision.pk).delete()
    # Without any decision the requirement's own field is its postponement (e.g. from an import).
    assert History(on=date(2026, 4, 15)).states(date(2026, 4, 15))[dated.pk].postponed_to == date(2026, 9, 30)


def test_it_reads_the_history_in_the_same_number_of_queries_whatever_the_table(breakdown, django_assert_num_queries):
    for _ in range(3):
        make_requirement(due_date=date(2026, 3, 31), officials=())
    with django_assert_num_queries(3):  # requirements with their states, departments, assignments
        History(on=date(2026, 4, 30), before=date(2026, 3, 31))
    Requirement.objects.bulk_create(
        [
            Requirement(
                breakdown=breakdown,
                task_id=Requirement.objects.first().task_id,
                number=5000 + i,
                text="批量",
                deadline_text="2026年12月底前",
                deadline_kind="date",
                due_date=date(2026, 12, 31),
            )
            for i in range(50)
        ]
    )
    with django_assert_num_queries(3):
        history = History(on=date(2026, 4, 30), before=date(2026, 3, 31))
    assert len(history.requirements) == 53

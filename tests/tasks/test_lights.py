"""The light rules on fixed dates (tasks/lights.py), through the model so lights() and light() agree."""

from datetime import date, timedelta

import pytest

from tasks.models import Requirement
from tests.factories import make_breakdown, make_requirement


@pytest.fixture
def breakdown(db):
    return make_breakdown(starts_on=date(2026, 1, 1))


def _light(requirement, on):
    """The light by the Python rule (one requirement) and by the SQL rule (lists), which must agree,
    as must the next due date."""
    one = requirement.light(on=on)
    [state] = Requirement.objects.filter(pk=requirement.pk).states(on=on)
    assert one == state.light
    assert requirement.next_due(on=on) == state.next_due
    assert Requirement.objects.filter(pk=requirement.pk).with_lights(on=on).with_light(one.code).exists()
    return one.code, one.reason


def test_it_shows_completed_whatever_the_deadline(breakdown):
    r = make_requirement(due_date=date(2026, 3, 31), status="completed", progress=100)
    assert _light(r, date(2026, 6, 1)) == ("completed", "done")


@pytest.mark.parametrize(
    "on, expected",
    [
        (date(2026, 4, 1), ("red", "overdue")),
        (date(2026, 3, 31), ("yellow", "due_soon")),
        (date(2026, 3, 17), ("yellow", "due_soon")),  # exactly 14 days before
        (date(2026, 3, 16), ("green", "on_track")),
    ],
)
def test_it_judges_a_dated_requirement_by_its_deadline(breakdown, on, expected):
    r = make_requirement(due_date=date(2026, 3, 31), progress=80)
    assert _light(r, on) == expected


def test_it_turns_yellow_when_behind_the_expected_progress(breakdown):
    # Half of the year gone (expected ~50 %), progress 20 % → more than 20 points behind.
    behind = make_requirement(due_date=date(2026, 12, 31), progress=20)
    on_track = make_requirement(due_date=date(2026, 12, 31), progress=35)
    on = date(2026, 7, 2)
    assert _light(behind, on) == ("yellow", "behind")
    assert _light(on_track, on) == ("green", "on_track")


def test_it_uses_an_approved_postponement_and_keeps_the_original(breakdown):
    r = make_requirement(due_date=date(2026, 3, 31), progress=80)
    assert _light(r, date(2026, 4, 10)) == ("red", "overdue")
    Requirement.objects.filter(pk=r.pk).update(postponed_to=date(2026, 6, 30))
    r.refresh_from_db()
    assert _light(r, date(2026, 4, 10)) == ("green", "on_track")
    assert r.due_date == date(2026, 3, 31)
    assert r.next_due(on=date(2026, 4, 10)) == date(2026, 6, 30)


# recurrence, last closed period end, a day after it beyond the grace, a day within the grace, current period end
PERIODS = [
    ("weekly", date(2026, 5, 10), date(2026, 5, 16), date(2026, 5, 12), date(2026, 5, 17)),
    ("monthly", date(2026, 4, 30), date(2026, 5, 6), date(2026, 5, 5), date(2026, 5, 31)),
    ("quarterly", date(2026, 3, 31), date(2026, 4, 6), date(2026, 4, 3), date(2026, 6, 30)),
    ("half_yearly", date(2026, 6, 30), date(2026, 7, 6), date(2026, 7, 2), date(2026, 12, 31)),
    ("yearly", date(2026, 12, 31), date(2027, 1, 6), date(2027, 1, 3), date(2027, 12, 31)),
]


@pytest.mark.parametrize("recurrence, closed_end, late, within_grace, current_end", PERIODS)
def test_it_judges_a_recurring_requirement_by_its_period_reports(
    breakdown, recurrence, closed_end, late, within_grace, current_end
):
    r = make_requirement(deadline_kind="recurring", recurrence=recurrence, deadline_text="定期")
    assert _light(r, late) == ("red", "report_overdue")
    assert _light(r, within_grace) == ("yellow", "report_due")
    assert r.next_due(on=late) == closed_end
    Requirement.objects.filter(pk=r.pk).update(reported_through=closed_end)
    r.refresh_from_db()
    assert _light(r, late)[0] in ("green", "yellow")
    assert r.next_due(on=late) == current_end
    Requirement.objects.filter(pk=r.pk).update(reported_through=current_end)
    r.refresh_from_db()
    assert _light(r, late) == ("green", "reported")
    assert r.next_due(on=late) > current_end


def test_it_does_not_put_a_report_at_risk_before_its_period_closes(breakdown):
    # The second quarter's report is owed from 07-01; until then the item is on track, even on 06-30.
    r = make_requirement(deadline_kind="recurring", recurrence="quarterly", reported_through=date(2026, 3, 31))
    assert _light(r, date(2026, 5, 1)) == ("green", "on_track")
    assert _light(r, date(2026, 6, 20)) == ("green", "on_track")
    assert _light(r, date(2026, 6, 30)) == ("green", "on_track")
    assert _light(r, date(2026, 7, 1)) == ("yellow", "report_due")  # the grace window: 07-01 … 07-05
    assert _light(r, date(2026, 7, 5)) == ("yellow", "report_due")
    assert _light(r, date(2026, 7, 6)) == ("red", "report_overdue")


def test_it_judges_every_day_of_a_year_alike_in_python_and_sql(breakdown):
    """Every kind of deadline and report state on every day of 2026 (and the turn of the year): the Python
    rule (one requirement) and the SQL rule (lists) give the same light and next due date."""
    kinds = [dict(due_date=date(2026, 3, 31), progress=p) for p in (0, 50, 90)]
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
    for day in range(0, 370, 1):
        on = date(2026, 1, 1) + timedelta(days=day)
        sql = {s.pk: (s.light, s.next_due) for s in Requirement.objects.filter(breakdown=breakdown).states(on=on)}
        python = {r.pk: (r.light(on=on), r.next_due(on=on)) for r in requirements}
        assert sql == python, on


def test_it_asks_ongoing_requirements_for_a_quarterly_report(breakdown):
    r = make_requirement(deadline_kind="ongoing", deadline_text="长期坚持")
    assert _light(r, date(2026, 7, 10)) == ("red", "report_overdue")
    assert r.next_due(on=date(2026, 7, 10)) == date(2026, 6, 30)
    Requirement.objects.filter(pk=r.pk).update(reported_through=date(2026, 6, 30))
    r.refresh_from_db()
    assert _light(r, date(2026, 7, 10)) == ("green", "on_track")
    assert r.next_due(on=date(2026, 7, 10)) == date(2026, 9, 30)


def test_it_owes_no_report_for_a_period_before_the_table_took_effect(db):
    make_breakdown(starts_on=date(2026, 5, 1))
    r = make_requirement(deadline_kind="recurring", recurrence="quarterly")
    assert _light(r, date(2026, 5, 10)) == ("green", "on_track")


@pytest.mark.parametrize(
    "due, progress, on, expected",
    [
        (date(2026, 12, 31), 0, date(2026, 6, 1), True),  # 41.5 % of the time gone, 0 % < 21.5
        (date(2026, 12, 31), 22, date(2026, 6, 1), False),  # 22 ≥ 21.5
        (date(2026, 12, 31), 21, date(2026, 6, 1), True),
        (date(2026, 12, 31), 0, date(2026, 12, 20), True),  # due soon and behind at once: the light says due soon
        (date(2026, 12, 31), 0, date(2026, 1, 1), False),  # the table's first day: nothing expected yet
    ],
)
def test_it_judges_behind_schedule_alike_in_python_and_sql(breakdown, due, progress, on, expected):
    from tasks.lights import behind_schedule_q, is_behind_schedule

    r = make_requirement(due_date=due, progress=progress)
    python = is_behind_schedule(
        progress=r.progress,
        deadline_kind=r.deadline_kind,
        due_date=r.due_date,
        postponed_to=r.postponed_to,
        starts_on=r.breakdown.starts_on,
        on=on,
    )
    sql = Requirement.objects.filter(behind_schedule_q(on), pk=r.pk).exists()
    assert python == sql == expected

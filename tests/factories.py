"""Small factory functions for test objects. Demo data lives in fixtures/, not here."""

import itertools
from datetime import date

from tasks.models import Assignment, Breakdown, Pillar, Requirement, Task
from teams.models import Department, Official

_seq = itertools.count(1)


def make_breakdown(*, year=2026, starts_on=None, is_current=True):
    return Breakdown.objects.create(
        title=f"{year}年任务分解表", year=year, starts_on=starts_on or date(year, 1, 1), is_current=is_current
    )


def make_requirement(
    *,
    breakdown=None,
    number=None,
    text=None,
    deadline_text="2026年12月底前",
    deadline_kind="date",
    due_date=date(2026, 12, 31),
    recurrence="",
    responsible=(),
    cooperating=(),
    officials=(),
    **fields,
):
    breakdown = breakdown or Breakdown.current() or make_breakdown()
    pillar, _ = Pillar.objects.get_or_create(breakdown=breakdown, number=1, defaults={"name": "锻造铁的政治素养"})
    task, _ = Task.objects.get_or_create(pillar=pillar, number=1, defaults={"title": "测试任务"})
    n = number or next(_seq) + 1000
    requirement = Requirement.objects.create(
        breakdown=breakdown,
        task=task,
        number=n,
        text=text or f"测试具体要求{n}",
        deadline_text=deadline_text,
        deadline_kind=deadline_kind,
        due_date=due_date if deadline_kind == "date" else None,
        recurrence=recurrence,
        **fields,
    )
    for role, parties in ((Assignment.Role.RESPONSIBLE, responsible), (Assignment.Role.COOPERATING, cooperating)):
        for position, party in enumerate(parties):
            if isinstance(party, Department):
                Assignment.objects.create(requirement=requirement, role=role, department=party, position=position)
            else:
                Assignment.objects.create(requirement=requirement, role=role, collective=party, position=position)
    requirement.lead_officials.set(officials or [Official.objects.get_or_create(name="分管水副局长")[0]])
    return requirement

"""Comparing parsed records with the database, and writing the difference all-or-nothing."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from tasks.models import Assignment, Breakdown, JournalEntry, Pillar, Requirement, Task
from teams.models import Collective, Department, DepartmentAlias, Official


@dataclass
class Change:
    record: object
    requirement: Requirement | None = None
    fields: dict = field(default_factory=dict)  # name → (before, after)


@dataclass
class Plan:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    retired: list = field(default_factory=list)
    new_departments: list = field(default_factory=list)
    new_officials: list = field(default_factory=list)

    def counts(self):
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "retired": len(self.retired),
        }


class NameResolver:
    """Looks names up in memory: departments and aliases, collective words, officials."""

    def __init__(self):
        self.departments = {d.name: d for d in Department.objects.all()}
        for alias in DepartmentAlias.objects.select_related("department"):
            self.departments.setdefault(alias.name, alias.department)
        self.collectives = {c.name: c for c in Collective.objects.all()}
        self.officials = {o.name: o for o in Official.objects.all()}

    def party(self, name):
        return self.collectives.get(name) or self.departments.get(name)

    def unknown_departments(self, records):
        names = []
        for record in records:
            for name in record.responsible + record.cooperating:
                if self.party(name) is None and name not in names:
                    names.append(name)
        return names

    def unknown_officials(self, records):
        names = []
        for record in records:
            for name in record.officials:
                if name not in self.officials and name not in names:
                    names.append(name)
        return names


def _snapshot(requirement):
    """The importable fields of a stored requirement, in the form records carry them."""
    task = requirement.task
    return {
        "number": requirement.number,
        "pillar": (task.pillar.number, task.pillar.name),
        "task": (task.number, task.title),
        "text": requirement.text,
        "deadline": (requirement.deadline_text, requirement.deadline_kind, requirement.due_date, requirement.recurrence),
        "officials": [o.name for o in requirement.lead_officials.all()],
        "responsible": requirement.responsible_names,
        "cooperating": requirement.cooperating_names,
        "note": requirement.note,
    }


def _record_fields(record):
    d = record.deadline
    return {
        "number": record.number,
        "pillar": (record.pillar_number, record.pillar_name),
        "task": (record.task_number, record.task_title),
        "text": record.text,
        "deadline": (d.text, d.kind, d.due_date, d.recurrence),
        "officials": record.officials,
        "responsible": record.responsible,
        "cooperating": record.cooperating,
        "note": record.note,
    }


def plan_import(records, breakdown):
    """What applying these records to the breakdown would do; reads only."""
    resolver = NameResolver()
    plan = Plan(new_departments=resolver.unknown_departments(records), new_officials=resolver.unknown_officials(records))
    existing = []
    if breakdown is not None:
        existing = list(
            breakdown.requirements.active()
            .select_related("task__pillar")
            .prefetch_related("lead_officials", "assignments__department", "assignments__collective")
        )
    by_text = {r.text: r for r in existing}
    by_number = {r.number: r for r in existing}
    matched = set()
    for record in records:
        requirement = by_text.get(record.text)
        if requirement is None or requirement.pk in matched:
            candidate = by_number.get(record.number)
            requirement = candidate if candidate is not None and candidate.pk not in matched and candidate.text not in {
                rec.text for rec in records
            } else None
        if requirement is None:
            plan.created.append(Change(record))
            continue
        matched.add(requirement.pk)
        before, after = _snapshot(requirement), _record_fields(record)
        diff = {key: (before[key], after[key]) for key in after if before[key] != after[key]}
        (plan.updated if diff else plan.unchanged).append(Change(record, requirement, diff))
    plan.retired = [r for r in existing if r.pk not in matched]
    return plan


@transaction.atomic
def apply_import(plan, *, breakdown, user=None, title="", create_missing=False):
    """Write the plan. Unknown names are created only when create_missing is set."""
    if (plan.new_departments or plan.new_officials) and not create_missing:
        raise ValueError("unknown departments or officials; confirm creating them first")
    for name in plan.new_departments:
        Department.objects.get_or_create(name=name, defaults={"kind": Department.Kind.OTHER})
    for name in plan.new_officials:
        Official.objects.get_or_create(name=name)
    resolver = NameResolver()
    if breakdown is None:
        year = _year_of(plan)
        breakdown = Breakdown.objects.create(title=title or f"{year}年任务分解表", year=year, starts_on=date(year, 1, 1))
    now = timezone.now()
    pillars = {p.number: p for p in breakdown.pillars.all()}
    tasks = {(t.pillar.number, t.number): t for t in Task.objects.filter(pillar__breakdown=breakdown).select_related("pillar")}

    def task_for(record):
        pillar = pillars.get(record.pillar_number)
        if pillar is None:
            pillar = pillars[record.pillar_number] = Pillar.objects.create(
                breakdown=breakdown, number=record.pillar_number, name=record.pillar_name
            )
        elif pillar.name != record.pillar_name:
            pillar.name = record.pillar_name
            pillar.save(update_fields=["name"])
        key = (record.pillar_number, record.task_number)
        task = tasks.get(key)
        if task is None:
            task = tasks[key] = Task.objects.create(pillar=pillar, number=record.task_number, title=record.task_title)
        elif task.title != record.task_title:
            task.title = record.task_title
            task.save(update_fields=["title"])
        return task

    # Retire first so a shifted number is free for the row that now carries it.
    retired_ids = [r.pk for r in plan.retired]
    Requirement.objects.filter(pk__in=retired_ids).update(retired_at=now)
    # Numbers may shift between kept rows; park them out of the way before reassigning.
    moving = [c.requirement.pk for c in plan.updated if "number" in c.fields]
    for offset, pk in enumerate(moving, start=1):
        Requirement.objects.filter(pk=pk).update(number=1_000_000 + offset)

    for change in plan.created + plan.updated:
        record, requirement = change.record, change.requirement
        d = record.deadline
        values = dict(
            task=task_for(record), number=record.number, text=record.text, deadline_text=d.text,
            deadline_kind=d.kind, due_date=d.due_date, recurrence=d.recurrence, note=record.note,
        )
        if requirement is None:
            requirement = Requirement.objects.create(breakdown=breakdown, **values)
        else:
            for name, value in values.items():
                setattr(requirement, name, value)
            requirement.save()
            requirement.assignments.all().delete()
            JournalEntry.objects.create(
                requirement=requirement, kind=JournalEntry.Kind.IMPORT, author=user,
                note="；".join(f"{name}: {before} → {after}" for name, (before, after) in change.fields.items()),
            )
        requirement.lead_officials.set([resolver.officials[name] for name in record.officials])
        assignments = []
        for role, names in ((Assignment.Role.RESPONSIBLE, record.responsible), (Assignment.Role.COOPERATING, record.cooperating)):
            for position, name in enumerate(names):
                party = resolver.party(name)
                assignments.append(
                    Assignment(
                        requirement=requirement, role=role, position=position,
                        department=party if isinstance(party, Department) else None,
                        collective=party if isinstance(party, Collective) else None,
                    )
                )
        Assignment.objects.bulk_create(assignments)
    return breakdown


def _year_of(plan):
    years = [c.record.deadline.due_date.year for c in plan.created if c.record.deadline.due_date]
    return max(set(years), key=years.count) if years else timezone.localdate().year

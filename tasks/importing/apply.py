"""Loading what a file is compared with, and writing a plan's difference all-or-nothing.

plan.py decides what changes, in memory; this module reads the stored state for
it and writes the result. Writes are bulk statements, so the number of queries
does not grow with the number of rows.
"""

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imports.bulk import insert_rows
from tasks.importing.plan import IMPORTED_FIELDS, NameResolver, Plan, Stored, join_names, plan_records, unique_names
from tasks.models import Assignment, Breakdown, JournalEntry, Pillar, Requirement, Task
from tasks.supervision.loop import acknowledgements_open
from teams.models import Collective, Department, DepartmentAlias, Official

# Numbers rows are parked on while they swap places (unique indexes are checked row by row): far above any
# number a table uses (parse.MAX_NUMBER for requirements) and within a small integer column for pillars/tasks.
PARKED_REQUIREMENT_NUMBER = 1_000_000
PARKED_NUMBER = 30000

__all__ = ["IMPORTED_FIELDS", "Plan", "UnconfirmedNames", "apply_import", "plan_import", "stored_load"]


class UnconfirmedNames(Exception):
    """Unknown departments or officials, and the administrator has not confirmed creating them."""

    def __init__(self, plan):
        super().__init__(join_names(plan.new_departments + plan.new_officials))
        self.plan = plan


def names_load():
    """A NameResolver over the departments (and their aliases), collective words and officials stored."""
    return NameResolver(
        departments={d.name: d for d in Department.objects.all()},
        aliases={a.name: a.department for a in DepartmentAlias.objects.select_related("department")},
        collectives={c.name: c for c in Collective.objects.all()},
        officials={o.name: o for o in Official.objects.all()},
    )


def stored_load(breakdown):
    """The Stored state of a breakdown (None: no table yet) that plan_records compares a file with."""
    if breakdown is None:
        return Stored(names=names_load())
    requirements = list(breakdown.requirements.active().from_table().select_related("task__pillar").order_by("number"))
    officials, parties = _stored_links(breakdown)
    return Stored(requirements=requirements, officials=officials, parties=parties, names=names_load())


def _stored_links(breakdown):
    """({requirement id: [official names]}, {(requirement id, role): [party names in order]}) for active rows.

    Two flat queries: prefetch_related would build a queryset per requirement,
    which for a 10,000-row table costs more than everything else in a plan.
    """
    active = {"requirement__breakdown": breakdown, "requirement__retired_at__isnull": True}
    officials, parties = defaultdict(list), defaultdict(list)
    through = Requirement.lead_officials.through
    for requirement_id, name in through.objects.filter(**active).values_list("requirement_id", "official__name"):
        officials[requirement_id].append(name)
    rows = (
        Assignment.objects.filter(**active)
        .order_by("requirement_id", "role", "position")
        .values_list("requirement_id", "role", "department__name", "collective__name")
    )
    for requirement_id, role, department, collective in rows:
        parties[(requirement_id, role)].append(department or collective)
    return officials, parties


def plan_import(records, breakdown):
    """What applying these records to the breakdown would do; reads only."""
    return plan_records(records, stored_load(breakdown))


def apply_import(records, *, user=None, title="", create_missing=False):
    """Plan the records against the current breakdown and write the plan all-or-nothing; the Plan applied.

    The plan is made inside the transaction, with the breakdown row locked, so two
    imports of the same file one after the other — or at the same time — cannot
    both create the same requirements: the second finds them. Unknown names are
    created only when create_missing is set; otherwise UnconfirmedNames carries the plan.
    """
    with transaction.atomic():
        breakdown = Breakdown.objects.select_for_update().filter(is_current=True).first()
        plan = plan_import(records, breakdown)
        if (plan.new_departments or plan.new_officials) and not create_missing:
            raise UnconfirmedNames(plan)
        if plan.new_departments:
            Department.objects.bulk_create(
                [Department(name=n, kind=Department.Kind.OTHER) for n in plan.new_departments], ignore_conflicts=True
            )
        if plan.new_officials:
            Official.objects.bulk_create([Official(name=n) for n in plan.new_officials], ignore_conflicts=True)
        if breakdown is None:
            # The one_current_breakdown constraint makes a concurrent twin fail here instead of duplicating.
            year = _year_of(plan)
            breakdown = Breakdown.objects.create(
                title=title or _("%(year)d年任务分解表") % {"year": year}, year=year, starts_on=date(year, 1, 1)
            )
        _write(plan, breakdown=breakdown, user=user)
    return plan


def _write(plan, *, breakdown, user):
    resolver = names_load()  # with the names just created
    tasks = _structure_sync(plan.records, breakdown)
    now = timezone.now()

    retired_ids = [r.pk for r in plan.retired]
    if retired_ids:
        # Retire first so a shifted number is free for the row that now carries it.
        Requirement.objects.filter(pk__in=retired_ids).update(retired_at=now)
        JournalEntry.objects.bulk_create(
            [
                JournalEntry(
                    requirement_id=pk,
                    kind=JournalEntry.Kind.IMPORT,
                    author=user,
                    created_at=now,
                    note=_("导入的任务分解表中已无此项，已停用（历史和进度保留）。"),
                )
                for pk in retired_ids
            ]
        )

    kept = [c for c in plan.updated + plan.unchanged if c.fields or c.renumbered]
    renumbered = [c.requirement for c in kept if c.renumbered]
    if renumbered:
        # Numbers may swap between kept rows and unique indexes are checked row by row; park them first.
        for offset, requirement in enumerate(renumbered, start=1):
            requirement.number = PARKED_REQUIREMENT_NUMBER + offset
        Requirement.objects.bulk_update(renumbered, ["number"])
    for change in kept:
        _requirement_fill(change.requirement, change.record, tasks)
        if change.respelled:
            change.requirement.deadline_text = change.respelled[0]  # the stored spelling stays
    if kept:
        Requirement.objects.bulk_update([c.requirement for c in kept], IMPORTED_FIELDS)

    created_ids = _requirements_insert(plan.created, breakdown=breakdown, tasks=tasks, now=now)
    # (requirement id, change) for every row whose lead officials or departments are written anew.
    changed_officials = [(c.requirement.pk, c) for c in plan.updated if "officials" in c.fields]
    changed_parties = [(c.requirement.pk, c) for c in plan.updated if {"responsible", "cooperating"} & set(c.fields)]
    through = Requirement.lead_officials.through
    through.objects.filter(requirement_id__in=[pk for pk, _c in changed_officials]).delete()
    Assignment.objects.filter(requirement_id__in=[pk for pk, _c in changed_parties]).delete()
    new_links = [(created_ids[c.record.number], c) for c in plan.created]
    insert_rows(
        through,
        ["requirement", "official"],
        [
            (pk, resolver.officials[name].pk)
            for pk, c in changed_officials + new_links
            for name in unique_names(c.record.officials)
        ],
    )
    # Most rows name one of a few combinations of departments: resolve each combination once.
    assignments, rows = {}, []
    for pk, c in changed_parties + new_links:
        names = (tuple(c.record.responsible), tuple(c.record.cooperating))
        if names not in assignments:
            assignments[names] = _assignments(c.record, resolver)
        rows.extend((pk, *assignment) for assignment in assignments[names])
    insert_rows(Assignment, ["requirement", "role", "department", "collective", "position"], rows)
    # A department newly responsible waits for its 签收 (the supervision loop).
    acknowledgements_open([pk for pk, _c in changed_parties + new_links], at=now)
    JournalEntry.objects.bulk_create(
        [
            JournalEntry(
                requirement=c.requirement,
                kind=JournalEntry.Kind.IMPORT,
                author=user,
                created_at=now,
                note="；".join(f"{label}：{before} → {after}" for label, before, after in c.field_rows),
            )
            for c in plan.updated
        ]
    )


def _requirement_values(record, tasks):
    """The values of IMPORTED_FIELDS for a record, in that order."""
    d = record.deadline
    task = tasks[(record.pillar_name, record.task_title)]
    return (task, record.number, record.text, d.text, d.kind, d.due_date, d.recurrence, record.note, record.criteria)


def _requirement_fill(requirement, record, tasks):
    for name, value in zip(IMPORTED_FIELDS, _requirement_values(record, tasks), strict=False):
        setattr(requirement, name, value)
    return requirement


def _requirements_insert(changes, *, breakdown, tasks, now):
    """Insert a requirement for each created change; {number: id} of the breakdown's active requirements.

    Requirement.objects.bulk_create spends most of a 10,000-row import building
    model instances and compiling each of their values; these rows go in as
    plain values instead. Every column the file does not give takes the model's
    default, as Requirement() would, and created_at is stamped as auto_now_add
    would. The ids are read back by number, which unique_active_requirement_number
    makes unambiguous, in one query whatever the number of rows.
    """
    if not changes:
        return {}
    fixed = {"breakdown": breakdown.pk, "created_at": now}
    for f in Requirement._meta.concrete_fields:
        if not f.primary_key and f.name not in IMPORTED_FIELDS:
            if f.has_default() and callable(
                f.default
            ):  # one value for every row would be wrong for a per-row default (uuid4…)
                raise TypeError(f"Requirement.{f.name} has a callable default: insert it per row")
            fixed.setdefault(f.name, f.get_default())
    fixed_values = tuple(fixed.values())
    rows = []
    for change in changes:
        task, *values = _requirement_values(change.record, tasks)
        rows.append((task.pk, *values, *fixed_values))
    insert_rows(Requirement, IMPORTED_FIELDS + list(fixed), rows)
    return dict(breakdown.requirements.active().from_table().values_list("number", "pk"))


def _assignments(record, resolver):
    """(role, department, collective, position) of each assignment for one record's departments."""
    result = []
    for role, names in (
        (Assignment.Role.RESPONSIBLE, record.responsible),
        (Assignment.Role.COOPERATING, record.cooperating),
    ):
        seen = set()
        for position, name in enumerate(names):
            party = resolver.party(name)
            if party is None or (type(party), party.pk) in seen:
                continue  # an alias and its department named twice in one cell are one assignment
            seen.add((type(party), party.pk))
            is_department = isinstance(party, Department)
            result.append(
                (str(role), party.pk if is_department else None, None if is_department else party.pk, position)
            )
    return result


def _renumber(objects, final):
    """Give objects their final numbers without tripping a unique (parent, number) index mid-way."""
    moving = [o for o in objects if o.number != final[o.pk]]
    if not moving:
        return []
    model = type(moving[0])
    for offset, obj in enumerate(moving, start=1):
        obj.number = PARKED_NUMBER + offset
    model.objects.bulk_update(moving, ["number"])
    for obj in moving:
        obj.number = final[obj.pk]
    return moving


def _structure_sync(records, breakdown):
    """Pillars and main tasks as the file names them; {(pillar name, task title): Task}.

    Matched by name first and by number second, renamed or renumbered in place,
    created when new. Pillars and tasks the file no longer mentions stay (their
    retired requirements still point at them) but step aside to free numbers.
    """
    wanted_pillars = {}
    wanted_tasks = {}
    for record in records:
        wanted_pillars.setdefault(record.pillar_name, record.pillar_number)
        wanted_tasks.setdefault((record.pillar_name, record.task_title), record.task_number)

    existing = list(breakdown.pillars.all())
    pillars, used = {}, set()
    for name in wanted_pillars:
        found = next((p for p in existing if p.name == name and p.pk not in used), None)
        if found is None:
            found = next(
                (
                    p
                    for p in existing
                    if p.number == wanted_pillars[name] and p.pk not in used and p.name not in wanted_pillars
                ),
                None,
            )
        if found is not None:
            used.add(found.pk)
            pillars[name] = found
    final = {p.pk: None for p in existing}
    for name, pillar in pillars.items():
        final[pillar.pk] = wanted_pillars[name]
    _step_aside(existing, final, set(wanted_pillars.values()))
    moved = _renumber(existing, final)
    renamed = [p for name, p in pillars.items() if p.name != name]
    for name, pillar in pillars.items():
        pillar.name = name
    if moved or renamed:
        Pillar.objects.bulk_update(list({p.pk: p for p in moved + renamed}.values()), ["number", "name"])
    new_pillars = [
        Pillar(breakdown=breakdown, number=n, name=name) for name, n in wanted_pillars.items() if name not in pillars
    ]
    Pillar.objects.bulk_create(new_pillars)
    pillars.update({p.name: p for p in new_pillars})

    existing_tasks = list(Task.objects.filter(pillar__breakdown=breakdown))
    # Candidates by title and by number, in stored order: a 10,000-row table has thousands of tasks,
    # and scanning them all for each would be quadratic.
    by_title, by_number = defaultdict(list), defaultdict(list)
    for task in existing_tasks:
        by_title[(task.pillar_id, task.title)].append(task)
        by_number[(task.pillar_id, task.number)].append(task)
    tasks, used = {}, set()
    for (pillar_name, title), number in wanted_tasks.items():
        pillar = pillars[pillar_name]
        found = next((t for t in by_title[(pillar.pk, title)] if t.pk not in used), None)
        if found is None:
            found = next(
                (
                    t
                    for t in by_number[(pillar.pk, number)]
                    if t.pk not in used and (pillar_name, t.title) not in wanted_tasks
                ),
                None,
            )
        if found is not None:
            used.add(found.pk)
            tasks[(pillar_name, title)] = found
    final = {t.pk: None for t in existing_tasks}
    for key, task in tasks.items():
        final[task.pk] = wanted_tasks[key]
    by_pillar = defaultdict(list)
    for task in existing_tasks:
        by_pillar[task.pillar_id].append(task)
    for pillar_id, group in by_pillar.items():
        taken = {n for (pn, _t), n in wanted_tasks.items() if pillars[pn].pk == pillar_id}
        _step_aside(group, final, taken)
    moved = _renumber(existing_tasks, final)
    renamed = [t for (_pn, title), t in tasks.items() if t.title != title]
    for (_pn, title), task in tasks.items():
        task.title = title
    if moved or renamed:
        Task.objects.bulk_update(list({t.pk: t for t in moved + renamed}.values()), ["number", "title"])
    new_tasks = {
        key: Task(pillar=pillars[key[0]], number=number, title=key[1])
        for key, number in wanted_tasks.items()
        if key not in tasks
    }
    Task.objects.bulk_create(list(new_tasks.values()))
    tasks.update(new_tasks)
    return tasks


def _step_aside(objects, final, taken):
    """Objects without a wanted number keep theirs unless the file now uses it; then they move past the end."""
    following = max(list(taken) + [o.number for o in objects], default=0)
    for obj in objects:
        if final[obj.pk] is None:
            if obj.number in taken:
                following += 1
                final[obj.pk] = following
            else:
                final[obj.pk] = obj.number


def _year_of(plan):
    years = [c.record.deadline.due_date.year for c in plan.created if c.record.deadline.due_date]
    return max(set(years), key=years.count) if years else timezone.localdate().year

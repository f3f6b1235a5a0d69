"""Comparing parsed records with the database, and writing the difference all-or-nothing.

Identity: a row in the new file is the same requirement as a stored one when
(1) its text is identical, else (2) its text is similar enough (difflib ratio),
more readily within the same main task, else (3) it keeps the same number in the
same task and is still loosely similar. Numbers alone never decide, because
deleting one row renumbers every row after it.

Writes are bulk statements, so the number of queries does not grow with the
number of rows.
"""

import contextlib
import difflib
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tasks.models import Assignment, Breakdown, JournalEntry, Pillar, Requirement, Task
from tasks.supervision.loop import acknowledgements_open
from teams.models import Collective, Department, DepartmentAlias, Official

FIELD_LABELS = {
    "pillar": gettext_lazy("工程"),
    "task": gettext_lazy("主要任务"),
    "text": gettext_lazy("具体要求"),
    "deadline": gettext_lazy("完成时限"),
    "officials": gettext_lazy("主管领导"),
    "responsible": gettext_lazy("责任部门"),
    "cooperating": gettext_lazy("配合部门"),
    "note": gettext_lazy("备注"),
    "criteria": gettext_lazy("完成标志"),
}
SAME_TASK_SIMILARITY = 0.5
OTHER_TASK_SIMILARITY = 0.75
SAME_NUMBER_SIMILARITY = 0.3
# Comparing every leftover pair is quadratic; beyond this many pairs only same-task pairs are compared.
MAX_PAIRS = 40000
NEAR_DUPLICATE_SIMILARITY = 0.6
# The requirement fields a file sets; everything else (status, progress, history) belongs to the bureau.
IMPORTED_FIELDS = [
    "task",
    "number",
    "text",
    "deadline_text",
    "deadline_kind",
    "due_date",
    "recurrence",
    "note",
    "completion_criteria",
]


class UnconfirmedNames(Exception):
    """Unknown departments or officials, and the administrator has not confirmed creating them."""


@dataclass
class Change:
    record: object
    requirement: Requirement | None = None
    fields: dict = field(default_factory=dict)  # key → (before, after), as display strings
    renumbered: bool = False

    @property
    def field_rows(self):
        return [(FIELD_LABELS[key], before, after) for key, (before, after) in self.fields.items()]


@dataclass
class Plan:
    records: list = field(default_factory=list)
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    retired: list = field(default_factory=list)
    new_departments: list = field(default_factory=list)
    new_officials: list = field(default_factory=list)
    similar_names: dict = field(default_factory=dict)  # unknown name → existing names it may mean

    def counts(self):
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "retired": len(self.retired),
        }

    @property
    def unknown_names(self):
        """(kind, name, similar known names) for every name that would be created."""
        return [(_("部门"), n, self.similar_names.get(n, [])) for n in self.new_departments] + [
            (_("主管领导"), n, self.similar_names.get(n, [])) for n in self.new_officials
        ]

    @property
    def has_changes(self):
        return bool(self.created or self.updated or self.retired or any(c.renumbered for c in self.unchanged))


class NameResolver:
    """Looks names up in memory: departments and aliases, collective words, officials."""

    def __init__(self):
        self.departments = {d.name: d for d in Department.objects.all()}
        self.aliases = {}
        for alias in DepartmentAlias.objects.select_related("department"):
            self.aliases[alias.name] = alias.department
        self.collectives = {c.name: c for c in Collective.objects.all()}
        self.officials = {o.name: o for o in Official.objects.all()}

    def party(self, name):
        return self.collectives.get(name) or self.departments.get(name) or self.aliases.get(name)

    def canonical_party(self, name):
        party = self.party(name)
        return party.name if party is not None else name

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

    def similar_departments(self, name):
        """Known department names the unknown name may be a variant of (人事处 → 组织人事处)."""
        known = list(self.departments) + list(self.aliases) + list(self.collectives)
        return _similar(name, known)

    def similar_officials(self, name):
        return _similar(name, list(self.officials))


def _similar(name, known):
    result = []
    for candidate in known:
        contained = len(min(name, candidate, key=len)) >= 2 and (name in candidate or candidate in name)
        if contained or difflib.SequenceMatcher(None, name, candidate).ratio() >= NEAR_DUPLICATE_SIMILARITY:
            result.append(candidate)
    return result[:5]


def _join(names):
    return "、".join(names)


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


def _snapshot(requirement, officials, parties):
    """The importable fields of a stored requirement, in comparable form."""
    task = requirement.task
    return {
        "pillar": task.pillar.name,
        "task": task.title,
        "text": requirement.text,
        "deadline": (
            requirement.deadline_text,
            requirement.deadline_kind,
            requirement.due_date,
            requirement.recurrence,
        ),
        "officials": sorted(officials.get(requirement.pk, [])),
        "responsible": parties.get((requirement.pk, Assignment.Role.RESPONSIBLE), []),
        "cooperating": parties.get((requirement.pk, Assignment.Role.COOPERATING), []),
        "note": requirement.note,
        "criteria": requirement.completion_criteria,
    }


def _record_fields(record, resolver):
    d = record.deadline
    return {
        "pillar": record.pillar_name,
        "task": record.task_title,
        "text": record.text,
        "deadline": (d.text, d.kind, d.due_date, d.recurrence),
        "officials": sorted(record.officials),
        "responsible": _unique(resolver.canonical_party(n) for n in record.responsible),
        "cooperating": _unique(resolver.canonical_party(n) for n in record.cooperating),
        "note": record.note,
        "criteria": record.criteria,
    }


def _unique(names):
    result = []
    for name in names:
        if name not in result:
            result.append(name)
    return result


def _display(key, value):
    if key == "deadline":
        return value[0]
    if isinstance(value, list):
        return _join(value)
    return value


def _ratio(matcher, text, threshold):
    """difflib's ratio of text to the matcher's stored text; 0.0 when it cannot reach threshold.

    real_quick_ratio and quick_ratio bound ratio from above, so a pair they rule
    out would fail the threshold anyway, without the costly comparison.
    """
    matcher.set_seq1(text)
    if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
        return 0.0
    return matcher.ratio()


def match_records(records, existing):
    """{record index: requirement} pairing each file row with the stored requirement it revises."""
    pairs, used = {}, set()
    by_text = defaultdict(list)
    for requirement in existing:
        by_text[requirement.text].append(requirement)
    for index, record in enumerate(records):
        candidates = [r for r in by_text.get(record.text, ()) if r.pk not in used]
        if candidates:
            # Identical text twice in one table: prefer the one in the same task, then the same number.
            best = min(candidates, key=lambda r: (r.task.title != record.task_title, r.number != record.number))
            pairs[index] = best
            used.add(best.pk)

    left_records = [i for i in range(len(records)) if i not in pairs]
    left_existing = [r for r in existing if r.pk not in used]
    if not left_records or not left_existing:
        return pairs
    compare_all = len(left_records) * len(left_existing) <= MAX_PAIRS
    by_task = defaultdict(list)  # a large table compares a row only with its own task's requirements
    for index in left_records:
        by_task[records[index].task_title].append(index)
    scored = []
    for position, requirement in enumerate(left_existing):
        title = requirement.task.title
        candidates = left_records if compare_all else by_task.get(title, ())
        if not candidates:
            continue
        # difflib indexes the second sequence; one matcher per stored text serves every row compared with it.
        matcher = difflib.SequenceMatcher(None, b=requirement.text, autojunk=False)
        for index in candidates:
            record = records[index]
            same_task = title == record.task_title
            same_number = requirement.number == record.number
            threshold = SAME_TASK_SIMILARITY if same_task else OTHER_TASK_SIMILARITY
            if same_task and same_number:
                threshold = SAME_NUMBER_SIMILARITY
            ratio = _ratio(matcher, record.text, threshold)
            if ratio >= threshold:
                scored.append((ratio + 0.1 * same_task + 0.05 * same_number, index, position, requirement))
    # Equal scores go to the earlier row, then the earlier stored requirement.
    for _score, index, _position, requirement in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if index in pairs or requirement.pk in used:
            continue
        pairs[index] = requirement
        used.add(requirement.pk)
    return pairs


def plan_import(records, breakdown):
    """What applying these records to the breakdown would do; reads only."""
    resolver = NameResolver()
    plan = Plan(
        records=records,
        new_departments=resolver.unknown_departments(records),
        new_officials=resolver.unknown_officials(records),
    )
    for name in plan.new_departments:
        plan.similar_names[name] = resolver.similar_departments(name)
    for name in plan.new_officials:
        plan.similar_names[name] = resolver.similar_officials(name)
    existing, officials, parties = [], {}, {}
    if breakdown is not None:
        existing = list(breakdown.requirements.active().from_table().select_related("task__pillar").order_by("number"))
        officials, parties = _stored_links(breakdown)
    pairs = match_records(records, existing)
    matched = set()
    for index, record in enumerate(records):
        requirement = pairs.get(index)
        if requirement is None:
            plan.created.append(Change(record))
            continue
        matched.add(requirement.pk)
        before, after = _snapshot(requirement, officials, parties), _record_fields(record, resolver)
        diff = {
            key: (_display(key, before[key]), _display(key, after[key])) for key in after if before[key] != after[key]
        }
        change = Change(record, requirement, diff, renumbered=requirement.number != record.number)
        (plan.updated if diff else plan.unchanged).append(change)
    plan.retired = [r for r in existing if r.pk not in matched]
    return plan


def apply_import(plan, *, breakdown, user=None, title="", create_missing=False):
    """Write the plan all-or-nothing and return the breakdown.

    The plan is computed again inside the transaction, with the breakdown row
    locked, so two imports of the same file one after the other — or at the same
    time — cannot both create the same requirements: the second finds them.
    Unknown names are created only when create_missing is set.
    """
    given = plan
    with transaction.atomic():
        if breakdown is None:
            breakdown = Breakdown.objects.filter(is_current=True).first()
        if breakdown is not None:
            breakdown = Breakdown.objects.select_for_update().get(pk=breakdown.pk)
        plan = plan_import(plan.records, breakdown)
        # Callers report counts from the plan they passed; make it the one that was (or would be) applied.
        vars(given).update(vars(plan))
        if (plan.new_departments or plan.new_officials) and not create_missing:
            raise UnconfirmedNames(_join(plan.new_departments + plan.new_officials))
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
    return breakdown


def _write(plan, *, breakdown, user):
    resolver = NameResolver()
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
            requirement.number = 1_000_000 + offset
        Requirement.objects.bulk_update(renumbered, ["number"])
    for change in kept:
        _requirement_fill(change.requirement, change.record, tasks)
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
    _insert_many(
        through,
        ["requirement", "official"],
        [
            (pk, resolver.officials[name].pk)
            for pk, c in changed_officials + new_links
            for name in _unique(c.record.officials)
        ],
    )
    # Most rows name one of a few combinations of departments: resolve each combination once.
    assignments, rows = {}, []
    for pk, c in changed_parties + new_links:
        names = (tuple(c.record.responsible), tuple(c.record.cooperating))
        if names not in assignments:
            assignments[names] = _assignments(c.record, resolver)
        rows.extend((pk, *assignment) for assignment in assignments[names])
    _insert_many(Assignment, ["requirement", "role", "department", "collective", "position"], rows)
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
    _insert_many(Requirement, IMPORTED_FIELDS + list(fixed), rows)
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


def _insert_many(model, field_names, rows):
    """INSERT rows of plain values, given in field_names order; every column must be given.

    bulk_create builds a model instance and compiles every value for each of
    tens of thousands of rows, which costs far more than the database work.
    Values still go through their field's get_db_prep_save (an aware datetime
    becomes what the database expects), once per distinct value in a column,
    since most repeat; foreign keys are ids read from the database and go as they are.
    """
    if not rows:
        return
    # psycopg2 runs executemany as a round trip per row, hence COPY there; SQLite steps executemany in C.
    copy = connection.vendor == "postgresql" and connection.Database.__name__ == "psycopg2"
    fields = [model._meta.get_field(name) for name in field_names]
    prepared_columns = []
    for f, values in zip(fields, zip(*rows, strict=False), strict=False):
        prepared = {value: value if f.is_relation else f.get_db_prep_save(value, connection) for value in set(values)}
        if copy:
            prepared = {value: _copy_text(db_value) for value, db_value in prepared.items()}
        prepared_columns.append([prepared[value] for value in values])
    quote = connection.ops.quote_name
    table, columns = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor:
        if copy:
            _copy_from(cursor, f"COPY {table} ({columns}) FROM STDIN", zip(*prepared_columns, strict=False))
        else:
            one_row = "(" + ", ".join(["%s"] * len(fields)) + ")"
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES {one_row}", list(zip(*prepared_columns, strict=False))
            )


def _copy_text(value):
    """A database value as COPY's text format writes it (https://www.postgresql.org/docs/current/sql-copy.html)."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    if isinstance(value, (int, date)):  # datetime is a date; aware ones print with their offset
        return str(value)
    raise TypeError(f"no COPY text for {type(value).__name__}")


def _copy_from(cursor, sql, rows):
    """COPY rows of text into PostgreSQL: it reads them several times faster than it parses
    a VALUES list of the same rows, and in one statement whatever their number.

    psycopg2's copy_expert goes around Django's cursor wrapper, so the statement
    is logged (DEBUG, CaptureQueriesContext) and its errors translated to
    django.db's (an IntegrityError of a concurrent import) here, as execute would.
    """
    data = io.StringIO("".join("\t".join(row) + "\n" for row in rows))
    logged = cursor.debug_sql(sql) if hasattr(cursor, "debug_sql") else contextlib.nullcontext()
    with logged, connection.wrap_database_errors:
        cursor.copy_expert(sql, data)


def _renumber(objects, final):
    """Give objects their final numbers without tripping a unique (parent, number) index mid-way."""
    moving = [o for o in objects if o.number != final[o.pk]]
    if not moving:
        return []
    model = type(moving[0])
    for offset, obj in enumerate(moving, start=1):
        obj.number = 30000 + offset
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

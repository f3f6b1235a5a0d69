"""What an import would do, worked out in memory: which file row revises which stored requirement, and what
changes. Nothing here touches the database; apply.py loads the stored state (Stored.load) and writes a plan.

Identity: a row in the new file is the same requirement as a stored one when
(1) its text is identical, else (2) its text is similar enough (difflib ratio),
more readily within the same main task, else (3) it keeps the same number in the
same task and is still loosely similar. Numbers alone never decide, because
deleting one row renumbers every row after it.
"""

import difflib
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tasks.models import Assignment, Requirement

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
    # (stored text, file text) of a deadline written differently with the same meaning: kept as stored.
    respelled: tuple | None = None

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
    """Looks names up in memory: departments and aliases, collective words, officials ({name: object})."""

    def __init__(self, *, departments=None, aliases=None, collectives=None, officials=None):
        self.departments = departments or {}
        self.aliases = aliases or {}
        self.collectives = collectives or {}
        self.officials = officials or {}

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


def join_names(names):
    return "、".join(names)


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
        "responsible": unique_names(resolver.canonical_party(n) for n in record.responsible),
        "cooperating": unique_names(resolver.canonical_party(n) for n in record.cooperating),
        "note": record.note,
        "criteria": record.criteria,
    }


def unique_names(names):
    result = []
    for name in names:
        if name not in result:
            result.append(name)
    return result


def _display(key, value):
    if key == "deadline":
        return value[0]
    if isinstance(value, list):
        return join_names(value)
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


@dataclass
class Stored:
    """The state a file is compared with: the active table requirements (with task__pillar), their lead
    officials {requirement id: [names]}, their parties {(requirement id, role): [names in order]}, and the
    names known."""

    requirements: list = field(default_factory=list)
    officials: dict = field(default_factory=dict)
    parties: dict = field(default_factory=dict)
    names: NameResolver = field(default_factory=NameResolver)


def _meaning(deadline):
    """A deadline's (kind, due date, recurrence): 2026年1月31日 and 2026-01-31 mean the same."""
    return deadline[1:]


def plan_records(records, stored):
    """The Plan of applying parsed records over the stored state; pure."""
    resolver = stored.names
    plan = Plan(
        records=records,
        new_departments=resolver.unknown_departments(records),
        new_officials=resolver.unknown_officials(records),
    )
    for name in plan.new_departments:
        plan.similar_names[name] = resolver.similar_departments(name)
    for name in plan.new_officials:
        plan.similar_names[name] = resolver.similar_officials(name)
    pairs = match_records(records, stored.requirements)
    matched = set()
    for index, record in enumerate(records):
        requirement = pairs.get(index)
        if requirement is None:
            plan.created.append(Change(record))
            continue
        matched.add(requirement.pk)
        before, after = _snapshot(requirement, stored.officials, stored.parties), _record_fields(record, resolver)
        diff = {}
        for key in after:
            if key == "deadline" and _meaning(before[key]) == _meaning(after[key]):
                continue  # a spelling change, listed apart below, is no update
            if before[key] != after[key]:
                diff[key] = (_display(key, before[key]), _display(key, after[key]))
        respelled = None
        if before["deadline"] != after["deadline"] and "deadline" not in diff:
            respelled = (before["deadline"][0], after["deadline"][0])
        change = Change(record, requirement, diff, renumbered=requirement.number != record.number, respelled=respelled)
        (plan.updated if diff else plan.unchanged).append(change)
    plan.retired = [r for r in stored.requirements if r.pk not in matched]
    return plan

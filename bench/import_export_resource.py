"""django-import-export's side of `import_vs_django_import_export` (a benchmark-only dependency).

The same requirements as the office-layout table, as the flat rows django-import-export expects: one
row per requirement with its task's id, deadline kind and date already resolved, and its lead
officials by name. Its pillars and tasks are created beforehand in bulk (not timed) and its
departments (Assignment rows) are left out, so django-import-export does less than tieju's import.
"""

import datetime
import io

import tablib
from import_export import fields, resources, widgets
from openpyxl import load_workbook

from tasks.models import Breakdown, Pillar, Requirement, Task
from teams.models import Official

_KINDS = {"长期坚持": ("ongoing", ""), "每月": ("recurring", "monthly"), "每季度": ("recurring", "quarterly")}
HEADERS = [
    "breakdown",
    "task",
    "number",
    "text",
    "deadline_text",
    "deadline_kind",
    "due_date",
    "recurrence",
    "lead_officials",
]


class RequirementResource(resources.ModelResource):
    lead_officials = fields.Field(
        attribute="lead_officials",
        column_name="lead_officials",
        widget=widgets.ManyToManyWidget(Official, field="name", separator=","),
    )

    class Meta:
        model = Requirement
        fields = HEADERS
        import_id_fields = ["breakdown", "number"]


def flat_dataset(data):
    """(Dataset of the table's requirements, the new current Breakdown they go into)."""
    sheet = load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    rows = [r for r in sheet.iter_rows(min_row=4, values_only=True) if r and isinstance(r[0], int)]
    breakdown = Breakdown.objects.create(title="django-import-export", year=2026, starts_on=datetime.date(2026, 1, 1))
    pillars, tasks, pillar, task = {}, {}, None, None
    for r in rows:
        pillar = r[1] or pillar
        task = r[2] or task
        if pillar not in pillars:
            pillars[pillar] = Pillar(breakdown=breakdown, number=len(pillars) + 1, name=pillar[:100])
        tasks.setdefault(task, (pillar, int(task.split(".")[0])))
    Pillar.objects.bulk_create(pillars.values())
    created = Task.objects.bulk_create(
        [Task(pillar=pillars[p], number=n, title=t) for t, (p, n) in tasks.items()], batch_size=2000
    )
    task_ids = {t.title: t.pk for t in created}
    officials = set(Official.objects.values_list("name", flat=True))
    dataset, task = tablib.Dataset(headers=HEADERS), None
    for r in rows:
        task = r[2] or task
        deadline = r[4]
        if isinstance(deadline, datetime.datetime):
            deadline = deadline.date()
        if isinstance(deadline, datetime.date):
            kind, recurrence, due, text = "date", "", deadline, deadline.isoformat()
        elif deadline in _KINDS:
            (kind, recurrence), due, text = _KINDS[deadline], None, deadline
        else:
            kind, recurrence, due, text = "date", "", datetime.date(2026, 12, 31), deadline
        dataset.append(
            [breakdown.pk, task_ids[task], r[0], r[3], text, kind, due, recurrence, r[5] if r[5] in officials else ""]
        )
    return dataset, breakdown


def import_flat(dataset):
    return RequirementResource().import_data(dataset, dry_run=False, raise_errors=False, use_transactions=False)

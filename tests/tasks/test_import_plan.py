"""Matching and planning in memory: these tests have no database (pytest-django refuses any query)."""

from datetime import date

from imports.reader import read_table
from tasks.importing.parse import parse_sheet
from tasks.importing.plan import NameResolver, Stored, plan_records
from tasks.models import Assignment, Pillar, Requirement, Task
from teams.models import Department, Official
from tests.tasks.import_files import csv_bytes, sample_rows


def _records(rows):
    records, errors = parse_sheet(read_table(csv_bytes("utf-8", rows), "t.csv"))
    assert errors == []
    return records


def _stored(records):
    """The state after importing `records`, built in memory from the records themselves."""
    requirements, officials, parties = [], {}, {}
    for pk, record in enumerate(records, start=1):
        task = Task(title=record.task_title, number=record.task_number, pillar=Pillar(name=record.pillar_name))
        d = record.deadline
        requirements.append(
            Requirement(
                pk=pk,
                task=task,
                number=record.number,
                text=record.text,
                deadline_text=d.text,
                deadline_kind=d.kind,
                due_date=d.due_date,
                recurrence=d.recurrence,
                note=record.note,
                completion_criteria=record.criteria,
            )
        )
        officials[pk] = list(record.officials)
        parties[(pk, Assignment.Role.RESPONSIBLE)] = list(record.responsible)
        parties[(pk, Assignment.Role.COOPERATING)] = list(record.cooperating)
    names = {n for r in records for n in r.responsible + r.cooperating}
    resolver = NameResolver(
        departments={n: Department(name=n) for n in names},
        officials={n: Official(name=n) for r in records for n in r.officials},
    )
    return Stored(requirements=requirements, officials=officials, parties=parties, names=resolver)


def test_it_plans_the_same_table_as_unchanged():
    records = _records(sample_rows())
    plan = plan_records(records, _stored(records))
    assert plan.counts() == {"created": 0, "updated": 0, "unchanged": 64, "retired": 0}


def test_it_follows_a_requirement_whose_number_shifted_and_retires_the_removed_one():
    records = _records(sample_rows())
    rows = sample_rows()
    del rows[20]
    for number, row in enumerate(rows, start=1):
        row[0] = number
    plan = plan_records(_records(rows), _stored(records))
    assert plan.counts() == {"created": 0, "updated": 0, "unchanged": 63, "retired": 1}
    assert [r.number for r in plan.retired] == [21]
    assert sum(c.renumbered for c in plan.unchanged) == 43


def test_it_lists_a_respelled_deadline_apart_from_the_updates():
    rows = sample_rows()
    stored = _stored(_records(rows))
    due = next(i for i, row in enumerate(rows) if isinstance(row[4], date))
    rows[due][4] = rows[due][4].strftime("%Y-%m-%d")
    plan = plan_records(_records(rows), stored)
    assert plan.counts()["updated"] == 0
    (change,) = [c for c in plan.unchanged if c.respelled]
    assert change.respelled == (stored.requirements[due].deadline_text, rows[due][4])


def test_it_names_unknown_departments_and_similar_known_ones():
    rows = sample_rows()
    stored = _stored(_records(rows))
    rows[0][6] = rows[0][6] + "二"
    plan = plan_records(_records(rows), stored)
    assert plan.new_departments == [rows[0][6]]
    assert plan.similar_names[rows[0][6]]

"""What an import does to the database: identity across edits, all-or-nothing, retiring, names, concurrency."""

import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from bench.synthetic import synthetic_table
from imports.models import ImportRecord
from imports.reader import read_table
from tasks.importing.apply import IMPORTED_FIELDS, apply_import, plan_import
from tasks.importing.parse import parse_sheet
from tasks.importing.runs import breakdown_import, breakdown_preview
from tasks.models import Breakdown, JournalEntry, Requirement, Status
from teams.models import Department, Official
from tests.tasks.import_files import media, sample_rows, table_state, xlsx_openpyxl, xlsx_xlsxwriter  # noqa: F401


def _run(data, name="table.xlsx", **options):
    return breakdown_import(data=data, filename=name, **options)


def _revised_rows():
    """The revised table: row 21 removed (later numbers shift), one row added, three edited."""
    rows = sample_rows()
    del rows[20]
    rows[4][3] += "，全年不少于10次"  # text edited (was requirement 5)
    rows[30][4] = "2026年第四季度"  # deadline edited (was 32)
    rows[40][6] = "水生态环境处、各管理局"  # responsible edited (was 42)
    new = list(rows[44])
    new[3] = "开展臭氧污染成因专项研究并形成报告"
    rows.insert(45, new)
    for number, row in enumerate(rows, start=1):
        row[0] = number
    return rows


def test_it_previews_the_revised_table_as_one_retired_one_created_three_updated(sample_table):
    outcome = breakdown_preview(xlsx_openpyxl("office", _revised_rows()), "revised.xlsx")
    assert outcome.errors == []
    assert outcome.plan.counts() == {"created": 1, "updated": 3, "unchanged": 60, "retired": 1}
    assert [r.number for r in outcome.plan.retired] == [21]
    assert outcome.plan.created[0].record.text == "开展臭氧污染成因专项研究并形成报告"
    changes = {c.requirement.number: c.fields for c in outcome.plan.updated}
    assert set(changes) == {5, 32, 42}
    assert list(changes[32]) == ["deadline"] and changes[32]["deadline"] == ("2026年8月31日", "2026年第四季度")
    assert changes[42]["responsible"] == ("水生态环境处", "水生态环境处、各管理局")


def test_it_applies_the_revised_table_keeping_progress_and_retiring_instead_of_deleting(sample_table, admin_user):
    kept = Requirement.objects.get(number=30)
    kept.status, kept.progress = Status.IN_PROGRESS, 60
    kept.save()
    dropped = Requirement.objects.get(number=21)
    JournalEntry.objects.create(requirement=dropped, kind=JournalEntry.Kind.REPORT, note="已开展12场")

    outcome = _run(xlsx_xlsxwriter("office", _revised_rows()), user=admin_user)

    assert outcome.applied and outcome.exit_code == 0
    dropped.refresh_from_db()
    assert dropped.retired_at is not None and dropped.journal.filter(note="已开展12场").exists()
    assert Requirement.objects.count() == 65 and Requirement.objects.active().count() == 64
    kept.refresh_from_db()
    assert (kept.number, kept.status, kept.progress) == (29, Status.IN_PROGRESS, 60)  # renumbered, progress kept
    edited = Requirement.objects.active().get(text__endswith="，全年不少于10次")
    assert edited.journal.filter(kind=JournalEntry.Kind.IMPORT, author=admin_user, note__contains="具体要求").exists()
    assert Requirement.objects.active().get(number=46).text == "开展臭氧污染成因专项研究并形成报告"
    assert _stored() == _state_of(_revised_rows())


def _state_of(rows):
    """(number, text, deadline as written, responsible) per row of a file, to compare with the database."""
    records, _errors = parse_sheet(read_table(xlsx_openpyxl("office", rows), "x.xlsx"))
    return [(r.number, r.text, r.deadline.text, r.responsible) for r in records]


def _stored():
    return [
        (r.number, r.text, r.deadline_text, r.responsible_names)
        for r in Requirement.objects.active()
        .prefetch_related("assignments__department", "assignments__collective")
        .order_by("number")
    ]


def test_it_creates_requirements_with_the_model_defaults_for_what_the_file_does_not_give(reference):
    # The import inserts plain rows rather than model instances; they must read back as Requirement() would.
    started = timezone.now()
    assert _run(xlsx_openpyxl()).applied
    fresh = Requirement()
    untouched = [
        f.attname
        for f in Requirement._meta.concrete_fields
        if f.name not in [*IMPORTED_FIELDS, "id", "breakdown", "created_at"]
    ]
    for requirement in Requirement.objects.all():
        assert [getattr(requirement, name) for name in untouched] == [getattr(fresh, name) for name in untouched]
        assert started <= requirement.created_at <= timezone.now()


def test_it_stores_backslashes_quotes_and_percent_signs_as_written(reference):
    rows = sample_rows()
    rows[0][3] = r"按 C:\共享\台账 与 \N 口径，100% 的'数据'报送"
    rows[0][8] = "备注\\t不是制表符\\\\"  # a backslash-t, not a tab; two backslashes at the end
    assert _run(xlsx_openpyxl("office", rows)).applied
    requirement = Requirement.objects.get(number=1)
    assert (requirement.text, requirement.note) == (rows[0][3], rows[0][8])


def test_it_changes_nothing_when_the_same_file_is_imported_twice(reference, admin_user):
    data = xlsx_openpyxl()
    first = _run(data, user=admin_user)
    assert first.plan.counts()["created"] == 64
    state, journal = table_state(), JournalEntry.objects.count()
    second = _run(data, user=admin_user)
    assert second.plan.counts() == {"created": 0, "updated": 0, "unchanged": 64, "retired": 0}
    assert not second.plan.has_changes
    assert table_state() == state and JournalEntry.objects.count() == journal
    assert ImportRecord.objects.filter(applied_at__isnull=False).count() == 2


def _with(row_index, column, value):
    rows = sample_rows()
    rows[row_index][column] = value
    return rows


@pytest.mark.parametrize(
    "rows, expected",
    [
        (_with(9, 4, "2026年13月底前"), "第13行「完成时限」：无法识别的日期“2026年13月底前”"),
        (_with(9, 4, "2026年2月30日"), "第13行「完成时限」：无法识别的日期“2026年2月30日”（该日期不存在）"),
        (_with(9, 4, None), "第13行「完成时限」：完成时限为空"),
        (_with(9, 3, "  "), "第13行「具体要求」：具体要求为空"),
        (_with(9, 3, "长" * 2001), "第13行「具体要求」：内容有2001字，超过2000字上限"),
        (_with(9, 6, None), "第13行「责任部门」：未填写责任部门"),
        (_with(9, 0, 12), "第15行「序号」：序号12与第13行重复"),
        (_with(9, 6, "=G12"), "第13行「责任部门」：此处应填写内容，不能是公式“=G12”"),
    ],
    ids=[
        "impossible-month",
        "impossible-day",
        "no-deadline",
        "empty-text",
        "too-long",
        "no-department",
        "duplicate-number",
        "formula",
    ],
)
def test_it_writes_nothing_and_names_row_and_header_for_each_error(sample_table, rows, expected):
    before, runs = table_state(), ImportRecord.objects.count()
    outcome = _run(xlsx_openpyxl("office", rows))
    assert expected in [str(e) for e in outcome.errors]
    assert outcome.exit_code == 1 and not outcome.applied
    assert table_state() == before
    assert ImportRecord.objects.count() == runs + 1 and not ImportRecord.objects.first().applied


def test_it_reads_a_formula_written_by_xlsxwriter_as_an_error(reference):
    rows = sample_rows()
    rows[0][0] = "=ROW()-3"
    outcome = _run(xlsx_xlsxwriter("office", rows))
    assert "第4行「序号」：此处应填写内容，不能是公式“=ROW()-3”" in [str(e) for e in outcome.errors]
    assert Requirement.objects.count() == 0


def test_it_names_the_header_as_written_in_the_file(reference):
    rows = sample_rows()
    rows[0][4] = "明年"
    outcome = _run(xlsx_openpyxl("repeated", rows))
    assert "第3行「完成时间」：无法识别的日期“明年”" in [str(e) for e in outcome.errors]


def test_it_lists_unknown_names_flags_near_duplicates_and_creates_them_only_when_confirmed(sample_table):
    rows = sample_rows()
    rows[0][6] = "人事处"
    rows[1][5] = "分管人事副局长"
    data = xlsx_openpyxl("office", rows)
    preview = breakdown_preview(data, "t.xlsx")
    assert preview.plan.new_departments == ["人事处"] and preview.plan.new_officials == ["分管人事副局长"]
    assert "组织人事处" in preview.plan.similar_names["人事处"]

    refused = _run(data)
    assert refused.exit_code == 1 and not refused.applied and "人事处" in refused.blocked
    assert not Department.objects.filter(name="人事处").exists()
    assert not Official.objects.filter(name="分管人事副局长").exists()

    confirmed = _run(data, create_missing=True)
    assert confirmed.applied
    assert Requirement.objects.active().get(number=1).responsible_names == ["人事处"]
    assert Official.objects.filter(name="分管人事副局长").exists()


def test_it_reads_aliases_as_the_department_they_stand_for_without_reporting_a_change(sample_table):
    rows = sample_rows()
    rows[44][7] = "监测站"  # requirement 45's cooperating 深圳市环境监测中心站 has the alias 监测站
    rows[45][7] = "监测站"
    outcome = breakdown_preview(xlsx_openpyxl("office", rows), "t.xlsx")
    assert outcome.plan.new_departments == []
    assert [c.requirement.number for c in outcome.plan.updated] == [45]


def test_it_renames_a_task_in_place_and_reports_it_on_each_requirement(sample_table):
    rows = sample_rows()
    for row in rows:
        if row[2] == "13.打好水污染防治攻坚战":
            row[2] = "13.打好碧水保卫战"
    outcome = _run(xlsx_openpyxl("office", rows))
    assert outcome.plan.counts()["updated"] == 4
    assert Requirement.objects.get(number=40).task.title == "打好碧水保卫战"
    assert Requirement.objects.get(number=40).task.number == 13


def test_it_cannot_create_duplicates_when_two_imports_planned_on_the_same_state(sample_table):
    """Both previews see the same database; the second apply, after the first, re-plans under the lock and
    returns the plan it applied (the preview's plan is left as it was)."""
    rows = sample_rows() + [
        [65, sample_rows()[-1][1], sample_rows()[-1][2], "新增一项", "每月", "刘初汉", "办公室", None, None]
    ]
    records, _errors = parse_sheet(read_table(xlsx_openpyxl("office", rows), "t.xlsx"))
    first, second = plan_import(records, Breakdown.current()), plan_import(records, Breakdown.current())
    assert first.counts()["created"] == second.counts()["created"] == 1
    assert apply_import(records).counts()["created"] == 1
    applied = apply_import(records)
    assert applied.counts()["created"] == 0 and second.counts()["created"] == 1
    assert Requirement.objects.active().filter(text="新增一项").count() == 1


def test_it_is_backed_by_a_database_constraint_on_active_numbers(sample_table):
    from django.db import IntegrityError, transaction

    existing = Requirement.objects.get(number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Requirement.objects.create(
            breakdown=existing.breakdown,
            task=existing.task,
            number=1,
            text="重复",
            deadline_text="每月",
            deadline_kind="recurring",
            recurrence="monthly",
        )


@pytest.mark.django_db(transaction=True)
def test_it_imports_once_when_two_imports_of_the_same_file_run_at_the_same_time(reference):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers itself; row locks need PostgreSQL")
    from django.db import connections

    data, outcomes = xlsx_openpyxl(), []
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            outcomes.append(_run(data, store_file=False))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert Breakdown.objects.count() == 1
    assert Requirement.objects.count() == 64
    assert sorted(o.applied for o in outcomes) in ([False, True], [True, True])
    assert sum(o.plan.counts()["created"] for o in outcomes if o.applied) == 64


def _queries(data, name):
    with CaptureQueriesContext(connection) as context:
        outcome = _run(data, name=name, create_missing=True)
    assert outcome.applied, outcome.as_json()
    return len(context.captured_queries)


def test_it_uses_the_same_number_of_queries_for_n_and_2n_rows(reference):
    small = _queries(synthetic_table(20), "n.xlsx")
    Breakdown.objects.all().delete()
    large = _queries(synthetic_table(40), "2n.xlsx")
    assert small == large


def test_it_uses_the_same_number_of_queries_to_update_n_and_2n_rows(reference):
    _run(synthetic_table(20))
    small = _queries(synthetic_table(20, edited=range(1, 21)), "n.xlsx")
    Breakdown.objects.all().delete()
    _run(synthetic_table(40))
    large = _queries(synthetic_table(40, edited=range(1, 41)), "2n.xlsx")
    assert Requirement.objects.active().filter(text__endswith="（修订）").count() == 40
    assert small == large


def test_it_reads_the_synthetic_benchmark_table_as_the_office_layout(reference):
    outcome = _run(synthetic_table(40))
    assert outcome.plan.counts()["created"] == 40
    assert Requirement.objects.active().values("task").distinct().count() == 8
    assert Breakdown.current().pillars.count() == 4
    sheet = load_workbook(__import__("io").BytesIO(synthetic_table(30))).worksheets[0]
    assert "A2:I2" in {str(r) for r in sheet.merged_cells.ranges}

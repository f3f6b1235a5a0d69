"""The office's own files, as issue 13 found them: each written here the way the office writes it."""

import csv
import io
from datetime import UTC, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportRecord
from tasks.importing.runs import breakdown_import, breakdown_preview
from tasks.models import JournalEntry, Requirement
from tests.tasks.import_files import (  # noqa: F401 (media is an autouse fixture)
    HEADER,
    TITLE,
    csv_bytes,
    media,
    sample_rows,
    table_state,
    xlsx_openpyxl,
)


def _messages(outcome):
    return [str(e) for e in outcome.errors]


def test_it_reads_the_two_level_header_layout_numbered_in_brackets(reference):
    rows = sample_rows()
    for row in rows:
        row[0] = f"({row[0]})" if row[0] % 2 else f"（{row[0]}）"
    outcome = breakdown_import(data=xlsx_openpyxl("two_row_header", rows), filename="两级表头.xlsx")
    assert _messages(outcome) == [] and outcome.applied
    assert list(Requirement.objects.order_by("number").values_list("number", flat=True)) == list(range(1, 65))


def test_it_still_refuses_a_number_that_is_no_number(reference):
    rows = sample_rows()
    rows[0][0] = "(甲)"
    outcome = breakdown_preview(xlsx_openpyxl("office", rows), "t.xlsx")
    assert "第4行「序号」：序号“(甲)”不是有效的数字" in _messages(outcome)


def test_it_counts_a_deadline_spelt_another_way_as_no_update_and_journals_nothing(sample_table):
    """The sample stores 2026年1月31日; the same table saved as CSV writes 2026/1/31."""
    state, journal = table_state(), JournalEntry.objects.count()
    before = dict(Requirement.objects.values_list("number", "deadline_text"))
    outcome = breakdown_import(data=csv_bytes("gbk"), filename="同一张表.csv")
    counts = outcome.plan.counts()
    assert outcome.applied and counts == {"created": 0, "updated": 0, "unchanged": 64, "retired": 0}
    respelled = [c.respelled for c in outcome.plan.unchanged if c.respelled]
    assert ("2026年1月31日", "2026/1/31") in respelled
    assert JournalEntry.objects.count() == journal
    assert table_state() == state and dict(Requirement.objects.values_list("number", "deadline_text")) == before


def test_it_journals_only_the_real_change_of_a_row_whose_deadline_is_also_respelled(sample_table):
    rows = sample_rows()
    rows[0][3] = rows[0][3] + "，并形成台账"
    stored = Requirement.objects.get(number=1).deadline_text
    data = csv_bytes("utf-8", rows)
    outcome = breakdown_import(data=data, filename="t.csv")
    assert outcome.plan.counts()["updated"] == 1
    entry = JournalEntry.objects.filter(requirement__number=1, kind=JournalEntry.Kind.IMPORT).get()
    assert "具体要求" in entry.note and "完成时限" not in entry.note
    assert Requirement.objects.get(number=1).deadline_text == stored


def test_it_names_a_csv_cell_over_the_length_limit(reference):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([TITLE])
    writer.writerow(HEADER)
    writer.writerow([1, "一、锻造铁的政治素养", "1.坚持学习", "长" * 200_000, "长期坚持", "刘初汉", "办公室", "", ""])
    outcome = breakdown_preview(text.getvalue().encode("utf-8"), "long.csv")
    assert outcome.unreadable == "第3行有单元格超过 10000 字，已拒绝读取。"


def test_it_reports_a_formula_in_the_deadline_cell_once(reference):
    rows = sample_rows()
    rows[0][4] = "=DATE(2026,1,31)"
    outcome = breakdown_preview(xlsx_openpyxl("office", rows), "t.xlsx")
    on_row = [m for m in _messages(outcome) if m.startswith("第4行「完成时限」")]
    assert on_row == ["第4行「完成时限」：此处应填写内容，不能是公式“=DATE(2026,1,31)”"]


def test_it_says_when_a_file_was_applied_in_local_time(client, admin_user, reference):
    client.force_login(admin_user)
    upload = SimpleUploadedFile("任务分解表.xlsx", xlsx_openpyxl())
    client.post(reverse("tasks:import"), {"file": upload})
    record = ImportRecord.objects.get()
    client.post(reverse("tasks:import-apply", args=[record.pk]))
    ImportRecord.objects.filter(pk=record.pk).update(applied_at=datetime(2026, 12, 2, 5, 47, 2, 843140, tzinfo=UTC))
    page = client.post(reverse("tasks:import-apply", args=[record.pk]), follow=True).content.decode()
    assert "该文件已于 2026-12-02 13:47 导入，无需重复应用。" in page
    assert "+00:00" not in page and "843140" not in page

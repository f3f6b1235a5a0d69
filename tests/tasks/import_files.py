"""Spreadsheets for the import tests, written the ways offices write them.

The sample table is the source of truth; every layout here writes the same
64 requirements, so each must import to the same table.
"""

import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from openpyxl import Workbook, load_workbook

SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "task-breakdown.xlsx"
TITLE = "中共深圳市生态环境局党组关于打造生态环境保护铁军任务分解表"
HEADER = ["序号", "工程", "主要任务", "具体要求", "完成时限", "主管领导", "责任部门", "配合部门", "备注"]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Stored import files go to a temporary directory, not var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


def sample_rows():
    """The sample's rows as lists in HEADER order, merged pillar and task cells filled in."""
    sheet = load_workbook(SAMPLE).worksheets[0]
    rows, pillar, task = [], None, None
    for values in sheet.iter_rows(min_row=4, values_only=True):
        values = list(values) + [None] * (9 - len(values))
        pillar, task = values[1] or pillar, values[2] or task
        rows.append([values[0], pillar, task] + values[3:9])
    return rows


def _merged_runs(rows, column):
    """(first index, last index) for each run of equal values in a column."""
    runs, start = [], 0
    for index in range(1, len(rows) + 1):
        if index == len(rows) or rows[index][column] != rows[start][column]:
            runs.append((start, index - 1))
            start = index
    return runs


def _plan(layout, rows):
    """(cells {(row, col): value} 1-based, merges [(r1, c1, r2, c2)]) for a layout."""
    cells, merges = {}, []
    if layout == "office":
        cells[(1, 1)] = "附件1"
        cells[(2, 1)] = TITLE
        merges.append((2, 1, 2, 9))
        for c, h in enumerate(HEADER, 1):
            cells[(3, c)] = h
        for r, row in enumerate(rows, 4):
            for c, v in enumerate(row, 1):
                if c not in (2, 3):
                    cells[(r, c)] = v
        for column in (1, 2):
            for a, b in _merged_runs(rows, column):
                cells[(a + 4, column + 1)] = rows[a][column]
                if b > a:
                    merges.append((a + 4, column + 1, b + 4, column + 1))
    elif layout == "repeated":
        # No merges, synonyms, columns in another order, an unknown column, a blank row and a footnote.
        order = [3, 5, 1, 2, 7, 6, 4, 8, 0]
        header = ["工作要求", "分管领导", "类别", "重点任务", "协办单位", "责任单位", "完成时间", "备注", "编号"]
        cells[(1, 1)] = TITLE
        for c, h in enumerate(header + ["联系人"], 1):
            cells[(2, c)] = h
        r = 3
        for index, row in enumerate(rows):
            for c, source in enumerate(order, 1):
                cells[(r, c)] = row[source]
            cells[(r, 10)] = "张三"
            r += 2 if index == 10 else 1  # one blank separator row
        cells[(r + 1, 1)] = "注：本表由局办公室负责解释。"
    elif layout == "two_row_header":
        top = ["序号", "工程", "主要任务", "具体要求", "完成时限", "责任分工", None, None, "备注"]
        bottom = [None, None, None, None, None, "主管领导", "责任部门", "配合部门", None]
        for c, h in enumerate(top, 1):
            if h:
                cells[(1, c)] = h
        for c, h in enumerate(bottom, 1):
            if h:
                cells[(2, c)] = h
        merges.append((1, 6, 1, 8))
        for c in (1, 2, 3, 4, 5, 9):
            merges.append((1, c, 2, c))
        for r, row in enumerate(rows, 3):
            for c, v in enumerate(row, 1):
                cells[(r, c)] = v
    else:
        raise ValueError(layout)
    return cells, merges


def xlsx_openpyxl(layout="office", rows=None):
    cells, merges = _plan(layout, rows if rows is not None else sample_rows())
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "任务分解表"
    for (r, c), v in cells.items():
        if v is not None:
            sheet.cell(row=r, column=c, value=v)
            if hasattr(v, "year"):
                sheet.cell(row=r, column=c).number_format = 'yyyy"年"m"月"d"日"'
    for r1, c1, r2, c2 in merges:
        sheet.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_xlsxwriter(layout="office", rows=None):
    import xlsxwriter

    cells, merges = _plan(layout, rows if rows is not None else sample_rows())
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet("任务分解表")
    dates = workbook.add_format({"num_format": 'yyyy"年"m"月"d"日"'})
    covered = set()
    for r1, c1, r2, c2 in merges:
        value = cells.get((r1, c1))
        sheet.merge_range(r1 - 1, c1 - 1, r2 - 1, c2 - 1, value if value is not None else "")
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for (r, c), v in cells.items():
        if v is None or (r, c) in covered:
            continue
        if hasattr(v, "year"):
            sheet.write_datetime(r - 1, c - 1, v, dates)
        elif isinstance(v, str) and v.startswith("="):
            sheet.write_formula(r - 1, c - 1, v)
        elif isinstance(v, str):
            sheet.write_string(r - 1, c - 1, v)
        else:
            sheet.write(r - 1, c - 1, v)
    workbook.close()
    return buffer.getvalue()


def csv_bytes(encoding="utf-8", rows=None):
    """The table as Chinese Excel saves CSV: title row, header, dates as text, pillar and task repeated."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow([TITLE])
    writer.writerow(HEADER)
    for row in rows if rows is not None else sample_rows():
        writer.writerow(
            ["" if v is None else (f"{v.year}/{v.month}/{v.day}" if hasattr(v, "year") else v) for v in row]
        )
    return text.getvalue().encode(encoding)


def table_state(breakdown=None):
    """What the database holds for the current table, in a form two imports can be compared by."""
    from tasks.models import Breakdown, Requirement

    breakdown = breakdown or Breakdown.current()
    result = []
    for r in (
        Requirement.objects.active()
        .filter(breakdown=breakdown)
        .select_related("task__pillar")
        .prefetch_related("lead_officials", "assignments__department", "assignments__collective")
        .order_by("number")
    ):
        result.append(
            (
                r.number,
                r.task.pillar.number,
                r.task.pillar.name,
                r.task.number,
                r.task.title,
                r.text,
                r.deadline_kind,
                r.due_date,
                r.recurrence,
                sorted(o.name for o in r.lead_officials.all()),
                r.responsible_names,
                r.cooperating_names,
                r.note,
            )
        )
    return result

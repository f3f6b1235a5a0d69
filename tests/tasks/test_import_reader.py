"""Reading the office's file in all its layouts, and refusing files that are not one."""

import io
import time
import zipfile
from datetime import date

import pytest

from imports.errors import UnreadableFile
from imports.reader import OLE2_MAGIC, read_table
from tasks.importing.apply import apply_import
from tasks.importing.deadlines import DeadlineError, parse_deadline
from tasks.importing.parse import parse_sheet, strip_numbering
from tests.tasks.import_files import (  # noqa: F401 (media is an autouse fixture)
    SAMPLE,
    csv_bytes,
    media,
    sample_rows,
    table_state,
    xlsx_openpyxl,
    xlsx_xlsxwriter,
)


def _import(data, name):
    records, errors = parse_sheet(read_table(data, name))
    assert errors == []
    apply_import(records)
    return table_state()


@pytest.fixture
def expected(reference, django_db_blocker):
    """The table the office's own sample file produces."""
    state = _import(SAMPLE.read_bytes(), SAMPLE.name)
    from tasks.models import Breakdown

    Breakdown.objects.all().delete()
    assert len(state) == 64
    return state


@pytest.mark.parametrize("layout", ["office", "repeated", "two_row_header"])
@pytest.mark.parametrize("writer", [xlsx_openpyxl, xlsx_xlsxwriter], ids=["openpyxl", "xlsxwriter"])
def test_it_reads_every_layout_from_both_writers_as_the_same_table(expected, layout, writer):
    assert _import(writer(layout), "table.xlsx") == expected


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_it_reads_csv_as_chinese_excel_saves_it(expected, encoding):
    data = csv_bytes(encoding)
    assert data.startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    assert _import(data, "table.csv") == expected


@pytest.mark.parametrize(
    "written, number, name",
    [
        ("1 坚持学习", 1, "坚持学习"),
        ("1.坚持学习", 1, "坚持学习"),
        ("1、坚持学习", 1, "坚持学习"),
        ("(1)坚持学习", 1, "坚持学习"),
        ("（1）坚持学习", 1, "坚持学习"),
        ("一、锻造铁的政治素养", 1, "锻造铁的政治素养"),
        ("（一）锻造铁的政治素养", 1, "锻造铁的政治素养"),
        ("十二、严明纪律", 12, "严明纪律"),
        ("１２．坚持学习", 12, "坚持学习"),
        ("100家企业完成治理", None, "100家企业完成治理"),
        ("十大行动队冲锋在前", None, "十大行动队冲锋在前"),
        ("1.5万吨目标", None, "1.5万吨目标"),
    ],
)
def test_it_strips_numbering_in_every_form(written, number, name):
    assert strip_numbering(written) == (number, name)


@pytest.mark.parametrize(
    "written, kind, due, recurrence",
    [
        ("2026-03-31", "date", date(2026, 3, 31), ""),
        ("2026/3/31", "date", date(2026, 3, 31), ""),
        ("2026年3月31日", "date", date(2026, 3, 31), ""),
        ("２０２６年１２月底前", "date", date(2026, 12, 31), ""),
        ("2026年2月底前", "date", date(2026, 2, 28), ""),
        ("2026年第四季度", "date", date(2026, 12, 31), ""),
        ("2026年二季度", "date", date(2026, 6, 30), ""),
        ("2026年上半年", "date", date(2026, 6, 30), ""),
        ("2026年下半年", "date", date(2026, 12, 31), ""),
        ("2026年底前", "date", date(2026, 12, 31), ""),
        ("长期坚持", "ongoing", None, ""),
        ("持续推进", "ongoing", None, ""),
        ("每周", "recurring", None, "weekly"),
        ("每月", "recurring", None, "monthly"),
        ("每季度", "recurring", None, "quarterly"),
        ("每半年", "recurring", None, "half_yearly"),
        ("每年", "recurring", None, "yearly"),
    ],
)
def test_it_understands_every_deadline_form_and_keeps_the_text(written, kind, due, recurrence):
    deadline = parse_deadline(written)
    assert (deadline.kind, deadline.due_date, deadline.recurrence) == (kind, due, recurrence)
    assert deadline.text == written.replace("２０２６", "2026").replace("１２", "12")


def test_it_reads_excel_date_cells_and_serial_numbers():
    from datetime import datetime

    assert parse_deadline(datetime(2026, 3, 31)).due_date == date(2026, 3, 31)
    assert parse_deadline(datetime(2026, 3, 31)).text == "2026年3月31日"
    assert parse_deadline(46112).due_date == date(2026, 3, 31)


@pytest.mark.parametrize("written", ["2026年13月底前", "2026年2月30日", "下个月", "2026-02-30", "1899年1月1日"])
def test_it_refuses_unreadable_or_impossible_deadlines(written):
    with pytest.raises(DeadlineError) as error:
        parse_deadline(written)
    assert f"无法识别的日期“{written}”" in str(error.value)


def test_it_splits_names_on_every_separator_and_normalises_width_and_spaces(reference):
    rows = sample_rows()[:1]
    rows[0][6] = " 办 公 室 "
    rows[0][7] = "机关党委，组织人事处;各处室；各管理局/水处／大气处\n监测站、福田管理局,宝安管理局"
    _import(xlsx_openpyxl("office", rows), "t.xlsx")
    from tasks.models import Requirement

    requirement = Requirement.objects.get()
    assert requirement.responsible_names == ["办公室"]
    assert requirement.cooperating_names == [
        "机关党委",
        "组织人事处",
        "各处室",
        "各管理局",
        "水生态环境处",
        "大气环境处",
        "深圳市环境监测中心站",
        "福田管理局",
        "宝安管理局",
    ]
    # 各处室 is a collective word, not a department: it stays a rule over departments.
    assert requirement.assignments.get(collective__name="各处室").department is None


def test_it_keeps_the_remark_column_as_a_note(reference):
    rows = sample_rows()[:2]
    rows[1][8] = "与年度考核挂钩"
    _import(xlsx_xlsxwriter("office", rows), "t.xlsx")
    from tasks.models import Requirement

    assert Requirement.objects.get(number=2).note == "与年度考核挂钩"


def _refusal(data, name="table.xlsx"):
    with pytest.raises(UnreadableFile) as error:
        read_table(data, name)
    return str(error.value)


def test_it_refuses_a_file_that_is_not_a_spreadsheet():
    assert "无法识别的文件格式" in _refusal(b"%PDF-1.4 not a table", "table.pdf")
    assert "无法识别的文件格式" in _refusal(b"\x89PNG\r\n\x1a\n....", "table.xlsx")


def test_it_refuses_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert "不是 Excel 表格" in _refusal(buffer.getvalue())


def test_it_refuses_a_truncated_workbook():
    assert "文件已损坏" in _refusal(xlsx_openpyxl()[:3000])


def test_it_asks_for_xlsx_when_given_an_old_xls():
    assert "另存为” .xlsx" in _refusal(OLE2_MAGIC + b"\x00" * 600, "table.xls")


def test_it_recognises_an_encrypted_workbook():
    # Excel wraps a password-protected .xlsx in an OLE2 container with an EncryptedPackage stream;
    # msoffcrypto-tool encrypts the office's own sample table the same way (ECMA-376 agile encryption).
    import msoffcrypto
    from django.conf import settings

    sample = settings.BASE_DIR / "fixtures" / "task-breakdown.xlsx"
    encrypted = io.BytesIO()
    with sample.open("rb") as plain:
        msoffcrypto.OfficeFile(plain).encrypt("tieju-2026", encrypted)
    data = encrypted.getvalue()
    assert data[:8] == OLE2_MAGIC and data != sample.read_bytes()
    assert "文件已加密" in _refusal(data, "task-breakdown.xlsx")
    assert "文件已加密" in _refusal(data, "renamed.xls")  # recognised by content, not by name


def test_it_refuses_an_empty_sheet_and_an_empty_file():
    from openpyxl import Workbook

    buffer = io.BytesIO()
    Workbook().save(buffer)
    assert "是空的" in _refusal(buffer.getvalue())
    assert "文件是空的" in _refusal(b"", "table.csv")


def test_it_refuses_a_sheet_without_a_recognisable_header():
    sheet = read_table("甲,乙,丙\n1,2,3\n".encode(), "t.csv")
    with pytest.raises(UnreadableFile) as error:
        parse_sheet(sheet)
    assert "找不到表头" in str(error.value)


def test_it_enforces_the_size_row_column_and_cell_limits(settings):
    settings.TIEJU_MAX_IMPORT_BYTES = 1024
    assert "文件过大" in _refusal(b"x" * 2048, "t.csv")
    settings.TIEJU_MAX_IMPORT_BYTES = 10 * 1024 * 1024
    settings.TIEJU_MAX_IMPORT_ROWS = 30
    assert "超过上限 30 行" in _refusal(xlsx_openpyxl())
    assert "超过上限 30 行" in _refusal(csv_bytes(), "t.csv")
    settings.TIEJU_MAX_IMPORT_ROWS = 20000
    settings.TIEJU_MAX_IMPORT_CELL_CHARS = 100
    rows = sample_rows()[:3]
    rows[2][3] = "长" * 101
    assert "第6行有单元格超过 100 字" in _refusal(xlsx_openpyxl("office", rows))
    settings.TIEJU_MAX_IMPORT_COLUMNS = 5
    # Columns past the limit are never read, so the header lacks the required ones.
    records, errors = parse_sheet(read_table(xlsx_openpyxl(), "t.xlsx"))
    assert records == [] and "缺少列" in errors[0].message


def _zip_bomb():
    """A valid-looking .xlsx whose sheet inflates to about 1 GB of XML whitespace."""
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(xlsx_openpyxl("office", sample_rows()[:1])))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(item, source.read(item))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            member.write(
                b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            chunk = b" " * (1024 * 1024)
            for _ in range(1024):
                member.write(chunk)
            member.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def test_it_refuses_a_zip_bomb_quickly_without_inflating_it():
    import tracemalloc

    bomb = _zip_bomb()
    assert len(bomb) < 2 * 1024 * 1024  # small on disk…
    declared = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(bomb)).infolist())
    assert declared > 1024**3  # …about a gigabyte inflated
    tracemalloc.start()
    started = time.perf_counter()
    message = _refusal(bomb)
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert "疑似压缩炸弹" in message
    assert elapsed < 1.0
    assert peak < 50 * 1024 * 1024

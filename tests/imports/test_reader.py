"""The one reader every import goes through: files refused with a sentence, tables read as numbered rows."""

import io
import zipfile

import pytest
import xlsxwriter
from openpyxl import Workbook

from imports.errors import UnreadableFile
from imports.reader import OLE2_MAGIC, Formula, Limits, find_header, read_sheets, read_table


def _refusal(data, name):
    with pytest.raises(UnreadableFile) as caught:
        read_table(data, name)
    return str(caught.value)


def _ods():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def test_it_refuses_ods_and_xls_and_says_to_save_as_xlsx():
    assert "OpenDocument（.ods）" in _refusal(_ods(), "表.ods") and ".xlsx" in _refusal(_ods(), "表.ods")
    assert "另存为” .xlsx" in _refusal(OLE2_MAGIC + b"\0" * 512, "old.xls")


def test_it_refuses_an_encrypted_workbook():
    data = OLE2_MAGIC + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64
    assert "文件已加密" in _refusal(data, "secret.xlsx")


def test_it_refuses_a_zip_bomb_before_inflating_it():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    assert len(buffer.getvalue()) < 100 * 1024
    assert "疑似压缩炸弹" in _refusal(buffer.getvalue(), "bomb.xlsx")


def test_it_reads_gb18030_csv_with_characters_gbk_lacks():
    data = "姓名,部门\n𠮷祥,办公室\n".encode("gb18030")
    assert read_table(data, "名单.csv").rows == [(1, ("姓名", "部门")), (2, ("𠮷祥", "办公室"))]


def test_it_tells_a_formula_from_quote_prefixed_text_written_by_xlsxwriter():
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_formula(0, 0, "=1+1")
    sheet.write_string(0, 1, "=1+1", workbook.add_format({"quote_prefix": True}))
    workbook.close()
    (number, (formula, text)), *_rest = read_table(buffer.getvalue(), "f.xlsx").rows
    assert (number, formula, text) == (1, Formula("=1+1"), "=1+1")


def test_it_reads_every_sheet_with_row_numbers_and_drops_empty_rows():
    workbook = Workbook()
    workbook.active.title = "数据"
    workbook.active.append(["期间", "区域"])
    workbook.active.append([])
    workbook.active.append(["2026-06", "全市"])
    workbook.create_sheet("说明").append(["指标代码"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    sheets = read_sheets(buffer.getvalue(), "v.xlsx")
    assert [(s.name, s.rows) for s in sheets] == [
        ("数据", [(1, ("期间", "区域")), (3, ("2026-06", "全市"))]),
        ("说明", [(1, ("指标代码",))]),
    ]


def test_it_refuses_more_rows_than_the_limit():
    data = "\n".join(f"{n},x" for n in range(1, 12)).encode()
    with pytest.raises(UnreadableFile, match="超过上限 10 行"):
        read_table(data, "t.csv", limits=Limits.from_settings(rows=10))


SYNONYMS = {"name": ["姓名"], "team": ["行动队"], "role": ["职务", "队内职务"], "department": ["部门"]}


def test_it_finds_a_header_below_a_title_by_synonyms_and_width():
    rows = [(1, ("名单",)), (2, ("行 动 队", "姓名", "队内职务（必填）")), (3, ("水", "张三", "队员"))]
    header = find_header(rows, SYNONYMS, accept={"name", "team"}.issubset)
    assert header.data_start == 2
    assert header.columns == {"team": (0, "行 动 队"), "name": (1, "姓名"), "role": (2, "队内职务（必填）")}


def test_it_joins_a_two_row_header_but_not_a_data_row_below_it():
    two_rows = [(1, ("行动队", "姓名", "分工")), (2, (None, None, "职务")), (3, ("水", "张三", "队员"))]
    header = find_header(two_rows, SYNONYMS, accept={"name", "team"}.issubset)
    assert header.data_start == 2 and header.columns["role"] == (2, "职务")
    with_data = [(1, ("行动队", "姓名", "分工")), (2, ("水", "张三", "部门"))]
    header = find_header(with_data, SYNONYMS, accept={"name", "team"}.issubset)
    assert header.data_start == 1 and "department" not in header.columns

"""Turning an uploaded file into numbered rows of raw cell values.

Everything a user can upload ends here either as a Sheet or as UnreadableFile
with a sentence an administrator can act on; nothing else may escape, because
the import page must never answer with a 500.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE2 container holding this stream (name stored in UTF-16-LE).
ENCRYPTED_MARKER = "EncryptedPackage".encode("utf-16-le")


def limit(name):
    """Import limits; each may be overridden in settings, none is required there."""
    defaults = {
        "TIEJU_MAX_IMPORT_BYTES": 10 * 1024 * 1024,
        # A real 10,000-row table unpacks to well under 100 MB of XML.
        "TIEJU_MAX_IMPORT_UNZIPPED_BYTES": 200 * 1024 * 1024,
        # Office XML compresses about 10:1; a hundredfold ratio on a large member is a bomb.
        "TIEJU_MAX_IMPORT_ZIP_RATIO": 100,
        "TIEJU_MAX_IMPORT_ZIP_MEMBERS": 500,
        "TIEJU_MAX_IMPORT_ROWS": 20000,
        "TIEJU_MAX_IMPORT_COLUMNS": 50,
        "TIEJU_MAX_IMPORT_CELL_CHARS": 10000,
    }
    return getattr(settings, name, defaults[name])


class UnreadableFile(Exception):
    """The file cannot be read as a table at all (exit code 2 for the command)."""


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula; the parser reports it where a value belongs."""

    text: str

    def __str__(self):
        return self.text


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list  # [(row_number, tuple_of_values)]


def read_table(data, filename):
    """The first sheet of an .xlsx or a CSV file, as numbered rows; UnreadableFile otherwise."""
    lowered = (filename or "").lower()
    max_bytes = limit("TIEJU_MAX_IMPORT_BYTES")
    if len(data) > max_bytes:
        raise UnreadableFile(
            _("文件过大（%(size).1f MB），上限为 %(limit).0f MB。")
            % {"size": len(data) / 1024 / 1024, "limit": max_bytes / 1024 / 1024}
        )
    if not data.strip():
        raise UnreadableFile(_("文件是空的。"))
    if data[:8] == OLE2_MAGIC:
        if ENCRYPTED_MARKER in data:
            raise UnreadableFile(_("文件已加密（设置了打开密码）：请在 Excel 中取消密码后另存为 .xlsx 再导入。"))
        raise UnreadableFile(_("这是旧版 Excel（.xls）文件：请在 Excel 中“另存为” .xlsx 格式后再导入。"))
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if lowered.endswith((".csv", ".txt")):
        return _read_csv(data)
    if lowered.endswith(".xls"):
        raise UnreadableFile(_("这是旧版 Excel（.xls）文件：请在 Excel 中“另存为” .xlsx 格式后再导入。"))
    raise UnreadableFile(_("无法识别的文件格式：请上传 Excel（.xlsx）或 CSV 文件。"))


def check_zip(data):
    """Refuse archives that are not workbooks or would inflate beyond the limits.

    Runs on the central directory only, before openpyxl decompresses anything.
    zipfile never inflates a member past its declared size (it stops and fails
    the CRC check), so bounding the declared sizes bounds memory.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UnreadableFile(_("文件已损坏，不是有效的 .xlsx 表格。")) from None
    with archive:
        members = archive.infolist()
        names = {m.filename for m in members}
        if "xl/workbook.xml" not in names:
            raise UnreadableFile(_("这不是 Excel 表格（.xlsx）：压缩包中没有工作簿。"))
        if len(members) > limit("TIEJU_MAX_IMPORT_ZIP_MEMBERS"):
            raise UnreadableFile(_("文件结构异常（包含的部件过多），已拒绝读取。"))
        if any(m.flag_bits & 0x1 for m in members):
            raise UnreadableFile(_("文件已加密：请在 Excel 中取消密码后另存为 .xlsx 再导入。"))
        total = sum(m.file_size for m in members)
        ratio = limit("TIEJU_MAX_IMPORT_ZIP_RATIO")
        bomb = total > limit("TIEJU_MAX_IMPORT_UNZIPPED_BYTES") or any(
            m.file_size > 1024 * 1024 and m.file_size > ratio * max(m.compress_size, 1) for m in members
        )
        if bomb:
            raise UnreadableFile(
                _("文件解压后过大（声明 %(size)d MB），疑似压缩炸弹，已拒绝读取。") % {"size": total // (1024 * 1024)}
            )


def _read_xlsx(data):
    check_zip(data)
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many types for malformed parts; all mean "cannot read"
        raise UnreadableFile(_("文件已损坏或不是有效的 .xlsx 表格，请在 Excel 中重新保存后再试。")) from None
    try:
        try:
            sheet = workbook.active or workbook.worksheets[0]
        except IndexError:
            raise UnreadableFile(_("工作簿中没有工作表。")) from None
        if not hasattr(sheet, "iter_rows"):  # a chart sheet is active
            sheet = workbook.worksheets[0]
        return Sheet(sheet.title, _sheet_rows(sheet))
    except UnreadableFile:
        raise
    except Exception:
        raise UnreadableFile(_("文件已损坏或不是有效的 .xlsx 表格，请在 Excel 中重新保存后再试。")) from None
    finally:
        workbook.close()


def _sheet_rows(sheet):
    max_rows, max_columns = limit("TIEJU_MAX_IMPORT_ROWS"), limit("TIEJU_MAX_IMPORT_COLUMNS")
    max_chars = limit("TIEJU_MAX_IMPORT_CELL_CHARS")
    declared_rows = sheet.max_row or 0
    if declared_rows > max_rows:
        raise UnreadableFile(
            _("表格有 %(rows)d 行，超过上限 %(limit)d 行。") % {"rows": declared_rows, "limit": max_rows}
        )
    rows = []
    for number, cells in _stream(sheet):
        if number > max_rows:
            raise UnreadableFile(_("表格超过上限 %(limit)d 行。") % {"limit": max_rows})
        values = [None] * min(max((c for c, _v, _t in cells), default=0), max_columns)
        for column, value, data_type in cells:
            if column > max_columns or value is None:
                continue
            if data_type == "f":
                value = Formula(str(value))
            elif isinstance(value, str) and len(value) > max_chars:
                raise UnreadableFile(
                    _("第%(row)d行有单元格超过 %(limit)d 字，已拒绝读取。") % {"row": number, "limit": max_chars}
                )
            values[column - 1] = value
        if any(v is not None for v in values):
            rows.append((number, tuple(values)))
    if not rows:
        raise UnreadableFile(_("工作表“%(name)s”是空的。") % {"name": sheet.title})
    return rows


def _stream(sheet):
    """(row number, [(column, value, data_type)]) for each row the sheet's XML holds.

    openpyxl's own row parser, without the cell objects read-only mode builds
    around it: for a 10,000-row table those objects cost more than the parsing.
    The parser is internal to openpyxl, so any other version falls back to the
    public (slower) iter_rows.
    """
    try:
        from openpyxl.worksheet._reader import WorkSheetParser

        workbook = sheet.parent
        source = sheet._get_source()
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=False,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
    except (ImportError, AttributeError, TypeError):
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            yield (
                number,
                [(column, cell.value, getattr(cell, "data_type", None)) for column, cell in enumerate(cells, start=1)],
            )
        return
    with source:
        for number, cells in parser.parse():
            yield number, [(cell["column"], cell["value"], cell["data_type"]) for cell in cells]


def _decode(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("CSV 文件的编码无法识别：请使用 UTF-8 或 GBK。"))


def _read_csv(data):
    text = _decode(data)
    if "\x00" in text:
        raise UnreadableFile(_("无法识别的文件格式：请上传 Excel（.xlsx）或 CSV 文件。"))
    # Excel's "Unicode text" export separates with tabs; everything else with commas.
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    max_rows, max_columns = limit("TIEJU_MAX_IMPORT_ROWS"), limit("TIEJU_MAX_IMPORT_COLUMNS")
    max_chars = limit("TIEJU_MAX_IMPORT_CELL_CHARS")
    rows = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            if number > max_rows:
                raise UnreadableFile(_("表格超过上限 %(limit)d 行。") % {"limit": max_rows})
            values = tuple((cell if cell.strip() else None) for cell in row[:max_columns])
            if any(v is not None and len(v) > max_chars for v in values):
                raise UnreadableFile(
                    _("第%(row)d行有单元格超过 %(limit)d 字，已拒绝读取。") % {"row": number, "limit": max_chars}
                )
            if any(v is not None for v in values):
                rows.append((number, values))
    except csv.Error:
        raise UnreadableFile(_("CSV 文件格式有误，无法读取。")) from None
    if not rows:
        raise UnreadableFile(_("文件是空的。"))
    return Sheet("CSV", rows)

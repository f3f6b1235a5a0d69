"""Turning an uploaded file into numbered rows of raw cell values, and finding the header among them.

Everything a user can upload ends here either as Sheets or as UnreadableFile with a sentence an
administrator can act on; nothing else may escape, because an import page must never answer with a 500.
"""

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, replace

from django.conf import settings
from django.utils.translation import gettext as _

from imports.errors import UnreadableFile

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# An encrypted .xlsx is an OLE2 container holding this stream (name stored in UTF-16-LE).
ENCRYPTED_MARKER = "EncryptedPackage".encode("utf-16-le")
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
# A zip member larger than this is judged by its compression ratio (small parts compress arbitrarily well).
LARGE_MEMBER_BYTES = 1024 * 1024

DEFAULT_LIMITS = {
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


@dataclass(frozen=True)
class Limits:
    """What an upload may hold; `Limits.from_settings()` reads the project's, an importer may tighten them."""

    bytes: int
    unzipped_bytes: int
    zip_ratio: int
    zip_members: int
    rows: int
    columns: int
    cell_chars: int

    @classmethod
    def from_settings(cls, **overrides):
        def value(name):
            return getattr(settings, name, DEFAULT_LIMITS[name])

        limits = cls(
            bytes=value("TIEJU_MAX_IMPORT_BYTES"),
            unzipped_bytes=value("TIEJU_MAX_IMPORT_UNZIPPED_BYTES"),
            zip_ratio=value("TIEJU_MAX_IMPORT_ZIP_RATIO"),
            zip_members=value("TIEJU_MAX_IMPORT_ZIP_MEMBERS"),
            rows=value("TIEJU_MAX_IMPORT_ROWS"),
            columns=value("TIEJU_MAX_IMPORT_COLUMNS"),
            cell_chars=value("TIEJU_MAX_IMPORT_CELL_CHARS"),
        )
        return replace(limits, **overrides)


@dataclass(frozen=True)
class Formula:
    """A cell holding a formula; the importers report it where a value belongs."""

    text: str

    def __str__(self):
        return self.text


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list  # [(row number, tuple of values)], rows without any value left out


def read_table(data, filename, *, limits=None):
    """The active sheet of an .xlsx, or the table of a CSV file."""
    return read_sheets(data, filename, limits=limits, all_sheets=False)[0]


def read_sheets(data, filename, *, limits=None, all_sheets=True):
    """[Sheet] of an .xlsx (every worksheet, or the active one), or the one table of a CSV; UnreadableFile
    otherwise. .xls and .ods are refused with the advice to save as .xlsx: no library the project keeps
    reads them."""
    limits = limits or Limits.from_settings()
    lowered = (filename or "").lower()
    if len(data) > limits.bytes:
        raise UnreadableFile(
            _("文件过大（%(size).1f MB），上限为 %(limit).0f MB。")
            % {"size": len(data) / 1024 / 1024, "limit": limits.bytes / 1024 / 1024}
        )
    if not data.strip():
        raise UnreadableFile(_("文件是空的。"))
    if data[:8] == OLE2_MAGIC:
        if ENCRYPTED_MARKER in data:
            raise UnreadableFile(_("文件已加密（设置了打开密码）：请在 Excel 中取消密码后另存为 .xlsx 再导入。"))
        raise UnreadableFile(_("这是旧版 Excel（.xls）文件：请在 Excel 中“另存为” .xlsx 格式后再导入。"))
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, limits, all_sheets)
    if lowered.endswith((".csv", ".txt")):
        return [_read_csv(data, limits)]
    if lowered.endswith(".xls"):
        raise UnreadableFile(_("这是旧版 Excel（.xls）文件：请在 Excel 中“另存为” .xlsx 格式后再导入。"))
    raise UnreadableFile(_("无法识别的文件格式：请上传 Excel（.xlsx）或 CSV 文件。"))


def check_zip(data, limits):
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
        if len(members) > limits.zip_members:
            raise UnreadableFile(_("文件结构异常（包含的部件过多），已拒绝读取。"))
        if any(m.flag_bits & 0x1 for m in members):
            raise UnreadableFile(_("文件已加密：请在 Excel 中取消密码后另存为 .xlsx 再导入。"))
        total = sum(m.file_size for m in members)
        bomb = total > limits.unzipped_bytes or any(
            m.file_size > LARGE_MEMBER_BYTES and m.file_size > limits.zip_ratio * max(m.compress_size, 1)
            for m in members
        )
        if bomb:
            raise UnreadableFile(
                _("文件解压后过大（声明 %(size)d MB），疑似压缩炸弹，已拒绝读取。") % {"size": total // (1024 * 1024)}
            )
        if "xl/workbook.xml" not in names:
            if "mimetype" in names and archive.read("mimetype").startswith(ODS_MIMETYPE):
                raise UnreadableFile(
                    _("这是 OpenDocument（.ods）表格：请在 WPS 或 LibreOffice 中“另存为” .xlsx 格式后再导入。")
                )
            raise UnreadableFile(_("这不是 Excel 表格（.xlsx）：压缩包中没有工作簿。"))


def _read_xlsx(data, limits, all_sheets):
    check_zip(data, limits)
    from openpyxl import load_workbook

    damaged = _("文件已损坏或不是有效的 .xlsx 表格，请在 Excel 中重新保存后再试。")
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many types for malformed parts; all mean "cannot read"
        raise UnreadableFile(damaged) from None
    try:
        worksheets = [s for s in workbook.worksheets if hasattr(s, "iter_rows")]  # not chart sheets
        if not worksheets:
            raise UnreadableFile(_("工作簿中没有工作表。"))
        if all_sheets:
            return [Sheet(s.title, _sheet_rows(s, limits, allow_empty=True)) for s in worksheets]
        active = workbook.active
        sheet = active if active in worksheets else worksheets[0]
        return [Sheet(sheet.title, _sheet_rows(sheet, limits))]
    except UnreadableFile:
        raise
    except Exception:
        raise UnreadableFile(damaged) from None
    finally:
        workbook.close()


def _too_many_rows(limit):
    return UnreadableFile(_("表格超过上限 %(limit)d 行。") % {"limit": limit})


def _too_long(row, limit):
    return UnreadableFile(_("第%(row)d行有单元格超过 %(limit)d 字，已拒绝读取。") % {"row": row, "limit": limit})


def _sheet_rows(sheet, limits, allow_empty=False):
    """Numbered rows through openpyxl's public read-only iter_rows; cells keep their data type so a
    formula is told from text that merely starts with "=" (the export's quote-prefixed cells)."""
    declared_rows = sheet.max_row or 0
    if declared_rows > limits.rows:
        raise UnreadableFile(
            _("表格有 %(rows)d 行，超过上限 %(limit)d 行。") % {"rows": declared_rows, "limit": limits.rows}
        )
    rows = []
    for cells in sheet.iter_rows(max_col=limits.columns):
        values, number = [], None
        for cell in cells:
            value = cell.value
            if value is None:
                values.append(None)
                continue
            number = cell.row
            if cell.data_type == "f":
                value = Formula(str(value))
            elif isinstance(value, str) and len(value) > limits.cell_chars:
                raise _too_long(number, limits.cell_chars)
            values.append(value)
        if number is None:
            continue
        if number > limits.rows:
            raise _too_many_rows(limits.rows)
        while values and values[-1] is None:
            values.pop()
        rows.append((number, tuple(values)))
    if not rows and not allow_empty:
        raise UnreadableFile(_("工作表“%(name)s”是空的。") % {"name": sheet.title})
    return rows


def _decode(data):
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    # GB18030 is a superset of GBK and GB2312, which Chinese Excel uses for "CSV" by default.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("CSV 文件的编码无法识别：请使用 UTF-8 或 GBK。"))


def _read_csv(data, limits):
    text = _decode(data)
    if "\x00" in text:
        raise UnreadableFile(_("无法识别的文件格式：请上传 Excel（.xlsx）或 CSV 文件。"))
    # Excel's "Unicode text" export separates with tabs; everything else with commas.
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if first_line.count("\t") > first_line.count(",") else ","
    # The csv module refuses fields over its own limit (128 KiB) with a bare csv.Error; let every field
    # through (the whole file is within limits.bytes) so an over-long cell gets the cell-length message.
    # The limit is process-wide and only ever raised here, so concurrent reads are unaffected.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    rows = []
    try:
        for number, row in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
            if number > limits.rows:
                raise _too_many_rows(limits.rows)
            values = tuple((cell if cell.strip() else None) for cell in row[: limits.columns])
            if any(v is not None and len(v) > limits.cell_chars for v in values):
                raise _too_long(number, limits.cell_chars)
            if any(v is not None for v in values):
                rows.append((number, values))
    except csv.Error:
        raise UnreadableFile(_("CSV 文件格式有误，无法读取。")) from None
    if not rows:
        raise UnreadableFile(_("文件是空的。"))
    return Sheet("CSV", rows)


_SPACES = re.compile(r"\s+")
_REMARK = re.compile(r"\(.*\)$")


def header_text(value):
    """A header cell as compared with the synonyms: NFKC (full width → half), no whitespace."""
    if value is None or isinstance(value, Formula):
        return ""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(value)))


@dataclass(frozen=True)
class Header:
    """Where a table's header is: the index in the rows of its first data row, and
    {column key: (column index, header as the file writes it)}."""

    data_start: int
    columns: dict

    @property
    def row(self):
        """The index in the rows of the header's last row."""
        return self.data_start - 1


def _header_columns(values, lookup):
    columns = {}
    for column, value in enumerate(values):
        name = header_text(value)
        if not name:
            continue
        # Tolerate a trailing remark in brackets and a required-field star: 完成时限(必填)、责任部门*.
        key = lookup.get(name) or lookup.get(_REMARK.sub("", name).rstrip("*"))
        if key and key not in columns:
            columns[key] = (column, " ".join(str(value).split()))
    return columns


def find_header(rows, synonyms, *, accept, search_rows=30):
    """The Header of the first of the first `search_rows` rows whose cells, matched against
    {key: [spellings]}, satisfy accept(found keys); None when there is none.

    The header may span two rows where a merged group cell (责任分工) stands over
    责任部门/配合部门/主管领导: a row directly below whose every cell is a header
    name supplies the columns the first lacks.
    """
    lookup = {header_text(s): key for key, spellings in synonyms.items() for s in spellings}
    for index, (number, values) in enumerate(rows[:search_rows]):
        columns = _header_columns(values, lookup)
        if not columns:
            continue
        start = index + 1
        if start < len(rows) and rows[start][0] == number + 1:
            below_values = [v for v in rows[start][1] if header_text(v)]
            below = _header_columns(rows[start][1], lookup)
            taken = {c for c, _h in columns.values()}
            extra = {k: v for k, v in below.items() if k not in columns and v[0] not in taken}
            if extra and len(below) == len(below_values):
                columns.update(extra)
                start += 1
        if accept(set(columns)):
            return Header(start, columns)
    return None

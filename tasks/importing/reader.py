"""Turning an uploaded file into numbered rows of raw cell values."""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _


class UnreadableFile(Exception):
    """The file cannot be read as a table at all (exit code 2 for the command)."""


@dataclass(frozen=True)
class Sheet:
    name: str
    rows: list  # [(row_number, tuple_of_values)]


def read_table(data, filename):
    """The first sheet of an .xlsx or a CSV file, as numbered rows; UnreadableFile otherwise."""
    lowered = (filename or "").lower()
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableFile(_("这是旧版 Excel（.xls）文件或已加密的文件，请在 Excel 中另存为 .xlsx 后再导入。"))
    if data[:2] == b"PK":
        return _read_xlsx(data)
    if lowered.endswith((".csv", ".txt")):
        return _read_csv(data)
    raise UnreadableFile(_("无法识别的文件格式：请上传 .xlsx 或 .csv 文件。"))


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile(_("文件不是有效的 .xlsx 表格：%(error)s") % {"error": exc}) from None
    try:
        sheet = workbook.worksheets[0]
        rows = [(number, tuple(values)) for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
        return Sheet(sheet.title, rows)
    finally:
        workbook.close()


def _read_csv(data):
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableFile(_("CSV 文件的编码无法识别：请使用 UTF-8 或 GBK。"))
    reader = csv.reader(io.StringIO(text))
    return Sheet("CSV", [(number, tuple(row)) for number, row in enumerate(reader, start=1)])

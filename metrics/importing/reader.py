"""Turning an uploaded workbook or CSV into numbered rows per sheet, within limits."""

import csv
import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

MAX_ROWS = 100_000
MAX_COLUMNS = 30
MAX_UNCOMPRESSED = 200 * 1024 * 1024


class UnreadableFile(Exception):
    """The file cannot be read as a table at all (exit code 2 for the command)."""


def read_sheets(data, filename):
    """[(sheet name, [(row number, values)])] for every sheet of an .xlsx, or the one table of a CSV."""
    if len(data) > settings.TIEJU_MAX_IMPORT_BYTES:
        raise UnreadableFile(
            _("文件超过%(mb)d MB，请拆分后再导入。") % {"mb": settings.TIEJU_MAX_IMPORT_BYTES // 1048576}
        )
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableFile(_("这是旧版 Excel（.xls）文件或已加密的文件，请在 Excel 中另存为 .xlsx 后再导入。"))
    if data[:2] == b"PK":
        return _read_xlsx(data)
    if (filename or "").lower().endswith((".csv", ".txt")):
        return [("CSV", _read_csv(data))]
    raise UnreadableFile(_("无法识别的文件格式：请上传 .xlsx 或 .csv 文件。"))


def _read_xlsx(data):
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
                raise UnreadableFile(_("文件解压后过大，疑似异常文件，已拒绝。"))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except UnreadableFile:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnreadableFile(_("文件不是有效的 .xlsx 表格：%(error)s") % {"error": exc}) from None
    try:
        sheets = []
        for sheet in workbook.worksheets:
            rows = []
            for number, values in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
                if number > MAX_ROWS:
                    raise UnreadableFile(
                        _("工作表“%(sheet)s”超过%(rows)d行。") % {"sheet": sheet.title, "rows": MAX_ROWS}
                    )
                rows.append((number, tuple(values)))
            sheets.append((sheet.title, rows))
        return sheets
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
    rows = list(enumerate(csv.reader(io.StringIO(text)), start=1))
    if len(rows) > MAX_ROWS:
        raise UnreadableFile(_("文件超过%(rows)d行。") % {"rows": MAX_ROWS})
    return [(number, tuple(row)) for number, row in rows]

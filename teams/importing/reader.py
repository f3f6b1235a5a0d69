"""Reading an uploaded roster file into numbered rows, refusing what is not a sane .xlsx."""

import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 30
# Uncompressed size of all parts; a roster of MAX_ROWS rows is far below this.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


class UnreadableFile(Exception):
    """The upload cannot be read as a roster at all."""


@dataclass(frozen=True)
class RowError:
    """Same shape as the task-table import's errors: spreadsheet row, column header as written, message."""

    row: int
    column: str
    message: str

    def __str__(self):
        if not self.row:
            return _("「%(column)s」：%(message)s") % {"column": self.column, "message": self.message}
        return _("第%(row)d行「%(column)s」：%(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


def read_rows(data):
    """[(row number, tuple of values)] from the first sheet of an .xlsx; UnreadableFile otherwise."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile(_("文件超过 %(mb)d MB，名单文件不应这么大。") % {"mb": MAX_BYTES // (1024 * 1024)})
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise UnreadableFile(_("这是旧版 Excel（.xls）文件或已加密的文件，请在 Excel 中另存为 .xlsx 后再导入。"))
    if data[:2] != b"PK":
        raise UnreadableFile(_("无法识别的文件格式：请上传 .xlsx 文件。"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise UnreadableFile(_("文件已损坏，不是有效的 .xlsx 表格。")) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(_("文件解压后过大，无法作为名单读取。"))

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for damaged files; none may become a 500
        raise UnreadableFile(_("文件不是有效的 .xlsx 表格。")) from None
    try:
        if not workbook.worksheets:
            raise UnreadableFile(_("文件中没有工作表。"))
        rows = []
        for number, values in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            if number > MAX_ROWS:
                raise UnreadableFile(_("名单超过 %(rows)d 行，请拆分后导入。") % {"rows": MAX_ROWS})
            rows.append((number, tuple(values[:MAX_COLUMNS])))
        return rows
    finally:
        workbook.close()

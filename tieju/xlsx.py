"""Writing .xlsx downloads with XlsxWriter.

XlsxWriter writes a workbook straight to its XML parts, formats shared by reference, merged ranges
checked against a per-cell index. openpyxl builds a styled object per cell and checks each merge
against every earlier one, so the task table's export of 10,240 rows took 22–27 s there (half of it
in `merge_cells`) and is a fraction of a second here (`make bench`: export_10k_vs_openpyxl_write).
The files are read back with openpyxl in the tests.
"""

import io
from datetime import date, time
from decimal import Decimal

import xlsxwriter
from django.utils.functional import Promise

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel treats cell text beginning with these as a formula when it is typed or imported.
FORMULA_LEADS = ("=", "+", "-", "@")


class XlsxFile:
    """One workbook in memory. `write()` picks the cell type from the value; text that starts like a
    formula is stored as a string with Excel's quote prefix, so it stays text even when edited."""

    def __init__(self):
        self._buffer = io.BytesIO()
        self.workbook = xlsxwriter.Workbook(
            self._buffer,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
                "remove_timezone": True,
            },
        )
        self._formats = {}

    def format(self, **properties):
        """A shared format for these properties (XlsxWriter's property names: bold, text_wrap, border…)."""
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(properties)
        return self._formats[key]

    def _cell_format(self, value, properties):
        """The shared format of `properties`, quote-prefixed when the text starts like a formula."""
        if isinstance(value, str) and value.startswith(FORMULA_LEADS):
            properties = dict(properties, quote_prefix=True)
        return self.format(**properties) if properties else None

    def write(self, sheet, row, column, value, **properties):
        """Writes `value` at the zero-based (row, column) with a format of `properties`."""
        if isinstance(value, Promise):
            value = str(value)  # a translated label
        cell_format = self._cell_format(value, properties)
        if value is None or value == "":
            sheet.write_blank(row, column, None, cell_format)
        elif isinstance(value, bool):
            sheet.write_boolean(row, column, value, cell_format)
        elif isinstance(value, (int, float, Decimal)):
            sheet.write_number(row, column, value, cell_format)
        elif isinstance(value, (date, time)):
            sheet.write_datetime(row, column, value, cell_format)
        else:
            sheet.write_string(row, column, str(value), cell_format)

    def merge(self, sheet, first_row, column, last_row, value, **properties):
        """`value` over rows first_row..last_row of one column (a single cell when they are equal)."""
        if last_row > first_row:
            sheet.merge_range(first_row, column, last_row, column, value, self._cell_format(value, properties))
        else:
            self.write(sheet, first_row, column, value, **properties)

    def to_bytes(self):
        self.workbook.close()
        return self._buffer.getvalue()

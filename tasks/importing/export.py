"""Writing the current table back in the office's layout, so an export imports as "no changes"."""

import io
from itertools import groupby

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from tasks.models import Requirement

_DIGITS = "零一二三四五六七八九"
# Excel treats cell text beginning with these as a formula when it is typed or imported.
FORMULA_LEADS = ("=", "+", "-", "@")
_WIDTHS = [6, 14, 22, 48, 14, 14, 18, 22, 12, 10, 10]
_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(wrap_text=True, vertical="center", horizontal="center")


def chinese_numeral(number):
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (pillars are numbered this way: 一、锻造铁的政治素养)."""
    if number < 10:
        return _DIGITS[number]
    tens, units = divmod(number, 10)
    if number >= 100:
        return str(number)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")


def protect_formula_text(cell):
    """Text that starts like a formula is stored as a plain string, marked so Excel keeps it
    text even when the cell is edited (openpyxl would otherwise write it as a live formula)."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_LEADS):
        cell.data_type = "s"
        cell.quotePrefix = True


def _put(sheet, row, column, value, alignment=_WRAP):
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    protect_formula_text(cell)
    cell.alignment = alignment
    cell.border = _BORDER
    return cell


def export_breakdown(breakdown, *, with_status=False):
    """The breakdown's active requirements as .xlsx bytes in the office layout.

    Always in Chinese, whatever the interface language: it is the office's own
    document, and the importer reads its headers back.
    """
    with translation.override("zh-hans"):
        return _office_workbook(breakdown, with_status=with_status)


def _office_workbook(breakdown, *, with_status):
    headers = [_("序号"), _("工程"), _("主要任务"), _("具体要求"), _("完成时限"), _("主管领导"), _("责任部门"), _("配合部门"), _("备注")]
    if with_status:
        headers += [_("状态"), _("进度（%）")]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("任务分解表")
    sheet.cell(row=1, column=1, value=_("附件1"))
    title = sheet.cell(row=2, column=1, value=breakdown.title if breakdown else _("任务分解表"))
    title.font = Font(bold=True, size=16)
    title.alignment = _CENTER
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    sheet.row_dimensions[2].height = 32
    for column, header in enumerate(headers, start=1):
        cell = _put(sheet, 3, column, header, _CENTER)
        cell.font = Font(bold=True)
    for column, width in enumerate(_WIDTHS[: len(headers)], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width

    requirements = []
    if breakdown is not None:
        requirements = list(
            Requirement.objects.active()
            .filter(breakdown=breakdown)
            .select_related("task__pillar")
            .prefetch_related("lead_officials", "assignments__department", "assignments__collective")
            .order_by("task__pillar__number", "task__number", "number")
        )
    row = 4
    for pillar, in_pillar in groupby(requirements, key=lambda r: r.task.pillar):
        pillar_start = row
        for task, in_task in groupby(in_pillar, key=lambda r: r.task):
            task_start = row
            for requirement in in_task:
                values = [
                    requirement.number, None, None, requirement.text, requirement.deadline_text,
                    "、".join(o.name for o in requirement.lead_officials.all()),
                    "、".join(requirement.responsible_names), "、".join(requirement.cooperating_names),
                    requirement.note,
                ]
                if with_status:
                    values += [requirement.get_status_display(), requirement.progress]
                for column, value in enumerate(values, start=1):
                    _put(sheet, row, column, value, _CENTER if column in (1, 5, 10, 11) else _WRAP)
                row += 1
            _put(sheet, task_start, 3, f"{task.number}.{task.title}")
            if row - 1 > task_start:
                sheet.merge_cells(start_row=task_start, start_column=3, end_row=row - 1, end_column=3)
        _put(sheet, pillar_start, 2, f"{chinese_numeral(pillar.number)}、{pillar.name}", _CENTER)
        if row - 1 > pillar_start:
            sheet.merge_cells(start_row=pillar_start, start_column=2, end_row=row - 1, end_column=2)

    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "3:3"
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

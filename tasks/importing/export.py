"""Writing the current table back in the office's layout, so an export imports as "no changes"."""

from itertools import groupby

from django.utils import translation
from django.utils.translation import gettext as _

from tasks.models import Requirement, Status, add_names
from tieju.xlsx import XlsxFile

_DIGITS = "零一二三四五六七八九"
_WIDTHS = [6, 14, 22, 48, 14, 14, 18, 22, 12, 24, 10, 10]
_WRAP = {"text_wrap": True, "valign": "vcenter", "border": 1}
_CENTER = dict(_WRAP, align="center")

LABEL_ROW, TITLE_ROW, HEADER_ROW = 0, 1, 2
FIRST_DATA_ROW = HEADER_ROW + 1


def chinese_numeral(number):
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十 (pillars are numbered this way: 一、锻造铁的政治素养)."""
    if number < 10:
        return _DIGITS[number]
    tens, units = divmod(number, 10)
    if number >= 100:
        return str(number)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[units] if units else "")


def export_breakdown(breakdown, *, with_status=False):
    """The breakdown's active requirements as .xlsx bytes in the office layout.

    Always in Chinese, whatever the interface language: it is the office's own
    document, and the importer reads its headers back.
    """
    with translation.override("zh-hans"):
        return _office_workbook(breakdown, with_status=with_status)


def _office_workbook(breakdown, *, with_status):
    headers = [
        _("序号"),
        _("工程"),
        _("主要任务"),
        _("具体要求"),
        _("完成时限"),
        _("主管领导"),
        _("责任部门"),
        _("配合部门"),
        _("备注"),
        _("完成标志"),
    ]
    if with_status:
        headers += [_("状态"), _("进度（%）")]
    xlsx = XlsxFile()
    # The office layout, 0-based rows: a label, the title, the header, then the requirements.
    sheet = xlsx.workbook.add_worksheet(_("任务分解表"))
    xlsx.write(sheet, LABEL_ROW, 0, _("附件1"))
    sheet.merge_range(
        TITLE_ROW,
        0,
        TITLE_ROW,
        len(headers) - 1,
        breakdown.title if breakdown else _("任务分解表"),
        xlsx.format(bold=True, font_size=16, text_wrap=True, valign="vcenter", align="center"),
    )
    sheet.set_row(TITLE_ROW, 32)
    for column, header in enumerate(headers):
        xlsx.write(sheet, HEADER_ROW, column, header, bold=True, **_CENTER)
    for column, width in enumerate(_WIDTHS[: len(headers)]):
        sheet.set_column(column, column, width)

    records = []
    if breakdown is not None:
        requirements = Requirement.objects.active().from_table().filter(breakdown=breakdown)
        records = list(
            requirements.order_by("task__pillar__number", "task__number", "number").values(
                "pk",
                "number",
                "text",
                "deadline_text",
                "note",
                "completion_criteria",
                "status",
                "progress",
                "task__pillar__number",
                "task__pillar__name",
                "task__number",
                "task__title",
            )
        )
        add_names(records, among=requirements)
    centred = {0, 4, 10, 11}
    row = FIRST_DATA_ROW
    for (pillar_number, pillar_name), in_pillar in groupby(
        records, key=lambda r: (r["task__pillar__number"], r["task__pillar__name"])
    ):
        pillar_start = row
        for (task_number, task_title), in_task in groupby(
            in_pillar, key=lambda r: (r["task__number"], r["task__title"])
        ):
            task_start = row
            for r in in_task:
                values = [
                    r["number"],
                    None,
                    None,
                    r["text"],
                    r["deadline_text"],
                    "、".join(r["officials"]),
                    "、".join(r["responsible"]),
                    "、".join(r["cooperating"]),
                    r["note"],
                    r["completion_criteria"],
                ]
                if with_status:
                    values += [Status(r["status"]).label, r["progress"]]
                for column, value in enumerate(values):
                    if column not in (1, 2):  # the pillar and task cells are merged below
                        xlsx.write(sheet, row, column, value, **(_CENTER if column in centred else _WRAP))
                row += 1
            xlsx.merge(sheet, task_start, 2, row - 1, f"{task_number}.{task_title}", **_WRAP)
        xlsx.merge(sheet, pillar_start, 1, row - 1, f"{chinese_numeral(pillar_number)}、{pillar_name}", **_CENTER)

    sheet.freeze_panes(FIRST_DATA_ROW, 0)
    sheet.repeat_rows(HEADER_ROW)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.center_horizontally()
    return xlsx.to_bytes()

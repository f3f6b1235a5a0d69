"""Workbooks: the long format of all monthly values (importable again), and the bulletin's tables."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from metrics.models import Indicator, MonthlyValue


def _safe(value):
    """Text that Excel would run as a formula is written as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def _save(workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _number(text):
    if text is None:
        return None
    return float(text) if "." in text else int(text)


def values_workbook():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "月度数据"
    sheet.append(["期间", "区域", "指标代码", "数值", "分子", "分母", "说明"])
    for v in MonthlyValue.objects.select_related("indicator", "area").order_by(
        "month", "indicator__sort_order", "area__sort_order"
    ):
        sheet.append(
            [
                f"{v.month:%Y-%m}",
                v.area.name,
                v.indicator.code,
                *(
                    float(n) if n is not None and n != n.to_integral_value() else (int(n) if n is not None else None)
                    for n in (v.value, v.numerator, v.denominator)
                ),
                _safe(v.note) or None,
            ]
        )
    definitions = workbook.create_sheet("指标说明")
    definitions.append(
        ["指标代码", "指标名称", "单位", "改善方向", "汇总方式", "小数位数", "目标值", "目标年度", "说明", "报送部门"]
    )
    for i in Indicator.objects.select_related("owner"):
        definitions.append(
            [
                i.code,
                _safe(i.name),
                i.unit,
                i.direction,
                i.combination,
                i.decimals,
                float(i.target) if i.target is not None else None,
                i.target_year,
                _safe(i.description),
                i.owner.name if i.owner else None,
            ]
        )
    sheet.freeze_panes = "A2"
    return _save(workbook)


def bulletin_workbook(data):
    """The bulletin's tables, one sheet each, as printed on the page."""
    workbook = Workbook()
    bold = Font(bold=True)

    def table(sheet, title, header, rows):
        sheet.append([title])
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = bold
        for row in rows:
            sheet.append([_safe(v) for v in row])
        sheet.freeze_panes = "A3"
        for column in sheet.columns:
            for cell in column:
                cell.alignment = Alignment(wrap_text=True, vertical="top")

    categories = data["progress"]["categories"]
    progress = workbook.active
    progress.title = _("任务进展")
    rows = [
        [
            p["name"],
            p["tasks"],
            p["tasks_completed"],
            p["requirements"],
            *[p[c["code"]] for c in categories],
            p["completion_rate"],
        ]
        for p in data["progress"]["pillars"]
    ]
    o = data["progress"]["overall"]
    rows.append(
        [
            _("合计"),
            o["tasks"],
            o["tasks_completed"],
            o["requirements"],
            *[o[c["code"]] for c in categories],
            o["completion_rate"],
        ]
    )
    rows.append(
        [_("较上月末变化"), "", o["change"]["tasks_completed"], "", *[o["change"][c["code"]] for c in categories], ""]
    )
    table(
        progress,
        data["title"],
        [
            _("四铁工程"),
            _("主要任务"),
            _("已完成任务"),
            _("具体要求"),
            *[c["label"] for c in categories],
            _("完成率（%）"),
        ],
        rows,
    )

    scores = workbook.create_sheet(_("部门排名"))
    if "rules" in data["scorecard"]:
        table(
            scores,
            data["scorecard"]["formula"],
            [_("名次"), _("责任部门"), _("牵头事项"), _("计分事项"), _("综合得分")],
            [
                [
                    r["rank"] if r.get("rank") is not None else _("本月无到期事项"),
                    r["department"],
                    r["responsible"],
                    _("；").join(e["text"] for e in r["events"]),
                    _number(r["score"]),
                ]
                for r in data["scorecard"]["rows"]
            ],
        )
    else:  # a bulletin published with the fixed-weight scorecard
        table(
            scores,
            data["scorecard"]["formula"],
            [
                _("名次"),
                _("责任部门"),
                _("牵头事项"),
                _("应完成"),
                _("按期完成"),
                _("按期完成率（%）"),
                _("逾期"),
                _("应反馈"),
                _("按时反馈"),
                _("按时反馈率（%）"),
                _("综合得分"),
            ],
            [
                [
                    r["rank"] if r.get("rank") is not None else _("本月无到期事项"),
                    r["department"],
                    r["responsible"],
                    r["due"],
                    r["on_time"],
                    r["on_time_rate"],
                    r["overdue"],
                    r["reports_due"],
                    r["reports_on_time"],
                    r["report_rate"],
                    _number(r["score"]),
                ]
                for r in data["scorecard"]["rows"]
            ],
        )

    risk = workbook.create_sheet(_("逾期及风险事项"))
    table(
        risk,
        _("逾期及风险事项"),
        [
            _("序号"),
            _("具体要求"),
            _("亮灯"),
            _("责任部门"),
            _("主管领导"),
            _("完成时限"),
            _("逾期天数"),
            _("最近反馈"),
        ],
        [
            [
                r["number"],
                r["text"],
                "、".join([r["light_label"], *r.get("red_notices", [])]),
                "、".join(r["departments"]),
                "、".join(r["officials"]),
                r["deadline_text"],
                r["days_overdue"],
                f"{r['last_report_on'] or ''} {r['last_report']}".strip(),
            ]
            for r in data["at_risk"]
        ],
    )

    indicators = workbook.create_sheet(_("环境指标"))
    table(
        indicators,
        data["period"],
        [
            _("指标"),
            _("区域"),
            _("单位"),
            _("当月"),
            _("累计"),
            _("上年同期"),
            _("同比"),
            _("目标"),
            _("是否达标"),
            _("目标完成情况"),
        ],
        [
            [
                r["name"],
                r["area"],
                r["unit"],
                _number(r["month"]),
                _number(r["ytd"]),
                _number(r["last_ytd"]),
                r["change"]["text"],
                _number(r["target"]["value"]),
                {True: _("达标"), False: _("未达标"), None: ""}[r["target"]["met"]],
                r["target"].get("text", ""),
            ]
            for r in data["indicators"]
        ],
    )

    if data.get("rankings"):
        ranked = workbook.create_sheet(_("各区排名"))
        table(
            ranked,
            data["period"],
            [_("指标"), _("名次"), _("区域"), _("累计"), _("改善最大")],
            [
                [
                    ranking["name"],
                    r["rank_text"],
                    r["area"],
                    _number(r["value"]),
                    _("改善最大") if r["area"] in ranking["most_improved"] else "",
                ]
                for ranking in data["rankings"]
                for r in ranking["rows"]
            ],
        )

    text = workbook.create_sheet(_("通报正文"))
    text.append([data["title"]])
    for paragraph in data["narrative"]:
        text.append([_safe(paragraph)])
    text.column_dimensions["A"].width = 120
    return _save(workbook)


TEMPLATE_HEADER = ["期间", "区域", "指标代码", "指标名称", "数值", "分子", "分母", "说明"]


def template_workbook(*, cells, month):
    """The import template: the long format's headers and one row per cell the user reports for the month
    (cells: [(indicator, area)]), numbers left to fill in. 指标名称 is for the reader; the import ignores it."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "月度数据"
    sheet.append(TEMPLATE_HEADER)
    for indicator, area in cells:
        sheet.append([f"{month:%Y-%m}", area.name, indicator.code, _safe(indicator.name)])
    guide = workbook.create_sheet("填写说明")
    for line in (
        ["比例指标填写分子和分母；PM2.5等浓度指标填写“数值”（月均值）和“分母”（有效监测天数）；其他指标填写“数值”。"],
        ["留空的行不导入；“说明”列填写异常值说明（超出常见范围或与往年同月相差较大时，提交前必须填写）。"],
        ["只能导入本部门报送的指标；“指标名称”列仅供阅读。"],
    ):
        guide.append(line)
    sheet.freeze_panes = "A2"
    return _save(workbook)

"""The bulletin's Chinese narrative, generated from its figures in the register bulletins use.

Every phrase is a gettext template with a Chinese source string, so an English
catalogue can follow; the figures themselves come from metrics.bulletin.
"""

from django.utils.translation import gettext as _

from metrics.progress import Category


def _magnitude(text):
    return text.lstrip("-")


def change_text(kind, unit, change, decimals, *, direction):
    """同比上升1.7个百分点 / 同比下降4.6微克/立方米 / 同比减少12.3% / 同比持平; '' without a comparison."""
    if change.absolute is None:
        return ""
    if change.absolute == 0:
        return _("同比持平")
    amount = _magnitude(f"{change.absolute:f}")
    rising = change.absolute > 0
    if kind == "ratio":
        template = _("同比上升%(amount)s个百分点") if rising else _("同比下降%(amount)s个百分点")
        return template % {"amount": amount}
    if kind == "entered":
        # A rank falls in number as it improves: 5th → 3rd is 前进2位.
        better = (not rising) if direction == "lower" else rising
        template = _("同比前进%(amount)s位") if better else _("同比后退%(amount)s位")
        return template % {"amount": amount}
    if kind == "mean_days":
        template = _("同比上升%(amount)s%(unit)s") if rising else _("同比下降%(amount)s%(unit)s")
        return template % {"amount": amount, "unit": unit}
    if change.relative is not None:
        template = _("同比增加%(amount)s%%") if rising else _("同比减少%(amount)s%%")
        return template % {"amount": _magnitude(f"{change.relative:f}")}
    template = _("同比增加%(amount)s%(unit)s") if rising else _("同比减少%(amount)s%(unit)s")
    return template % {"amount": amount, "unit": unit}


def change_detail(kind, unit, change, decimals):
    """The measure the sentence does not give, for the table: the relative change beside an absolute one,
    or the absolute change beside a relative one ("" for ratios, ranks and no change)."""
    if change.absolute is None or change.absolute == 0 or kind in ("ratio", "entered"):
        return ""
    sign = "+" if change.absolute > 0 else "−"
    if kind == "mean_days" or change.relative is None:
        if change.relative is None:
            return ""
        return _("%(sign)s%(amount)s%%") % {"sign": sign, "amount": _magnitude(f"{change.relative:f}")}
    return _("%(sign)s%(amount)s%(unit)s") % {"sign": sign, "amount": _magnitude(f"{change.absolute:f}"), "unit": unit}


def basis_text(kind, unit, change, before, *, direction):
    """比去年同期（25.7微克/立方米）下降4.6微克/立方米 — the comparison with the figure it is made against,
    as the bureau's report states it; 同比持平 when unchanged; '' without a comparison."""
    if change.absolute is None:
        return ""
    if change.absolute == 0:
        return _("同比持平")
    amount = _magnitude(f"{change.absolute:f}")
    rising = change.absolute > 0
    values = {"before": before, "unit": unit, "amount": amount}
    if kind == "ratio":
        template = (
            _("比去年同期（%(before)s%%）上升%(amount)s个百分点")
            if rising
            else _("比去年同期（%(before)s%%）下降%(amount)s个百分点")
        )
    elif kind == "entered":
        better = (not rising) if direction == "lower" else rising
        template = (
            _("比去年同期（第%(before)s%(unit)s）前进%(amount)s位")
            if better
            else _("比去年同期（第%(before)s%(unit)s）后退%(amount)s位")
        )
    elif kind == "mean_days":
        template = (
            _("比去年同期（%(before)s%(unit)s）上升%(amount)s%(unit)s")
            if rising
            else _("比去年同期（%(before)s%(unit)s）下降%(amount)s%(unit)s")
        )
    elif change.relative is not None:
        values["relative"] = _magnitude(f"{change.relative:f}")
        template = (
            _("比去年同期（%(before)s%(unit)s）增加%(amount)s%(unit)s，增长%(relative)s%%")
            if rising
            else _("比去年同期（%(before)s%(unit)s）减少%(amount)s%(unit)s，下降%(relative)s%%")
        )
    else:
        template = (
            _("比去年同期（%(before)s%(unit)s）增加%(amount)s%(unit)s")
            if rising
            else _("比去年同期（%(before)s%(unit)s）减少%(amount)s%(unit)s")
        )
    return template % values


def indicator_sentence(row, *, with_area=True):
    """One indicator's clause of the narrative, from a presented row (metrics.present)."""
    from metrics.present import change_of

    area = row["area"] if with_area and not (row["kind"] == "entered" and row["is_city"]) else ""
    if row["ytd"] is None:
        return _("%(area)s%(name)s数据暂缺") % {"area": area, "name": row["name"]}
    if row["kind"] == "entered":
        text = _("%(area)s%(name)s第%(value)s%(unit)s") % {
            "area": area,
            "name": row["name"],
            "value": row["ytd"],
            "unit": row["unit"],
        }
    else:
        text = _("%(area)s%(name)s为%(value)s%(unit)s") % {
            "area": area,
            "name": row["name"],
            "value": row["ytd"],
            "unit": row["unit"],
        }
    if row["kind"] == "stock" and row["target"]["progress"] is not None:
        text += _("，完成目标%(target)s%(unit)s的%(progress)s%%") % {
            "target": row["target"]["value"].split(".")[0] if row["decimals"] == 0 else row["target"]["value"],
            "unit": row["unit"],
            "progress": row["target"]["progress"],
        }
        target = row["target"]
        if target.get("remaining_kind") == "to_go" and target.get("pace") and float(target["remaining"]) > 0:
            text += _("，尚差%(remaining)s%(unit)s，剩余月份每月须完成%(pace)s%(unit)s") % {
                "remaining": target["remaining"],
                "pace": target["pace"],
                "unit": row["unit"],
            }
    else:
        basis = basis_text(row["kind"], row["unit"], change_of(row), row["last_ytd"], direction=row["direction"])
        if basis:
            text += _("，") + basis
    if row["basis_note"]:
        text += _("（%(note)s）") % {"note": row["basis_note"]}
    elif row.get("ytd_as_of"):
        text += _("（截至%(month)d月）") % {"month": row["ytd_as_of"]}
    if row["target"].get("text") and row["kind"] != "stock":
        text += _("，") + row["target"]["text"]
    return text


def _count_change(label, delta):
    if delta > 0:
        return _("%(label)s增加%(n)d项") % {"label": label, "n": delta}
    return _("%(label)s减少%(n)d项") % {"label": label, "n": -delta}


def progress_paragraph(data):
    overall = data["progress"]["overall"]
    if not overall["requirements"]:  # no table, or the month ended before the table took effect
        return _("截至%(month)d月底，任务分解表尚未施行，无任务推进情况。") % {"month": data["month_number"]}
    labels = {c["code"]: c["label"] for c in data["progress"]["categories"]}
    text = _(
        "截至%(month)d月底，%(tasks)d项主要任务、%(requirements)d项具体要求中，已完成%(completed)d项"
        "（完成率%(rate)s%%），按计划推进%(on_track)d项，临近时限或滞后%(due_soon)d项，逾期%(overdue)d项，"
        "已批准延期%(postponed)d项"
    ) % {
        "month": data["month_number"],
        "tasks": overall["tasks"],
        "requirements": overall["requirements"],
        "completed": overall["completed"],
        "rate": overall["completion_rate"] or "0.0",
        "on_track": overall["on_track"],
        "due_soon": overall["due_soon"],
        "overdue": overall["overdue"],
        "postponed": overall["postponed"],
    }
    changes = [
        _count_change(labels[code], overall["change"][code])
        for code in (Category.COMPLETED, Category.OVERDUE, Category.DUE_SOON, Category.POSTPONED)
        if overall["change"][code]
    ]
    if changes:
        text += _("；较上月末，") + _("，").join(changes) + _("。")
    else:
        text += _("；各项数量与上月末持平。")
    return text


def paragraphs(data):
    result = [progress_paragraph(data)]
    # The area is named once per run of sentences about it, as bulletins do (全市PM2.5…；空气质量…).
    groups = []
    for is_city in (True, False):
        sentences, previous = [], None
        for row in data["indicators"]:
            if row["is_city"] != is_city:
                continue
            sentences.append(indicator_sentence(row, with_area=row["area"] != previous))
            previous = row["area"] if row["kind"] != "entered" else previous
        groups.append(sentences)
    for sentences in groups:
        if sentences:
            result.append(data["period_label"] + _("，") + _("；").join(sentences) + _("。"))
    if data["risk"]["total"]:
        overdue = data["risk"]["red"]
        result.append(
            _("请逾期事项的责任部门和主管领导对照时限抓紧推进，%(overdue)d项逾期事项须于下月通报前反馈整改情况。")
            % {"overdue": overdue}
        )
    return result

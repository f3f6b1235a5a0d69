"""The bulletin as an official document: a .docx in the GB/T 9704-2012 layout (python-docx), and its PDF
made by LibreOffice headless from that .docx.

Both are generated from presented bulletin data (metrics.present) only, so a published version's
document has the same text, tables and layout every time (the bytes differ only by timestamps).

Layout (GB/T 9704-2012 《党政机关公文格式》, see README "The bulletin as a document"):
A4; margins 37 mm top, 35 mm bottom, 28 mm left, 26 mm right (type area 156 × 225 mm); 22 lines of
3号 (16 pt) text a page; the red issuing-organ mark in 小标宋, the issue line (第N期, the compiling office,
the date) above a red rule; the title in 2号 小标宋; the body in 3号 仿宋 indented two characters;
headings 一、 in 黑体 and （一） in 楷体; page numbers "— 1 —" in 4号 宋体, odd pages right and even pages
left; each 附件 on a new page, with a table whose header row repeats; the colophon (版记) last.
Fonts are named as East Asian fonts (w:eastAsia), so Word and WPS pick them.
"""

import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from tasks.choices import LightCode

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# The official font names (a .docx names them; a machine without them substitutes, see fonts.conf).
XIAOBIAOSONG = "方正小标宋简体"
FANGSONG = "仿宋_GB2312"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
LATIN = "Times New Roman"

# Chinese type sizes in points: 初号 42, 一号 26, 二号 22, 三号 16, 四号 14, 小四 12.
SIZE_2, SIZE_3, SIZE_4, SIZE_SMALL_4 = Pt(22), Pt(16), Pt(14), Pt(12)
RED = RGBColor(0xE6, 0x00, 0x12)
LINE = Pt(28.95)  # 225 mm of type area / 22 lines
CHINESE_NUMBERS = "一二三四五六七八九十"

FONTS_CONF = Path(__file__).with_name("fonts.conf")


class ConversionFailed(Exception):
    """LibreOffice is missing, failed or timed out converting the .docx to PDF."""


def file_name(data, extension):
    suffix = f"-{data['issue_number']:02d}" if data.get("issue_number") else "-draft"
    return f"bulletin-{data['month']}{suffix}.{extension}"


# --- python-docx helpers -------------------------------------------------------------------------


def _fonts(run, east_asian, size=SIZE_3, *, bold=False, color=None, latin=LATIN):
    run.font.name = latin
    run.font.size = size
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east_asian)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    hint = fonts.get(qn("w:hint"))
    if hint is None:
        fonts.set(qn("w:hint"), "eastAsia")
    return run


def _paragraph(
    doc_or_cell,
    text="",
    east_asian=FANGSONG,
    size=SIZE_3,
    *,
    align=None,
    indent=True,
    bold=False,
    color=None,
    space_before=0,
    line=LINE,
):
    paragraph = doc_or_cell.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.space_before, fmt.space_after = Pt(space_before), Pt(0)
    if line is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = line
    if indent:
        fmt.first_line_indent = Pt(size.pt * 2)
    if align is not None:
        paragraph.alignment = align
    if text:
        _fonts(paragraph.add_run(text), east_asian, size, bold=bold, color=color)
    return paragraph


def _border(paragraph, edge, *, color="E60012", size_eighths=8, space=1):
    """A rule along one edge of the paragraph (w:pBdr), as wide as the type area."""
    properties = paragraph._p.get_or_add_pPr()
    borders = properties.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        # The schema's order: w:pBdr comes before w:shd, w:tabs, w:spacing, w:ind, w:jc (Word and LibreOffice
        # ignore a border out of place).
        later = next((child for child in properties.iterchildren() if child.tag in _AFTER_BORDER), None)
        if later is not None:
            later.addprevious(borders)
        else:
            properties.append(borders)
    line = OxmlElement(f"w:{edge}")
    line.set(qn("w:val"), "single")
    line.set(qn("w:sz"), str(size_eighths))
    line.set(qn("w:space"), str(space))
    line.set(qn("w:color"), color)
    borders.append(line)


_AFTER_BORDER = {
    qn(f"w:{tag}")
    for tag in (
        "shd",
        "tabs",
        "suppressAutoHyphens",
        "kinsoku",
        "wordWrap",
        "overflowPunct",
        "topLinePunct",
        "autoSpaceDE",
        "autoSpaceDN",
        "bidi",
        "adjustRightInd",
        "snapToGrid",
        "spacing",
        "ind",
        "contextualSpacing",
        "mirrorIndents",
        "suppressOverlap",
        "jc",
        "textDirection",
        "textAlignment",
        "textboxTightWrap",
        "outlineLvl",
        "divId",
        "cnfStyle",
        "rPr",
        "sectPr",
        "pPrChange",
    )
}


def _field(paragraph, instruction, east_asian, size):
    """A Word field (PAGE) as begin/instruction/separate/result/end runs, so Word, WPS and LibreOffice update it."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", "1"), ("end", None)):
        run = _fonts(paragraph.add_run(), east_asian, size)
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._element.append(element)


def _page_number(footer, align):
    """— 1 — in 4号 半角 宋体, one character in from the outer edge."""
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    paragraph.alignment = align
    fmt = paragraph.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        fmt.right_indent = SIZE_4
    else:
        fmt.left_indent = SIZE_4
    _fonts(paragraph.add_run("— "), SONGTI, SIZE_4, latin=SONGTI)
    _field(paragraph, "PAGE", SONGTI, SIZE_4)
    _fonts(paragraph.add_run(" —"), SONGTI, SIZE_4, latin=SONGTI)


def _repeat_header(row):
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    split = OxmlElement("w:cantSplit")
    split.set(qn("w:val"), "true")
    properties.append(split)


def _table(doc, header, rows, widths):
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=False):
        column.width = Mm(width)
    _repeat_header(table.rows[0])
    for cell, text, width in zip(table.rows[0].cells, header, widths, strict=False):
        cell.width = Mm(width)
        _cell_text(cell, text, HEITI)
    for values in rows:
        cells = table.add_row().cells
        for cell, text, width in zip(cells, values, widths, strict=False):
            cell.width = Mm(width)
            _cell_text(cell, "" if text is None else str(text), FANGSONG)
    return table


def _cell_text(cell, text, east_asian):
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(0)
    _fonts(paragraph.add_run(text), east_asian, SIZE_SMALL_4)


def _setup(doc):
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    # The number's line sits 7 mm below the type area: 35 − 7 − 5 (one 4号 line) ≈ 23 mm from the page's edge.
    section.footer_distance = Mm(23)
    doc.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = LATIN, SIZE_3
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FANGSONG)
    doc.core_properties.language = "zh-CN"


# --- the document --------------------------------------------------------------------------------


def _heading(doc, number, text):
    """一、… in 3号 黑体."""
    return _paragraph(doc, _("%(n)s、%(text)s") % {"n": CHINESE_NUMBERS[number - 1], "text": text}, HEITI)


def _subheading(doc, number, text):
    """（一）… in 3号 楷体."""
    return _paragraph(doc, _("（%(n)s）%(text)s") % {"n": CHINESE_NUMBERS[number - 1], "text": text}, KAITI)


def _head(doc, data):
    mark = _paragraph(
        doc,
        _("%(bureau)s工作通报") % {"bureau": data["bureau"]},
        XIAOBIAOSONG,
        Pt(30),
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=False,
        color=RED,
        line=None,
        space_before=0,
    )
    mark.paragraph_format.space_after = Pt(12)
    if data.get("issue_number"):
        issue = _("第%(n)d期") % {"n": data["issue_number"]}
    else:
        issue = _("草稿（未发布）")
    _paragraph(doc, issue, FANGSONG, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    line = _paragraph(doc, "", indent=False, line=None)  # (an exact line height would clip the rule)
    line.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    day = data.get("issued_on_text") or data.get("generated_on_text")
    _fonts(line.add_run(_("%(office)s编") % {"office": data["office"]} + "\t" + day), FANGSONG)
    _border(line, "bottom", size_eighths=16, space=4)  # the red rule, 2 pt, as wide as the type area
    _paragraph(doc, "", indent=False)
    title = _paragraph(doc, "", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER, line=Pt(35))
    # The month on its own line (the title is longer than the 28 characters of a 2号 line allows).
    first, _sep, rest = data["title"].partition("（")
    _fonts(title.add_run(first), XIAOBIAOSONG, SIZE_2)
    if rest:
        title.runs[0].add_break()
        _fonts(title.add_run("（" + rest), XIAOBIAOSONG, SIZE_2)
    _paragraph(doc, data["period"], KAITI, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    if data.get("unapproved_reason"):
        _paragraph(
            doc,
            _("（数据未经审核：%(reason)s）") % {"reason": data["unapproved_reason"]},
            HEITI,
            align=WD_ALIGN_PARAGRAPH.CENTER,
            indent=False,
        )
    elif data.get("data_state") != "approved":
        _paragraph(doc, _("（数据未经审核）"), HEITI, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
    _paragraph(doc, "", indent=False)


def _rank_text(row):
    if row.get("rank") is None:
        return _("本月无到期事项")
    if row.get("tied"):
        return _("并列第%(rank)s") % {"rank": row["rank"]}
    return str(row["rank"])


def _scorecard(doc, data, attachment):
    """The ranking in one sentence (the first places and how many were ranked); the table is an attachment."""
    rows = data["scorecard"]["rows"]
    ranked = [r for r in rows if r.get("rank") is not None]
    if ranked:
        first = [r for r in ranked if r["rank"] == 1]
        _paragraph(
            doc,
            _(
                "本月参加排名的责任部门%(n)d个，第1名%(first)s（%(score)s分），各部门得分及计分事项见附件%(attachment)d。"
            )
            % {
                "n": len(ranked),
                "first": _("、").join(r["department"] for r in first),
                "score": first[0]["score"],
                "attachment": attachment,
            },
        )
    else:
        _paragraph(doc, _("本月无参加排名的责任部门，各部门情况见附件%(attachment)d。") % {"attachment": attachment})
    _paragraph(doc, data["scorecard"]["formula"])


def _scorecard_table(doc, data):
    """The scorecard as the bulletin's page shows it: rank (并列 marked), department, responsible items,
    the events that made the score, the score; the departments with nothing due last."""
    scorecard = data["scorecard"]
    if "rules" in scorecard:
        header = [_("名次"), _("责任部门"), _("牵头事项"), _("计分事项"), _("综合得分")]
        body = [
            [
                _rank_text(r),
                r["department"],
                r["responsible"],
                _("；").join(e["text"] for e in r["events"]) or "—",
                r["score"],
            ]
            for r in scorecard["rows"]
        ]
        widths = [22, 36, 16, 64, 18]
    else:  # a bulletin published with the fixed-weight scorecard
        header = [_("名次"), _("责任部门"), _("按期完成"), _("逾期"), _("按时反馈"), _("综合得分")]
        body = [
            [
                _rank_text(r),
                r["department"],
                f"{r['on_time']}/{r['due']}",
                r["overdue"],
                f"{r['reports_on_time']}/{r['reports_due']}",
                r["score"],
            ]
            for r in scorecard["rows"]
        ]
        widths = [22, 40, 24, 16, 24, 30]
    _table(doc, header, body, widths)
    _paragraph(doc, "", indent=False)
    _paragraph(doc, scorecard["formula"], FANGSONG, SIZE_SMALL_4, line=None)


def _risk(doc, data):
    if data["risk"]["total"]:
        _paragraph(
            doc,
            _("截至月末，逾期事项%(red)d项、风险事项%(yellow)d项，清单见附件1。")
            % {"red": data["risk"]["red"], "yellow": data["risk"]["yellow"]},
        )
    else:
        _paragraph(doc, _("本月无逾期及风险事项。"))
    if "red_notices" in data:
        notices = data["red_notices"]
        if notices:
            _paragraph(
                doc,
                _("月末未回复的红色督办单%(n)d份：%(list)s。")
                % {
                    "n": len(notices),
                    "list": _("、").join(
                        (
                            _("%(number)s（第%(item)s项，%(department)s，回复时限%(due)s，已报主管领导）")
                            if n["escalated"]
                            else _("%(number)s（第%(item)s项，%(department)s，回复时限%(due)s）")
                        )
                        % {
                            "number": n["number"],
                            "item": n["requirement"],
                            "department": n["departments"],
                            "due": n["response_due"],
                        }
                        for n in notices
                    ),
                },
            )
        else:
            _paragraph(doc, _("月末无未回复的红色督办单。"))
    if "signing" in data:
        _paragraph(doc, data["signing"]["text"])


def _instructions(doc, data):
    items = data["instructions"]
    if not items:
        _paragraph(doc, _("本月无领导交办事项。"))
        return
    done = sum(1 for r in items if r["light"] == LightCode.COMPLETED)
    red = sum(1 for r in items if r["light"] == LightCode.RED)
    _paragraph(
        doc,
        _("领导交办事项%(n)d项，已完成%(done)d项，逾期%(red)d项，清单见附件3。")
        % {"n": len(items), "done": done, "red": red},
    )


def _body(doc, data):
    narrative = data["narrative"]
    progress_text, *rest = narrative
    indicator_text = [p for p in rest if p.startswith(data["period_label"])]
    closing = [p for p in rest if p not in indicator_text]
    number = iter(range(1, len(CHINESE_NUMBERS) + 1))
    _heading(doc, next(number), _("任务推进情况"))
    _paragraph(doc, progress_text + ("" if progress_text.endswith("。") else ""))
    for n, pillar in enumerate(data["progress"]["pillars"], start=1):
        _subheading(doc, n, pillar["name"])
        _paragraph(
            doc,
            _(
                "具体要求%(n)d项，已完成%(completed)d项，按计划推进%(on_track)d项，临近时限或滞后%(due_soon)d项，"
                "逾期%(overdue)d项，已批准延期%(postponed)d项。"
            )
            % {
                "n": pillar["requirements"],
                "completed": pillar["completed"],
                "on_track": pillar["on_track"],
                "due_soon": pillar["due_soon"],
                "overdue": pillar["overdue"],
                "postponed": pillar["postponed"],
            },
        )
    _heading(doc, next(number), _("部门推进情况"))
    _scorecard(doc, data, _scorecard_attachment(data))
    _heading(doc, next(number), _("逾期及风险事项"))
    _risk(doc, data)
    if "instructions" in data:
        _heading(doc, next(number), _("领导交办事项"))
        _instructions(doc, data)
    _heading(doc, next(number), _("生态环境指标"))
    for paragraph in indicator_text:
        _paragraph(doc, paragraph)
    for ranking in data.get("rankings", []):
        _paragraph(doc, ranking_sentence(ranking))
    _paragraph(doc, _("各项指标的当月、累计、上年同期和同比变化见附件2。"))
    _heading(doc, next(number), _("工作要求"))
    for paragraph in closing:
        _paragraph(doc, paragraph)
    _paragraph(
        doc,
        _(
            "各责任部门要对照任务分解表和本通报，逐项核对进度，按时反馈；逾期和亮黄灯事项须明确整改措施和完成时限，"
            "由主管领导督促落实。"
        ),
    )
    _paragraph(doc, "", indent=False)
    attachments = _paragraph(doc, _("附件：1. 逾期及风险事项清单"))
    second = _paragraph(doc, _("2. 生态环境指标表"))
    second.paragraph_format.first_line_indent = Pt(SIZE_3.pt * 5)
    if data.get("instructions"):
        third = _paragraph(doc, _("3. 领导交办事项清单"))
        third.paragraph_format.first_line_indent = Pt(SIZE_3.pt * 5)
    last = _paragraph(doc, _("%(n)d. 部门推进情况排名表") % {"n": _scorecard_attachment(data)})
    last.paragraph_format.first_line_indent = Pt(SIZE_3.pt * 5)
    attachments.paragraph_format.keep_with_next = True
    _paragraph(doc, "", indent=False)
    _paragraph(doc, "", indent=False)
    signature = _paragraph(doc, data["office"], align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False)
    signature.paragraph_format.right_indent = Pt(SIZE_3.pt * 4)
    day = _paragraph(
        doc, data.get("issued_on_text") or data.get("generated_on_text"), align=WD_ALIGN_PARAGRAPH.RIGHT, indent=False
    )
    day.paragraph_format.right_indent = Pt(SIZE_3.pt * 4)


def ranking_sentence(ranking):
    """各区PM2.5平均浓度排名：南山区第1名（18.9）、…；改善最大：…。按…排名…"""
    places = _("、").join(
        _("%(area)s%(rank)s（%(value)s）") % {"area": r["area"], "rank": r["rank_text"], "value": r["value"]}
        for r in ranking["rows"]
        if r["value"] is not None
    )
    text = _("各区%(name)s排名：%(places)s") % {"name": ranking["name"], "places": places}
    if ranking.get("improvement_text"):
        text += _("；") + ranking["improvement_text"]
    return text + _("。") + ranking["basis"]


def _scorecard_attachment(data):
    """The scorecard's table is the last attachment: 3, or 4 after the 领导交办事项."""
    return 4 if data.get("instructions") else 3


def _attachment(doc, number, title):
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _paragraph(doc, _("附件%(n)d") % {"n": number}, HEITI, indent=False)
    _paragraph(doc, title, XIAOBIAOSONG, SIZE_2, align=WD_ALIGN_PARAGRAPH.CENTER, indent=False, line=Pt(35))
    _paragraph(doc, "", indent=False)


def _attachments(doc, data):
    _attachment(doc, 1, _("逾期及风险事项清单"))
    if data["at_risk"]:
        _table(
            doc,
            [_("序号"), _("具体要求"), _("亮灯"), _("责任部门"), _("主管领导"), _("完成时限"), _("逾期天数")],
            [
                [
                    r["number"],
                    r["text"],
                    "、".join(
                        [
                            f"{r['light_label']}·{r.get('reason_label') or r.get('reason', '')}",
                            *r.get("red_notices", []),
                        ]
                    ),
                    "、".join(r["departments"]),
                    "、".join(r["officials"]),
                    r["deadline_text"],
                    r["days_overdue"] or "—",
                ]
                for r in data["at_risk"]
            ],
            [10, 50, 18, 24, 20, 22, 12],
        )
    else:
        _paragraph(doc, _("本月无逾期及风险事项。"))
    _attachment(doc, 2, _("生态环境指标表"))
    _table(
        doc,
        [
            _("指标"),
            _("区域"),
            _("当月"),
            _("%(period)s累计") % {"period": data["period_label"]},
            _("上年同期"),
            _("同比"),
            _("年度目标"),
        ],
        [
            [
                f"{r['name']}（{r['unit']}）",
                r["area"],
                r["month"] if r["month"] is not None else _("暂缺"),
                (r["ytd"] if r["ytd"] is not None else _("暂缺"))
                + (f"（{r['basis_note']}）" if r.get("basis_note") else ""),
                r["last_ytd"] if r["last_ytd"] is not None else _("暂缺"),
                r["change"].get("text") or "—",
                r["target"].get("text") or (r["target"].get("value") or "—"),
            ]
            for r in data["indicators"]
        ],
        [34, 16, 16, 26, 16, 24, 24],
    )
    if data.get("reporting_text"):
        _paragraph(doc, data["reporting_text"], space_before=6)
    if data.get("instructions"):
        _attachment(doc, 3, _("领导交办事项清单"))
        _table(
            doc,
            [_("序号"), _("交办事项"), _("交办领导"), _("责任部门"), _("主管领导"), _("完成时限"), _("月末状态")],
            [
                [
                    r["number"],
                    r["text"],
                    r["instructed_by"],
                    "、".join(r["departments"]),
                    "、".join(r["officials"]),
                    r["deadline_text"],
                    f"{r['status_label']}·{r['light_label']}",
                ]
                for r in data["instructions"]
            ],
            [10, 50, 18, 24, 20, 22, 12],
        )
    _attachment(doc, _scorecard_attachment(data), _("部门推进情况排名表"))
    _scorecard_table(doc, data)


def _colophon(doc, data):
    """版记: 抄送, then the printing office and the 印发 date, between rules (thick, thin, thick)."""
    _paragraph(doc, "", indent=False)
    copy = _paragraph(doc, _("抄送：局领导，各处室、各管理局、各直属单位。"), FANGSONG, SIZE_4, indent=False)
    copy.paragraph_format.left_indent = copy.paragraph_format.right_indent = SIZE_4
    _border(copy, "top", color="000000", size_eighths=8)
    _border(copy, "bottom", color="000000", size_eighths=4)
    printed = _paragraph(doc, "", FANGSONG, SIZE_4, indent=False)
    printed.paragraph_format.left_indent = printed.paragraph_format.right_indent = SIZE_4
    printed.paragraph_format.tab_stops.add_tab_stop(Mm(156) - SIZE_4 * 2, WD_TAB_ALIGNMENT.RIGHT)
    day = data.get("issued_on_text") or data.get("generated_on_text")
    _fonts(printed.add_run(data["office"] + "\t" + _("%(day)s印发") % {"day": day}), FANGSONG, SIZE_4)
    _border(printed, "bottom", color="000000", size_eighths=8)


def bulletin_docx(data):
    """The .docx bytes of presented bulletin data."""
    doc = Document()
    _setup(doc)
    # python-docx starts with one empty paragraph; the document starts at the organ's mark instead.
    body = doc.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    _head(doc, data)
    _body(doc, data)
    _attachments(doc, data)
    _colophon(doc, data)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _soffice():
    found = shutil.which(settings.TIEJU_SOFFICE)
    if not found:
        raise ConversionFailed(_("找不到LibreOffice（%(name)s）") % {"name": settings.TIEJU_SOFFICE})
    return found


def docx_to_pdf(docx):
    """PDF bytes of a .docx, converted by LibreOffice headless in its own profile directory (so conversions
    may run side by side), with the fontconfig aliases of fonts.conf mapping the official font names to the
    free CJK fonts Debian installs. Raises ConversionFailed after TIEJU_PDF_TIMEOUT seconds."""
    soffice = _soffice()
    with tempfile.TemporaryDirectory(prefix="tieju-pdf-") as work:
        work = Path(work)
        source = work / "bulletin.docx"
        source.write_bytes(docx)
        environment = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(work)}
        command = [
            soffice,
            f"-env:UserInstallation=file://{work / 'profile'}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
        try:
            subprocess.run(
                command, env=environment, cwd=work, capture_output=True, check=True, timeout=settings.TIEJU_PDF_TIMEOUT
            )
        except subprocess.TimeoutExpired as error:
            raise ConversionFailed(_("PDF转换超时")) from error
        except (OSError, subprocess.CalledProcessError) as error:
            raise ConversionFailed(_("PDF转换失败")) from error
        result = work / "bulletin.pdf"
        if not result.exists():
            raise ConversionFailed(_("PDF转换失败"))
        return result.read_bytes()


def bulletin_pdf(data):
    return docx_to_pdf(bulletin_docx(data))

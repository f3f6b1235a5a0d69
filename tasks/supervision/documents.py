"""A 督办单 as a one-page A4 .docx, laid out after GB/T 9704-2012 (margins, 仿宋 body, red organ mark)."""

from io import BytesIO

from django.conf import settings
from django.utils.translation import gettext as _


def written_date(day):
    """成文日期 in Arabic numerals, year in full, no padding: 2026年12月2日."""
    return f"{day.year}年{day.month}月{day.day}日"


def notice_fields(notice):
    """(label, value) rows the printed page and the .docx both show."""
    requirement = notice.requirement
    deadline = notice.deadline_text or ""
    if notice.deadline:
        deadline = f"{deadline}（{notice.deadline.isoformat()}）" if deadline else notice.deadline.isoformat()
    return [
        (_("督办事项"), f"{requirement.number}. {requirement.text}"),
        (
            _("事项来源"),
            _("领导交办（%(leader)s）") % {"leader": requirement.instructed_by.name}
            if requirement.source == "instruction" and requirement.instructed_by_id
            else _("任务分解表"),
        ),
        (_("责任部门"), notice.addressee),
        (_("配合部门"), "、".join(requirement.cooperating_names) or "—"),
        (_("主管领导"), notice.officials or "—"),
        (_("完成时限"), deadline or "—"),
        (_("完成标志"), requirement.completion_criteria or "—"),
        (_("督办要求"), notice.asked),
        (_("回复时限"), written_date(notice.response_due)),
    ]


def _font(run, name, size, *, bold=False, colour=None):
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)


def notice_docx(notice):
    """The notice as .docx bytes."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    mark = document.add_paragraph()
    mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(mark.add_run(settings.TIEJU_NOTICE_ISSUER), "方正小标宋简体", 22, colour="C00000")
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(_("督办单（%(colour)s）") % {"colour": notice.get_colour_display()}), "方正小标宋简体", 22)
    number = document.add_paragraph()
    number.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(number.add_run(notice.number), "仿宋_GB2312", 16)
    # The red rule under the number: a bottom border on its paragraph, as wide as the type area.
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", "C00000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    number._p.get_or_add_pPr().append(border)

    addressed = document.add_paragraph()
    _font(addressed.add_run(f"{notice.addressee}{_('：')}"), "仿宋_GB2312", 16)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in notice_fields(notice):
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Mm(32), Mm(124)
        _font(cells[0].paragraphs[0].add_run(label), "黑体", 12)
        _font(cells[1].paragraphs[0].add_run(value), "仿宋_GB2312", 12)
    signed = document.add_paragraph()
    signed.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    signed.paragraph_format.space_before = Pt(18)
    _font(signed.add_run(settings.TIEJU_NOTICE_ISSUER), "仿宋_GB2312", 16)
    day = document.add_paragraph()
    day.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _font(day.add_run(written_date(notice.issued_on)), "仿宋_GB2312", 16)
    copy = document.add_paragraph()
    copy.paragraph_format.space_before = Pt(12)
    _font(copy.add_run(_("抄送：%(who)s") % {"who": notice.officials or "—"}), "仿宋_GB2312", 14)
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()

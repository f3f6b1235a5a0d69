"""The bulletin as an official document: the .docx read back with python-docx, the PDF with pdftotext,
pdffonts and pypdf (LibreOffice headless made it); PNGs of the PDF's pages saved for people to look at."""

import io
import re
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader

from metrics.bulletin import build_bulletin
from metrics.models import MonthlyValue
from tasks.models import Acknowledgement, Requirement, SupervisionNotice
from tasks.supervision.instructions import instruction_assign
from teams.models import Department, Official

DOCX = reverse("metrics:bulletin-docx", args=["2026", "06"])
PDF = reverse("metrics:bulletin-pdf", args=["2026", "06"])
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "documents"


def _publish(client, year="2026", month="06"):
    url = reverse("metrics:bulletin-publish", args=[year, month])
    digest = re.search(r'name="confirm" value="([0-9a-f]+)"', client.get(url).content.decode()).group(1)
    assert client.post(url, {"confirm": digest}).status_code == 302


def _east_asian(run):
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def _paragraph(doc, text):
    return next(p for p in doc.paragraphs if p.text.startswith(text))


def _content(doc):
    """Everything a reader sees: the paragraphs, then each table's cells."""
    return [p.text for p in doc.paragraphs] + [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


def test_it_lays_the_docx_out_as_gb_t_9704_asks(client, leader, sample_table, sample_indicators):
    client.force_login(leader)
    response = client.get(DOCX)
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert 'filename="bulletin-2026-06-draft.docx"' in response["Content-Disposition"]
    doc = Document(io.BytesIO(response.content))
    section = doc.sections[0]
    assert (round(section.page_width / Mm(1)), round(section.page_height / Mm(1))) == (210, 297)  # A4
    margins = [
        round(m / Mm(1)) for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    ]
    assert margins == [37, 35, 28, 26]

    mark = doc.paragraphs[0]
    assert mark.text == "深圳市生态环境局工作通报"  # the issuing organ (TIEJU_BUREAU_NAME) in red 小标宋
    assert mark.runs[0].font.color.rgb == (0xE6, 0x00, 0x12) and _east_asian(mark.runs[0]) == "方正小标宋简体"
    assert doc.paragraphs[1].text == "草稿（未发布）"  # a draft says so where the issue number stands
    issue_line = doc.paragraphs[2]
    assert issue_line.text.startswith("深圳市生态环境局办公室编\t") and re.search(
        r"\t\d{4}年\d{1,2}月\d{1,2}日$", issue_line.text
    )
    assert issue_line._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom")).get(qn("w:color")) == "E60012"  # red rule

    title = _paragraph(doc, "打造生态环境保护铁军工作通报")
    assert title.text == "打造生态环境保护铁军工作通报\n（2026年6月）"
    assert {_east_asian(r) for r in title.runs} == {"方正小标宋简体"} and title.runs[0].font.size.pt == 22  # 2号
    heading = _paragraph(doc, "一、任务推进情况")
    assert _east_asian(heading.runs[0]) == "黑体" and heading.runs[0].font.size.pt == 16
    sub = _paragraph(doc, "（一）锻造铁的政治素养")
    assert _east_asian(sub.runs[0]) == "楷体_GB2312"
    body = _paragraph(doc, "1—6月，全市PM2.5平均浓度为21.1微克/立方米")
    assert "比去年同期（25.7微克/立方米）下降4.6微克/立方米" in body.text
    assert "空气质量优良天数比例为98.9%，比去年同期（97.2%）上升1.7个百分点" in body.text
    assert _east_asian(body.runs[0]) == "仿宋_GB2312" and body.runs[0].font.size.pt == 16  # 3号 仿宋
    assert body.paragraph_format.first_line_indent.pt == 32  # two characters
    assert _paragraph(doc, "附件：1. 逾期及风险事项清单")

    risk, indicators, scores = doc.tables
    for table in doc.tables:
        header = table.rows[0]._tr.trPr.find(qn("w:tblHeader"))
        assert header is not None and header.get(qn("w:val")) == "true"  # the header row repeats on each page
    assert [c.text for c in risk.rows[0].cells][:3] == ["序号", "具体要求", "亮灯"]
    listed = build_bulletin(2026, 6)["at_risk"]
    assert listed and len(risk.rows) == 1 + len(listed)
    assert [row.cells[0].text for row in risk.rows[1:]] == [str(r["number"]) for r in listed]
    assert any("红灯·已逾期" in row.cells[2].text for row in risk.rows[1:])
    # The ranking is a table (the last attachment), not a run-on sentence; the body names the first place.
    assert _paragraph(doc, "附件：1. 逾期及风险事项清单") and _paragraph(doc, "3. 部门推进情况排名表")
    ranking = build_bulletin(2026, 6)["scorecard"]["rows"]
    assert [c.text for c in scores.rows[0].cells] == ["名次", "责任部门", "牵头事项", "计分事项", "综合得分"]
    assert [(row.cells[1].text, row.cells[4].text) for row in scores.rows[1:]] == [
        (r["department"], r["score"]) for r in ranking
    ]
    for row, fact in zip(scores.rows[1:], ranking, strict=True):
        rank = row.cells[0].text
        if fact["rank"] is None:
            assert rank == "本月无到期事项"
        else:
            assert rank == (f"并列第{fact['rank']}" if fact["tied"] else str(fact["rank"]))
    first = [r for r in ranking if r["rank"] == 1]
    assert f"第1名{first[0]['department']}" in _paragraph(doc, "本月参加排名的责任部门").text
    assert "见附件3" in _paragraph(doc, "本月参加排名的责任部门").text
    assert "得分相同的并列同一名次" in "".join(p.text for p in doc.paragraphs)  # the tie-break is stated
    pm25 = next(
        row
        for row in indicators.rows
        if row.cells[0].text == "PM2.5平均浓度（微克/立方米）" and row.cells[1].text == "全市"
    )
    assert [c.text for c in pm25.cells[2:6]] == ["13.1", "21.1", "25.7", "同比下降4.6微克/立方米"]

    footers = [section.footer, section.even_page_footer]
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, side in zip(footers, ("right", "left"), strict=False):
        paragraph = footer.paragraphs[0]
        assert paragraph.text == "— 1 —"  # the PAGE field's cached result between the dashes
        assert "PAGE" in "".join(t.text for t in paragraph._p.iter(qn("w:instrText")))
        assert (paragraph.alignment == 2) == (side == "right")  # odd pages right, even pages left


def test_it_numbers_a_published_document_and_makes_it_the_same_every_time(client, admin_user, sample_indicators):
    client.force_login(admin_user)
    _publish(client)
    first = Document(io.BytesIO(client.get(DOCX).content))
    assert first.paragraphs[1].text == "第1期"
    MonthlyValue.objects.filter(indicator__code="pm25", month="2026-03-01").update(value=40)
    again = client.get(DOCX)
    assert 'filename="bulletin-2026-06-01.docx"' in again["Content-Disposition"]
    assert _content(Document(io.BytesIO(again.content))) == _content(first)  # from the snapshot, not the data
    draft = Document(io.BytesIO(client.get(DOCX, {"draft": "1"}).content))
    assert draft.paragraphs[1].text == "草稿（未发布）" and _content(draft) != _content(first)


def test_it_prints_that_data_was_not_approved(client, admin_user, sample_indicators):
    client.force_login(admin_user)
    url = reverse("metrics:bulletin-publish", args=["2026", "10"])
    digest = re.search(r'name="confirm" value="([0-9a-f]+)"', client.get(url).content.decode()).group(1)
    client.post(url, {"confirm": digest, "reason": "会议急需"})
    doc = Document(io.BytesIO(client.get(reverse("metrics:bulletin-docx", args=["2026", "10"])).content))
    assert "（数据未经审核：会议急需）" in [p.text for p in doc.paragraphs]


def test_it_makes_the_pdf_with_libreoffice_with_fonts_embedded_and_page_numbers(
    client, admin_user, tmp_path, sample_table, sample_indicators
):
    client.force_login(admin_user)
    _publish(client)
    response = client.get(PDF)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(response.content)
    reader = PdfReader(pdf)
    pages = len(reader.pages)
    assert pages >= 4  # the body, 附件1 and 附件2 each start a page
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", text)
    assert "深圳市生态环境局工作通报" in flat and "第1期" in flat
    assert "比去年同期（25.7微克/立方米）下降4.6微克/立方米" in flat
    assert "附件1" in flat and "逾期及风险事项清单" in flat and "生态环境指标表" in flat
    for number in range(1, pages + 1):
        assert f"—{number}—" in flat  # a page number on every page
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows and all(row[-5] == "yes" for row in rows), fonts  # every font embedded
    families = " ".join(row[0] for row in rows)
    assert "CJK" in families or "UMing" in families  # the free CJK substitutes fonts.conf maps the names to
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "bulletin-2026-06.pdf").write_bytes(response.content)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(ARTIFACTS / "bulletin-2026-06-page")], check=True)
    assert len(list(ARTIFACTS.glob("bulletin-2026-06-page-*.png"))) == pages


def test_it_writes_the_documents_from_the_command(tmp_path, sample_indicators):
    docx = tmp_path / "b.docx"
    call_command("bulletin", "2026-06", "--format", "docx", "--output", str(docx), stdout=io.StringIO())
    assert Document(str(docx)).paragraphs[1].text == "草稿（未发布）"
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--output"):
        call_command("bulletin", "2026-06", "--format", "pdf", stdout=io.StringIO())
    with pytest.raises(CommandError, match="nothing in its year"):
        call_command("bulletin", "2030-02", "--format", "docx", "--output", str(docx), stdout=io.StringIO())


def test_it_says_so_when_the_pdf_cannot_be_made(client, leader, sample_indicators, settings):
    settings.TIEJU_SOFFICE = "no-such-soffice"
    client.force_login(leader)
    response = client.get(PDF)
    assert response.status_code == 503 and "PDF暂不能生成" in response.content.decode()
    assert reverse("metrics:bulletin-docx", args=["2026", "06"]) in response.content.decode()


def test_it_puts_the_leaders_instructions_and_the_unanswered_red_notices_in_the_docx(
    client, leader, sample_table, sample_indicators
):
    water = Department.objects.get(name="水生态环境处")
    official = Official.objects.first()
    item = instruction_assign(
        user=leader,
        text="督促茅洲河沿线工地整改扬尘问题",
        instructed_by=official,
        responsible=[water],
        officials=[official],
        due_date=date(2026, 6, 20),
    )
    Requirement.objects.filter(pk=item.pk).update(created_at=timezone.make_aware(datetime(2026, 6, 1, 9)))
    overdue = Requirement.objects.from_table().get(number=40)
    SupervisionNotice.objects.create(
        year=2026,
        serial=7,
        requirement=overdue,
        colour="red",
        reason="overdue",
        addressee="水生态环境处",
        asked="请说明",
        issued_on=date(2026, 6, 10),
        response_due=date(2026, 6, 15),
    )
    client.force_login(leader)
    doc = Document(io.BytesIO(client.get(DOCX).content))
    assert _paragraph(doc, "四、领导交办事项")  # its own section, numbered in order
    assert _paragraph(doc, "五、生态环境指标") and _paragraph(doc, "六、工作要求")
    assert _paragraph(doc, "领导交办事项1项，已完成0项，逾期1项，清单见附件3。")
    assert (
        "督办〔2026〕第7号（第40项，水生态环境处，回复时限2026-06-15，已报主管领导）"
        in _paragraph(doc, "月末未回复的红色督办单1份").text
    )
    risk, _indicators, instructions, _scores = doc.tables
    assert _paragraph(doc, "4. 部门推进情况排名表")
    assert [c.text for c in instructions.rows[0].cells][:2] == ["序号", "交办事项"]
    assert instructions.rows[1].cells[1].text == "督促茅洲河沿线工地整改扬尘问题"
    assert "红灯" in instructions.rows[1].cells[6].text
    forty = next(row for row in risk.rows[1:] if row.cells[0].text == "40")
    assert "督办〔2026〕第7号" in forty.cells[2].text
    page = client.get(reverse("metrics:bulletin", args=["2026", "06"])).content.decode()
    assert "五、领导交办事项" in page and "督促茅洲河沿线工地整改扬尘问题" in page
    assert "督办〔2026〕第7号 红单未回复" in page and "逾期未回复，已报主管领导" in page


def test_it_states_the_signing_as_the_page_does(client, leader, sample_table, sample_indicators):
    """The 签收 sentence of the .docx is the page's: the rate and the items unsigned past the set working
    days, or that nothing was to be signed for."""
    june = timezone.make_aware(datetime(2026, 6, 1, 9))  # a Monday
    Acknowledgement.objects.update(assigned_at=june, signed_at=june + timedelta(days=1))
    unsigned = Acknowledgement.objects.filter(requirement__number=13)
    unsigned.update(signed_at=None)
    owed, late = Acknowledgement.objects.count(), unsigned.count()
    client.force_login(leader)
    page = client.get(reverse("metrics:bulletin", args=["2026", "06"])).content.decode()
    on_page = re.sub(r"<[^>]+>", "", re.search(r'<p class="signing">(.*?)</p>', page, re.S).group(1))
    doc = Document(io.BytesIO(client.get(DOCX).content))
    sentence = _paragraph(doc, "截至月末应签收").text
    assert sentence == on_page
    assert sentence.startswith(f"截至月末应签收{owed}项次，已签收{owed - late}项次，")
    assert f"超过2个工作日未签收{late}项次：第13项（" in sentence and "2026-06-01" in sentence
    may = Document(io.BytesIO(client.get(reverse("metrics:bulletin-docx", args=["2026", "05"])).content))
    assert _paragraph(may, "截至月末无应签收事项。")


def test_it_states_the_signing_in_english_as_sentences():
    from django.utils import translation

    from metrics.present import signing_text

    signing = {"owed": 3, "signed": 2, "rate": "66.7", "within_days": 2, "late": []}
    signing["late"] = [{"number": 13, "source": "table", "department": "Office", "assigned_on": "2026-06-01"}]
    with translation.override("en"):
        text = signing_text(signing)
    assert "rate of 66.7%. Unsigned after more than 2 working days: 1: item 13 (Office, 2026-06-01)." in text

import io
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from tasks.importing.export import export_breakdown
from tasks.importing.runs import breakdown_import, breakdown_preview
from tasks.models import Breakdown, JournalEntry, Requirement
from tests.tasks.import_files import media, table_state, xlsx_openpyxl  # noqa: F401


def _sheet(data):
    return load_workbook(io.BytesIO(data)).worksheets[0]


def test_it_writes_the_office_layout(sample_table):
    sheet = _sheet(export_breakdown(Breakdown.current()))
    assert sheet["A1"].value == "附件1" and sheet["A2"].value == "任务分解表"
    assert [c.value for c in sheet[3]] == [
        "序号",
        "工程",
        "主要任务",
        "具体要求",
        "完成时限",
        "主管领导",
        "责任部门",
        "配合部门",
        "备注",
        "完成标志",
    ]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"A2:J2", "B4:B19", "C4:C7"} <= merged
    assert (
        sheet["B4"].value == "一、锻造铁的政治素养"
        and sheet["C4"].value == "1.坚持把学习贯彻习近平新时代中国特色社会主义思想作为首要政治任务"
    )
    assert (
        sheet["D48"].value == "完成100家挥发性有机物重点企业治理任务"
        and sheet["H48"].value == "各管理局、生态环境综合执法支队"
    )
    assert sheet["D4"].alignment.wrap_text
    assert sheet.freeze_panes == "A4" and sheet.print_title_rows == "$3:$3"
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4


def test_it_adds_status_and_progress_columns_on_request(sample_table):
    Requirement.objects.filter(number=1).update(status="in_progress", progress=40)
    sheet = _sheet(export_breakdown(Breakdown.current(), with_status=True))
    assert [sheet["K3"].value, sheet["L3"].value] == ["状态", "进度（%）"]
    assert [sheet["K4"].value, sheet["L4"].value] == ["推进中", 40]


def test_it_imports_its_own_export_as_no_changes(sample_table):
    Requirement.objects.filter(number=3).update(note='=HYPERLINK("http://evil")')
    journal = JournalEntry.objects.count()
    state = table_state()
    data = export_breakdown(Breakdown.current(), with_status=True)
    outcome = breakdown_import(data=data, filename="export.xlsx")
    assert outcome.errors == [] and outcome.applied
    assert outcome.plan.counts() == {"created": 0, "updated": 0, "unchanged": 64, "retired": 0}
    assert table_state() == state and JournalEntry.objects.count() == journal


def test_it_writes_cells_starting_with_formula_characters_as_text(sample_table):
    leads = {1: "=1+1", 2: "+86 电话", 3: "-减少排放", 4: "@各处室"}
    for number, note in leads.items():
        Requirement.objects.filter(number=number).update(note=note)
    data = export_breakdown(Breakdown.current())
    sheet = _sheet(data)
    for row, note in zip(range(4, 8), leads.values(), strict=False):
        cell = sheet.cell(row=row, column=9)
        assert (cell.value, cell.data_type, cell.quotePrefix) == (note, "s", True)
    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    assert breakdown_preview(data, "x.xlsx").errors == []


def test_it_exports_from_the_command(tmp_path, sample_table):
    path = tmp_path / "out.xlsx"
    call_command("export_breakdown", str(path), "--with-status", stdout=io.StringIO())
    sheet = _sheet(path.read_bytes())
    assert sheet.max_row == 67 and sheet["K3"].value == "状态"


def test_it_downloads_from_the_export_button(client, water_staff, sample_table):
    client.force_login(water_staff)
    response = client.get(reverse("tasks:export"), {"status": "1"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    assert _sheet(response.content)["K3"].value == "状态"


def test_it_requires_a_role_to_export(client, outsider, sample_table):
    assert client.get(reverse("tasks:export")).status_code == 302
    client.force_login(outsider)
    assert client.get(reverse("tasks:export")).status_code == 403


def test_it_writes_the_office_layout_in_chinese_even_from_the_english_interface(sample_table):
    from django.utils import translation

    with translation.override("en"):
        data = export_breakdown(Breakdown.current())
    assert [c.value for c in _sheet(data)[3]][:4] == ["序号", "工程", "主要任务", "具体要求"]
    outcome = breakdown_import(data=data, filename="export.xlsx")
    assert outcome.errors == [] and outcome.plan.counts()["unchanged"] == 64


@pytest.mark.parametrize("header", ["完成标志", "工作目标", "完成标准", "成果形式"])
def test_it_reads_the_completion_criteria_and_writes_them_back(reference, header):
    """The 完成标志 column under any of its names goes into the requirement, and the export writes it."""
    sheet_book = load_workbook(io.BytesIO(xlsx_openpyxl("office")))
    sheet = sheet_book.worksheets[0]
    sheet.cell(row=3, column=10, value=header)
    sheet.cell(row=4, column=10, value="学习计划印发并报送")
    sheet.cell(row=48, column=10, value="100家企业治理验收通过")
    buffer = io.BytesIO()
    sheet_book.save(buffer)
    assert breakdown_import(data=buffer.getvalue(), filename="table.xlsx").applied
    criteria = dict(Requirement.objects.active().values_list("number", "completion_criteria"))
    assert (criteria[1], criteria[45], criteria[2]) == ("学习计划印发并报送", "100家企业治理验收通过", "")
    exported = _sheet(export_breakdown(Breakdown.current()))
    assert (exported["J4"].value, exported["J48"].value, exported["J5"].value) == (
        "学习计划印发并报送",
        "100家企业治理验收通过",
        None,
    )

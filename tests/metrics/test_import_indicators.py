import json
from datetime import date
from io import BytesIO, StringIO

import pytest
import xlsxwriter
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from imports.models import ImportRecord
from metrics.models import Indicator, Month, MonthlyValue

SAMPLE = settings.BASE_DIR / "fixtures" / "monthly-indicators.xlsx"
HEADER = ["期间", "区域", "指标代码", "数值", "分子", "分母"]


def run(path, *args):
    out = StringIO()
    try:
        call_command("import_indicators", str(path), "--json", *args, stdout=out)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, json.loads(out.getvalue())


def workbook(tmp_path, rows, name="values.xlsx"):
    book = Workbook()
    sheet = book.active
    sheet.title = "月度数据"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def test_it_imports_the_sample_with_its_definitions_and_again_changes_nothing(reference):
    code, result = run(SAMPLE)
    assert code == 0
    assert (result["created"], result["updated"], result["unchanged"], result["retired"]) == (229, 0, 0, 0)
    assert result["errors"] == [] and result["indicators_created"] == 13
    assert Indicator.objects.count() == 13 and MonthlyValue.objects.count() == 229
    pm25 = Indicator.objects.get(code="pm25")
    assert (pm25.combination, pm25.direction, pm25.decimals, pm25.unit) == ("mean_days", "lower", 1, "微克/立方米")
    assert Indicator.objects.get(code="black_odorous_eliminated").target == 159
    assert Indicator.objects.get(code="penalty_cases").direction == "neither"
    code, result = run(SAMPLE)
    assert code == 0 and (result["created"], result["updated"], result["unchanged"]) == (0, 0, 229)
    assert ImportRecord.objects.filter(file_name="monthly-indicators.xlsx").count() == 2
    assert len(ImportRecord.objects.first().sha256) == 64


def test_it_writes_nothing_on_a_dry_run(reference):
    code, result = run(SAMPLE, "--dry-run")
    assert code == 0 and result["created"] == 229 and result["dry_run"] is True
    assert MonthlyValue.objects.count() == 0 and Indicator.objects.count() == 0
    assert not ImportRecord.objects.exists()


def test_it_names_row_and_column_of_every_error_and_writes_nothing(reference, tmp_path):
    run(SAMPLE)
    path = workbook(
        tmp_path,
        [
            ["2026-11", "全市", "pm25", 18, None, 30],
            ["2026-13", "全市", "pm25", 18, None, 30],
            ["2026-11", "火星区", "complaints_total", 5, None, None],
            ["2026-11", "全市", "good_air_days", None, 31, 30],
            ["2026-11", "全市", "nonsense", 1, None, None],
            ["2026-11", "全市", "penalty_cases", -4, None, None],
            ["2026-11", "全市", "penalty_amount", "=A1*2", None, None],
            ["2026-11", "全市", "pm25", 19, None, 30],
        ],
    )
    code, result = run(path)
    assert code == 1
    errors = {(e["row"], e["column"]): e["message"] for e in result["errors"]}
    assert errors[(3, "期间")] == "无法识别的月份“2026-13”，应写作2026-06"
    assert errors[(4, "区域")] == "未知区域“火星区”"
    assert errors[(5, "分子")] == "分子（31）不能大于分母（30），比例不能超过100%"
    assert errors[(6, "指标代码")] == "未知指标代码“nonsense”"
    assert errors[(7, "数值")] == "不能为负数"
    assert errors[(8, "数值")].startswith("此处应为数值，不能是公式")
    assert errors[(9, "指标代码")] == "与第2行重复（同一指标、区域、月份）"
    assert MonthlyValue.objects.filter(month=date(2026, 11, 1)).count() == 0


def test_it_refuses_changes_to_an_approved_month(reference, tmp_path):
    run(SAMPLE)
    Month.objects.update_or_create(month=date(2026, 6, 1), defaults={"state": "approved"})
    path = workbook(tmp_path, [["2026-06", "全市", "penalty_cases", 1, None, None]])
    code, result = run(path)
    assert code == 1 and "2026年6月已审核锁定" in result["errors"][0]["message"]
    assert MonthlyValue.objects.get(indicator__code="penalty_cases", month=date(2026, 6, 1)).value != 1


def test_it_updates_changed_values_and_reads_a_second_writer(reference, tmp_path):
    run(SAMPLE)
    path = tmp_path / "xw.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("月度数据")
    sheet.write_row(0, 0, ["2026年月度指标"])
    sheet.write_row(1, 0, HEADER)
    sheet.write_row(2, 0, ["2026-06", "全市", "penalty_cases", 300])
    sheet.write_row(3, 0, ["2026年11月", "福田区", "complaints_total", 700])
    book.close()
    code, result = run(path)
    assert code == 0 and (result["created"], result["updated"]) == (1, 1)
    assert MonthlyValue.objects.get(indicator__code="penalty_cases", month=date(2026, 6, 1)).value == 300


def test_it_reads_csv_in_gbk(reference, tmp_path):
    run(SAMPLE)
    path = tmp_path / "values.csv"
    path.write_bytes(("期间,区域,指标代码,数值,分子,分母\n2026-11,福田区,complaints_total,701,,\n").encode("gbk"))
    code, result = run(path)
    assert code == 0 and result["created"] == 1


@pytest.mark.parametrize(
    "content, name",
    [
        (b"not a spreadsheet", "x.pdf"),
        (b"PK\x03\x04broken", "x.xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "old.xls"),
    ],
)
def test_it_exits_2_for_a_file_it_cannot_read(reference, tmp_path, content, name):
    path = tmp_path / name
    path.write_bytes(content)
    code, result = run(path)
    assert code == 2 and result["errors"][0]["message"] and MonthlyValue.objects.count() == 0


def test_it_exports_what_imports_back_unchanged(client, admin_user, reference, tmp_path):
    run(SAMPLE)
    client.force_login(admin_user)
    response = client.get(reverse("metrics:export"))
    path = tmp_path / "export.xlsx"
    path.write_bytes(response.content)
    code, result = run(path)
    assert code == 0 and (result["created"], result["updated"], result["unchanged"]) == (0, 0, 229)
    assert result["indicators_updated"] == 0


def own_futian_complaints():
    """福田管理局 reports 福田区's complaints (the sample's import adds 福田区 as their area, without an owner)."""
    from metrics.models import IndicatorArea
    from teams.models import Department

    IndicatorArea.objects.filter(indicator__code__in=["complaints_total", "noise_complaints"]).update(
        owner=Department.objects.get(name="福田管理局")
    )


def test_it_previews_then_applies_an_upload_in_the_browser(client, district_staff, reference, tmp_path):
    run(SAMPLE)
    own_futian_complaints()
    client.force_login(district_staff)
    path = workbook(tmp_path, [["2026-11", "福田区", "complaints_total", 702, None, None]])
    with open(path, "rb") as upload:
        response = client.post(reverse("metrics:import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200 and "新增1项" in page and "确认导入" in page
    assert not MonthlyValue.objects.filter(month=date(2026, 11, 1)).exists()
    token = response.context["token"]
    client.post(reverse("metrics:import"), {"token": token, "filename": "values.xlsx", "apply": "1"})
    assert MonthlyValue.objects.get(month=date(2026, 11, 1)).value == 702
    record = ImportRecord.objects.get(user=district_staff)
    assert (record.file_name, record.sha256, record.counts["created"]) == ("values.xlsx", token, 1)
    assert record.applied and record.kind == "indicators"


def test_it_shows_upload_errors_in_plain_chinese(client, district_staff, reference, tmp_path):
    run(SAMPLE)
    own_futian_complaints()
    client.force_login(district_staff)
    path = workbook(tmp_path, [["2026-11", "福田区", "complaints_total", -1, None, None]])
    with open(path, "rb") as upload:
        response = client.post(reverse("metrics:import"), {"file": upload})
    assert response.status_code == 400
    assert "第2行「数值」：不能为负数" in response.content.decode()
    bad = BytesIO(b"hello")
    bad.name = "x.docx"
    response = client.post(reverse("metrics:import"), {"file": bad})
    assert response.status_code == 400 and "无法识别的文件格式" in response.content.decode()


def test_it_guards_import_and_export_four_ways(client, outsider, leader, water_staff, reference):
    for name in ("metrics:import", "metrics:export"):
        url = reverse(name)
        client.logout()
        assert client.get(url).status_code == 302
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        client.force_login(leader)
        assert client.get(url).status_code == 403
        client.force_login(water_staff)
        assert client.get(url).status_code == 200


def test_it_refuses_a_number_too_large_to_store(reference, tmp_path):
    run(SAMPLE)
    path = workbook(tmp_path, [["2026-11", "全市", "penalty_amount", 1e15, None, None]])
    code, result = run(path)
    assert code == 1 and result["errors"][0]["message"] == "数值过大"

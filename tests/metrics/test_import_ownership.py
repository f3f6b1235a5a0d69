"""The import as each department: only its own indicators, by row and column, all or nothing; notes,
outlier and rule warnings; the definitions sheet's 报送部门; the template of the user's own indicators."""

import json
from datetime import date
from io import BytesIO, StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from metrics.models import Area, Indicator, IndicatorArea, MonthlyValue, ValidationRule, ValueEvent
from tests.metrics.conftest import department, make_indicator, put

HEADER = ["期间", "区域", "指标代码", "数值", "分子", "分母", "说明"]


@pytest.fixture
def owned(reference):
    city, futian = Area.objects.get(is_city=True), Area.objects.get(name="福田区")
    pm25 = make_indicator("pm25", name="PM2.5平均浓度", owner=department("深圳市环境监测中心站"), usual_max=75)
    cases = make_indicator("penalty_cases", name="环境行政处罚案件数", combination="sum", decimals=0)
    cases.owner = department("生态环境综合执法支队")
    cases.save()
    complaints = make_indicator("complaints", name="环境信访投诉量", combination="sum", decimals=0)
    IndicatorArea.objects.create(indicator=complaints, area=futian, owner=department("福田管理局"))
    return {"city": city, "futian": futian, "pm25": pm25, "cases": cases, "complaints": complaints}


def workbook(tmp_path, rows, name="values.xlsx", definitions=None):
    book = Workbook()
    sheet = book.active
    sheet.title = "月度数据"
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    if definitions:
        sheet = book.create_sheet("指标说明")
        for row in definitions:
            sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def run(path, *args):
    out = StringIO()
    try:
        call_command("import_indicators", str(path), "--json", *args, stdout=out)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, json.loads(out.getvalue())


ROWS = [
    ["2026-11", "全市", "pm25", 20, None, 30],
    ["2026-11", "全市", "penalty_cases", 230, None, None],
]


@pytest.mark.parametrize(
    "user, refused_row",
    [
        ("station", 3),  # may import PM2.5, not the enforcement detachment's cases
        ("enforce", 2),
        ("water", 2),  # owns neither: the first refused row is named
        ("futian", 2),
    ],
)
def test_it_refuses_the_rows_a_user_does_not_own_naming_row_and_column_and_writes_nothing(
    tmp_path, owned, station_staff, enforcement_staff, water_staff, district_staff, user, refused_row
):
    code, result = run(workbook(tmp_path, ROWS), "--user", user)
    assert code == 1
    first = result["errors"][0]
    assert (first["row"], first["column"]) == (refused_row, "指标代码")
    assert "填报，你不能导入该行" in first["message"]
    assert not MonthlyValue.objects.exists() and not ValueEvent.objects.exists()


def test_it_imports_as_an_administrator_by_default_and_as_the_owner_when_named(tmp_path, owned, station_staff):
    code, result = run(workbook(tmp_path, ROWS[:1]), "--user", "station")
    assert code == 0 and result["created"] == 1
    value = MonthlyValue.objects.get()
    assert value.updated_by == station_staff
    event = ValueEvent.objects.get()
    assert (event.action, event.via, event.user, event.shown) == ("enter", "import", station_staff, "20 (30)")
    code, result = run(workbook(tmp_path, ROWS))
    assert code == 0 and (result["created"], result["unchanged"]) == (1, 1)
    with pytest.raises(CommandError, match="nobody"):
        call_command("import_indicators", str(workbook(tmp_path, ROWS)), "--user", "nobody", stdout=StringIO())


@pytest.mark.parametrize(
    "user, status, written",
    [("station_staff", 200, True), ("water_staff", 400, False), ("admin_user", 200, True)],
)
def test_it_applies_the_page_import_only_for_the_owner_or_an_administrator(
    client, request, tmp_path, owned, user, status, written
):
    account = request.getfixturevalue(user)
    client.force_login(account)
    with open(workbook(tmp_path, ROWS[:1]), "rb") as upload:
        response = client.post(reverse("metrics:import"), {"file": upload})
    assert response.status_code == status
    if not written:
        assert "第2行「指标代码」" in response.content.decode() and "确认导入" not in response.content.decode()
        assert not MonthlyValue.objects.exists()
        return
    client.post(reverse("metrics:import"), {"token": response.context["token"], "filename": "v.xlsx", "apply": "1"})
    assert MonthlyValue.objects.get().updated_by == account


def test_it_refuses_the_import_page_to_a_reader(client, leader, owned):
    client.force_login(leader)
    assert client.get(reverse("metrics:import")).status_code == 403
    assert client.get(reverse("metrics:import-template")).status_code == 403


def test_it_imports_outliers_with_warnings_and_takes_notes_from_the_note_column(tmp_path, owned, station_staff):
    path = workbook(tmp_path, [["2026-11", "全市", "pm25", 180, None, 30]])
    code, result = run(path, "--user", "station")
    assert code == 0 and result["created"] == 1
    assert [w["message"] for w in result["warnings"]] == [
        "数值180远超常见范围（—75），请核实——提交前须填写异常值说明（“说明”列）"
    ]
    path = workbook(tmp_path, [["2026-11", "全市", "pm25", 180, None, 30, "受沙尘天气影响"]])
    code, result = run(path, "--user", "station")
    assert code == 0 and result["updated"] == 1
    assert "（已说明：受沙尘天气影响）" in result["warnings"][0]["message"]
    assert MonthlyValue.objects.get().note == "受沙尘天气影响"
    assert ValueEvent.objects.count() == 1  # the note alone changes no number


def test_it_warns_of_a_broken_rule_against_the_months_stored_values(tmp_path, owned, district_staff):
    noise = make_indicator("noise", name="建筑施工噪声投诉量", combination="sum", decimals=0)
    IndicatorArea.objects.create(indicator=noise, area=owned["futian"], owner=department("福田管理局"))
    ValidationRule.objects.create(
        text="福田区建筑施工噪声投诉量不能超过福田区环境信访投诉量",
        left_indicator=noise,
        left_area=owned["futian"],
        operator="<=",
        right_indicator=owned["complaints"],
        right_area=owned["futian"],
    )
    put(owned["complaints"], owned["futian"], 2026, 11, 800)
    code, result = run(workbook(tmp_path, [["2026-11", "福田区", "noise", 900, None, None]]), "--user", "futian")
    assert code == 0
    assert result["warnings"] == [
        {
            "row": 2,
            "column": "指标代码",
            "message": "福田区建筑施工噪声投诉量不能超过福田区环境信访投诉量（900 ≤ 800 不成立）",
        }
    ]


DEFINITIONS = [
    ["指标代码", "指标名称", "单位", "改善方向", "汇总方式", "报送部门"],
    ["voc", "VOCs重点企业治理完成数", "家", "higher", "stock", "大气环境处"],
]


def test_it_takes_the_owner_from_the_definitions_sheet(tmp_path, owned):
    path = workbook(tmp_path, [["2026-11", "全市", "voc", 87, None, None]], definitions=DEFINITIONS)
    code, result = run(path)
    assert code == 0 and result["indicators_created"] == 1
    assert Indicator.objects.get(code="voc").owner.name == "大气环境处"
    bad = [DEFINITIONS[0], [*DEFINITIONS[1][:5], "不存在的处"]]
    code, result = run(workbook(tmp_path, [], definitions=bad, name="bad.xlsx"))
    assert code == 1 and result["errors"][0] == {"row": 2, "column": "报送部门", "message": "未知部门“不存在的处”"}


def test_it_refuses_definitions_from_anyone_but_an_administrator(tmp_path, owned, air_staff):
    path = workbook(tmp_path, [], definitions=DEFINITIONS)
    code, result = run(path, "--user", "air")
    assert code == 1 and result["errors"][0]["row"] == 2
    assert "只有管理员可以新增或修改指标定义" in result["errors"][0]["message"]
    assert not Indicator.objects.filter(code="voc").exists()


def test_it_takes_definitions_from_whoever_holds_the_permission_to_change_indicators(tmp_path, owned, air_staff):
    """The permission the admin site asks for, not the 管理员 role's name."""
    air_staff.user_permissions.add(Permission.objects.get(codename="change_indicator"))
    code, result = run(workbook(tmp_path, [], definitions=DEFINITIONS), "--user", "air")
    assert code == 0 and result["indicators_created"] == 1
    assert Indicator.objects.get(code="voc").owner.name == "大气环境处"


def test_it_offers_a_template_with_the_headers_and_the_users_own_indicators(client, owned, district_staff):
    from django.utils import timezone

    client.force_login(district_staff)
    page = client.get(reverse("metrics:import")).content.decode()
    assert reverse("metrics:import-template") in page
    response = client.get(reverse("metrics:import-template"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content))["月度数据"]
    rows = list(sheet.iter_rows(values_only=True))
    today = timezone.localdate()
    last = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
    assert rows[0] == ("期间", "区域", "指标代码", "指标名称", "数值", "分子", "分母", "说明")
    assert rows[1:] == [(f"{last:%Y-%m}", "福田区", "complaints", "环境信访投诉量", None, None, None, None)]


def test_it_imports_a_filled_template_leaving_blank_rows_out(client, owned, station_staff, tmp_path):
    client.force_login(station_staff)
    response = client.get(reverse("metrics:import-template"))
    book = load_workbook(BytesIO(response.content))
    rows = list(book["月度数据"].iter_rows(values_only=True))
    assert [r[2] for r in rows[1:]] == ["pm25"]
    path = tmp_path / "filled.xlsx"
    book.save(path)
    code, result = run(path, "--user", "station")  # unfilled: nothing to import, nothing wrong
    assert code == 0 and result["created"] == 0
    book["月度数据"]["E2"], book["月度数据"]["G2"] = 21.5, 30
    book.save(path)
    code, result = run(path, "--user", "station")
    assert code == 0 and result["created"] == 1 and MonthlyValue.objects.get().value == 21.5

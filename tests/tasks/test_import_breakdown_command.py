import json

import pytest
from django.core.management import call_command

from imports.models import ImportRecord
from tasks.models import Requirement
from teams.models import Department
from tests.tasks.import_files import csv_bytes, media, sample_rows, xlsx_openpyxl  # noqa: F401


def _call(path, *options):
    """(exit code, stdout) of the command."""
    from io import StringIO

    out, err = StringIO(), StringIO()
    try:
        call_command("import_breakdown", str(path), *options, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit:
        code = exit.code
    return code, out.getvalue() + err.getvalue()


def _file(tmp_path, data, name="table.xlsx"):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_it_imports_and_exits_0_with_counts(tmp_path, reference):
    code, out = _call(_file(tmp_path, xlsx_openpyxl()))
    assert code == 0 and "新增 64" in out
    assert Requirement.objects.active().count() == 64
    assert ImportRecord.objects.get().applied


def test_it_prints_the_documented_json_shape(tmp_path, reference):
    code, out = _call(_file(tmp_path, csv_bytes("utf-8-sig"), "t.csv"), "--json")
    assert code == 0
    assert json.loads(out) == {
        "created": 64,
        "updated": 0,
        "unchanged": 0,
        "retired": 0,
        "errors": [],
        "new_departments": [],
        "new_officials": [],
    }


def test_it_writes_nothing_on_a_dry_run(tmp_path, reference):
    code, out = _call(_file(tmp_path, xlsx_openpyxl()), "--dry-run", "--json")
    assert code == 0 and json.loads(out)["created"] == 64
    assert Requirement.objects.count() == 0
    assert not ImportRecord.objects.get().applied


def test_it_exits_1_with_row_and_column_errors_and_writes_nothing(tmp_path, reference):
    rows = sample_rows()
    rows[9][4] = "2026年13月底前"
    rows[20][6] = None
    code, out = _call(_file(tmp_path, xlsx_openpyxl("office", rows)), "--json")
    result = json.loads(out)
    assert code == 1
    assert result["errors"] == [
        {"row": 13, "column": "完成时限", "message": "无法识别的日期“2026年13月底前”"},
        {"row": 24, "column": "责任部门", "message": "未填写责任部门"},
    ]
    assert Requirement.objects.count() == 0


def test_it_prints_errors_in_plain_chinese_without_json(tmp_path, reference):
    rows = sample_rows()
    rows[9][4] = "2026年13月底前"
    code, out = _call(_file(tmp_path, xlsx_openpyxl("office", rows)))
    assert code == 1 and "第13行「完成时限」：无法识别的日期“2026年13月底前”" in out


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64, "t.xls", ".xlsx"),
        (b"just text", "t.pdf", "无法识别的文件格式"),
    ],
)
def test_it_exits_2_when_the_file_cannot_be_read(tmp_path, reference, data, name, message):
    code, out = _call(_file(tmp_path, data, name), "--json")
    assert code == 2 and message in json.loads(out)["errors"][0]["message"]
    assert Requirement.objects.count() == 0


def test_it_exits_2_when_the_path_does_not_exist(tmp_path, reference):
    code, _out = _call(tmp_path / "missing.xlsx")
    assert code == 2


def test_it_creates_new_names_only_with_create_missing(tmp_path, reference):
    rows = sample_rows()
    rows[0][6] = "人事处"
    path = _file(tmp_path, xlsx_openpyxl("office", rows))
    code, out = _call(path, "--json")
    assert code == 1 and json.loads(out)["new_departments"] == ["人事处"]
    assert Requirement.objects.count() == 0 and not Department.objects.filter(name="人事处").exists()
    code, out = _call(path, "--json", "--create-missing")
    assert code == 0 and json.loads(out)["new_departments"] == ["人事处"]
    assert Requirement.objects.active().get(number=1).responsible_names == ["人事处"]


def test_it_reports_unchanged_the_second_time(tmp_path, reference):
    path = _file(tmp_path, xlsx_openpyxl())
    _call(path)
    code, out = _call(path, "--json")
    assert code == 0 and json.loads(out)["unchanged"] == 64 and json.loads(out)["created"] == 0


def test_it_refuses_a_table_with_a_header_but_no_rows_instead_of_retiring_everything(tmp_path, sample_table):
    header_only = "序号,工程,主要任务,具体要求,完成时限,主管领导,责任部门,配合部门\n".encode()
    code, out = _call(_file(tmp_path, header_only, "empty.csv"))
    assert code == 1 and "没有任何具体要求" in out
    assert Requirement.objects.active().count() == 64

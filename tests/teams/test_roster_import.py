import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from teams.importing import plan as reader
from teams.models import ActionTeam, TeamMembership, User
from tests.teams.conftest import make_person, xlsx

URL = reverse("teams:roster-import")
HEADER = ["行动队", "姓名", "所在部门", "队内职务", "加入日期"]
TEAM = "水污染防治战斗队"


def _upload(client, data, name="名单.xlsx"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(URL, {"file": SimpleUploadedFile(name, data)})


def _apply(client, preview):
    return client.post(URL, {"action": "apply", "sha256": preview.context["sha256"]})


def _roster(team_number=1):
    return sorted(
        TeamMembership.objects.filter(team__number=team_number).values_list(
            "user__display_name", "role", "since", "until"
        )
    )


@pytest.fixture
def people(water_team):
    return {
        "deputy": make_person("d", "何清源", "水生态环境处"),
        "member": make_person("m", "孙海涛", "光明管理局"),
    }


def test_it_requires_login(client, reference):
    assert client.get(URL)["Location"].startswith(reverse("login"))
    response = _upload(client, xlsx([HEADER]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_is_not_found_for_an_outsider(client, outsider, people):
    client.force_login(outsider)
    assert client.get(URL).status_code == 404
    assert _upload(client, xlsx([HEADER, [TEAM, "何清源", "", "队员", "2026-04-01"]])).status_code == 404
    assert _roster() == [("water", "leader", date(2026, 3, 1), None)]


@pytest.mark.parametrize("who", ["water_staff", "leader"])
def test_it_is_forbidden_to_all_but_administrators(client, request, who, people):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403
    assert _upload(client, xlsx([HEADER, [TEAM, "何清源", "", "队员", "2026-04-01"]])).status_code == 403
    assert client.post(URL, {"action": "apply", "sha256": "x"}).status_code == 403
    assert _roster() == [("water", "leader", date(2026, 3, 1), None)]


def test_it_previews_then_applies_all_changes(client, admin_user, people, water_staff):
    client.force_login(admin_user)
    assert client.get(URL).status_code == 200
    TeamMembership.objects.create(
        team=ActionTeam.objects.get(number=1), user=make_person("x", "老队员", "水生态环境处"), since=date(2026, 3, 1)
    )
    data = xlsx(
        [
            ["附件", None],
            ["行动队名单"],
            HEADER,  # title rows above the header are skipped
            [TEAM, "water", "水生态环境处", "队长", date(2026, 3, 1)],
            [TEAM, "何清源", "", "副队长", "2026/4/1"],
            [None, None, None, None, None],
            [TEAM, "孙海涛", "光明管理局", "队员", "2026年4月2日"],
        ]
    )
    preview = _upload(client, data)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "新增 2 人，变更 0 人，离队 1 人，未变 1 人" in page
    assert "第5行：何清源 加入 水污染防治战斗队" in page and "老队员" in page
    assert len(_roster()) == 2  # nothing written by the preview
    response = _apply(client, preview)
    assert response.status_code == 302
    today = timezone.localdate()
    assert _roster() == sorted(
        [
            ("water", "leader", date(2026, 3, 1), None),
            ("何清源", "deputy", date(2026, 4, 1), None),
            ("孙海涛", "member", date(2026, 4, 2), None),
            ("老队员", "member", date(2026, 3, 1), today),
        ]
    )
    assert "名单已导入：新增2人，变更0人，离队1人，未变1人" in client.get(response["Location"]).content.decode()
    assert AuditEvent.objects.filter(action="data.import", actor_name=admin_user.username).count() == 1


def test_it_changes_nothing_when_the_same_file_is_imported_twice(client, admin_user, people):
    client.force_login(admin_user)
    data = xlsx([HEADER, [TEAM, "water", "", "副队长", "2026-01-15"], [TEAM, "何清源", "", "队长", "2026-04-01"]])
    _apply(client, _upload(client, data))
    first = _roster()
    again = _upload(client, data)
    assert "新增 0 人，变更 0 人，离队 0 人，未变 2 人" in again.content.decode()
    _apply(client, again)
    assert _roster() == first


def test_it_keeps_the_earlier_role_when_a_later_date_is_given(client, admin_user, people):
    client.force_login(admin_user)
    preview = _upload(client, xlsx([HEADER, [TEAM, "water", "", "副队长", "2026-07-01"]]))
    assert "队内职务 队长 → 副队长" in preview.content.decode()
    _apply(client, preview)
    assert _roster() == [
        ("water", "deputy", date(2026, 7, 1), None),
        ("water", "leader", date(2026, 3, 1), date(2026, 6, 30)),
    ]


def test_it_round_trips_an_export_with_no_changes(client, admin_user, people, reference):
    team = ActionTeam.objects.get(number=1)
    for key, person in people.items():
        TeamMembership.objects.create(
            team=team,
            user=person,
            role="deputy" if key == "deputy" else "member",
            since=date(2026, 3, 10),
            department=person.departments.first(),
        )
    TeamMembership.objects.create(team=ActionTeam.objects.get(number=2), user=people["member"], since=date(2026, 5, 1))
    client.force_login(admin_user)
    exported = client.get(reverse("teams:roster-export")).content
    before = list(TeamMembership.objects.order_by("pk").values_list())
    preview = _upload(client, exported)
    assert "新增 0 人，变更 0 人，离队 0 人，未变 4 人" in preview.content.decode()
    _apply(client, preview)
    assert list(TeamMembership.objects.order_by("pk").values_list()) == before


def test_it_reads_a_file_written_by_xlsxwriter(client, admin_user, people):
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    # Columns in another order, a synonym header, and the team's quotes typed differently.
    for col, text in enumerate(["姓名", "职务", "行动队名称", "加入日期", "部门"]):
        sheet.write(0, col, text)
    sheet.write_row(1, 0, ["water", "队长", TEAM])
    sheet.write_datetime(1, 3, timezone.datetime(2026, 3, 1), date_format)
    sheet.write_row(2, 0, ["何清源", "成员", "深圳蓝特别行动队"])
    sheet.write_datetime(2, 3, timezone.datetime(2026, 5, 1), date_format)
    workbook.close()
    client.force_login(admin_user)
    preview = _upload(client, buffer.getvalue())
    assert preview.context["plan"].errors == []
    _apply(client, preview)
    assert _roster(2) == [("何清源", "member", date(2026, 5, 1), None)]
    assert _roster(1) == [("water", "leader", date(2026, 3, 1), None)]


@pytest.mark.parametrize(
    "row, message",
    [
        (["不存在的队", "何清源", "", "队员", "2026-04-01"], "第2行「行动队」：没有名为“不存在的队”的行动队"),
        ([TEAM, "", "", "队员", "2026-04-01"], "第2行「姓名」：未填写姓名"),
        ([TEAM, "何清源", "", "组长", "2026-04-01"], "第2行「队内职务」：无法识别的职务“组长”：应为队长、副队长或队员"),
        ([TEAM, "何清源", "", "队员", "2026-13-01"], "第2行「加入日期」：无法识别的日期“2026-13-01”"),
        ([TEAM, "何清源", "", "队员", ""], "第2行「加入日期」：未填写加入日期"),
        ([TEAM, "何清源", "人事处", "队员", "2026-04-01"], "第2行「所在部门」：没有名为“人事处”的部门"),
        ([TEAM, "=A1", "", "队员", "2026-04-01"], "第2行「姓名」：此处应为数值，不能是公式“=A1”"),
        ([TEAM, "何清源" * 100, "", "队员", "2026-04-01"], "第2行「姓名」：内容超过200字"),
    ],
)
def test_it_names_row_and_column_of_each_error_and_writes_nothing(client, admin_user, people, row, message):
    client.force_login(admin_user)
    preview = _upload(client, xlsx([HEADER, row, [TEAM, "water", "", "队长", "2026-03-01"]]))
    page = preview.content.decode()
    assert message in page
    assert "确认导入" not in page
    assert client.post(URL, {"action": "apply", "sha256": preview.context["sha256"]}).status_code == 302
    assert _roster() == [("water", "leader", date(2026, 3, 1), None)]


def test_it_reports_a_person_listed_twice(client, admin_user, people):
    client.force_login(admin_user)
    page = _upload(
        client, xlsx([HEADER, [TEAM, "何清源", "", "队员", "2026-04-01"], [TEAM, "何清源", "", "队长", "2026-04-01"]])
    ).content.decode()
    assert "第3行「姓名」：何清源在水污染防治战斗队中重复出现（另见第2行）" in page


def test_it_reports_missing_columns_and_missing_header(client, admin_user, people):
    client.force_login(admin_user)
    page = _upload(client, xlsx([["行动队", "姓名"], [TEAM, "何清源"]])).content.decode()
    assert "第1行「表头」：缺少列：队内职务、加入日期" in page
    page = _upload(client, xlsx([["随便", "什么"], ["a", "b"]])).content.decode()
    assert "找不到表头" in page


def test_it_lists_people_who_are_not_users_and_creates_nobody(client, admin_user, people):
    client.force_login(admin_user)
    users = User.objects.count()
    preview = _upload(
        client,
        xlsx(
            [
                HEADER,
                [TEAM, "何清源", "", "队员", "2026-04-01"],
                [TEAM, "张未注册", "水生态环境处", "队员", "2026-04-01"],
            ]
        ),
    )
    page = preview.content.decode()
    assert "以下人员尚无系统账号，不会自动创建" in page and "第3行：张未注册（水生态环境处）" in page
    assert "确认导入" not in page
    client.post(URL, {"action": "apply", "sha256": preview.context["sha256"]})
    assert User.objects.count() == users
    assert _roster() == [("water", "leader", date(2026, 3, 1), None)]


def test_it_uses_the_department_to_tell_people_with_the_same_name_apart(client, admin_user, people):
    twin = make_person("twin", "何清源", "大气环境处")
    client.force_login(admin_user)
    page = _upload(client, xlsx([HEADER, [TEAM, "何清源", "", "队员", "2026-04-01"]])).content.decode()
    assert "第2行「姓名」：有2名同名人员“何清源”，请在「所在部门」列注明部门" in page
    preview = _upload(
        client,
        xlsx([HEADER, [TEAM, "water", "", "队长", "2026-03-01"], [TEAM, "何清源", "大气环境处", "队员", "2026-04-01"]]),
    )
    _apply(client, preview)
    assert TeamMembership.objects.get(team__number=1, user__display_name="何清源").user == twin


@pytest.mark.parametrize(
    "data, name, message",
    [
        (b"just some text", "名单.xlsx", "无法识别的文件格式"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "名单.xls", "旧版 Excel（.xls）"),
        (b"PK\x03\x04 broken zip", "名单.xlsx", "文件已损坏"),
    ],
)
def test_it_explains_files_it_cannot_read(client, admin_user, people, data, name, message):
    client.force_login(admin_user)
    response = _upload(client, data, name)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_it_refuses_a_zip_that_inflates_too_far(client, admin_user, people, monkeypatch):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/big.xml", b"\0" * (3 * 1024 * 1024))
    assert len(buffer.getvalue()) < 50 * 1024
    monkeypatch.setattr(reader, "MAX_UNPACKED_BYTES", 1024 * 1024)
    client.force_login(admin_user)
    response = _upload(client, buffer.getvalue())
    assert response.status_code == 400 and "解压后过大" in response.content.decode()


def test_it_refuses_too_many_rows_and_too_large_files(client, admin_user, people, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 3)
    client.force_login(admin_user)
    rows = [HEADER] + [[TEAM, "water", "", "队长", "2026-03-01"]] * 5
    assert "超过上限 3 行" in _upload(client, xlsx(rows)).content.decode()
    monkeypatch.setattr(reader, "MAX_BYTES", 100)
    assert "文件过大" in _upload(client, xlsx(rows)).content.decode()


def test_it_refuses_an_apply_without_a_preview(client, admin_user, people):
    client.force_login(admin_user)
    response = client.post(URL, {"action": "apply", "sha256": "0" * 64})
    assert response.status_code == 302
    assert "预览已过期" in client.get(response["Location"]).content.decode()


def test_it_refuses_an_apply_when_the_database_changed_since_the_preview(client, admin_user, people):
    client.force_login(admin_user)
    preview = _upload(client, xlsx([HEADER, [TEAM, "何清源", "", "队员", "2026-04-01"]]))
    people["deputy"].is_active = False
    people["deputy"].save()
    response = _apply(client, preview)
    assert "名单在预览后已不能应用" in client.get(response["Location"]).content.decode()
    assert _roster() == [("water", "leader", date(2026, 3, 1), None)]


def test_it_shows_an_error_for_an_empty_form(client, admin_user, people):
    client.force_login(admin_user)
    response = client.post(URL, {})
    assert response.status_code == 400 and 'class="error"' in response.content.decode()


def test_it_is_all_or_nothing_when_a_write_fails(client, admin_user, people, monkeypatch):
    from teams.importing import apply

    client.force_login(admin_user)
    preview = _upload(
        client, xlsx([HEADER, [TEAM, "何清源", "", "队员", "2026-04-01"], [TEAM, "孙海涛", "", "队员", "2026-04-01"]])
    )

    calls = []

    def failing_add(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(**kwargs)

    original = apply.membership_add
    monkeypatch.setattr(apply, "membership_add", failing_add)
    with pytest.raises(RuntimeError):
        _apply(client, preview)
    assert _roster() == [("water", "leader", date(2026, 3, 1), None)]

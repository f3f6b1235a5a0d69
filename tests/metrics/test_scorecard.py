"""The department scorecard made of rules (metrics/scoring.py), with scores worked out by hand."""

from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from audit.models import Action, AuditEvent
from metrics.bulletin import build_bulletin
from metrics.models import Bulletin, ScoreRule
from metrics.present import present
from tasks.models import Acknowledgement, JournalEntry, Requirement, Status, SupervisionNotice
from teams.models import Department
from tests.factories import make_breakdown, make_requirement


def _at(day):
    return timezone.make_aware(datetime.combine(day, time(10)))


@pytest.fixture
def scene(reference):
    """June 2026, the table in force since January:

    water: one dated item overdue since 05-31 (−5) with a red notice issued 06-10 (−3), a monthly report
           owed for May and past the grace at 06-30 (−2), one item returned for rework on 06-15 (−2):
           100 − 5 − 3 − 2 − 2 = 88.
    air:   one item overdue (−5) and one completed on 06-20 for a 06-30 deadline (+1): 100 − 5 + 1 = 96.
    third: one item overdue (−5): 95.
    fourth: one item due 05-31 applied for on 06-05 and closed on 06-08, completed late (−5): 95, tied with third.
    fifth: one item completed on time in June (+1, but never above the base): 100.
    sixth: one item due in December, nothing else: 本月无到期事项, unranked.
    """
    make_breakdown(starts_on=date(2026, 1, 1))
    water, air = Department.objects.get(name="水生态环境处"), Department.objects.get(name="大气环境处")
    third, fourth, fifth, sixth = Department.objects.exclude(pk__in=[water.pk, air.pk]).order_by("sort_order", "pk")[:4]
    overdue = make_requirement(due_date=date(2026, 5, 31), progress=50, responsible=[water])
    SupervisionNotice.objects.create(
        year=2026,
        serial=1,
        requirement=overdue,
        colour="red",
        reason="overdue",
        addressee=water.name,
        asked="请说明",
        issued_on=date(2026, 6, 10),
        response_due=date(2026, 6, 15),
    )
    make_requirement(
        deadline_kind="recurring",
        recurrence="monthly",
        deadline_text="每月",
        responsible=[water],
        reported_through=date(2026, 4, 30),
    )
    returned = make_requirement(due_date=date(2026, 12, 31), progress=60, responsible=[water])
    JournalEntry.objects.create(
        requirement=returned,
        kind=JournalEntry.Kind.COMPLETION_RETURN,
        created_at=_at(date(2026, 6, 15)),
        status_before=Status.IN_PROGRESS,
        status_after=Status.IN_PROGRESS,
        note="退回整改",
    )
    make_requirement(due_date=date(2026, 4, 30), progress=10, responsible=[air])

    def completed(department, applied, closed, due):
        r = make_requirement(
            due_date=due, progress=100, status=Status.COMPLETED, completed_on=applied, responsible=[department]
        )
        JournalEntry.objects.create(
            requirement=r,
            kind=JournalEntry.Kind.COMPLETION_CLOSE,
            created_at=_at(closed),
            status_before=Status.IN_PROGRESS,
            status_after=Status.COMPLETED,
            progress_before=80,
            progress_after=100,
        )
        return r

    completed(air, date(2026, 6, 20), date(2026, 6, 22), date(2026, 6, 30))
    make_requirement(due_date=date(2026, 3, 31), progress=0, responsible=[third])
    completed(fourth, date(2026, 6, 5), date(2026, 6, 8), date(2026, 5, 31))
    completed(fifth, date(2026, 6, 1), date(2026, 6, 3), date(2026, 6, 30))
    make_requirement(due_date=date(2026, 12, 31), progress=40, responsible=[sixth])
    return {"water": water, "air": air, "third": third, "fourth": fourth, "fifth": fifth, "sixth": sixth}


def _rows(data):
    return {r["department"]: r for r in data["scorecard"]["rows"]}


def test_it_scores_each_department_from_its_events_by_the_rules(scene):
    rows = _rows(build_bulletin(2026, 6, today=date(2026, 7, 2)))
    water = rows[scene["water"].name]
    assert water["score"] == "88.0"
    assert {e["event"]: (e["count"], e["points"]) for e in water["events"]} == {
        "overdue": (1, "-5"),
        "red_notice": (1, "-3"),
        "late_report": (1, "-2"),
        "rework": (1, "-2"),
    }
    assert rows[scene["air"].name]["score"] == "96.0"
    assert rows[scene["third"].name]["score"] == rows[scene["fourth"].name]["score"] == "95.0"
    assert rows[scene["fifth"].name]["score"] == "100.0"  # +1 does not lift it above the base
    assert rows[scene["sixth"].name]["nothing_due"] and rows[scene["sixth"].name]["rank"] is None


def test_it_ranks_ties_together_after_the_tie_break_and_leaves_idle_departments_unranked(scene):
    rows = build_bulletin(2026, 6, today=date(2026, 7, 2))["scorecard"]["rows"]
    placing = [(r["department"], r["rank"], r["tied"]) for r in rows]
    assert placing == [
        (scene["fifth"].name, 1, False),
        (scene["air"].name, 2, False),
        (scene["third"].name, 3, True),  # 95 and 95, one overdue each: the departments' order decides
        (scene["fourth"].name, 3, True),
        (scene["water"].name, 5, False),
        (scene["sixth"].name, None, False),
    ]


def test_it_follows_the_rules_an_administrator_changes(scene):
    ScoreRule.objects.filter(event="overdue").update(points=Decimal("-10"))
    ScoreRule.objects.filter(event="red_notice").update(is_active=False)
    rows = _rows(build_bulletin(2026, 6, today=date(2026, 7, 2)))
    assert rows[scene["water"].name]["score"] == "86.0"  # 100 − 10 − 2 − 2, the red notice no longer counts
    assert rows[scene["air"].name]["score"] == "91.0"  # 100 − 10 + 1


def test_it_prints_the_rules_and_each_departments_events(scene):
    data = present(build_bulletin(2026, 6, today=date(2026, 7, 2)))
    assert data["scorecard"]["rules_text"] == (
        "基础分100分；逾期事项每项−5分；反馈逾期事项每项−2分；退回整改每次−2分；红色督办单每次−3分；"
        "按期完成事项每项+1分（加至基础分为止）。"
    )
    water = _rows(data)[scene["water"].name]
    overdue, late = water["events"][0]["items"][0], water["events"][1]["items"][0]
    assert [e["text"] for e in water["events"]][:2] == [
        f"逾期事项1项（第{overdue}项）−5",
        f"反馈逾期事项1项（第{late}项）−2",
    ]


def test_a_published_bulletin_keeps_the_rules_it_used(scene, admin_user):
    facts = build_bulletin(2026, 6, today=date(2026, 7, 2))
    Bulletin.objects.create(month=date(2026, 6, 1), version=1, issue_number=1, published_by=admin_user, data=facts)
    before = present(Bulletin.objects.get().data)
    ScoreRule.objects.filter(event="overdue").update(points=Decimal("-10"))
    after = present(Bulletin.objects.get().data)
    assert after["scorecard"] == before["scorecard"]
    assert "逾期事项每项−5分" in after["scorecard"]["formula"]
    assert _rows(after)[scene["water"].name]["score"] == "88.0"
    with translation.override("en"):
        english = present(Bulletin.objects.get().data)
    assert "−5" in english["scorecard"]["rules_text"] and "逾期" not in english["scorecard"]["rules_text"]


def test_it_shows_the_rules_and_events_on_the_bulletin_page(client, leader, scene):
    client.force_login(leader)
    page = client.get(reverse("metrics:bulletin", args=["2026", "06"])).content.decode()
    assert "基础分100分；逾期事项每项−5分" in page
    assert "红色督办单1次（第" in page and "<strong>88.0</strong>" in page
    assert "并列第3" in page and "本月无到期事项" in page


def test_an_administrator_changes_a_rule_in_the_admin_and_it_is_recorded(client, admin_user, leader, reference):
    client.force_login(leader)
    assert client.get(reverse("admin:metrics_scorerule_changelist")).status_code == 302  # not the admin's user
    client.force_login(admin_user)  # the 管理员 role holds view/change of the rules
    rule = ScoreRule.objects.get(event="overdue")
    url = reverse("admin:metrics_scorerule_change", args=[rule.pk])
    response = client.post(url, {"points": "-6", "is_active": "on", "sort_order": "1"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.points == Decimal("-6") and rule.updated_by == admin_user
    assert AuditEvent.objects.filter(action=Action.SCORE_RULE_CHANGE).count() == 1
    # A penalty cannot be made a bonus.
    response = client.post(url, {"points": "3", "is_active": "on", "sort_order": "1"})
    assert response.status_code == 200 and ScoreRule.objects.get(pk=rule.pk).points == Decimal("-6")
    base = ScoreRule.objects.get(event="base")
    response = client.post(
        reverse("admin:metrics_scorerule_change", args=[base.pk]), {"points": "100", "sort_order": "0"}
    )  # is_active unticked
    assert response.status_code == 200 and ScoreRule.objects.get(pk=base.pk).is_active  # the base stays on
    assert client.post(reverse("admin:metrics_scorerule_delete", args=[rule.pk]), {"post": "yes"}).status_code == 403


SCORECARD = reverse("metrics:scorecard", args=["2026", "06"])


def test_the_scorecard_page_lists_each_departments_events_with_links_to_the_items(client, leader, scene):
    client.force_login(leader)
    page = client.get(SCORECARD).content.decode()
    assert "基础分100分；逾期事项每项−5分" in page
    assert "红色督办单" in page and "<strong>88.0</strong>" in page and "本月无到期事项" in page
    assert page.count('href="/requirements/') >= 6  # water's four events, air's two, …
    assert "调整评分规则" not in page  # a leader reads the rules, an administrator changes them


def test_the_scorecard_page_offers_the_rules_to_an_administrator(client, admin_user, scene):
    client.force_login(admin_user)
    page = client.get(SCORECARD).content.decode()
    assert reverse("admin:metrics_scorerule_changelist") in page


def test_the_scorecard_page_answers_anonymous_outsider_and_bad_months(client, outsider, scene):
    response = client.get(SCORECARD)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert client.get(SCORECARD).status_code == 404
    client.logout()


def test_the_scorecard_page_answers_404_for_a_month_that_does_not_exist(client, leader, scene):
    client.force_login(leader)
    assert client.get("/bulletin/2026-13/scorecard/").status_code == 404


def test_it_states_the_signed_for_rate_at_the_months_end(scene, leader):
    first, second, third = Requirement.objects.order_by("pk")[:3]
    # Assigned Monday 06-22: signed 06-23; unsigned at 06-30 (6 working days); signed only on 07-02 (after the
    # month's end, so unsigned for June) — 1 of 3 signed, 33.3 %, two late beyond 2 working days.
    Acknowledgement.objects.create(
        requirement=first,
        department=scene["water"],
        assigned_at=_at(date(2026, 6, 22)),
        signed_at=_at(date(2026, 6, 23)),
        signed_by=leader,
    )
    Acknowledgement.objects.create(requirement=second, department=scene["water"], assigned_at=_at(date(2026, 6, 22)))
    Acknowledgement.objects.create(
        requirement=third,
        department=scene["air"],
        assigned_at=_at(date(2026, 6, 22)),
        signed_at=_at(date(2026, 7, 2)),
        signed_by=leader,
    )
    # Assigned on 07-01: not owed in June.
    Acknowledgement.objects.create(requirement=first, department=scene["air"], assigned_at=_at(date(2026, 7, 1)))
    signing = build_bulletin(2026, 6, today=date(2026, 7, 2))["signing"]
    assert (signing["owed"], signing["signed"], signing["rate"]) == (3, 1, "33.3")
    assert [(row["number"], row["department"], row["working_days"]) for row in signing["late"]] == [
        (second.number, "水生态环境处", 6),
        (third.number, "大气环境处", 6),
    ]


def test_a_bulletin_published_before_the_rules_keeps_its_fixed_weight_scorecard(client, leader, scene):
    facts = build_bulletin(2026, 6, today=date(2026, 7, 2))
    # As schema 2 stored it: no rules, the fixed-weight columns, none of the loop's lists.
    facts["schema"] = 2
    facts["scorecard"] = {
        "rows": [
            {
                "department": "水生态环境处",
                "responsible": 3,
                "due": 1,
                "on_time": 0,
                "overdue": 1,
                "reports_due": 1,
                "reports_on_time": 0,
                "on_time_rate": "0.0",
                "report_rate": "0.0",
                "score": "0.0",
                "nothing_due": False,
                "rank": 1,
                "tied": False,
            }
        ]
    }
    for key in ("red_notices", "signing", "instructions"):
        del facts[key]
    Bulletin.objects.create(month=date(2026, 6, 1), version=1, issue_number=1, published_by=leader, data=facts)
    client.force_login(leader)
    page = client.get(reverse("metrics:bulletin", args=["2026", "06"])).content.decode()
    assert "综合得分 = 按期完成率 × 60 + 按时反馈率 × 40 − 逾期项数 × 5" in page
    assert "四、逾期及风险事项" in page and "五、生态环境指标" in page and "领导交办事项" not in page
    assert "基础分100分" not in page
    sheet = load_workbook(BytesIO(client.get(reverse("metrics:bulletin-xlsx", args=["2026", "06"])).content))[
        "部门排名"
    ]
    assert [c.value for c in sheet[2]][:4] == ["名次", "责任部门", "牵头事项", "应完成"]


def test_the_xlsx_lists_each_departments_events(client, leader, scene):
    client.force_login(leader)
    response = client.get(reverse("metrics:bulletin-xlsx", args=["2026", "06"]))
    sheet = load_workbook(BytesIO(response.content))["部门排名"]
    rows = {row[1]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
    water = rows["水生态环境处"]
    assert water[0] == 5 and water[4] == 88
    assert "逾期事项1项" in water[3] and "红色督办单1次" in water[3] and "退回整改1次" in water[3]
    assert rows[scene["sixth"].name][0] == "本月无到期事项"

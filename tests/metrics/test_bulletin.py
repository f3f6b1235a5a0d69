import json
import re
from datetime import date, timedelta
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from metrics.bulletin import build_bulletin
from metrics.models import Area, Bulletin, MonthlyValue
from tasks.models import Requirement
from tests.metrics.conftest import make_indicator, put

URL = reverse("metrics:bulletin", args=["2026", "06"])


def _row(page, code, area="全市"):
    """The text of the indicator table's row for the code, tags stripped and spaces collapsed."""
    match = re.search(rf'<tr data-code="{code}">(.*?)</tr>', page, re.S)
    assert match, code
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(1)))


def test_it_states_the_reported_first_half_figures_on_the_page(client, leader, sample_indicators):
    client.force_login(leader)
    page = client.get(URL).content.decode()
    assert "打造生态环境保护铁军工作通报（2026年6月）" in page
    pm25 = _row(page, "pm25")
    assert " 21.1 " in pm25 and " 25.7 " in pm25 and "同比下降4.6微克/立方米" in pm25
    assert "（−17.9%）" in pm25  # -4.6 / 25.7 = -17.90 %
    good = _row(page, "good_air_days")
    assert " 98.9 " in good and " 97.2 " in good and "179/181" in good and "同比上升1.7个百分点" in good
    # The basis stated as the bureau's own report states it, then what remains of the demo's 2026 targets:
    # PM2.5 ≤ 20: (20 × (181 + 184) − 3819.9) / 184 = 3480.1 / 184 = 18.91… (Σ(value × days) of January–June:
    # 29.4×31 + 26.1×28 + 24×31 + 19.5×30 + 14.7×31 + 13.1×30 = 3819.9); good-air days ≥ 96 %: the year
    # projected as 181 / 6 × 12 = 362 days, at most 14 not good (348 / 362 = 96.13 %; 15 would print 95.9),
    # 2 so far: 12 more; the rest need (0.96 × 362 − 179) / 181 = 93.10…%.
    assert (
        "1—6月，全市PM2.5平均浓度为21.1微克/立方米，比去年同期（25.7微克/立方米）下降4.6微克/立方米，"
        "完成年度目标（≤20.0微克/立方米），剩余月份PM2.5平均浓度须≤18.9微克/立方米；"
        "空气质量优良天数比例为98.9%，比去年同期（97.2%）上升1.7个百分点，"
        "完成年度目标（≥96.0%），全年尚可有12天未达标（剩余月份须≥93.1%）"
    ) in page
    black = _row(page, "black_odorous_eliminated")
    assert " 146 " in black and "159" in black and "91.8%" in black


def test_it_states_the_same_figures_in_the_json_of_the_command(sample_indicators):
    out = StringIO()
    call_command("bulletin", "2026-06", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    rows = {r["code"]: r for r in data["indicators"] if r["is_city"]}
    assert (rows["pm25"]["ytd"], rows["pm25"]["last_ytd"], rows["pm25"]["change"]["absolute"]) == (
        "21.1",
        "25.7",
        "-4.6",
    )
    assert rows["pm25"]["change"]["improved"] is True
    good = rows["good_air_days"]
    assert (good["ytd"], good["last_ytd"], good["change"]["absolute"], good["ytd_detail"]) == (
        "98.9",
        "97.2",
        "1.7",
        "179/181",
    )
    assert good["change"]["in_points"] is True
    assert rows["air_rank_168"]["ytd"] == "3"
    assert rows["pm25"]["change"]["relative"] == "-17.9"
    assert rows["lab_pass_rate"]["change"]["text"] == "同比持平"
    assert data["progress"]["overall"]["requirements"] == 0  # no task table loaded in this test


def test_it_prints_the_narrative_as_text(sample_indicators):
    out = StringIO()
    call_command("bulletin", "2026-06", stdout=out)
    text = out.getvalue()
    assert text.startswith("打造生态环境保护铁军工作通报（2026年6月）")
    assert "实验室能力验证合格率为100.0%，同比持平" in text


def test_it_refuses_a_malformed_month_in_the_command(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("bulletin", "2026-13")


def test_it_says_first_month_without_a_range_and_missing_as_missing(client, leader, sample_indicators):
    client.force_login(leader)
    page = client.get(reverse("metrics:bulletin", args=["2026", "01"])).content.decode()
    assert "1月，全市PM2.5平均浓度为" in page and "1—1月" not in page
    MonthlyValue.objects.filter(indicator__code="penalty_cases", month=date(2026, 2, 1)).delete()
    page = client.get(reverse("metrics:bulletin", args=["2026", "02"])).content.decode()
    penalty = _row(page, "penalty_cases")
    assert "暂缺" in penalty and "2月数据暂缺，同比按可比月份计算" in penalty
    assert " 0 " not in penalty
    # Like for like: January alone on both sides (263 this January, 262 last January in the sample).
    assert " 263 " in penalty and " 262 " in penalty


def test_it_counts_progress_by_pillar_with_the_change_since_last_month(client, leader, sample_table):
    from tasks.models import JournalEntry, Requirement

    requirement = Requirement.objects.get(number=2)
    JournalEntry.objects.create(
        requirement=requirement,
        kind="report",
        status_before="not_started",
        status_after="completed",
        progress_before=0,
        progress_after=100,
        created_at=__import__("django.utils.timezone", fromlist=["x"]).make_aware(
            __import__("datetime").datetime(2026, 6, 10, 10)
        ),
    )
    Requirement.objects.filter(pk=requirement.pk).update(status="completed", progress=100)
    out = StringIO()
    call_command("bulletin", "2026-06", "--format", "json", stdout=out)
    progress = json.loads(out.getvalue())["progress"]
    assert progress["overall"]["requirements"] == 64 and progress["overall"]["tasks"] == 20
    assert sum(progress["overall"][c] for c in ("completed", "on_track", "due_soon", "overdue", "postponed")) == 64
    assert progress["overall"]["completed"] == 1 and progress["overall"]["change"]["completed"] == 1
    assert len(progress["pillars"]) == 4
    out = StringIO()
    call_command("bulletin", "2026-05", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["progress"]["overall"]["completed"] == 0  # as of 31 May: not yet


def test_it_prints_the_scorecard_formula_and_ranks_from_data(client, leader, sample_table, sample_indicators):
    client.force_login(leader)
    response = client.get(URL)
    page = response.content.decode()
    assert (
        "基础分100分；逾期事项每项−5分；反馈逾期事项每项−2分；退回整改每次−2分；红色督办单每次−3分；"
        "按期完成事项每项+1分（加至基础分为止）。" in page
    )
    rows = [r for r in response.context["data"]["scorecard"]["rows"] if r["rank"] is not None]
    assert rows and [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    risk = response.context["data"]["at_risk"]
    assert risk and all(r["departments"] and r["officials"] for r in risk)
    assert "逾期及风险事项" in page


@pytest.mark.parametrize("path", ["2026-13", "2026-00", "1999-05"])
def test_it_answers_404_for_months_that_do_not_exist(client, leader, path):
    client.force_login(leader)
    assert client.get(f"/bulletin/{path}/").status_code == 404


def test_it_answers_404_for_a_version_that_does_not_exist(client, leader, sample_indicators):
    client.force_login(leader)
    # Nothing published: a version asked for is not there either, never the live draft in its place.
    for asked in ("9", "abc", "-1", "1\x00"):
        response = client.get(URL, {"version": asked})
        assert response.status_code == 404 and "发布通报" not in response.content.decode()
    assert client.get(URL, {"version": "9", "draft": "1"}).status_code == 200  # the draft, asked for as such

    Bulletin.objects.create(month=date(2026, 6, 1), version=1, published_by=leader, data={})
    assert client.get(URL, {"version": "abc"}).status_code == 404


def test_it_requires_login(client, sample_indicators):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_hides_the_bulletin_from_an_account_without_a_role(client, outsider):
    client.force_login(outsider)
    assert client.get(URL).status_code == 404
    assert client.get(reverse("metrics:bulletin-latest")).status_code == 404


def test_it_lets_leaders_administrators_and_staff_read_it(client, leader, admin_user, water_staff, sample_indicators):
    for user in (leader, admin_user, water_staff):
        client.force_login(user)
        assert client.get(URL).status_code == 200


def test_it_opens_the_latest_month_and_the_picked_month(client, leader, sample_indicators):
    client.force_login(leader)
    assert client.get(reverse("metrics:bulletin-latest"))["Location"] == "/bulletin/2026-10/"
    assert client.get(reverse("metrics:bulletin-latest"), {"month": "2026-03"})["Location"] == "/bulletin/2026-03/"
    assert client.get(reverse("metrics:bulletin-latest"), {"month": "2026-99"})["Location"] == "/bulletin/2026-10/"


def test_it_exports_the_bulletin_tables_to_xlsx(client, leader, sample_indicators):
    client.force_login(leader)
    response = client.get(reverse("metrics:bulletin-xlsx", args=["2026", "06"]))
    assert response.status_code == 200
    workbook = load_workbook(BytesIO(response.content))
    assert {"任务进展", "部门排名", "逾期及风险事项", "环境指标", "通报正文"} <= set(workbook.sheetnames)
    rows = list(workbook["环境指标"].iter_rows(values_only=True))
    pm25 = next(r for r in rows if r[0] == "PM2.5平均浓度")
    assert pm25[4] == 21.1 and pm25[5] == 25.7


def _history(first, last):
    from metrics.models import Indicator

    pm25 = Indicator.objects.filter(code="pm25").first() or make_indicator("pm25", is_headline=True)
    good = Indicator.objects.filter(code="good").first() or make_indicator(
        "good", combination="ratio", unit="%", direction="higher", is_headline=True
    )
    city = Area.objects.get(is_city=True)
    for year in range(first, last + 1):
        for month in range(1, 13):
            put(pm25, city, year, month, value=20 + month, denominator=30)
            put(good, city, year, month, numerator=28, denominator=30)


def _count(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_it_reads_the_bulletin_in_the_same_number_of_queries_whatever_the_history(client, leader, sample_table):
    _history(2026, 2026)
    client.force_login(leader)
    client.get(URL)  # warm the session and content-type caches
    one_year = _count(client)
    _history(2022, 2025)
    five_years = _count(client)
    # Session, user, roles, own and role permissions, published versions, month state; the table's requirements
    # and the 领导交办事项 with their officials and their states at both month ends (one query), assignments,
    # departments; indicator values with indicators and areas; the score rules, red notices and acknowledgements;
    # the reporting line (four: indicators, areas, reporting areas, the month's entry times).
    assert one_year == five_years and one_year <= 19, (one_year, five_years)


def test_it_shows_a_month_without_anything_in_its_year_as_a_plain_page(client, admin_user, sample_indicators):
    client.force_login(admin_user)
    response = client.get(reverse("metrics:bulletin", args=["2030", "02"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "2030年1月至2月没有任何指标数据" in page and "2030年2月尚未结束" in page
    assert "发布通报" not in page and "<article" not in page
    assert client.get(reverse("metrics:bulletin-docx", args=["2030", "02"])).status_code == 404


def test_it_does_not_report_the_table_for_a_month_before_it_took_effect(client, admin_user, sample_table):
    """The table takes effect on 2026-01-01: December 2025 has nothing of it to report, and a month that
    has no indicator value either is the plain page, with nothing to publish or download."""
    assert Requirement.objects.first().breakdown.starts_on == date(2026, 1, 1)
    assert build_bulletin(2025, 12)["progress"]["overall"]["requirements"] == 0
    assert build_bulletin(2026, 1)["progress"]["overall"]["requirements"] == 64
    client.force_login(admin_user)
    page = client.get(reverse("metrics:bulletin", args=["2025", "12"])).content.decode()
    assert "2025年1月至12月没有任何指标数据，任务分解表在该月也尚未施行" in page
    assert "发布通报" not in page and "<article" not in page and "64项具体要求" not in page
    assert client.get(reverse("metrics:bulletin-docx", args=["2025", "12"])).status_code == 404
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("bulletin", "2025-12", "--publish", "--reason", "补发", stdout=out)
    assert not Bulletin.objects.exists()


def test_it_says_the_table_was_not_in_force_in_a_month_of_indicators_only(sample_table, sample_indicators):
    out = StringIO()
    call_command("bulletin", "2025-12", "--format", "text", stdout=out)
    text = out.getvalue()
    assert "截至12月底，任务分解表尚未施行，无任务推进情况。" in text and "0项具体要求" not in text
    assert "1—12月，全市PM2.5平均浓度为" in text  # the indicators are reported as usual


def test_it_renders_the_article_anew_when_its_data_or_the_language_changes(client, leader, sample_indicators):
    """The article's rendering is cached by a digest of its data: a changed figure is a new article,
    even when the change leaves no trace a version number could follow (a bare UPDATE)."""
    client.force_login(leader)
    assert "同比下降4.6微克/立方米" in _row(client.get(URL).content.decode(), "pm25")
    MonthlyValue.objects.filter(indicator__code="pm25", month=date(2026, 3, 1)).update(value=40)
    changed = _row(client.get(URL).content.decode(), "pm25")
    assert " 21.1 " not in changed and "同比下降4.6微克/立方米" not in changed
    client.post(reverse("set_language"), {"language": "en", "next": URL})
    english = client.get(URL).content.decode()
    assert "1. Overview" in english and "一、总体情况" not in english


def test_it_compares_the_month_not_yet_entered_like_for_like(sample_indicators):
    """The sample ends at 2026-10: the November bulletin compares January–October on both sides, so its
    year-on-year figures are October's, and it says where the figure stands that November is missing."""

    def rows(month):
        out = StringIO()
        call_command("bulletin", month, "--format", "json", stdout=out)
        return {r["code"]: r for r in json.loads(out.getvalue())["indicators"] if r["is_city"]}

    october, november = rows("2026-10"), rows("2026-11")
    for code in ("penalty_cases", "pm25", "good_air_days"):
        assert november[code]["ytd"] == october[code]["ytd"]
        assert november[code]["last_ytd"] == october[code]["last_ytd"]
        assert november[code]["change"]["absolute"] == october[code]["change"]["absolute"]
        assert november[code]["missing"] == [11] and november[code]["compared"] == list(range(1, 11))
    # by hand from the sample: penalty cases 2026-01..10 sum to 2315, 2025-01..10 to 2305: +10, +0.4 %
    assert (november["penalty_cases"]["ytd"], november["penalty_cases"]["last_ytd"]) == ("2315", "2305")
    assert november["penalty_cases"]["change"]["relative"] == "0.4"
    out = StringIO()
    call_command("bulletin", "2026-11", stdout=out)
    assert (
        "环境行政处罚案件数为2315宗，比去年同期（2305宗）增加10宗，增长0.4%（11月数据暂缺，同比按可比月份计算）"
        in out.getvalue()
    )


def test_it_ranks_only_departments_with_something_due_and_shares_equal_ranks(
    client, leader, sample_table, sample_indicators
):
    client.force_login(leader)
    response = client.get(URL)
    rows = response.context["data"]["scorecard"]["rows"]
    idle = [r for r in rows if r["nothing_due"]]
    ranked = [r for r in rows if r not in idle]
    assert ranked and all(r["rank"] is not None for r in ranked)
    assert all(r["rank"] is None for r in idle) and rows[len(ranked) :] == idle  # listed after the ranked ones
    # Equal scores share the rank of the first of them (1, 1, 3 …), and say so.
    for row in ranked:
        first = next(i for i, other in enumerate(ranked) if other["score"] == row["score"])
        assert row["rank"] == first + 1
        assert row["tied"] == (sum(1 for other in ranked if other["score"] == row["score"]) > 1)
    page = response.content.decode()
    assert "得分相同的并列同一名次" in page
    assert ("本月无到期事项</td>" in page) == bool(idle)
    if any(r["tied"] for r in ranked):
        assert "并列第" in page


def test_it_counts_only_the_task_tables_requirements_not_leaders_instructions(reference, sample_table):
    # 领导交办事项 live in the current breakdown under their own group; the bulletin reports on the table's 64.
    from metrics.progress import History
    from tasks.models import Requirement, Source

    item = Requirement.objects.first()
    Requirement.objects.filter(pk=item.pk).update(source=Source.INSTRUCTION)
    numbers = {r.number for r in History(on=date(2026, 10, 31)).requirements}
    assert len(numbers) == 63 and item.number not in numbers


def test_it_lists_no_periodic_report_as_at_risk_before_its_period_closes(sample_table, sample_indicators):
    # 2026-06-30: the monthly, quarterly and half-yearly periods end that day; their reports are not due yet.
    june = build_bulletin(2026, 6)["at_risk"]
    # Only the weekly item whose week 06-22…06-28 closed on Sunday and whose report is in its grace window.
    assert [(r["number"], r["deadline_text"]) for r in june if r["reason"] == "report_due"] == [(3, "每周")]
    assert {r["reason"] for r in june} <= {"overdue", "report_overdue", "report_due", "due_soon", "behind"}
    # A period report still missing in the grace window after the period closed is yellow (宽限期内待反馈).
    monthly = Requirement.objects.from_table().filter(recurrence="monthly").order_by("number").first()
    Requirement.objects.filter(pk=monthly.pk).update(reported_through=None)
    monthly.refresh_from_db()
    assert monthly.light(on=date(2026, 7, 3)).reason == "report_due"
    assert str(monthly.light(on=date(2026, 7, 3)).reason_label) == "宽限期内待反馈"


def test_it_lists_the_most_overdue_on_the_page_and_every_at_risk_item_in_its_annex(
    client, leader, sample_table, sample_indicators
):
    # A province-sized list: the page shows the first 30 and counts per department, the annex shows them all.
    from teams.models import Department
    from tests.factories import make_requirement

    water = Department.objects.get(name="水生态环境处")
    for n in range(40):
        make_requirement(number=900 + n, due_date=date(2026, 3, 1) + timedelta(days=n), responsible=[water])
    listed = build_bulletin(2026, 6)["at_risk"]
    assert len(listed) > 40
    client.force_login(leader)
    page = client.get(URL).content.decode()
    risk = page[page.index('id="s-risk"') : page.index("</section>", page.index('id="s-risk"'))]
    assert risk.count('<tr class="light-') == 30
    shown = re.findall(r'<tr class="light-\w+">\s*<td class="num">(\d+)</td>', risk)
    assert shown == [str(r["number"]) for r in listed[:30]]  # the most overdue first
    red = sum(1 for r in listed if r["light"] == "red")
    assert f"截至月末，逾期事项{red}项、风险事项{len(listed) - red}项。下表列出逾期最久的30项" in risk
    water_red = sum(1 for r in listed if r["light"] == "red" and "水生态环境处" in r["departments"])
    assert re.search(rf'<th scope="row">水生态环境处</th><td class="num">{water_red}</td>', risk)
    annex = reverse("metrics:bulletin-at-risk", args=["2026", "06"])
    assert f'href="{annex}">查看完整清单（共{len(listed)}项）' in risk

    full = client.get(annex).content.decode()
    assert f"共{len(listed)}项（逾期最久的在前）" in full
    numbers = re.findall(r'<tr class="light-\w+">\s*<td class="num">(\d+)</td>', full)
    assert numbers == [str(r["number"]) for r in listed[:100]]  # a hundred a page, in the bulletin's order
    workbook = load_workbook(BytesIO(client.get(reverse("metrics:bulletin-xlsx", args=["2026", "06"])).content))
    assert len(
        [row for row in workbook["逾期及风险事项"].iter_rows(values_only=True) if isinstance(row[0], int)]
    ) == len(listed)


def test_it_pages_the_annex_a_hundred_at_a_time(client, leader, sample_table, sample_indicators):
    from tests.factories import make_requirement

    for n in range(110):
        make_requirement(number=900 + n, due_date=date(2026, 3, 31))
    total = len(build_bulletin(2026, 6)["at_risk"])
    assert 100 < total <= 200
    client.force_login(leader)
    annex = reverse("metrics:bulletin-at-risk", args=["2026", "06"])
    first = client.get(annex).content.decode()
    assert first.count('<tr class="light-') == 100 and f"第1—100项，共{total}项" in first
    assert 'rel="next" href="?page=2"' in first
    second = client.get(annex, {"page": 2}).content.decode()
    assert second.count('<tr class="light-') == total - 100
    assert client.get(annex, {"page": "x"}).status_code == 200  # a bad page number shows the first page

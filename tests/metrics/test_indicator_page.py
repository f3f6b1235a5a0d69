"""One page per indicator (/indicator/<code>/), the bulletin's district rankings, and the source of every
bulletin figure: the indicator page narrowed to what a figure combines, or a published snapshot's values."""

import html
import re
from datetime import date

from django.urls import reverse

from metrics.bulletin import build_bulletin
from metrics.models import Area, Bulletin, MonthlyValue
from metrics.rankings import rank_districts
from metrics.sources import months_param, parse_months
from metrics.workflow import bulletin_publish
from tests.metrics.conftest import make_indicator, put

BULLETIN = reverse("metrics:bulletin", args=["2026", "06"])


def _text(response):
    page = response.content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


def _pm25(city):
    """PM2.5 of the city, January–June 2026 and 2025, with a target of 19 for 2026."""
    pm25 = make_indicator("pm25", name="PM2.5平均浓度", target=19, target_year=2026, is_headline=True)
    for month, (value, days) in enumerate([(30, 31), (25, 28), (20, 31), (18, 30), (15, 31), (12, 30)], start=1):
        put(pm25, city, 2026, month, value=value, denominator=days)
        put(pm25, city, 2025, month, value=value + 5, denominator=days)
    return pm25


def _links(page, code, area="全市"):
    row = re.search(
        rf'<tr data-code="{code}">\s*<th scope="row"><a[^>]*>[^<]*</a>.*?<td>{area}</td>(.*?)</tr>', page, re.S
    )
    return [html.unescape(href) for href in re.findall(r'href="([^"]+)"', row.group(1))]


# --- the remaining allowance, where the bulletin and the page state it -------------------------------------


def test_it_states_the_remaining_allowance_on_the_bulletin_and_the_indicator_page(client, leader, city):
    _pm25(city)
    client.force_login(leader)
    # by hand: Σ(value × days) = 930 + 700 + 620 + 540 + 465 + 360 = 3615 over 181 days;
    # (19 × (181 + 184 days of July–December) − 3615) / 184 = 3320 / 184 = 18.04… → 18.0
    expected = "剩余月份PM2.5平均浓度须≤18.0微克/立方米"
    assert expected in _text(client.get(BULLETIN))
    page = _text(client.get(reverse("metrics:indicator", args=["pm25"])))
    assert expected in page
    assert "（目标19.0 ×（已有有效天数181 + 剩余184天）− 已过月份Σ(数值×有效天数)3615）÷ 剩余184天 = 18.0" in page


# --- the indicator page ---------------------------------------------------------------------------------


def test_it_shows_every_year_and_who_entered_and_approved_each_month(client, leader, sample_indicators):
    client.force_login(leader)
    response = client.get(reverse("metrics:indicator", args=["pm25"]))
    assert response.status_code == 200
    page = response.content.decode()
    text = _text(response)
    assert "PM2.5平均浓度" in text
    chart_table = page.split('data-chart-table="indicator"')[1].split("</table>")[0]
    years = re.findall(r'<tr><th scope="row">(\d+)</th>', chart_table)
    assert years == ["2026", "2025"]  # every year, the latest first, each with its twelve months and total
    row_2025 = re.search(r'<tr><th scope="row">2025</th>(.*?)</tr>', chart_table).group(1)
    assert re.findall(r'<td class="num">([0-9.]+)</td>', row_2025)[:2] == ["35.3", "30.9"]  # the sample's Jan, Feb
    assert 'id="bulletin-charts"' in page and "vendor/echarts/echarts.min.js" in page
    assert "<script>" not in page  # data by json_script only: the CSP forbids inline script
    # The demo's values were imported by admin and every month but the latest approved by admin.
    june = re.search(r'<tr data-month="6">(.*?)</tr>', page, re.S).group(1)
    assert "admin" in june and "已审核锁定" in june
    october = re.search(r'<tr data-month="10">(.*?)</tr>', page, re.S).group(1)
    assert "填报中" in october and october.count("admin") == 1  # entered, not approved


def test_it_is_listed_with_every_active_indicator(client, leader, sample_indicators):
    client.force_login(leader)
    page = client.get(reverse("metrics:indicator-list")).content.decode()
    assert len(re.findall(r'href="/indicator/[a-z]', page)) == 13
    assert f'href="{reverse("metrics:indicator", args=["good_air_days"])}"' in page


def test_it_answers_404_for_an_unknown_indicator_and_ignores_a_bad_area_or_year(client, leader, sample_indicators):
    client.force_login(leader)
    assert client.get(reverse("metrics:indicator", args=["nothing"])).status_code == 404
    url = reverse("metrics:indicator", args=["pm25"])
    response = client.get(url, {"area": "火星", "year": "abcd", "months": "0-99,x"})
    assert response.status_code == 200 and 'id="source"' in response.content.decode()  # 1–12 of 0-99


# --- rankings ---------------------------------------------------------------------------------------------


def _district_rows(values, last):
    rows = [
        {
            "code": "x",
            "name": "x",
            "unit": "微克/立方米",
            "kind": "mean_days",
            "direction": "lower",
            "is_city": True,
            "area": "全市",
            "ytd": "20.0",
            "change": {"absolute": None},
        }
    ]
    for area, value in values.items():
        absolute = None if value is None or last.get(area) is None else f"{float(value) - float(last[area]):.1f}"
        rows.append({**rows[0], "is_city": False, "area": area, "ytd": value, "change": {"absolute": absolute}})
    return rows


def test_it_ranks_districts_best_first_with_ties_broken_by_improvement_then_area_order():
    ranking = rank_districts(
        _district_rows(
            {"福田区": "20.0", "罗湖区": "18.0", "南山区": "20.0", "盐田区": "22.0", "宝安区": None},
            {"福田区": "24.0", "罗湖区": "18.0", "南山区": "21.0", "盐田区": "22.5"},
        )
    )
    # Lower is better: 罗湖 18.0 first; 福田 and 南山 both 20.0 share 2nd (福田 first: it fell 4.0, 南山 1.0);
    # 盐田 22.0 is 4th (1, 2, 2, 4); 宝安 has no figure and is not ranked. Most improved: 福田 (−4.0).
    assert [(r["area"], r["rank"], r["tied"]) for r in ranking["rows"]] == [
        ("罗湖区", 1, False),
        ("福田区", 2, True),
        ("南山区", 2, True),
        ("盐田区", 4, False),
        ("宝安区", None, False),
    ]
    assert ranking["most_improved"] == ["福田区"] and ranking["improvement"] == "4.0"


def test_it_breaks_a_tie_without_a_comparison_by_area_order_and_names_every_district_tied_for_most_improved():
    ranking = rank_districts(
        _district_rows({"南山区": "20.0", "福田区": "20.0", "罗湖区": "25.0"}, {"罗湖区": "27.0", "南山区": "22.0"})
    )
    # 南山 fell 2.0 and comes before 福田 (no last year) within the tie; 罗湖 and 南山 both improved by 2.0.
    assert [(r["area"], r["rank"]) for r in ranking["rows"]] == [("南山区", 1), ("福田区", 1), ("罗湖区", 3)]
    assert ranking["most_improved"] == ["南山区", "罗湖区"]


def test_it_ranks_a_higher_is_better_ratio_in_the_bulletin_with_ties_as_bingli(client, leader, city):
    good = make_indicator("good", name="优良天数比例", combination="ratio", unit="%", direction="higher")
    areas = {a.name: a for a in Area.objects.all()}
    # January–June: 福田 176/181 (97.2 %), 罗湖 176/181, 南山 181/181 (100 %), 盐田 170/181 (93.9 %);
    # last year 福田 170/181 (93.9 %), 罗湖 175/181 (96.7 %), 南山 181/181, 盐田 160/181 (88.4 %).
    for name, now, before in [("福田区", 176, 170), ("罗湖区", 176, 175), ("南山区", 181, 181), ("盐田区", 170, 160)]:
        put(good, areas[name], 2026, 6, numerator=now, denominator=181)
        put(good, areas[name], 2025, 6, numerator=before, denominator=181)
    put(good, city, 2026, 6, numerator=700, denominator=724)
    client.force_login(leader)
    page = client.get(BULLETIN).content.decode()
    table = re.search(r'<table class="table ranking" data-ranking="good">(.*?)</table>', page, re.S).group(1)
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table, re.S)][3:]
    # 南山 100.0 first; 福田 and 罗湖 97.2 并列第2 (福田 rose 3.3 points, 罗湖 0.5: 福田 first); 盐田 4th, and
    # 盐田 rose most (93.9 − 88.4 = 5.5 points).
    assert cells == [
        "第1名",
        "南山区",
        "100.0",
        "并列第2名",
        "福田区",
        "97.2",
        "并列第2名",
        "罗湖区",
        "97.2",
        "第4名",
        "盐田区 改善最大",
        "93.9",
    ]
    text = _text(client.get(BULLETIN))
    assert "改善最大：盐田区（同比改善5.5个百分点）" in text
    assert "并列时同比改善幅度大的在前，再按区域顺序" in text
    indicator = _text(client.get(reverse("metrics:indicator", args=["good"])))
    assert "并列第2名 福田区 97.2 并列第2名 罗湖区 97.2" in indicator


def test_it_has_no_ranking_section_without_two_districts(client, leader, city):
    _pm25(city)
    client.force_login(leader)
    assert "各区指标排名" not in client.get(BULLETIN).content.decode()


# --- the source of a figure ---------------------------------------------------------------------------------


def test_it_links_each_draft_figure_to_the_values_it_combines(client, leader, city):
    pm25 = _pm25(city)
    MonthlyValue.objects.filter(indicator=pm25, month=date(2025, 4, 1)).delete()  # April not comparable
    client.force_login(leader)
    page = client.get(BULLETIN).content.decode()
    month_link, ytd_link, last_link = _links(page, "pm25")
    assert month_link.endswith("?area=全市&year=2026&months=6#source".replace("全市", "%E5%85%A8%E5%B8%82"))
    ytd = client.get(ytd_link)
    text = _text(ytd)
    # Like for like, the year to date combines 1, 2, 3, 5 and 6 (April left out, last year lacks it):
    # by hand (930 + 700 + 620 + 465 + 360) / (31 + 28 + 31 + 31 + 30) = 3075 / 151 = 20.36… → 20.4
    assert (
        "Σ(数值 × 有效天数) ÷ Σ有效天数 = (30 × 31 + 25 × 28 + 20 × 31 + 15 × 31 + 12 × 30) ÷ (31 + 28 + 31 + 31 + 30)"
        in text
    )
    assert "= 3075 ÷ 151 = 20.4微克/立方米" in text
    assert re.search(r'<strong><a href="[^"]+"[^>]*>20.4</a></strong>', page)  # the figure the link is on
    source = re.search(r'<section class="card source" id="source".*?</section>', ytd.content.decode(), re.S).group(0)
    assert re.findall(r'<tr data-month="(\d+)">', source) == ["1", "2", "3", "5", "6"]
    # The monthly table is narrowed to the same months, with who entered each.
    values = ytd.content.decode().split('id="values-title"')[1]
    assert re.findall(r'<tr data-month="(\d+)">', values) == ["1", "2", "3", "5", "6"]
    last = _text(client.get(last_link))
    # by hand, 2025 the same months: (35×31 + 30×28 + 25×31 + 20×31 + 17×30) / 151 = (1085 + 840 + 775 + 620 + 510) / 151
    assert "= 3830 ÷ 151 = 25.4微克/立方米" in last


def test_it_links_a_published_figure_to_its_frozen_values_not_todays(client, leader, admin_user, city):
    pm25 = _pm25(city)
    bulletin_publish(
        month=date(2026, 6, 1), user=admin_user, data=build_bulletin(2026, 6), reason="演示", today=date(2026, 7, 2)
    )
    MonthlyValue.objects.filter(indicator=pm25, month=date(2026, 3, 1)).update(value=40)  # changed since
    client.force_login(leader)
    page = client.get(BULLETIN).content.decode()  # the published version
    _month, ytd_link, _last = _links(page, "pm25")
    published = Bulletin.objects.get()
    assert ytd_link.startswith(reverse("metrics:bulletin-source", args=["2026", "06", "pm25"]))
    assert f"version={published.version}" in ytd_link
    text = _text(client.get(ytd_link))
    # As published: (930 + 700 + 620 + 540 + 465 + 360) / 181 = 3615 / 181 = 19.97… → 20.0, March still 20.
    assert "(30 × 31 + 25 × 28 + 20 × 31 + 18 × 30 + 15 × 31 + 12 × 30)" in text
    assert "= 3615 ÷ 181 = 20.0微克/立方米" in text and "通报所载数值：20.0微克/立方米" in text
    # Today's values are one link away, and differ: March is now 40.
    live = re.search(r'href="([^"]+)">查看当前数据', client.get(ytd_link).content.decode()).group(1)
    assert "40 × 31" in _text(client.get(html.unescape(live)))


def test_it_guards_the_snapshot_source_like_the_bulletin(client, leader, auditor, outsider, admin_user, city):
    _pm25(city)
    bulletin_publish(
        month=date(2026, 6, 1), user=admin_user, data=build_bulletin(2026, 6), reason="演示", today=date(2026, 7, 2)
    )
    url = reverse("metrics:bulletin-source", args=["2026", "06", "pm25"])
    query = {"version": 1, "area": "全市", "figure": "ytd"}
    assert client.get(url, query)["Location"].startswith(reverse("login"))
    client.force_login(outsider)
    assert client.get(url, query).status_code == 404
    client.force_login(auditor)  # a 三员 account: tasks/access.py's one rule hides these pages (404)
    assert client.get(url, query).status_code == 404
    client.force_login(leader)
    assert client.get(url, query).status_code == 200
    for bad in ({"version": 2}, {"figure": "x"}, {"area": "福田区"}, {"version": "x"}):
        assert client.get(url, {**query, **bad}).status_code == 404


def test_it_links_each_month_of_a_published_chart_to_its_frozen_value(client, leader, admin_user, city):
    pm25 = _pm25(city)
    bulletin_publish(
        month=date(2026, 6, 1), user=admin_user, data=build_bulletin(2026, 6), reason="演示", today=date(2026, 7, 2)
    )
    MonthlyValue.objects.filter(indicator=pm25, month=date(2025, 3, 1)).update(value=99)
    client.force_login(leader)
    page = client.get(BULLETIN).content.decode()
    table = page.split('data-chart-table="pm25"')[1].split("</table>")[0]
    links = [html.unescape(h) for h in re.findall(r'href="([^"]+)"', table)]
    assert len(links) == 6 + 6  # January–June of both years (2025 has no July–December)
    march_last_year = next(link for link in links if "side=last" in link and "months=3" in link)
    text = _text(client.get(march_last_year))
    # 2025-03 as published: 25 over 31 days (today it is 99).
    assert "通报所载数值：25.0微克/立方米" in text and "(25 × 31) ÷ (31) = 775 ÷ 31 = 25.0微克/立方米" in text


def test_it_writes_and_reads_back_the_months_a_figure_combines():
    assert months_param([1, 2, 3, 5, 6, 9]) == "1-3,5-6,9"
    assert parse_months("1-3,5-6,9") == [1, 2, 3, 5, 6, 9]
    assert parse_months("0-99") == list(range(1, 13)) and parse_months("x,,-3") == []


def test_it_reads_in_english_with_its_target_ranking_source_and_snapshot(client, leader, admin_user, city, settings):
    from tests.test_english import _untranslated

    settings.TIEJU_BUREAU_NAME, settings.TIEJU_BULLETIN_OFFICE = "City Ecology Bureau", "Bureau Office"
    for area in Area.objects.all():
        area.name = f"Area {area.pk}"
        area.save()
    city.refresh_from_db()
    pm25 = _pm25(city)
    pm25.name, pm25.unit = "PM2.5", "ug/m3"
    pm25.save()
    good = make_indicator("good", name="Good days", combination="ratio", unit="%", direction="higher", target=95)
    good.denominator_unit = "days"
    good.save()
    for area, now in zip(Area.objects.filter(is_city=False)[:3], (176, 176, 181), strict=True):
        put(good, area, 2026, 6, numerator=now, denominator=181)
        put(good, area, 2025, 6, numerator=170, denominator=181)
    put(good, city, 2026, 6, numerator=176, denominator=181)
    bulletin_publish(
        month=date(2026, 6, 1), user=admin_user, data=build_bulletin(2026, 6), reason="demo", today=date(2026, 7, 2)
    )
    client.force_login(leader)
    client.cookies["django_language"] = "en"
    pages = [
        reverse("metrics:indicator", args=["pm25"]) + "?months=1-6",
        reverse("metrics:indicator", args=["good"]) + f"?area={city.name}&months=6",
        reverse("metrics:indicator-list"),
        BULLETIN,
    ]
    bulletin = client.get(BULLETIN).content.decode()
    pages += [html.unescape(h) for h in re.findall(r'href="(/bulletin/2026-06/source/[^"]+)"', bulletin)[:3]]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert _untranslated(response.content.decode()) == [], url
    assert "Joint No. 2" in bulletin and "Most improved" in bulletin
    # by hand: June alone, 176 of 181; the year projected as 181 × 12 = 2172 days; 109 not good leaves
    # 2063 / 2172 = 94.98 % (prints 95.0), 110 gives 94.94 % (94.9): 109 − 5 = 104 more.
    assert "the year can afford 104 more days short of it" in bulletin
    assert "Σ(value × valid days) ÷ Σvalid days" in client.get(pages[0]).content.decode()


def test_it_reads_the_indicator_page_in_the_same_number_of_queries_whatever_the_history(client, leader, city):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    pm25 = make_indicator("pm25", name="PM2.5平均浓度", target=19, target_year=2026)
    districts = list(Area.objects.filter(is_city=False)[:3])

    def history(first, last):
        for year in range(first, last + 1):
            for month in range(1, 13):
                for area in [city, *districts]:
                    put(pm25, area, year, month, value=20 + month, denominator=30)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("metrics:indicator", args=["pm25"]), {"months": "1-6"}).status_code == 200
        return len(queries)

    history(2026, 2026)
    client.force_login(leader)
    count()  # warm the session and content-type caches
    one_year = count()
    history(2022, 2025)
    # Session, user, roles, permissions; the indicator; its values with areas and who entered them; the year's
    # month states; its approvals.
    assert one_year == count() and one_year <= 10, one_year


def test_it_states_the_rankings_in_the_bulletin_document(client, leader, city):
    from io import BytesIO

    from docx import Document

    pm25 = _pm25(city)
    areas = {a.name: a for a in Area.objects.all()}
    # June alone: 福田 20.0 and 罗湖 20.0 tie (福田 fell from 25.0, 罗湖 from 21.0), 南山 18.0 is first.
    for name, now, before in [("福田区", 20, 25), ("罗湖区", 20, 21), ("南山区", 18, 18)]:
        put(pm25, areas[name], 2026, 6, value=now, denominator=30)
        put(pm25, areas[name], 2025, 6, value=before, denominator=30)
    client.force_login(leader)
    response = client.get(reverse("metrics:bulletin-docx", args=["2026", "06"]))
    text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
    assert (
        "各区PM2.5平均浓度排名：南山区第1名（18.0）、福田区并列第2名（20.0）、罗湖区并列第2名（20.0）；"
        "改善最大：福田区（同比改善5.0微克/立方米）。"
    ) in text


def test_it_exports_the_rankings_and_what_remains_of_a_target_to_xlsx(client, leader, city):
    from io import BytesIO

    from openpyxl import load_workbook

    pm25 = _pm25(city)
    areas = {a.name: a for a in Area.objects.all()}
    for name, now in [("福田区", 20), ("罗湖区", 20), ("南山区", 18)]:
        put(pm25, areas[name], 2026, 6, value=now, denominator=30)
    client.force_login(leader)
    workbook = load_workbook(BytesIO(client.get(reverse("metrics:bulletin-xlsx", args=["2026", "06"])).content))
    rows = list(workbook["各区排名"].iter_rows(min_row=3, values_only=True))
    assert rows == [
        ("PM2.5平均浓度", "第1名", "南山区", 18, None),
        ("PM2.5平均浓度", "并列第2名", "福田区", 20, None),
        ("PM2.5平均浓度", "并列第2名", "罗湖区", 20, None),
    ]
    city_row = next(r for r in workbook["环境指标"].iter_rows(values_only=True) if r[1] == "全市")
    assert city_row[-1] == "完成年度目标（≤19.0微克/立方米），剩余月份PM2.5平均浓度须≤18.0微克/立方米"


def test_it_shows_a_bulletin_published_before_sources_were_kept_without_links(client, leader, admin_user, city):
    _pm25(city)
    published = bulletin_publish(
        month=date(2026, 6, 1), user=admin_user, data=build_bulletin(2026, 6), reason="演示", today=date(2026, 7, 2)
    )
    data = published.data
    for row in data["indicators"]:
        del row["sources"], row["points"]
    del data["rankings"]
    data["schema"] = 3
    Bulletin.objects.filter(pk=published.pk).update(data=data)
    client.force_login(leader)
    page = client.get(BULLETIN).content.decode()
    assert "/source/" not in page and "#source" not in page
    assert "剩余月份PM2.5平均浓度须≤18.0微克/立方米" in _text(client.get(BULLETIN))
    url = reverse("metrics:bulletin-source", args=["2026", "06", "pm25"])
    text = _text(client.get(url, {"version": 1, "area": "全市", "figure": "ytd"}))
    assert "该版本通报发布时未保存数据来源。" in text and "通报所载数值：20.0微克/立方米" in text

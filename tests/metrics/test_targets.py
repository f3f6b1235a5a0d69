"""The remaining allowance against an annual target, against values computed by hand (metrics/targets.py)."""

from decimal import Decimal as D

from metrics.aggregate import Point, combine, round_half_up
from metrics.targets import target_facts, target_status, target_text, target_working


def series(**months):
    return {int(k[1:]): v for k, v in months.items()}


def _mean(**months):
    return {int(k[1:]): Point(D(str(v)), None, D(str(days))) for k, (v, days) in months.items()}


def _ratio(**months):
    return {int(k[1:]): Point(None, D(str(n)), D(str(d))) for k, (n, d) in months.items()}


def _flow(**months):
    return {int(k[1:]): Point(D(str(v))) for k, v in months.items()}


# January–June 2026: PM2.5 30.0, 25.0, 20.0, 18.0, 15.0, 12.0 over 31, 28, 31, 30, 31, 30 valid days.
PM25_H1 = _mean(m1=(30, 31), m2=(25, 28), m3=(20, 31), m4=(18, 30), m5=(15, 31), m6=(12, 30))
# Good-air days January–June 2026: 29/31, 27/28, 30/31, 29/30, 31/31, 30/30.
GOOD_H1 = _ratio(m1=(29, 31), m2=(27, 28), m3=(30, 31), m4=(29, 30), m5=(31, 31), m6=(30, 30))


def _status(kind, figure, target, direction, decimals, month, year=2026):
    return target_status(
        kind,
        figure,
        target=D(str(target)),
        target_year=None,
        year=year,
        direction=direction,
        decimals=decimals,
        month=month,
    )


def _row(name, unit, status, decimals, denominator_unit=""):
    return {"name": name, "unit": unit, "denominator_unit": denominator_unit, "target": target_facts(status, decimals)}


def test_it_states_the_average_the_rest_of_the_year_must_stay_under():
    figure = combine("mean_days", PM25_H1, 6)
    # by hand: Σ(value × days) = 30×31 + 25×28 + 20×31 + 18×30 + 15×31 + 12×30
    #                          = 930 + 700 + 620 + 540 + 465 + 360 = 3615 over 181 days (19.97… so far);
    # for the year (181 valid days so far and the 184 of July–December) to average 19:
    # (19 × (181 + 184) − 3615) / 184 = (6935 − 3615) / 184 = 18.04…
    status = _status("mean_days", figure, 19, "lower", 1, 6)
    assert (status.remaining_kind, round_half_up(status.remaining, 1), status.met) == ("mean_below", D("18.0"), None)
    row = _row("PM2.5平均浓度", "微克/立方米", status, 1)
    assert target_text(row) == "完成年度目标（≤19.0微克/立方米），剩余月份PM2.5平均浓度须≤18.0微克/立方米"
    assert target_working(row) == (
        "（目标19.0 ×（已有有效天数181 + 剩余184天）− 已过月份Σ(数值×有效天数)3615）÷ 剩余184天 = 18.0"
    )


def test_it_counts_the_valid_days_so_far_and_the_calendar_days_left():
    # January had 29 valid days of 31 (two without data from the stations): 30 × 29 = 870, so Σ(value × days)
    # = 3615 − 930 + 870 = 3555 over 179 days. The year's valid days are 179 + 184 (July–December), not 365:
    # (19 × (179 + 184) − 3555) / 184 = (6897 − 3555) / 184 = 3342 / 184 = 18.16… → 18.2
    figure = combine("mean_days", {**PM25_H1, 1: Point(D(30), None, D(29))}, 6)
    assert round_half_up(_status("mean_days", figure, 19, "lower", 1, 6).remaining, 2) == D("18.16")
    # A leap year's February adds no day left after June: (19 × (181 + 184) − 3615) / 184 = 18.04… still.
    assert round_half_up(
        _status("mean_days", combine("mean_days", PM25_H1, 6), 19, "lower", 1, 6, year=2028).remaining, 2
    ) == D("18.04")
    # November's bulletin with July–October not reported yet: their days are still to come, 184 days left as in
    # June's; with July–October reported (15.0 over 31, 31, 30, 31 days: 1845), only November–December's 61:
    # (19 × (181 + 123 + 61) − 3615 − 1845) / 61 = (6935 − 5460) / 61 = 24.18…
    late = _status("mean_days", combine("mean_days", PM25_H1, 11), 19, "lower", 1, 11)
    assert round_half_up(late.remaining, 2) == D("18.04")
    reported = {**PM25_H1, **_mean(m7=(15, 31), m8=(15, 31), m9=(15, 30), m10=(15, 31))}
    on_time = _status("mean_days", combine("mean_days", reported, 11), 19, "lower", 1, 11)
    assert round_half_up(on_time.remaining, 2) == D("24.18")


def test_it_says_when_the_average_can_no_longer_be_met():
    figure = combine("mean_days", PM25_H1, 6)
    # by hand: (9 × 365 − 3615) / 184 = (3285 − 3615) / 184 = −1.79…: no average of the rest can do it.
    status = _status("mean_days", figure, 9, "lower", 1, 6)
    assert status.remaining < 0
    assert target_text(_row("PM2.5平均浓度", "微克/立方米", status, 1)) == (
        "按目前进度已无法完成年度目标（≤9.0微克/立方米）"
    )


def test_it_states_how_many_more_days_may_fall_short_of_a_ratio():
    figure = combine("ratio", GOOD_H1, 6)
    # by hand: 29 + 27 + 30 + 29 + 31 + 30 = 176 good days of 31 + 28 + 31 + 30 + 31 + 30 = 181, so 5 not good.
    # The year's valid days projected: 181 / 6 × 12 = 362. At 95 %: 362 × 5 % = 18.1, so at most 18 days not good
    # (344 / 362 = 95.03 % → 95.0; 19 would give 343 / 362 = 94.75 % → 94.8). 18 − 5 = 13 more days.
    # The rest must reach (0.95 × 362 − 176) / (362 − 181) = 167.9 / 181 = 92.76…%.
    status = _status("ratio", figure, 95, "higher", 1, 6)
    assert (status.allowed, round_half_up(status.remaining, 1)) == (D(13), D("92.8"))
    row = _row("空气质量优良天数比例", "%", status, 1, denominator_unit="天")
    assert target_text(row) == "完成年度目标（≥95.0%），全年尚可有13天未达标（剩余月份须≥92.8%）"


def test_it_judges_the_days_allowed_on_the_ratio_as_printed():
    figure = combine("ratio", GOOD_H1, 6)
    # by hand, target 94.8 %: 362 × 5.2 % = 18.82 → 18 on the exact ratio, but 19 days not good leaves
    # 343 / 362 = 94.751…%, printed 94.8, which meets the target as December's 达标 judges it; 20 gives
    # 342 / 362 = 94.47…% → 94.5. So 19 − 5 = 14 more.
    assert _status("ratio", figure, "94.8", "higher", 1, 6).allowed == D(14)


def test_it_says_when_a_ratio_can_no_longer_be_met():
    figure = combine("ratio", _ratio(m1=(20, 31), m2=(20, 28)), 2)
    # by hand: (31 − 20) + (28 − 20) = 19 days not good in two months; the year projected as 59 / 2 × 12 = 354
    # days, of which at most 354 × 5 % = 17.7 → 17 may be not good (337 / 354 = 95.20 %; 18: 336 / 354 = 94.92 %
    # → 94.9): 17 − 19 = −2, already past what the year can afford.
    status = _status("ratio", figure, 95, "higher", 1, 2)
    assert status.allowed == D(-2)
    assert target_text(_row("空气质量优良天数比例", "%", status, 1, "天")) == "按目前进度已无法完成年度目标（≥95.0%）"


def test_it_states_what_a_stock_still_needs_and_the_monthly_pace():
    figure = combine("stock", _flow(m6=146), 6)
    status = _status("stock", figure, 159, "higher", 0, 6)
    # by hand: 159 − 146 = 13 still to go, over the 6 months left: 13 / 6 = 2.17 a month
    assert status.met is None and status.remaining == D(13) and round_half_up(status.pace, 1) == D("2.2")
    row = _row("黑臭水体消除数（累计）", "个", status, 0)
    assert target_text(row) == "距年度目标（159个）尚差13个，剩余月份每月须完成2.2个"
    assert target_working(row) == "159 − 146 = 13；13 ÷ 剩余6个月 = 2.2"


def test_it_states_what_a_lower_is_better_sum_may_still_add():
    figure = combine("sum", _flow(m1=1000, m2=900, m3=1100, m4=1000, m5=950, m6=1050, m7=1000, m8=1000, m9=1050), 9)
    # by hand: 1000 + 900 + 1100 + 1000 + 950 + 1050 + 1000 + 1000 + 1050 = 9050 of 12000: 2950 left,
    # 2950 / 3 months = 983.33… a month
    status = _status("sum", figure, 12000, "lower", 0, 9)
    assert (status.remaining, round_half_up(status.pace, 1)) == (D(2950), D("983.3"))
    assert target_text(_row("环境信访投诉量", "宗", status, 0)) == (
        "距年度控制目标（12000宗）尚余2950宗，剩余月份每月平均不超过983.3宗"
    )


def test_it_judges_a_yearly_target_only_at_year_end():
    figure = combine("mean_days", PM25_H1, 6)
    # December's bulletin judges 19.97… printed 20.0 against the target: 20 is met, 19.9 is not.
    assert _status("mean_days", figure, 20, "lower", 1, 12).met is True
    missed = _status("mean_days", figure, "19.9", "lower", 1, 12)
    assert (missed.met, missed.final, missed.remaining) == (False, True, None)
    assert target_text(_row("PM2.5平均浓度", "微克/立方米", missed, 1)) == "未完成年度目标（19.9微克/立方米）"


def test_it_takes_the_latest_stock_and_shows_progress_to_target():
    s = series(m1=Point(D("112")), m2=Point(D("115")), m4=Point(D("146")))
    figure = combine("stock", s, 5)
    assert figure.value == D("146") and figure.as_of == 4
    status = target_status(
        "stock", figure, target=D("159"), target_year=None, year=2026, direction="higher", decimals=0
    )
    assert status.progress == D("91.8") and status.met is False  # 146 / 159 = 91.82 %


def test_it_judges_targets_for_their_year_only():
    figure = combine("mean_days", series(m1=Point(D("21.1"), None, D("31"))), 1)
    met = target_status("mean_days", figure, target=D("22"), target_year=2026, year=2026, direction="lower", decimals=1)
    assert met.met is True
    other = target_status(
        "mean_days", figure, target=D("22"), target_year=2027, year=2026, direction="lower", decimals=1
    )
    assert other.target is None

"""Every combination kind against values computed by hand."""

from decimal import Decimal as D

import pytest

from metrics.aggregate import Point, change, combine, compare, month_figure, round_half_up


def series(**months):
    return {int(k[1:]): v for k, v in months.items()}


def test_it_takes_the_day_weighted_mean_not_the_mean_of_monthly_means():
    s = series(m1=Point(D("30"), None, D("31")), m2=Point(D("20"), None, D("28")), m3=Point(D("10"), None, D("1")))
    figure = combine("mean_days", s, 3)
    # by hand: (30×31 + 20×28 + 10×1) / (31 + 28 + 1) = 1500 / 60 = 25
    assert figure.value == D("25")
    assert figure.denominator == D("60")
    assert (D("30") + D("20") + D("10")) / 3 == D("20")  # the wrong answer, for contrast


def test_it_takes_a_ratio_as_sum_of_numerators_over_sum_of_denominators():
    s = series(m1=Point(None, D("29"), D("31")), m2=Point(None, D("28"), D("28")), m3=Point(None, D("1"), D("2")))
    figure = combine("ratio", s, 3)
    # by hand: (29 + 28 + 1) / (31 + 28 + 2) = 58 / 61 = 95.08…%
    assert round_half_up(figure.value, 1) == D("95.1")
    assert (figure.numerator, figure.denominator) == (D("58"), D("61"))
    # the mean of monthly percentages would be (93.5 + 100 + 50) / 3 = 81.2
    assert round_half_up(figure.value, 1) != D("81.2")


def test_it_sums_flows():
    s = series(m1=Point(D("1130")), m2=Point(D("980")), m3=Point(D("1210")))
    assert combine("sum", s, 3).value == D("3320")
    assert combine("sum", s, 2).value == D("2110")


def test_it_publishes_entered_values_as_given():
    s = series(m6=Point(D("3")))
    assert combine("entered", s, 6).value == D("3")
    assert combine("entered", s, 5).is_missing
    c = change(
        "entered",
        combine("entered", s, 6),
        combine("entered", series(m6=Point(D("5"))), 6),
        decimals=0,
        direction="lower",
    )
    assert c.absolute == D("-2") and c.improved is True and c.relative is None


def test_it_shows_a_missing_month_as_missing_never_as_zero():
    s = series(m1=Point(D("1000")), m3=Point(D("1200")))
    month = month_figure("sum", s, 2)
    assert month.is_missing and month.value is None
    ytd = combine("sum", s, 3)
    assert ytd.value == D("2200") and ytd.missing == (2,)
    assert combine("ratio", {}, 3).is_missing
    assert change("sum", ytd, combine("sum", {}, 3), decimals=0, direction="lower").absolute is None


def test_it_weights_a_leap_year_february_by_its_29_days():
    s = series(m1=Point(D("31"), None, D("31")), m2=Point(D("2"), None, D("29")))
    # by hand: (31×31 + 2×29) / 60 = (961 + 58) / 60 = 16.983…
    assert round_half_up(combine("mean_days", s, 2).value, 2) == D("16.98")
    good = series(m1=Point(None, D("31"), D("31")), m2=Point(None, D("29"), D("29")))
    assert combine("ratio", good, 2).value == D("100")


def test_it_compares_the_first_month_of_a_year_with_january_last_year():
    this = series(m1=Point(D("30"), None, D("31")))
    last = series(m1=Point(D("35.3"), None, D("31")), m2=Point(D("99"), None, D("28")))
    c = compare("mean_days", this, last, year=2026, month=1, direction="lower", decimals=1)
    assert c.ytd.value == D("30") and c.last_ytd.value == D("35.3")
    assert c.change.absolute == D("-5.3") and c.change.improved is True
    assert c.change.relative == D("-15.0")  # -5.3 / 35.3 = -15.01 %


def test_it_reports_ratio_changes_in_percentage_points_and_direction_applied():
    this = series(m1=Point(None, D("179"), D("181")))
    last = series(m1=Point(None, D("176"), D("181")))
    c = compare("ratio", this, last, year=2026, month=1, direction="higher", decimals=1)
    assert c.change.in_points and c.change.absolute == D("1.7") and c.change.improved is True


def test_it_computes_the_change_from_the_figures_as_printed():
    # 21.104… and 25.693… print as 21.1 and 25.7; the change printed is their difference, -4.6
    c = change(
        "mean_days",
        combine("mean_days", series(m1=Point(D("21.104"), None, D("1"))), 1),
        combine("mean_days", series(m1=Point(D("25.693"), None, D("1"))), 1),
        decimals=1,
        direction="lower",
    )
    assert c.absolute == D("-4.6")


def test_it_marks_unchanged_and_neither_direction():
    same = combine("sum", series(m1=Point(D("10"))), 1)
    assert change("sum", same, same, decimals=0, direction="lower").is_unchanged
    up = change("sum", combine("sum", series(m1=Point(D("12"))), 1), same, decimals=0, direction="neither")
    assert up.absolute == D("2") and up.improved is None


def test_it_expects_quarterly_data_only_in_quarter_months():
    s = series(m3=Point(None, D("10"), D("10")))
    assert combine("ratio", s, 6, every=3).missing == (6,)
    assert combine("ratio", s, 5, every=3).missing == ()


# --- like for like: the same months on both sides ------------------------------------------------


def _mean(**months):
    return {int(k[1:]): Point(D(str(v)), None, D(str(days))) for k, (v, days) in months.items()}


def _ratio(**months):
    return {int(k[1:]): Point(None, D(str(n)), D(str(d))) for k, (n, d) in months.items()}


def _flow(**months):
    return {int(k[1:]): Point(D(str(v))) for k, v in months.items()}


LAST_MEAN = _mean(m1=(30, 31), m2=(20, 28), m3=(10, 31), m4=(40, 30))
LAST_RATIO = _ratio(m1=(29, 31), m2=(28, 28), m3=(30, 31), m4=(20, 30))
LAST_FLOW = _flow(m1=100, m2=200, m3=300, m4=400)


@pytest.mark.parametrize("missing", [1, 2, 4])  # at the start, in the middle, at the end (the latest month)
def test_it_leaves_a_month_missing_this_year_out_of_last_year_for_a_mean(missing):
    this = {m: p for m, p in _mean(m1=(25, 31), m2=(15, 28), m3=(12, 31), m4=(30, 30)).items() if m != missing}
    c = compare("mean_days", this, LAST_MEAN, year=2026, month=4, direction="lower", decimals=1)
    by_hand = {  # Σ(value × days) / Σdays over the three months both years have
        1: ((D(15) * 28 + D(12) * 31 + D(30) * 30) / 89, (D(20) * 28 + D(10) * 31 + D(40) * 30) / 89),
        2: ((D(25) * 31 + D(12) * 31 + D(30) * 30) / 92, (D(30) * 31 + D(10) * 31 + D(40) * 30) / 92),
        4: ((D(25) * 31 + D(15) * 28 + D(12) * 31) / 90, (D(30) * 31 + D(20) * 28 + D(10) * 31) / 90),
    }[missing]
    assert (c.ytd.value, c.last_ytd.value) == by_hand
    assert c.ytd.missing == (missing,) and missing not in c.last_ytd.months and len(c.last_ytd.months) == 3
    assert c.change.absolute == round_half_up(by_hand[0], 1) - round_half_up(by_hand[1], 1)


@pytest.mark.parametrize("missing", [1, 2, 4])
def test_it_leaves_a_month_missing_this_year_out_of_last_year_for_a_ratio(missing):
    this = {m: p for m, p in _ratio(m1=(30, 31), m2=(27, 28), m3=(31, 31), m4=(29, 30)).items() if m != missing}
    c = compare("ratio", this, LAST_RATIO, year=2026, month=4, direction="higher", decimals=1)
    # by hand: Σnumerators / Σdenominators over the common months, ×100
    mine = {1: (27 + 31 + 29, 28 + 31 + 30), 2: (30 + 31 + 29, 31 + 31 + 30), 4: (30 + 27 + 31, 31 + 28 + 31)}[missing]
    theirs = {1: (28 + 30 + 20, 28 + 31 + 30), 2: (29 + 30 + 20, 31 + 31 + 30), 4: (29 + 28 + 30, 31 + 28 + 31)}[
        missing
    ]
    assert (c.ytd.numerator, c.ytd.denominator) == tuple(D(x) for x in mine)
    assert (c.last_ytd.numerator, c.last_ytd.denominator) == tuple(D(x) for x in theirs)
    assert c.change.in_points and c.change.absolute == (
        round_half_up(D(mine[0]) / mine[1] * 100, 1) - round_half_up(D(theirs[0]) / theirs[1] * 100, 1)
    )


@pytest.mark.parametrize(
    "missing, mine, theirs",
    [(1, 20 + 30 + 40, 200 + 300 + 400), (2, 10 + 30 + 40, 100 + 300 + 400), (4, 10 + 20 + 30, 100 + 200 + 300)],
)
def test_it_leaves_a_month_missing_this_year_out_of_last_year_for_a_sum(missing, mine, theirs):
    this = {m: p for m, p in _flow(m1=10, m2=20, m3=30, m4=40).items() if m != missing}
    c = compare("sum", this, LAST_FLOW, year=2026, month=4, direction="lower", decimals=0)
    assert (c.ytd.value, c.last_ytd.value) == (D(mine), D(theirs))
    assert c.change.relative == round_half_up(D(mine - theirs) / theirs * 100, 1)


def test_it_compares_the_latest_month_not_yet_entered_over_the_months_entered():
    """The bulletin of April with April not entered: January–March on both sides, not 1–3 against 1–4."""
    this = _flow(m1=10, m2=20, m3=30)
    c = compare("sum", this, LAST_FLOW, year=2026, month=4, direction="lower", decimals=0)
    assert (c.ytd.value, c.last_ytd.value) == (D(60), D(600)) and c.ytd.missing == (4,)
    assert c.month.is_missing
    # The change does not move as months without data are added to the period (the 0.4 % → −6.9 %).
    later = compare("sum", this, {**LAST_FLOW, 5: Point(D(500))}, year=2026, month=5, direction="lower", decimals=0)
    assert later.change == c.change and later.ytd.missing == (4, 5)


def test_it_leaves_a_month_missing_last_year_out_of_this_year_and_says_so():
    this = _flow(m1=10, m2=20, m3=30)
    last = _flow(m1=100, m3=300)
    c = compare("sum", this, last, year=2026, month=3, direction="lower", decimals=0)
    assert (c.ytd.value, c.last_ytd.value, c.excluded) == (D(40), D(400), (2,))


@pytest.mark.parametrize("kind", ["stock", "entered"])
def test_it_compares_stock_and_entered_with_last_year_as_of_the_same_month(kind):
    this = _flow(m1=110, m2=120, m3=130)  # April not entered yet: as of March
    last = _flow(m1=10, m2=20, m3=30, m4=40)
    c = compare(kind, this, last, year=2026, month=4, direction="higher", decimals=0)
    assert (c.ytd.value, c.ytd.as_of, c.last_ytd.value, c.last_ytd.as_of) == (D(130), 3, D(30), 3)
    assert c.change.absolute == D(100)

"""Every combination kind against values computed by hand."""

from decimal import Decimal as D

from metrics.aggregate import Point, change, combine, compare, month_figure, round_half_up, target_status


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


def test_it_takes_the_latest_stock_and_shows_progress_to_target():
    s = series(m1=Point(D("112")), m2=Point(D("115")), m4=Point(D("146")))
    figure = combine("stock", s, 5)
    assert figure.value == D("146") and figure.as_of == 4
    status = target_status("stock", figure, target=D("159"), target_year=None, year=2026, direction="higher",
                           decimals=0)
    assert status.progress == D("91.8") and status.met is False  # 146 / 159 = 91.82 %


def test_it_publishes_entered_values_as_given():
    s = series(m6=Point(D("3")))
    assert combine("entered", s, 6).value == D("3")
    assert combine("entered", s, 5).is_missing
    c = change("entered", combine("entered", s, 6), combine("entered", series(m6=Point(D("5"))), 6),
               decimals=0, direction="lower")
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
    c = change("mean_days", combine("mean_days", series(m1=Point(D("21.104"), None, D("1"))), 1),
               combine("mean_days", series(m1=Point(D("25.693"), None, D("1"))), 1), decimals=1, direction="lower")
    assert c.absolute == D("-4.6")


def test_it_marks_unchanged_and_neither_direction():
    same = combine("sum", series(m1=Point(D("10"))), 1)
    assert change("sum", same, same, decimals=0, direction="lower").is_unchanged
    up = change("sum", combine("sum", series(m1=Point(D("12"))), 1), same, decimals=0, direction="neither")
    assert up.absolute == D("2") and up.improved is None


def test_it_judges_targets_for_their_year_only():
    figure = combine("mean_days", series(m1=Point(D("21.1"), None, D("31"))), 1)
    met = target_status("mean_days", figure, target=D("22"), target_year=2026, year=2026, direction="lower", decimals=1)
    assert met.met is True
    other = target_status("mean_days", figure, target=D("22"), target_year=2027, year=2026, direction="lower",
                          decimals=1)
    assert other.target is None


def test_it_expects_quarterly_data_only_in_quarter_months():
    s = series(m3=Point(None, D("10"), D("10")))
    assert combine("ratio", s, 6, every=3).missing == (6,)
    assert combine("ratio", s, 5, every=3).missing == ()

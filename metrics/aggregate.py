"""Combining monthly values into the figures a bulletin states. Pure functions of plain data.

A series is {month number (1–12): Point} for one indicator, one area, one year. Every
kind combines its own way (see Combination in models.py):

* mean_days — a concentration averaged over valid days: Σ(value × days) / Σdays;
* ratio — Σnumerator / Σdenominator × 100, never the mean of monthly percentages;
* sum — Σvalue;
* stock — the latest value up to the month (a cumulative count);
* entered — the latest value up to the month, as published (ranks); never computed.

A month without data is missing, never zero: it is left out of the combination and
reported in Figure.missing so the page can say so.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Point:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None


@dataclass(frozen=True)
class Figure:
    """A combined figure, unrounded. numerator/denominator are the sums behind a ratio, or behind a mean
    (Σ(value × days) and the valid days); as_of is the month a stock or entered value comes from."""

    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    months: tuple = ()
    missing: tuple = ()
    as_of: int | None = None

    @property
    def is_missing(self):
        return self.value is None


MISSING = Figure(None)


def _has_data(kind, point):
    if point is None:
        return False
    if kind == "ratio":
        return point.numerator is not None and point.denominator is not None and point.denominator > 0
    if kind == "mean_days":
        return point.value is not None and point.denominator is not None and point.denominator > 0
    return point.value is not None


def present_months(kind, series, upto, *, start=1):
    """The months start..upto of the series that hold data for the kind."""
    return [m for m in range(start, upto + 1) if _has_data(kind, series.get(m))]


def combine(kind, series, upto, *, every=1, start=1, only=None):
    """The figure for months start..upto of one year's series (start=upto gives the month alone).
    `only`, when given, restricts the months combined to those (the months comparable with last year)."""
    months = range(start, upto + 1)
    present = present_months(kind, series, upto, start=start)
    expected = [m for m in months if m % every == 0]
    missing = tuple(m for m in expected if m not in present)
    if only is not None:
        present = [m for m in present if m in only]
    if kind in ("stock", "entered"):
        if not present:
            return Figure(None, missing=missing)
        latest = present[-1]
        return Figure(series[latest].value, months=(latest,), missing=missing, as_of=latest)
    if not present:
        return Figure(None, missing=missing)
    points = [series[m] for m in present]
    if kind == "ratio":
        numerator = sum((p.numerator for p in points), Decimal(0))
        denominator = sum((p.denominator for p in points), Decimal(0))
        return Figure(numerator / denominator * HUNDRED, numerator, denominator, tuple(present), missing)
    if kind == "mean_days":
        days = sum((p.denominator for p in points), Decimal(0))
        weighted = sum((p.value * p.denominator for p in points), Decimal(0))
        return Figure(weighted / days, weighted, days, tuple(present), missing)
    if kind == "sum":
        return Figure(sum((p.value for p in points), Decimal(0)), months=tuple(present), missing=missing)
    raise ValueError(f"unknown combination {kind!r}")


def month_figure(kind, series, month):
    """The figure for the month alone."""
    return combine(kind, series, month, start=month)


def round_half_up(value, decimals):
    """Round as bulletins do (21.05 → 21.1), not banker's rounding."""
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class YearOnYear:
    """Change against the same period last year, computed from the rounded figures as printed,
    so that the figures and the change a reader sees always add up (21.1 − 25.7 = −4.6)."""

    absolute: Decimal | None
    relative: Decimal | None = None  # percent; None for ratios (use points) and ranks
    in_points: bool = False  # absolute is in 百分点
    improved: bool | None = None  # None: unchanged, or no direction of improvement

    @property
    def is_unchanged(self):
        return self.absolute is not None and self.absolute == 0


NO_CHANGE = YearOnYear(None)


def change(kind, current, previous, *, decimals, direction):
    """Change of `current` against `previous` (both Figures)."""
    if current.is_missing or previous.is_missing:
        return NO_CHANGE
    now, before = round_half_up(current.value, decimals), round_half_up(previous.value, decimals)
    absolute = now - before
    relative = None
    if kind not in ("ratio", "entered") and before != 0:
        relative = round_half_up(absolute / before * HUNDRED, 1)
    improved = None
    if absolute != 0 and direction in ("lower", "higher"):
        improved = (absolute < 0) == (direction == "lower")
    return YearOnYear(absolute, relative, kind == "ratio", improved)


@dataclass
class Comparison:
    """Everything the bulletin states about one indicator in one area for a month.

    ytd and last_ytd cover the same months (like for like): a month missing this year is left out of last
    year's side, and a month missing last year out of this year's. `excluded` are the months this year has
    that were left out because last year lacks them; ytd.missing the months this year lacks."""

    month: Figure
    ytd: Figure
    last_ytd: Figure
    change: YearOnYear
    actual: Figure  # every month this year has, like for like or not: what a target is measured on
    excluded: tuple = ()
    series: dict = field(default_factory=dict)  # {month: Figure} this year, for charts
    last_series: dict = field(default_factory=dict)


def compare(kind, this_year, last_year, *, year, month, every=1, direction, decimals):
    """Month, year-to-date (1–month), the same months last year and the change for one series pair.

    Flows (mean_days, ratio, sum) compare the months present in both years; stock and entered values compare
    the latest value this year with last year's value as of the same month."""
    actual = combine(kind, this_year, month, every=every)
    excluded = ()
    if kind in ("stock", "entered"):
        ytd = actual
        last_ytd = combine(kind, last_year, ytd.as_of or month, every=every)
    else:
        mine = present_months(kind, this_year, month)
        theirs = present_months(kind, last_year, month)
        common = [m for m in mine if m in theirs]
        if common:
            excluded = tuple(m for m in mine if m not in theirs)
            ytd = combine(kind, this_year, month, every=every, only=common)
            last_ytd = combine(kind, last_year, month, every=every, only=common)
        elif mine and theirs:  # no month in common: nothing to compare like for like
            ytd, last_ytd, excluded = actual, Figure(None, missing=tuple(mine)), tuple(mine)
        else:
            ytd, last_ytd = actual, combine(kind, last_year, month, every=every)
    return Comparison(
        month=month_figure(kind, this_year, month),
        ytd=ytd,
        last_ytd=last_ytd,
        change=change(kind, ytd, last_ytd, decimals=decimals, direction=direction),
        actual=actual,
        excluded=excluded,
        series={m: month_figure(kind, this_year, m) for m in range(1, 13)},
        last_series={m: month_figure(kind, last_year, m) for m in range(1, 13)},
    )

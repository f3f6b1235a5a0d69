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
    """A combined figure, unrounded. numerator/denominator are the sums behind a ratio
    (or the valid days behind a mean); as_of is the month a stock or entered value comes from."""

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


def combine(kind, series, upto, *, every=1, start=1):
    """The figure for months start..upto of one year's series (start=upto gives the month alone)."""
    months = range(start, upto + 1)
    present = [m for m in months if _has_data(kind, series.get(m))]
    expected = [m for m in months if m % every == 0]
    missing = tuple(m for m in expected if m not in present)
    if kind in ("stock", "entered"):
        if not present:
            return Figure(None, missing=missing)
        latest = present[-1]
        return Figure(series[latest].value, months=(latest,), as_of=latest)
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
        return Figure(weighted / days, None, days, tuple(present), missing)
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
class Change:
    """Change against the same period last year, computed from the rounded figures as printed,
    so that the figures and the change a reader sees always add up (21.1 − 25.7 = −4.6)."""

    absolute: Decimal | None
    relative: Decimal | None = None  # percent; None for ratios (use points) and ranks
    in_points: bool = False  # absolute is in 百分点
    improved: bool | None = None  # None: unchanged, or no direction of improvement

    @property
    def is_unchanged(self):
        return self.absolute is not None and self.absolute == 0


NO_CHANGE = Change(None)


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
    return Change(absolute, relative, kind == "ratio", improved)


@dataclass(frozen=True)
class TargetStatus:
    target: Decimal | None
    met: bool | None = None
    progress: Decimal | None = None  # percent of the target reached (stock)


NO_TARGET = TargetStatus(None)


def target_status(kind, figure, *, target, target_year, year, direction, decimals):
    """Whether the figure meets the indicator's target for the year; stock shows progress toward it."""
    if target is None or (target_year is not None and target_year != year):
        return NO_TARGET
    if figure.is_missing:
        return TargetStatus(target)
    value = round_half_up(figure.value, decimals)
    progress = round_half_up(value / target * HUNDRED, 1) if kind == "stock" and target else None
    if direction == "lower":
        met = value <= target
    elif direction == "higher":
        met = value >= target
    else:
        met = None
    return TargetStatus(target, met, progress)


@dataclass
class Comparison:
    """Everything the bulletin states about one indicator in one area for a month."""

    month: Figure
    ytd: Figure
    last_ytd: Figure
    change: Change
    target: TargetStatus
    series: dict = field(default_factory=dict)  # {month: Figure} this year, for charts
    last_series: dict = field(default_factory=dict)


def compare(kind, this_year, last_year, *, year, month, every=1, direction, decimals, target=None, target_year=None):
    """Month, year-to-date (1–month), same period last year, change and target for one series pair."""
    ytd = combine(kind, this_year, month, every=every)
    last_ytd = combine(kind, last_year, month, every=every)
    return Comparison(
        month=month_figure(kind, this_year, month),
        ytd=ytd,
        last_ytd=last_ytd,
        change=change(kind, ytd, last_ytd, decimals=decimals, direction=direction),
        target=target_status(
            kind, ytd, target=target, target_year=target_year, year=year, direction=direction, decimals=decimals
        ),
        series={m: month_figure(kind, this_year, m) for m in range(1, 13)},
        last_series={m: month_figure(kind, last_year, m) for m in range(1, 13)},
    )

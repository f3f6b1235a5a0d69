"""Working days: Monday to Friday, minus TIEJU_HOLIDAYS, plus TIEJU_EXTRA_WORKDAYS (调休 weekends)."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _dates(name):
    try:
        return {date.fromisoformat(value) for value in getattr(settings, name)}
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} holds a value that is not YYYY-MM-DD: {error}") from None


def is_working_day(day):
    if day in _dates("TIEJU_EXTRA_WORKDAYS"):
        return True
    return day.weekday() < 5 and day not in _dates("TIEJU_HOLIDAYS")


def add_working_days(start, days):
    """The date `days` working days after `start` (start itself not counted)."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start, end):
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count

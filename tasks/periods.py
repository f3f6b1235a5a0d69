"""Reporting periods of recurring requirements (每周/每月/每季度/每半年/每年)."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from django.utils.translation import gettext as _

from tasks.choices import Recurrence


@dataclass(frozen=True)
class Period:
    recurrence: str
    start: date
    end: date

    @property
    def label(self):
        if self.recurrence == Recurrence.WEEKLY:
            return _("%(start)s—%(end)s") % {
                "start": self.start.strftime("%Y-%m-%d"),
                "end": self.end.strftime("%m-%d"),
            }
        if self.recurrence == Recurrence.MONTHLY:
            return _("%(year)d年%(month)d月") % {"year": self.start.year, "month": self.start.month}
        if self.recurrence == Recurrence.QUARTERLY:
            return _("%(year)d年第%(quarter)d季度") % {
                "year": self.start.year,
                "quarter": (self.start.month - 1) // 3 + 1,
            }
        if self.recurrence == Recurrence.HALF_YEARLY:
            if self.start.month == 1:
                return _("%(year)d年上半年") % {"year": self.start.year}
            return _("%(year)d年下半年") % {"year": self.start.year}
        return _("%(year)d年") % {"year": self.start.year}

    def previous(self):
        return period_containing(self.recurrence, self.start - timedelta(days=1))

    def next(self):
        return period_containing(self.recurrence, self.end + timedelta(days=1))


_MONTHS_PER_PERIOD = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3, Recurrence.HALF_YEARLY: 6, Recurrence.YEARLY: 12}


@lru_cache(maxsize=4096)
def period_containing(recurrence, day):
    """The period of `recurrence` holding `day` (a pure function: lists of thousands ask for the same few)."""
    if recurrence == Recurrence.WEEKLY:
        start = day - timedelta(days=day.weekday())
        return Period(recurrence, start, start + timedelta(days=6))
    try:
        months = _MONTHS_PER_PERIOD[recurrence]
    except KeyError:
        raise ValueError(f"unknown recurrence {recurrence!r}") from None
    first_month = (day.month - 1) // months * months + 1
    last_month = first_month + months - 1
    end = date(day.year, last_month, calendar.monthrange(day.year, last_month)[1])
    return Period(recurrence, date(day.year, first_month, 1), end)

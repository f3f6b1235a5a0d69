"""The meaning of a deadline as the office writes it."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils.translation import gettext as _

from teams.names import normalize_name


class DeadlineError(ValueError):
    pass


@dataclass(frozen=True)
class Deadline:
    text: str
    kind: str  # "date" | "ongoing" | "recurring"
    due_date: date | None = None
    recurrence: str = ""


_RECURRING = {
    "每周": "weekly",
    "每月": "monthly",
    "每季度": "quarterly",
    "每季": "quarterly",
    "每半年": "half_yearly",
    "每年": "yearly",
}
_ONGOING = {"长期坚持", "持续推进", "长期", "持续", "常态化", "长期推进"}

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:0?0:00(?::00)?)?$")
_CN_DAY = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(?:前|之前|前完成|完成)?$")
_CN_MONTH = re.compile(r"^(\d{4})年(\d{1,2})月(?:底|末|份)?(?:前|之前|前完成|完成)?$")
_CN_QUARTER = re.compile(r"^(\d{4})年(?:第)?([一二三四1-4])季度(?:末|底)?(?:前|之前|完成)?$")
_CN_HALF = re.compile(r"^(\d{4})年(上|下)半年(?:前|之前|完成)?$")
_CN_YEAR = re.compile(r"^(\d{4})年(?:底|末|年底|年内|全年)?(?:前|之前|完成)?$")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
# Excel stores dates as day counts from 1899-12-30; a bare number in this range is one.
_EXCEL_EPOCH = date(1899, 12, 30)
_SERIALS = range(36526, 73051)  # 2000-01-01 … 2099-12-31


def date_text(value):
    """How the office writes a date: 2026年3月31日."""
    return f"{value.year}年{value.month}月{value.day}日"


def _unreadable(text):
    return DeadlineError(_("无法识别的日期“%(text)s”") % {"text": text})


def _month_end(text, year, month):
    if not 1 <= month <= 12:
        raise _unreadable(text)
    return _day(text, year, month, calendar.monthrange(year, month)[1])


def _day(text, year, month, day):
    try:
        result = date(year, month, day)
    except ValueError:
        raise DeadlineError(_("无法识别的日期“%(text)s”（该日期不存在）") % {"text": text}) from None
    if not 2000 <= year <= 2099:
        raise DeadlineError(_("无法识别的日期“%(text)s”（年份不合理）") % {"text": text})
    return result


def parse_deadline(value):
    """A Deadline for a cell value (an Excel date or a phrase); DeadlineError when unreadable."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return Deadline(text=date_text(value), kind="date", due_date=_day(date_text(value), *value.timetuple()[:3]))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if int(value) in _SERIALS:
            due = _EXCEL_EPOCH + timedelta(days=int(value))
            return Deadline(text=date_text(due), kind="date", due_date=due)
        raise _unreadable(value)
    text = normalize_name(value)
    if not text:
        raise DeadlineError(_("完成时限为空"))
    if text in _ONGOING:
        return Deadline(text=text, kind="ongoing")
    if text in _RECURRING:
        return Deadline(text=text, kind="recurring", recurrence=_RECURRING[text])
    if m := _ISO.match(text):
        return Deadline(text=text, kind="date", due_date=_day(text, *map(int, m.groups())))
    if m := _CN_DAY.match(text):
        return Deadline(text=text, kind="date", due_date=_day(text, *map(int, m.groups())))
    if m := _CN_MONTH.match(text):
        return Deadline(text=text, kind="date", due_date=_month_end(text, int(m[1]), int(m[2])))
    if m := _CN_QUARTER.match(text):
        return Deadline(text=text, kind="date", due_date=_month_end(text, int(m[1]), _QUARTERS[m[2]] * 3))
    if m := _CN_HALF.match(text):
        return Deadline(text=text, kind="date", due_date=_month_end(text, int(m[1]), 6 if m[2] == "上" else 12))
    if m := _CN_YEAR.match(text):
        return Deadline(text=text, kind="date", due_date=_day(text, int(m[1]), 12, 31))
    raise _unreadable(text)

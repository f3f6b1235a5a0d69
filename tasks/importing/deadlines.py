"""The meaning of a deadline as the office writes it."""

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime

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
_ONGOING = {"长期坚持", "持续推进", "长期", "持续", "常态化"}

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s*0?0:00(?::00)?)?$")
_CN_DAY = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日(?:前|之前|前完成)?$")
_CN_MONTH = re.compile(r"^(\d{4})年(\d{1,2})月(?:底|末)?(?:前|之前|前完成|完成)?$")
_CN_QUARTER = re.compile(r"^(\d{4})年(?:第)?([一二三四1-4])季度(?:末|底)?(?:前|之前)?$")
_CN_HALF = re.compile(r"^(\d{4})年(上|下)半年(?:前|之前)?$")
_CN_YEAR = re.compile(r"^(\d{4})年(?:底|末|年底|年内|全年)?(?:前|之前)?$")
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _month_end(year, month):
    if not 1 <= month <= 12:
        raise DeadlineError(f"{month}月不存在")
    return date(year, month, calendar.monthrange(year, month)[1])


def _day(year, month, day):
    try:
        return date(year, month, day)
    except ValueError:
        raise DeadlineError(f"{year}年{month}月{day}日不存在") from None


def parse_deadline(value):
    """A Deadline for a cell value (an Excel date or a phrase); DeadlineError when unreadable."""
    if isinstance(value, datetime):
        return Deadline(text=f"{value.year}年{value.month}月{value.day}日", kind="date", due_date=value.date())
    if isinstance(value, date):
        return Deadline(text=f"{value.year}年{value.month}月{value.day}日", kind="date", due_date=value)
    text = normalize_name(value)
    if not text:
        raise DeadlineError("完成时限为空")
    if text in _ONGOING:
        return Deadline(text=text, kind="ongoing")
    if text in _RECURRING:
        return Deadline(text=text, kind="recurring", recurrence=_RECURRING[text])
    if m := _ISO.match(text):
        return Deadline(text=text, kind="date", due_date=_day(*map(int, m.groups())))
    if m := _CN_DAY.match(text):
        return Deadline(text=text, kind="date", due_date=_day(*map(int, m.groups())))
    if m := _CN_MONTH.match(text):
        return Deadline(text=text, kind="date", due_date=_month_end(int(m[1]), int(m[2])))
    if m := _CN_QUARTER.match(text):
        return Deadline(text=text, kind="date", due_date=_month_end(int(m[1]), _QUARTERS[m[2]] * 3))
    if m := _CN_HALF.match(text):
        return Deadline(text=text, kind="date", due_date=_month_end(int(m[1]), 6 if m[2] == "上" else 12))
    if m := _CN_YEAR.match(text):
        return Deadline(text=text, kind="date", due_date=date(int(m[1]), 12, 31))
    raise DeadlineError(f"无法识别的日期“{text}”")

from datetime import date

from django.http import Http404
from django.urls import reverse


def month_or_404(year, month):
    """The first day of the month named in a URL; 404 for months that do not exist (2026-13)."""
    year, month = int(year), int(month)
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    return date(year, month, 1)


def month_url(name, month):
    """The URL of a month's page, e.g. month_url("bulletin", month) for /bulletin/2026/03/."""
    return reverse(f"metrics:{name}", args=[f"{month:%Y}", f"{month:%m}"])


def shift(month, by):
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)

from datetime import date

from django.http import Http404


def month_or_404(year, month):
    """The first day of the month named in a URL; 404 for months that do not exist (2026-13)."""
    year, month = int(year), int(month)
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise Http404
    return date(year, month, 1)


def shift(month, by):
    index = month.year * 12 + month.month - 1 + by
    return date(index // 12, index % 12 + 1, 1)

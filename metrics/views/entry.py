from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from metrics.access import require
from metrics.models import Area, Indicator, Month, MonthEvent, MonthlyValue, MonthState
from metrics.validation import check_value
from metrics.views.common import month_or_404, shift
from metrics.workflow import month_approve, month_reopen, month_submit, month_values_save


def _url(month):
    return reverse("metrics:entry", args=[f"{month.year:04d}", f"{month.month:02d}"])


def fields_for(indicator):
    """The inputs a cell needs: (field, label)."""
    if indicator.combination == "ratio":
        return [("numerator", _("分子")), ("denominator", _("分母"))]
    if indicator.combination == "mean_days":
        return [("value", _("数值")), ("denominator", _("有效天数"))]
    return [("value", _("数值"))]


@login_required
def entry_latest(request):
    require(request, "metrics.enter_indicator_values")
    last = MonthlyValue.objects.order_by("-month").values_list("month", flat=True).first()
    return redirect(_url(last or shift(timezone.localdate().replace(day=1), -1)))


def _plain(number):
    if number is None:
        return ""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _parse(raw):
    raw = (raw or "").strip().replace(",", "")
    if raw == "":
        return None, None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        return None, _("“%(value)s”不是数字") % {"value": raw[:30]}
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        return None, _("“%(value)s”不是有效数字") % {"value": raw[:30]}
    return number, None


@login_required
def entry(request, year, month):
    require(request, "metrics.enter_indicator_values")
    month = month_or_404(year, month)
    state = Month.objects.filter(month=month).first() or Month(month=month)
    indicators = list(Indicator.objects.active())
    areas = list(Area.objects.filter(Q(is_city=True) | Q(values__isnull=False)).distinct().order_by("sort_order", "pk"))
    existing = {(v.indicator_id, v.area_id): v for v in MonthlyValue.objects.filter(month=month)}
    raw, cell_errors, cell_warnings = {}, {}, {}
    if request.method == "POST":
        if not state.is_editable:
            raise PermissionDenied
        entries, problems = {}, 0
        for indicator in indicators:
            for area in areas:
                key = (indicator.pk, area.pk)
                numbers, errors = {"value": None, "numerator": None, "denominator": None}, []
                for field, label in fields_for(indicator):
                    text = request.POST.get(f"{indicator.pk}-{area.pk}-{field}", "")
                    raw[(indicator.pk, area.pk, field)] = text[:40]
                    numbers[field], error = _parse(text)
                    if error:
                        errors.append(f"{label}：{error}")
                if not errors and any(v is not None for v in numbers.values()):
                    found, warnings = check_value(indicator, month=month, **numbers)
                    labels = dict(fields_for(indicator)) | {"value": _("数值")}
                    errors += [f"{labels.get(f, '')}：{m}" for f, m in found]
                    if warnings:
                        cell_warnings[key] = [m for _f, m in warnings]
                if errors:
                    cell_errors[key] = errors
                    problems += 1
                entries[(indicator, area)] = numbers
        if not problems:
            created, updated, removed = month_values_save(month=month, entries=entries, user=request.user)
            messages.success(request, _("已保存：新增%(c)d项，修改%(u)d项，清除%(r)d项。") % {
                "c": created, "u": updated, "r": removed})
            for (indicator_pk, area_pk), warnings in cell_warnings.items():
                names = next(i.name for i in indicators if i.pk == indicator_pk), next(a.name for a in areas if a.pk == area_pk)
                for message in warnings:
                    messages.warning(request, f"{names[1]}{names[0]}：{message}")
            return redirect(_url(month))
        messages.error(request, _("有%(n)d处填写有误，未保存任何数据，请按提示修改。") % {"n": problems})
    rows = []
    for indicator in indicators:
        cells = []
        for area in areas:
            current = existing.get((indicator.pk, area.pk))
            inputs = []
            for field, label in fields_for(indicator):
                if (indicator.pk, area.pk, field) in raw:
                    shown = raw[(indicator.pk, area.pk, field)]
                else:
                    shown = _plain(getattr(current, field)) if current else ""
                inputs.append({"name": f"{indicator.pk}-{area.pk}-{field}", "label": label, "value": shown})
            cells.append({
                "area": area, "inputs": inputs, "errors": cell_errors.get((indicator.pk, area.pk), []),
                "warnings": cell_warnings.get((indicator.pk, area.pk), []),
            })
        rows.append({"indicator": indicator, "cells": cells})
    events = list(MonthEvent.objects.filter(month__month=month).select_related("user")) if state.pk else []
    return render(request, "metrics/entry.html", {
        "month": month, "state": state, "rows": rows, "areas": areas, "events": events,
        "previous_url": _url(shift(month, -1)), "next_url": _url(shift(month, 1)),
        "can_approve": request.user.has_perm("metrics.approve_indicator_month"),
        "MonthState": MonthState,
    }, status=400 if cell_errors else 200)


def _transition(request, year, month, permission, action, **kwargs):
    require(request, permission)
    month = month_or_404(year, month)
    try:
        action(month=month, user=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("操作成功。"))
    return redirect(_url(month))


@require_POST
@login_required
def month_submit_view(request, year, month):
    return _transition(request, year, month, "metrics.enter_indicator_values", month_submit)


@require_POST
@login_required
def month_approve_view(request, year, month):
    return _transition(request, year, month, "metrics.approve_indicator_month", month_approve)


@require_POST
@login_required
def month_reopen_view(request, year, month):
    return _transition(request, year, month, "metrics.approve_indicator_month", month_reopen,
                       reason=request.POST.get("reason", "")[:2000])

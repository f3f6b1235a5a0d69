from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import Action, Outcome
from audit.trail import record
from metrics.forms import MonthGrid
from metrics.models import Area, Indicator, Month, MonthEvent, MonthlyValue, MonthState
from metrics.views.common import month_or_404, month_url, shift
from metrics.workflow import month_approve, month_reopen, month_submit, month_values_save
from tasks.access import require


@login_required
def entry_latest(request):
    require(request, "metrics.enter_indicator_values")
    last = MonthlyValue.objects.order_by("-month").values_list("month", flat=True).first()
    return redirect(month_url("entry", last or shift(timezone.localdate().replace(day=1), -1)))


@login_required
def entry(request, year, month):
    require(request, "metrics.enter_indicator_values")
    month = month_or_404(year, month)
    state = Month.objects.filter(month=month).first() or Month(month=month)
    areas = Area.objects.filter(Q(is_city=True) | Q(values__isnull=False)).distinct().order_by("sort_order", "pk")
    grid = MonthGrid(
        month=month,
        indicators=list(Indicator.objects.active()),
        areas=list(areas),
        existing={(v.indicator_id, v.area_id): v for v in MonthlyValue.objects.filter(month=month)},
        data=request.POST if request.method == "POST" else None,
    )
    if request.method == "POST":
        if not state.is_editable:
            raise PermissionDenied
        if grid.is_valid():
            created, updated, removed = month_values_save(month=month, entries=grid.entries, user=request.user)
            messages.success(
                request,
                _("已保存：新增%(c)d项，修改%(u)d项，清除%(r)d项。") % {"c": created, "u": updated, "r": removed},
            )
            for indicator, area, message in grid.warnings:
                messages.warning(request, f"{area.name}{indicator.name}：{message}")
            return redirect(month_url("entry", month))
        messages.error(request, _("有%(n)d处填写有误，未保存任何数据，请按提示修改。") % {"n": len(grid.errors)})
    events = list(MonthEvent.objects.filter(month__month=month).select_related("user")) if state.pk else []
    return render(
        request,
        "metrics/entry.html",
        {
            "month": month,
            "state": state,
            "rows": list(grid.rows()),
            "areas": grid.areas,
            "events": events,
            "previous_url": month_url("entry", shift(month, -1)),
            "next_url": month_url("entry", shift(month, 1)),
            "can_approve": request.user.has_perm("metrics.approve_indicator_month"),
            "MonthState": MonthState,
        },
        status=400 if grid.errors else 200,
    )


def _transition(request, year, month, permission, action, *, audited=None, **kwargs):
    require(request, permission)
    month = month_or_404(year, month)
    try:
        action(month=month, user=request.user, **kwargs)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        if audited:
            record(
                request.user,
                audited,
                f"indicators {month:%Y-%m}",
                {"refused": exc.messages, **kwargs},
                outcome=Outcome.FAILURE,
            )
    else:
        messages.success(request, _("操作成功。"))
        if audited:
            record(request.user, audited, f"indicators {month:%Y-%m}", kwargs)
    return redirect(month_url("entry", month))


@require_POST
@login_required
def submit_month(request, year, month):
    return _transition(
        request, year, month, "metrics.enter_indicator_values", month_submit, audited=Action.MONTH_SUBMIT
    )


@require_POST
@login_required
def approve_month(request, year, month):
    return _transition(
        request, year, month, "metrics.approve_indicator_month", month_approve, audited=Action.MONTH_APPROVE
    )


@require_POST
@login_required
def reopen_month(request, year, month):
    return _transition(
        request,
        year,
        month,
        "metrics.approve_indicator_month",
        month_reopen,
        audited=Action.MONTH_REOPEN,
        reason=request.POST.get("reason", "")[:2000],
    )

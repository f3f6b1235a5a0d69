from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import Action, Outcome
from audit.trail import record
from metrics.checks import month_findings
from metrics.forms import MonthGrid
from metrics.models import (
    Area,
    Indicator,
    Month,
    MonthEvent,
    MonthlyValue,
    MonthState,
    MonthSubmission,
    RuleComment,
    ValidationRule,
    ValueEvent,
)
from metrics.ownership import completeness, owner_label, reporting
from metrics.views.common import month_or_404, month_url, shift
from metrics.workflow import (
    may_submit_for,
    month_approve,
    month_reopen,
    month_submit,
    month_values_save,
    owning_departments,
    rule_comment_save,
)
from tasks.access import require
from teams.models import Department


def _month_name(month):
    return _("%(year)d年%(month)d月") % {"year": month.year, "month": month.month}


@login_required
def entry_latest(request):
    """The latest month that has ended (in November: October), whatever months hold data."""
    require(request, "metrics.view_bulletin")
    return redirect(month_url("entry", shift(timezone.localdate().replace(day=1), -1)))


@login_required
def entry(request, year, month):
    """The month's grid: everyone with the bulletin permission reads it; each cell is written by its owning
    department's staff and by administrators; others see it read-only with whose it is."""
    require(request, "metrics.view_bulletin")
    month = month_or_404(year, month)
    if request.method == "POST":
        require(request, "metrics.enter_indicator_values")
    state = Month.objects.filter(month=month).first() or Month(month=month)
    indicators = list(Indicator.objects.active().select_related("owner"))
    reporting_ = reporting(indicators)
    applicable = {area for (_i, area) in reporting_.owners}
    areas = list(
        Area.objects.filter(Q(is_city=True) | Q(pk__in=applicable) | Q(values__month=month))
        .distinct()
        .order_by("sort_order", "pk")
    )
    existing = {
        (v.indicator_id, v.area_id): v
        for v in MonthlyValue.objects.filter(month=month).select_related("indicator", "updated_by")
    }
    findings, violations = month_findings(month, existing)
    grid = MonthGrid(
        month=month,
        indicators=indicators,
        areas=areas,
        existing=existing,
        reporting=reporting_,
        user=request.user,
        data=request.POST if request.method == "POST" else None,
        findings=findings,
    )
    if request.method == "POST":
        if not state.is_editable:
            raise PermissionDenied
        if not grid.is_valid() and grid.foreign:
            indicator, area = grid.foreign[0]
            raise PermissionDenied(
                _("%(area)s%(indicator)s由%(owner)s填报，你不能修改；未保存任何数据。")
                % {
                    "area": area.name,
                    "indicator": indicator.name,
                    "owner": owner_label(reporting_.owner(indicator, area)),
                }
            )
        if not grid.errors:
            created, updated, removed = month_values_save(
                month=month, entries=grid.entries, notes=grid.notes, user=request.user, reporting_=reporting_
            )
            messages.success(
                request,
                _("已保存：新增%(c)d项，修改%(u)d项，清除%(r)d项。") % {"c": created, "u": updated, "r": removed},
            )
            saved = {
                (v.indicator_id, v.area_id): v
                for v in MonthlyValue.objects.filter(month=month).select_related("indicator", "area")
            }
            after, _violations = month_findings(month, saved)
            for key, found in after.items():
                if key in saved and reporting_.may_write(request.user, saved[key].indicator, saved[key].area):
                    for message in found:
                        messages.warning(request, f"{saved[key].area.name}{saved[key].indicator.name}：{message}")
            return redirect(month_url("entry", month))
        messages.error(request, _("有%(n)d处填写有误，未保存任何数据，请按提示修改。") % {"n": len(grid.errors)})
    return render(
        request,
        "metrics/entry.html",
        {**_month_context(request, month, state, reporting_, violations), "rows": list(grid.rows()), "areas": areas},
        status=400 if grid.errors else 200,
    )


def _month_context(request, month, state, reporting_, violations):
    user = request.user
    submitted = {s.department_id: s for s in state.submissions.select_related("user")} if state.pk else {}
    owners = []
    for department in owning_departments(month, reporting_):
        key = department.pk if department else None
        owners.append(
            {
                "id": "" if department is None else department.pk,
                "label": owner_label(department),
                "submission": submitted.get(key),
                "can_submit": state.is_editable
                and key not in submitted
                and user.has_perm("metrics.enter_indicator_values")
                and may_submit_for(user, department),
            }
        )
    comments = {c.rule_id: c for c in RuleComment.objects.filter(month__month=month).select_related("user")}
    broken = []
    for violation in violations:
        if violation.rule.pk in {b["rule"].pk for b in broken}:
            continue
        cells = violation.cells
        broken.append(
            {
                "rule": violation.rule,
                "message": violation.message(),
                "comment": comments.get(violation.rule.pk),
                "can_comment": state.is_editable and any(reporting_.may_write_cell(user, cell) for cell in cells),
            }
        )
    can_approve = user.has_perm("metrics.approve_indicator_month")
    events = (
        list(MonthEvent.objects.filter(month__month=month).select_related("user", "department")) if state.pk else []
    )
    history = []
    if can_approve:
        history = list(
            ValueEvent.objects.filter(month=month)
            .select_related("indicator", "area", "user")
            .order_by("-created_at", "-pk")[:300]
        )
    return {
        "month": month,
        "month_name": _month_name(month),
        "state": state,
        "owners": owners,
        "has_submissions": bool(submitted),
        "broken": broken,
        "events": events,
        "history": history,
        "completeness": completeness(month, reporting_=reporting_),
        "previous_url": month_url("entry", shift(month, -1)),
        "next_url": month_url("entry", shift(month, 1)),
        "can_approve": can_approve,
        "can_enter": user.has_perm("metrics.enter_indicator_values"),
        "MonthState": MonthState,
    }


@login_required
def reporting_overview(request, year, month):
    """Completeness and timeliness per owning department for a month (数据报送完整率/及时率)."""
    require(request, "metrics.view_bulletin")
    month = month_or_404(year, month)
    before, after = shift(month, -1), shift(month, 1)
    facts = completeness(month)
    submitted = set(MonthSubmission.objects.filter(month__month=month).values_list("department_id", flat=True))
    for row in facts["rows"]:
        row["submitted"] = row["department_id"] in submitted
    return render(
        request,
        "metrics/reporting.html",
        {
            "month": month,
            "month_name": _month_name(month),
            "completeness": facts,
            "entry_url": month_url("entry", month),
            "previous_url": reverse("metrics:reporting", args=[f"{before:%Y}", f"{before:%m}"]),
            "next_url": reverse("metrics:reporting", args=[f"{after:%Y}", f"{after:%m}"]),
        },
    )


def _transition(request, year, month, permission, action, *, audited=None, done="", **kwargs):
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
                {"refused": exc.messages, **_loggable(kwargs)},
                outcome=Outcome.FAILURE,
            )
    else:
        messages.success(request, done or _("操作成功。"))
        if audited:
            record(request.user, audited, f"indicators {month:%Y-%m}", _loggable(kwargs))
    return redirect(month_url("entry", month))


def _loggable(kwargs):
    return {k: (str(v) if isinstance(v, Department) else v) for k, v in kwargs.items()}


@require_POST
@login_required
def submit_month(request, year, month):
    require(request, "metrics.enter_indicator_values")
    picked = request.POST.get("department", "")
    department = None
    if picked:
        if not picked.isdigit():
            raise Http404
        department = get_object_or_404(Department, pk=int(picked))
    if not may_submit_for(request.user, department):
        raise PermissionDenied
    return _transition(
        request,
        year,
        month,
        "metrics.enter_indicator_values",
        month_submit,
        audited=Action.MONTH_SUBMIT,
        done=_("已提交%(owner)s的%(month)s数据。")
        % {"owner": owner_label(department), "month": _month_name(month_or_404(year, month))},
        department=department,
    )


@require_POST
@login_required
def approve_month(request, year, month):
    return _transition(
        request,
        year,
        month,
        "metrics.approve_indicator_month",
        month_approve,
        audited=Action.MONTH_APPROVE,
        done=_("已审核通过并锁定%(month)s数据。") % {"month": _month_name(month_or_404(year, month))},
    )


@require_POST
@login_required
def reopen_month(request, year, month):
    reason = request.POST.get("reason", "")[:2000]
    return _transition(
        request,
        year,
        month,
        "metrics.approve_indicator_month",
        month_reopen,
        audited=Action.MONTH_REOPEN,
        done=_("已退回%(month)s数据重新填报，理由：%(reason)s")
        % {"month": _month_name(month_or_404(year, month)), "reason": reason.strip()},
        reason=reason,
    )


@require_POST
@login_required
def comment_rule(request, year, month, pk):
    """Keep with the month why its values break a rule, so that it may be submitted."""
    require(request, "metrics.enter_indicator_values")
    month = month_or_404(year, month)
    rule = get_object_or_404(ValidationRule, pk=pk, is_active=True)
    reporting_ = reporting()
    sides = ((rule.left_indicator_id, rule.left_area_id), (rule.right_indicator_id, rule.right_area_id))
    touched = [key for key in reporting_.owners if any(key[0] == i and a in (None, key[1]) for i, a in sides)]
    if not any(reporting_.may_write_cell(request.user, key) for key in touched):
        raise PermissionDenied
    try:
        rule_comment_save(month=month, rule=rule, text=request.POST.get("text", ""), user=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已保存校验说明。"))
    return redirect(month_url("entry", month))

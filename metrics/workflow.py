"""Writes that span models: saving a month's grid, moving a month along its states, publishing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from metrics.bulletin import has_any_data, month_end
from metrics.models import Bulletin, Month, MonthEvent, MonthlyValue, MonthState

FIELDS = ("value", "numerator", "denominator")


def _month_for_update(month):
    Month.objects.get_or_create(month=month)
    return Month.objects.select_for_update().get(month=month)


def month_values_save(*, month, entries, user):
    """Write the grid for a month: entries is {(indicator, area): {value, numerator, denominator}};
    an entry with every field blank removes the value (missing, not zero). Returns (created, updated, removed)."""
    with transaction.atomic():
        state = _month_for_update(month)
        if not state.is_editable:
            raise PermissionDenied(_("该月数据%(state)s，不能修改") % {"state": state.get_state_display()})
        existing = {
            (v.indicator_id, v.area_id): v for v in MonthlyValue.objects.select_for_update().filter(month=month)
        }
        created = updated = removed = 0
        now = timezone.now()
        for (indicator, area), numbers in entries.items():
            current = existing.get((indicator.pk, area.pk))
            if all(numbers.get(f) is None for f in FIELDS):
                if current:
                    current.delete()
                    removed += 1
                continue
            if current is None:
                MonthlyValue.objects.create(indicator=indicator, area=area, month=month, updated_by=user, **numbers)
                created += 1
            elif any(getattr(current, f) != numbers.get(f) for f in FIELDS):
                for f in FIELDS:
                    setattr(current, f, numbers.get(f))
                current.updated_at, current.updated_by = now, user
                current.save()
                updated += 1
    return created, updated, removed


def _move(month, *, user, allowed_from, to, action, reason=""):
    with transaction.atomic():
        state = _month_for_update(month)
        if state.state not in allowed_from:
            raise ValidationError(_("该月当前状态为“%(state)s”，不能执行此操作") % {"state": state.get_state_display()})
        state.state = to
        state.save(update_fields=["state"])
        MonthEvent.objects.create(month=state, action=action, user=user, reason=reason)
    return state


def month_submit(*, month, user):
    return _move(
        month, user=user, allowed_from={MonthState.DRAFT}, to=MonthState.SUBMITTED, action=MonthEvent.Action.SUBMIT
    )


def month_approve(*, month, user):
    return _move(
        month, user=user, allowed_from={MonthState.SUBMITTED}, to=MonthState.APPROVED, action=MonthEvent.Action.APPROVE
    )


def month_reopen(*, month, user, reason):
    """Back to draft from submitted or approved; the reason is required and kept with who and when."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写退回理由"))
    return _move(
        month,
        user=user,
        allowed_from={MonthState.SUBMITTED, MonthState.APPROVED},
        to=MonthState.DRAFT,
        action=MonthEvent.Action.REOPEN,
        reason=reason,
    )


class PublishRefused(ValidationError):
    """Why a month's bulletin cannot be published (nothing is stored)."""


MAX_REASON = 500


def bulletin_publish_check(*, month, data, reason="", today=None):
    """The rules a publication must meet, as a list of refusals ([] when it may go ahead):
    the month has ended; its year to date holds something; its indicator data is approved, or the
    administrator gives the reason the document will print (数据未经审核)."""
    today = today or timezone.localdate()
    problems = []
    if month_end(month.year, month.month) >= today:
        problems.append(
            _("%(year)d年%(month)d月尚未结束，月末之后才能发布该月通报。") % {"year": month.year, "month": month.month}
        )
    if not has_any_data(data):
        problems.append(
            _("%(year)d年%(month)d月及本年此前各月没有任何指标数据或任务，无可发布的内容。")
            % {"year": month.year, "month": month.month}
        )
    reason = (reason or "").strip()
    if data["data_state"] != MonthState.APPROVED and not reason:
        problems.append(
            _("该月指标数据状态为“%(state)s”，尚未审核：请审核后再发布，或填写未经审核即发布的理由（将印在通报上）。")
            % {"state": MonthState(data["data_state"]).label}
        )
    if len(reason) > MAX_REASON:
        problems.append(_("理由最长%(n)d字。") % {"n": MAX_REASON})
    return problems


def bulletin_publish(*, month, user, data, reason="", today=None, via="web"):
    """Store the next version of the month's bulletin as a frozen snapshot of `data` (metrics.bulletin facts),
    under the month's issue number (the next in its year when first published). Raises PublishRefused."""
    reason = (reason or "").strip()
    problems = bulletin_publish_check(month=month, data=data, reason=reason, today=today)
    if problems:
        raise PublishRefused(problems)
    if data["data_state"] == MonthState.APPROVED:
        reason = ""
    with transaction.atomic():
        # Serialises concurrent publications: of the same month on its row, and of the year's numbering on
        # the year's January row (every publication of the year locks it before reading the numbers).
        _month_for_update(month)
        _month_for_update(month.replace(month=1))
        versions = Bulletin.objects.filter(month=month)
        latest = versions.aggregate(n=Max("version"))["n"] or 0
        number = versions.values_list("issue_number", flat=True).first()
        if not number:
            number = (Bulletin.objects.filter(month__year=month.year).aggregate(n=Max("issue_number"))["n"] or 0) + 1
        published_at = timezone.now()
        data = {
            **data,
            "issued_on": timezone.localtime(published_at).date().isoformat(),
            "version": latest + 1,
            "issue_number": number,
            "unapproved_reason": reason,
            "published_by": str(user) if user else "",
        }
        return Bulletin.objects.create(
            month=month,
            version=latest + 1,
            issue_number=number,
            published_by=user,
            published_via=via,
            published_at=published_at,
            data_state=data["data_state"],
            reason=reason,
            data=data,
        )

"""Writes that span models: saving a month's grid, moving a month along its states, publishing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

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
    return _move(month, user=user, allowed_from={MonthState.DRAFT}, to=MonthState.SUBMITTED,
                 action=MonthEvent.Action.SUBMIT)


def month_approve(*, month, user):
    return _move(month, user=user, allowed_from={MonthState.SUBMITTED}, to=MonthState.APPROVED,
                 action=MonthEvent.Action.APPROVE)


def month_reopen(*, month, user, reason):
    """Back to draft from submitted or approved; the reason is required and kept with who and when."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写退回理由"))
    return _move(month, user=user, allowed_from={MonthState.SUBMITTED, MonthState.APPROVED}, to=MonthState.DRAFT,
                 action=MonthEvent.Action.REOPEN, reason=reason)


def bulletin_publish(*, month, user, data):
    """Store the next version of the month's bulletin as a frozen snapshot of `data`."""
    with transaction.atomic():
        _month_for_update(month)  # serialises concurrent publications of the same month
        latest = Bulletin.objects.filter(month=month).aggregate(n=Max("version"))["n"] or 0
        published_at = timezone.now()
        data = {**data, "issued_on": timezone.localtime(published_at).date().isoformat(), "version": latest + 1}
        return Bulletin.objects.create(month=month, version=latest + 1, published_by=user,
                                       published_at=published_at, data=data)

"""Writes that span models: saving a month's grid, moving a month along its states, publishing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from metrics.bulletin import has_any_data, month_end
from metrics.checks import numbers_of, outlier_warnings, rule_violations, same_month_history
from metrics.models import (
    Bulletin,
    Month,
    MonthEvent,
    MonthlyValue,
    MonthState,
    MonthSubmission,
    RuleComment,
    ValueEvent,
)
from metrics.ownership import owner_label, reporting
from metrics.validation import _plain

FIELDS = ("value", "numerator", "denominator")


def _month_for_update(month):
    Month.objects.get_or_create(month=month)
    return Month.objects.select_for_update().get(month=month)


def shown_numbers(numbers):
    """A value as one short text for its history: 18.4 (30), 29/30, 812."""

    def _text(number):
        return "" if number is None else _plain(number)

    value, numerator, denominator = (numbers.get(f) for f in FIELDS)
    if numerator is not None or (value is None and denominator is not None):
        return f"{_text(numerator)}/{_text(denominator)}"
    if denominator is not None:
        return f"{_text(value)} ({_text(denominator)})"
    return _text(value)


def rule_comment_save(*, month, rule, text, user):
    """Keep with the month why its values break a rule (an empty text removes the comment)."""
    text = (text or "").strip()
    with transaction.atomic():
        state = _month_for_update(month)
        if not state.is_editable:
            raise PermissionDenied(_("该月数据%(state)s，不能修改") % {"state": state.get_state_display()})
        if not text:
            RuleComment.objects.filter(month=state, rule=rule).delete()
            return None
        comment, _created = RuleComment.objects.update_or_create(
            month=state, rule=rule, defaults={"text": text[:2000], "user": user, "created_at": timezone.now()}
        )
    return comment


def month_values_save(*, month, entries, user, notes=None, via="web", reporting_=None):
    """Write the grid for a month: entries is {(indicator, area): {value, numerator, denominator}};
    an entry with every field blank removes the value (missing, not zero). notes: {(indicator, area): text},
    the 异常值说明 kept with a value. Refuses (PermissionDenied) a cell the user does not own, writing nothing;
    each change is kept in the value's history. Returns (created, updated, removed)."""
    notes = notes or {}
    reporting_ = reporting_ or reporting()
    for indicator, area in [*entries, *notes]:
        if not reporting_.may_write(user, indicator, area):
            raise PermissionDenied(
                _("%(area)s%(indicator)s由%(owner)s填报，你不能修改")
                % {
                    "area": area.name,
                    "indicator": indicator.name,
                    "owner": owner_label(reporting_.owner(indicator, area)),
                }
                if reporting_.applies(indicator, area)
                else _("%(indicator)s不适用于%(area)s") % {"area": area.name, "indicator": indicator.name}
            )
    with transaction.atomic():
        state = _month_for_update(month)
        if not state.is_editable:
            raise PermissionDenied(_("该月数据%(state)s，不能修改") % {"state": state.get_state_display()})
        existing = {
            (v.indicator_id, v.area_id): v for v in MonthlyValue.objects.select_for_update().filter(month=month)
        }
        created = updated = removed = 0
        now = timezone.now()
        events = []

        def event(indicator, area, action, numbers=None):
            events.append(
                ValueEvent(
                    indicator=indicator,
                    area=area,
                    month=month,
                    action=action,
                    user=user,
                    created_at=now,
                    via=via,
                    shown=shown_numbers(numbers)[:60] if numbers else "",
                )
            )

        for (indicator, area), numbers in entries.items():
            current = existing.get((indicator.pk, area.pk))
            note = (notes.get((indicator, area), current.note if current else "") or "").strip()
            if all(numbers.get(f) is None for f in FIELDS):
                if current:
                    current.delete()
                    removed += 1
                    event(indicator, area, ValueEvent.Action.CLEAR)
                continue
            if current is None:
                MonthlyValue.objects.create(
                    indicator=indicator,
                    area=area,
                    month=month,
                    updated_by=user,
                    updated_at=now,
                    entered_at=now,
                    note=note,
                    **numbers,
                )
                created += 1
                event(indicator, area, ValueEvent.Action.ENTER, numbers)
            elif any(getattr(current, f) != numbers.get(f) for f in FIELDS) or current.note != note:
                changed_numbers = any(getattr(current, f) != numbers.get(f) for f in FIELDS)
                for f in FIELDS:
                    setattr(current, f, numbers.get(f))
                current.note = note
                current.updated_at, current.updated_by = now, user
                current.save()
                updated += 1
                if changed_numbers:
                    event(indicator, area, ValueEvent.Action.CHANGE, numbers)
        ValueEvent.objects.bulk_create(events)
    return created, updated, removed


def _value_events(month, values, action, user, now):
    ValueEvent.objects.bulk_create(
        ValueEvent(
            indicator_id=v.indicator_id,
            area_id=v.area_id,
            month=month,
            action=action,
            user=user,
            created_at=now,
            shown=shown_numbers(numbers_of(v))[:60],
        )
        for v in values
    )


def submission_findings(*, month, department, reporting_=None):
    """What stops a department submitting its month: [(cell, message)] for each rule broken by its values
    without a comment kept with the month, and each outlier among them without a 异常值说明."""
    reporting_ = reporting_ or reporting()
    owned = reporting_.owned_by(department)
    values = {
        (v.indicator_id, v.area_id): v
        for v in MonthlyValue.objects.filter(month=month).select_related("indicator", "area")
    }
    explained = set(RuleComment.objects.filter(month__month=month).values_list("rule_id", flat=True))
    findings = []
    for violation in rule_violations({key: numbers_of(v) for key, v in values.items()}):
        if violation.cells & owned and violation.rule.pk not in explained:
            findings.append((violation.left, _("未说明的校验问题：%(message)s") % {"message": violation.message()}))
    mine = [v for key, v in values.items() if key in owned]
    history = same_month_history(month, [key for key in values if key in owned])
    for value in mine:
        key = (value.indicator_id, value.area_id)
        warnings = outlier_warnings(
            value.indicator, month=month, numbers=numbers_of(value), earlier=history.get(key, {})
        )
        if warnings and not value.note.strip():
            findings.append(
                (
                    key,
                    _("%(area)s%(indicator)s：%(warning)s——请填写异常值说明")
                    % {"area": value.area.name, "indicator": value.indicator.name, "warning": warnings[0]},
                )
            )
    return findings


def may_submit_for(user, department):
    """For any department (and for the indicators without an owner) with metrics.enter_any_indicator_values;
    otherwise for the user's own departments."""
    if user.has_perm("metrics.enter_any_indicator_values"):
        return True
    return department is not None and department.pk in user.department_ids


def month_submit(*, month, user, department):
    """One owning department submits its values for the month (department None: the indicators without an
    owner: holders of metrics.enter_any_indicator_values only). Refused while a rule is broken without a comment or an outlier has no note.
    The month is submitted for approval once every owning department has submitted."""
    reporting_ = reporting()
    if not may_submit_for(user, department):
        raise PermissionDenied(_("你不是%(owner)s的工作人员，不能提交其数据") % {"owner": owner_label(department)})
    with transaction.atomic():
        state = _month_for_update(month)
        if not state.is_editable:
            raise ValidationError(_("该月当前状态为“%(state)s”，不能执行此操作") % {"state": state.get_state_display()})
        owners = owning_departments(month, reporting_)
        if department not in owners:
            raise ValidationError(_("%(owner)s本月没有需报送的指标") % {"owner": owner_label(department)})
        if state.submissions.filter(department=department).exists():
            raise ValidationError(_("%(owner)s已提交本月数据") % {"owner": owner_label(department)})
        findings = submission_findings(month=month, department=department, reporting_=reporting_)
        if findings:
            raise ValidationError([message for _cell, message in findings])
        MonthSubmission.objects.create(month=state, department=department, user=user)
        MonthEvent.objects.create(month=state, action=MonthEvent.Action.SUBMIT, user=user, department=department)
        owned = reporting_.owned_by(department)
        now = timezone.now()
        values = [v for v in MonthlyValue.objects.filter(month=month) if (v.indicator_id, v.area_id) in owned]
        _value_events(month, values, ValueEvent.Action.SUBMIT, user, now)
        submitted = {s.department_id for s in state.submissions.all()}
        if all((d.pk if d else None) in submitted for d in owners):
            state.state = MonthState.SUBMITTED
            state.save(update_fields=["state"])
    return state


def owning_departments(month, reporting_=None):
    """The departments (None: no owner) with at least one value due for the month."""
    return (reporting_ or reporting()).due(month).departments()


def month_approve(*, month, user):
    """Approve and lock a month every owner has submitted; never by someone who submitted any of it."""
    with transaction.atomic():
        state = _month_for_update(month)
        if state.state != MonthState.SUBMITTED:
            raise ValidationError(_("该月当前状态为“%(state)s”，不能执行此操作") % {"state": state.get_state_display()})
        mine = [s for s in state.submissions.select_related("department") if s.user_id == user.pk]
        if mine:
            raise ValidationError(
                _("你提交了%(owners)s的数据，不能审核自己提交的数据，请由其他审核人审核。")
                % {"owners": "、".join(owner_label(s.department) for s in mine)}
            )
        state.state = MonthState.APPROVED
        state.save(update_fields=["state"])
        MonthEvent.objects.create(month=state, action=MonthEvent.Action.APPROVE, user=user)
        _value_events(month, MonthlyValue.objects.filter(month=month), ValueEvent.Action.APPROVE, user, timezone.now())
    return state


def month_reopen(*, month, user, reason):
    """Back to draft from submitted or approved, every department's submission undone; the reason is
    required and kept with who and when."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("请填写退回理由"))
    with transaction.atomic():
        state = _month_for_update(month)
        if state.state not in (MonthState.SUBMITTED, MonthState.APPROVED) and not state.submissions.exists():
            raise ValidationError(_("该月当前状态为“%(state)s”，不能执行此操作") % {"state": state.get_state_display()})
        state.submissions.all().delete()
        state.state = MonthState.DRAFT
        state.save(update_fields=["state"])
        MonthEvent.objects.create(month=state, action=MonthEvent.Action.REOPEN, user=user, reason=reason)
        _value_events(month, MonthlyValue.objects.filter(month=month), ValueEvent.Action.REOPEN, user, timezone.now())
    return state


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

"""Writes that span several models: progress reports, feedback, instructions, postponements.

Each is a keyword-only function wrapped in one transaction; views check who may call them
(see tasks/views/requirement.py) and these functions check what the data allows.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks.models import (
    Assignment,
    DeadlineKind,
    Evidence,
    JournalEntry,
    Postponement,
    Requirement,
    Status,
    evidence_name,
)
from tieju.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE

# What evidence may be: PDF, images, Word and Excel, recognised by their first bytes
# (never by the name or the browser's Content-Type, both of which the uploader controls).
EVIDENCE_TYPES = {
    "application/pdf",
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.ms-excel",
    XLSX_CONTENT_TYPE,
}


class VersionConflict(Exception):
    """Someone saved the requirement after the form was rendered; carries what they changed."""

    def __init__(self, requirement, entries):
        super().__init__(f"requirement {requirement.pk} is at version {requirement.version}")
        self.requirement = requirement
        self.entries = entries


def evidence_sniff(uploaded):
    """The MIME type of an uploaded file judged by its content; ValidationError if not allowed."""
    import filetype

    if uploaded.size > settings.TIEJU_MAX_EVIDENCE_BYTES:
        raise ValidationError(
            _("“%(name)s”超过 %(limit)d MB 的大小限制。"),
            params={"name": uploaded.name, "limit": settings.TIEJU_MAX_EVIDENCE_BYTES // (1024 * 1024) or 1},
            code="too_large",
        )
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in EVIDENCE_TYPES:
        raise ValidationError(
            _("“%(name)s”不是 PDF、图片、Word 或 Excel 文件。"), params={"name": uploaded.name}, code="bad_type"
        )
    return kind.mime


def _department_of(user, requirement, role):
    """The user's department through which they act on the requirement, for the journal."""
    this = Requirement.objects.filter(pk=requirement.pk)
    for department in user.departments.all():
        if role and this._assigned([department], role).exists():
            return department
    return user.departments.first()


def _attach(entry, files):
    for uploaded in files:
        mime = evidence_sniff(uploaded)
        Evidence.objects.create(
            entry=entry,
            file=uploaded,
            original_name=evidence_name(uploaded.name, mime),
            content_type=mime,
            size=uploaded.size,
            sha256=Evidence.digest(uploaded),
        )


def _changes_since(requirement, version):
    """The reports and loop steps saved after `version`: each raises the version by one."""
    missed = max(requirement.version - version, 1)
    kinds = [
        JournalEntry.Kind.REPORT,
        JournalEntry.Kind.COMPLETION_REQUEST,
        JournalEntry.Kind.COMPLETION_WITHDRAW,
        JournalEntry.Kind.COMPLETION_CLOSE,
        JournalEntry.Kind.COMPLETION_RETURN,
    ]
    return list(requirement.journal.filter(kind__in=kinds).select_related("author", "department")[:missed])


def progress_record(*, requirement, user, status, progress, note, files=(), period=None, version):
    """File a progress report; refuses (VersionConflict) if the requirement moved past `version`.
    已完成 is never a report's to set: it is the supervision office's 办结销号 (tasks/supervision/loop.py)."""
    if status == Status.COMPLETED:
        raise ValidationError(_("已完成须经申请办结、督查督办复核后销号，不能直接填报。"), code="completed")
    if period is not None and not requirement.reports_periodically:
        period = None
    with transaction.atomic():
        current = Requirement.objects.select_for_update().get(pk=requirement.pk)
        now = timezone.now()
        updates = dict(status=status, progress=progress, version=F("version") + 1, updated_at=now, updated_by=user)
        if period is not None:
            # Reporting an earlier period never moves reported_through backwards.
            updates["reported_through"] = Case(
                When(reported_through__gte=period.end, then=F("reported_through")), default=Value(period.end)
            )
        # Compare-and-swap in SQL: the row changes only if nobody saved since the form was rendered.
        if Requirement.objects.filter(pk=requirement.pk, version=version).update(**updates) != 1:
            raise VersionConflict(current, _changes_since(current, version))
        entry = JournalEntry.objects.create(
            requirement=current,
            kind=JournalEntry.Kind.REPORT,
            author=user,
            department=_department_of(user, current, Assignment.Role.RESPONSIBLE),
            created_at=now,
            status_before=current.status,
            status_after=status,
            progress_before=current.progress,
            progress_after=progress,
            note=note,
            period_start=period.start if period else None,
            period_end=period.end if period else None,
        )
        _attach(entry, files)
    requirement.refresh_from_db()
    return entry


def feedback_add(*, requirement, user, note, files=()):
    """协办反馈 from a cooperating department: a journal line, no change of status."""
    with transaction.atomic():
        entry = JournalEntry.objects.create(
            requirement=requirement,
            kind=JournalEntry.Kind.FEEDBACK,
            author=user,
            department=_department_of(user, requirement, Assignment.Role.COOPERATING),
            note=note,
        )
        _attach(entry, files)
    return entry


def instruction_add(*, requirement, user, note):
    """A leader's 批示: it appears in the journal and changes nothing else."""
    with transaction.atomic():
        return JournalEntry.objects.create(
            requirement=requirement,
            kind=JournalEntry.Kind.INSTRUCTION,
            author=user,
            note=note,
        )


def postponement_request(*, requirement, user, new_due, reason):
    if requirement.deadline_kind != DeadlineKind.DATE:
        raise ValidationError(_("只有限期完成的具体要求可以申请延期。"), code="not_dated")
    if requirement.status == Status.COMPLETED:
        raise ValidationError(_("已完成的具体要求无需延期。"), code="completed")
    current_due = requirement.effective_due_date
    if new_due <= current_due:
        raise ValidationError(
            _("延期后的时限须晚于现时限 %(due)s。"), params={"due": current_due.isoformat()}, code="not_later"
        )
    latest = postponement_latest(current_due)
    if new_due > latest:
        raise ValidationError(
            _("申请延期至 %(new)s 太远：最多可延期至 %(latest)s（现时限 %(due)s 后 %(days)d 天）。"),
            params={
                "new": new_due.isoformat(),
                "latest": latest.isoformat(),
                "due": current_due.isoformat(),
                "days": settings.TIEJU_POSTPONEMENT_MAX_DAYS,
            },
            code="too_far",
        )
    with transaction.atomic():
        # Lock the requirement so two simultaneous requests cannot both pass the pending check
        # (the partial unique constraint would then fail with an IntegrityError instead).
        Requirement.objects.select_for_update().filter(pk=requirement.pk).first()
        if requirement.postponements.filter(state=Postponement.State.PENDING).exists():
            raise ValidationError(_("已有一份待审批的延期申请。"), code="pending")
        postponement = Postponement.objects.create(
            requirement=requirement,
            requested_by=user,
            original_due=current_due,
            new_due=new_due,
            reason=reason,
        )
        JournalEntry.objects.create(
            requirement=requirement,
            kind=JournalEntry.Kind.POSTPONEMENT_REQUEST,
            author=user,
            department=_department_of(user, requirement, Assignment.Role.RESPONSIBLE),
            note=_("申请延期至 %(date)s：%(reason)s") % {"date": new_due.isoformat(), "reason": reason},
        )
    return postponement


def postponement_latest(current_due):
    """The latest date a postponement may move `current_due` to (TIEJU_POSTPONEMENT_MAX_DAYS later)."""
    return current_due + timedelta(days=settings.TIEJU_POSTPONEMENT_MAX_DAYS)


def postponement_decide(*, postponement, user, approve, comment=""):
    """Approve or reject a pending request; approval moves the deadline the light uses."""
    state = Postponement.State.APPROVED if approve else Postponement.State.REJECTED
    if approve and postponement.original_due and postponement.new_due > postponement_latest(postponement.original_due):
        # A request filed before the bound existed (or altered in the database) is never approved.
        raise ValidationError(
            _("申请延期至 %(new)s 超出允许范围（最多至 %(latest)s），只能不同意。"),
            params={
                "new": postponement.new_due.isoformat(),
                "latest": postponement_latest(postponement.original_due).isoformat(),
            },
            code="too_far",
        )
    now = timezone.now()
    with transaction.atomic():
        decided = Postponement.objects.filter(pk=postponement.pk, state=Postponement.State.PENDING).update(
            state=state,
            decided_by=user,
            decided_at=now,
            decision_comment=comment,
        )
        if decided != 1:
            raise ValidationError(_("该延期申请已审批，不能再次审批。"), code="decided")
        requirement = postponement.requirement
        if approve:
            # 最近更新 stays the department's last report: a leader's decision is in the journal under their name.
            Requirement.objects.filter(pk=requirement.pk).update(postponed_to=postponement.new_due)
        label = _("同意延期至 %(date)s") if approve else _("不同意延期至 %(date)s")
        note = label % {"date": postponement.new_due.isoformat()}
        JournalEntry.objects.create(
            requirement=requirement,
            kind=JournalEntry.Kind.POSTPONEMENT_DECISION,
            author=user,
            created_at=now,
            note=f"{note}。{comment}" if comment else note,
        )
    postponement.refresh_from_db()
    requirement.refresh_from_db()
    return postponement

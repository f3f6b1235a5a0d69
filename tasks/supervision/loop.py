"""The loop as an explicit transition table, and the writes that follow it.

A plain table rather than django-fsm-2: who may move a requirement depends on the user's departments
against the requirement's (responsible staff apply, the supervision office reviews, but never its own
department's items), which is a query per request, not a property of the model a decorator could
hold; and every move must be one compare-and-swap UPDATE on (stage, version) so two reviewers or a
reviewer and a late report cannot both win — a conditional UPDATE says that directly, where
django-fsm's protected field would be saved by save() after the check. The table below is the whole
of the rules; tests/tasks/test_supervision_loop.py walks every role through every action of it.

As in tasks/services.py, the views ask `check` who may act and the write functions below guard only
what the data allows (the stage and version in their UPDATE), so the demo loader can replay history.
"""

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tasks.models import (
    Acknowledgement,
    Assignment,
    CompletionRequest,
    JournalEntry,
    Requirement,
    Stage,
    Status,
)
from tasks.services import VersionConflict, _attach, _changes_since, _department_of
from teams.models import Collective, Department

# Who acts: staff of a responsible department, or a reviewer (the supervision office for other
# departments' items; an administrator or a leader for the supervision office's own).
RESPONSIBLE = "responsible"
REVIEWER = "reviewer"

SIGN = "sign"
APPLY = "apply"
WITHDRAW = "withdraw"
CLOSE = "close"
RETURN = "return"

OPEN_STAGES = frozenset({Stage.ACTIVE, Stage.REVIEW, Stage.RETURNED})


@dataclass(frozen=True)
class Transition:
    label: str
    sources: frozenset
    target: str | None  # None: the stage stays (签收 is per department)
    actor: str


TRANSITIONS = {
    SIGN: Transition(gettext_lazy("签收"), OPEN_STAGES, None, RESPONSIBLE),
    APPLY: Transition(gettext_lazy("申请办结"), frozenset({Stage.ACTIVE, Stage.RETURNED}), Stage.REVIEW, RESPONSIBLE),
    WITHDRAW: Transition(gettext_lazy("撤回办结申请"), frozenset({Stage.REVIEW}), Stage.ACTIVE, RESPONSIBLE),
    CLOSE: Transition(gettext_lazy("办结销号"), frozenset({Stage.REVIEW}), Stage.CLOSED, REVIEWER),
    RETURN: Transition(gettext_lazy("退回整改"), frozenset({Stage.REVIEW}), Stage.RETURNED, REVIEWER),
}


def supervision_departments():
    """The departments whose active staff may review completions (督查督办, by role or by a permission of
    their own): in the demo, 办公室."""
    reviews = Q(codename="review_completion", content_type__app_label="tasks")
    return Department.objects.filter(
        Q(staff__groups__permissions__in=Permission.objects.filter(reviews))
        | Q(staff__user_permissions__in=Permission.objects.filter(reviews)),
        staff__is_active=True,
    ).distinct()


def actors(user, requirement):
    """The parts `user` may play on `requirement` in the loop."""
    if not user.is_authenticated or requirement.is_retired:
        return set()
    this = Requirement.objects.filter(pk=requirement.pk)
    departments = list(user.departments.all())
    own = bool(departments) and this.responsible_for(*departments).exists()
    result = set()
    if own and user.has_perm("tasks.report_progress"):
        result.add(RESPONSIBLE)
    if not own:
        if user.has_perm("tasks.review_completion"):
            result.add(REVIEWER)
        # The office does not review its own items: those who decide postponements (leaders, administrators) do.
        elif user.has_perm("tasks.decide_postponement"):
            office = list(supervision_departments())
            if office and this.responsible_for(*office).exists():
                result.add(REVIEWER)
    return result


def pending_signatures(user, requirement):
    return Acknowledgement.objects.filter(
        requirement=requirement, department__in=user.departments.all(), signed_at__isnull=True
    )


def allowed(user, requirement, *, parts=None):
    """The actions of TRANSITIONS `user` may take now."""
    parts = actors(user, requirement) if parts is None else parts
    result = set()
    for action, transition in TRANSITIONS.items():
        if transition.actor in parts and requirement.stage in transition.sources:
            result.add(action)
    if SIGN in result and not pending_signatures(user, requirement).exists():
        result.discard(SIGN)
    return result


def check(user, requirement, action):
    """PermissionDenied if the user never plays this action's part here; ValidationError if the stage
    (or an unsigned assignment) does not allow it now."""
    transition = TRANSITIONS[action]
    if transition.actor not in actors(user, requirement):
        raise PermissionDenied
    if requirement.stage not in transition.sources:
        raise ValidationError(
            _("“%(action)s”不适用于处于“%(stage)s”环节的具体要求。"),
            params={"action": transition.label, "stage": requirement.get_stage_display()},
            code="stage",
        )
    if action == SIGN and not pending_signatures(user, requirement).exists():
        raise ValidationError(_("您所在部门已签收该项。"), code="signed")
    if action == APPLY and pending_signatures(user, requirement).exists():
        raise ValidationError(_("请先签收，再申请办结。"), code="unsigned")


def _move(requirement, action, version, **updates):
    """Compare-and-swap the stage and version in one UPDATE; the current row, locked, if it moved."""
    transition = TRANSITIONS[action]
    current = Requirement.objects.select_for_update().get(pk=requirement.pk)
    moved = Requirement.objects.filter(pk=requirement.pk, version=version, stage__in=transition.sources).update(
        stage=transition.target, version=F("version") + 1, **updates
    )
    if moved != 1:
        if current.version != version:
            raise VersionConflict(current, _changes_since(current, version))
        raise ValidationError(_("该项已不在可“%(action)s”的环节。"), params={"action": transition.label}, code="stage")
    return current


def requirement_sign(*, requirement, user):
    """签收 for each of the user's departments that has not signed yet. The acknowledgement row is its
    own compare-and-swap (signed_at still empty), so it needs no version: signing changes nothing a
    report or a review reads."""
    now = timezone.now()
    with transaction.atomic():
        pending = list(pending_signatures(user, requirement).select_related("department"))
        signed = Acknowledgement.objects.filter(pk__in=[a.pk for a in pending], signed_at__isnull=True).update(
            signed_at=now, signed_by=user
        )
        if not signed:
            raise ValidationError(_("您所在部门已签收该项。"), code="signed")
        entry = JournalEntry.objects.create(
            requirement=requirement,
            kind=JournalEntry.Kind.SIGN,
            author=user,
            created_at=now,
            department=pending[0].department,
            note="、".join(a.department.name for a in pending),
        )
    return entry


def completion_apply(*, requirement, user, note, files=(), version):
    now = timezone.now()
    with transaction.atomic():
        current = _move(requirement, APPLY, version, updated_at=now, updated_by=user)
        department = _department_of(user, current, Assignment.Role.RESPONSIBLE)
        entry = JournalEntry.objects.create(
            requirement=current,
            kind=JournalEntry.Kind.COMPLETION_REQUEST,
            author=user,
            department=department,
            created_at=now,
            status_before=current.status,
            status_after=current.status,
            note=note,
        )
        _attach(entry, files)
        application = CompletionRequest.objects.create(
            requirement=current,
            entry=entry,
            requested_by=user,
            requested_at=now,
            department=department,
            note=note,
        )
    requirement.refresh_from_db()
    return application


def _pending(requirement):
    application = (
        CompletionRequest.objects.select_for_update()
        .filter(requirement=requirement, state=CompletionRequest.State.PENDING)
        .first()
    )
    if application is None:
        raise ValidationError(_("该项已无待复核的办结申请。"), code="stage")
    return application


def completion_withdraw(*, requirement, user, version):
    now = timezone.now()
    with transaction.atomic():
        current = _move(requirement, WITHDRAW, version, updated_at=now, updated_by=user)
        application = _pending(current)
        application.state = CompletionRequest.State.WITHDRAWN
        application.decided_by, application.decided_at = user, now
        application.save(update_fields=["state", "decided_by", "decided_at"])
        JournalEntry.objects.create(
            requirement=current,
            kind=JournalEntry.Kind.COMPLETION_WITHDRAW,
            author=user,
            created_at=now,
            department=_department_of(user, current, Assignment.Role.RESPONSIBLE),
        )
    requirement.refresh_from_db()
    return application


def completion_close(*, requirement, user, note="", version):
    """办结销号: completed as of the application's date, written off as of today."""
    now = timezone.now()
    with transaction.atomic():
        application = _pending(requirement)
        applied_on = timezone.localdate(application.requested_at)
        current = _move(
            requirement,
            CLOSE,
            version,
            status=Status.COMPLETED,
            progress=100,
            completed_on=applied_on,
            closed_on=timezone.localdate(now),
            rework_due=None,
            updated_at=now,
            updated_by=user,
        )
        application.state = CompletionRequest.State.CLOSED
        application.decided_by, application.decided_at, application.decision_note = user, now, note
        application.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
        text = _("办结销号（完成日期 %(done)s）。") % {"done": applied_on.isoformat()}
        JournalEntry.objects.create(
            requirement=current,
            kind=JournalEntry.Kind.COMPLETION_CLOSE,
            author=user,
            created_at=now,
            status_before=current.status,
            status_after=Status.COMPLETED,
            progress_before=current.progress,
            progress_after=100,
            note=f"{text}{note}",
        )
    requirement.refresh_from_db()
    return application


def completion_return(*, requirement, user, reason, rework_due, version):
    """退回整改: back to in progress with a reason and the date the rework is due."""
    if rework_due < timezone.localdate():
        raise ValidationError(_("整改时限不能早于今天。"), code="past")
    now = timezone.now()
    with transaction.atomic():
        application = _pending(requirement)
        current = _move(
            requirement,
            RETURN,
            version,
            status=Status.IN_PROGRESS,
            rework_due=rework_due,
            updated_at=now,
            updated_by=user,
        )
        application.state = CompletionRequest.State.RETURNED
        application.decided_by, application.decided_at = user, now
        application.decision_note, application.rework_due = reason, rework_due
        application.save(update_fields=["state", "decided_by", "decided_at", "decision_note", "rework_due"])
        text = _("退回整改，整改时限 %(date)s：") % {"date": rework_due.isoformat()}
        JournalEntry.objects.create(
            requirement=current,
            kind=JournalEntry.Kind.COMPLETION_RETURN,
            author=user,
            created_at=now,
            status_before=current.status,
            status_after=Status.IN_PROGRESS,
            note=f"{text}{reason}",
        )
    requirement.refresh_from_db()
    return application


def acknowledgements_open(requirement_ids, *, at=None):
    """A pending 签收 for every department now responsible for these requirements (collective words
    expanded) that has none yet; a pending one of a department no longer responsible is dropped (a
    signed one stays, as history). Returns how many were opened."""
    at = at or timezone.now()
    requirement_ids = list(requirement_ids)
    if not requirement_ids:
        return 0
    existing = Acknowledgement.objects.filter(requirement_id__in=requirement_ids)
    have = {(r, d): signed for r, d, signed in existing.values_list("requirement_id", "department_id", "signed_at")}
    members, now_responsible = {}, set()
    rows = Assignment.objects.filter(requirement_id__in=requirement_ids, role=Assignment.Role.RESPONSIBLE)
    for requirement_id, department_id, collective_id in rows.values_list(
        "requirement_id", "department_id", "collective_id"
    ):
        if department_id:
            departments = [department_id]
        else:
            if collective_id not in members:
                collective = Collective.objects.get(pk=collective_id)
                members[collective_id] = list(collective.departments().values_list("pk", flat=True))
            departments = members[collective_id]
        now_responsible.update((requirement_id, d) for d in departments)
    stale = [key for key, signed in have.items() if signed is None and key not in now_responsible]
    for requirement_id, department_id in stale:
        existing.filter(requirement_id=requirement_id, department_id=department_id, signed_at__isnull=True).delete()
    wanted = [
        Acknowledgement(requirement_id=r, department_id=d, assigned_at=at)
        for r, d in sorted(now_responsible)
        if (r, d) not in have
    ]
    Acknowledgement.objects.bulk_create(wanted)
    return len(wanted)

"""The three-colour 督办单: which colour a requirement earns on a day, and issuing the day's notices.

Rules (README, "督办单"), read from the light's reason (tasks/lights.py) and the loop's stage:

* 红单 (red): the light's reason is 已逾期 (overdue) or 反馈逾期 (the period report is past the grace);
* 黄单 (yellow): 落后于序时进度 (behind schedule, even when the light says 临近时限 first), or the item
  was returned for rework (退回整改);
* 蓝单 (blue): 临近时限 (a dated requirement within the due-soon window);
* nothing for items completed, written off, or waiting for the office's review (申请办结 is with the
  office, not the department).

Where several apply the highest colour is issued. A notice opens an episode of its colour for its
requirement; the episode ends on the first run that finds the requirement out of that colour's
state, and while it lasts no second notice of that colour is issued (a partial unique index holds
this even for two runs at once).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, ExpressionWrapper, Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tasks.choices import LightReason
from tasks.lights import behind_schedule_q, is_behind_schedule
from tasks.models import (
    Assignment,
    DeadlineKind,
    JournalEntry,
    Requirement,
    Stage,
    Status,
    SupervisionNotice,
)
from tasks.supervision.workdays import add_working_days

BLUE, YELLOW, RED = SupervisionNotice.Colour.BLUE, SupervisionNotice.Colour.YELLOW, SupervisionNotice.Colour.RED
RANK = {BLUE: 1, YELLOW: 2, RED: 3}
RETURNED = "returned"  # a notice reason that is not a light's


def notice_colours(*, light_reason, stage, behind=False):
    """{colour: reason} of every colour whose state the requirement is in; `behind` is
    tasks.lights.behind_schedule_q, true of a dated requirement behind 序时进度 whatever its light."""
    if stage in (Stage.REVIEW, Stage.CLOSED) or light_reason == LightReason.DONE:
        return {}
    colours = {}
    if light_reason in (LightReason.OVERDUE, LightReason.REPORT_OVERDUE):
        colours[RED] = light_reason
    if light_reason == LightReason.BEHIND or (behind and light_reason in (LightReason.DUE_SOON, LightReason.ON_TRACK)):
        colours[YELLOW] = LightReason.BEHIND
    elif stage == Stage.RETURNED:
        colours[YELLOW] = RETURNED
    if light_reason == LightReason.DUE_SOON:
        colours[BLUE] = LightReason.DUE_SOON
    return colours


def highest(colours):
    return max(colours, key=RANK.get) if colours else None


def asked_text(reason, *, deadline, response_due):
    d = deadline.isoformat() if deadline else "—"
    r = response_due.isoformat()
    texts = {
        LightReason.DUE_SOON: _("该项将于%(deadline)s到期。请抓紧推进，确保按时完成，并于%(due)s前书面报送办理情况。"),
        LightReason.BEHIND: _(
            "该项进度落后于序时进度。请分析原因、加快推进，并于%(due)s前书面报送整改措施和完成计划。"
        ),
        RETURNED: _("该项办结申请经复核退回整改。请按复核意见整改到位，并于%(due)s前报送整改情况。"),
        LightReason.OVERDUE: _(
            "该项已超过完成时限（%(deadline)s）仍未完成。请说明原因，提出整改措施和完成时限，"
            "并于%(due)s前书面报送；逾期未回复的，将报主管领导。"
        ),
        LightReason.REPORT_OVERDUE: _(
            "该项定期反馈已逾期。请立即补报反馈，说明原因，并于%(due)s前书面回复；逾期未回复的，将报主管领导。"
        ),
    }
    return texts.get(reason, texts[LightReason.OVERDUE]) % {"deadline": d, "due": r}


# A notice's reason is the light's reason that raised it, or one of these two.
REASON_LABELS = {
    **dict(LightReason.choices),
    RETURNED: gettext_lazy("退回整改"),
    "manual": gettext_lazy("督查督办签发"),
}


@dataclass
class NoticePlan:
    """What a run would do: notices to issue as (requirement pk, colour, reason), episodes to end."""

    issue: list
    end: list


def notices_plan(*, on):
    """The day's plan in two queries: every open requirement's light reason and stage, and open notices."""
    rows = (
        Requirement.objects.active()
        .in_current_breakdown()
        .exclude(status=Status.COMPLETED)
        .exclude(stage__in=[Stage.REVIEW, Stage.CLOSED])
        .with_lights(on=on)
        .annotate(behind=ExpressionWrapper(behind_schedule_q(on), output_field=BooleanField()))
        .order_by("number")
        .values_list("pk", "light_reason", "stage", "behind")
    )
    states = {pk: notice_colours(light_reason=reason, stage=stage, behind=behind) for pk, reason, stage, behind in rows}
    open_notices = SupervisionNotice.objects.filter(episode_ended_on__isnull=True).values_list(
        "pk", "requirement_id", "colour"
    )
    end, still_open = [], set()
    for pk, requirement_id, colour in open_notices:
        if colour in states.get(requirement_id, {}):
            still_open.add((requirement_id, colour))
        else:
            end.append(pk)
    issue = []
    for requirement_id, colours in states.items():
        colour = highest(colours)
        if colour and (requirement_id, colour) not in still_open:
            issue.append((requirement_id, colour, colours[colour]))
    return NoticePlan(issue=issue, end=end)


def _next_serial(year):
    return (SupervisionNotice.objects.filter(year=year).aggregate(n=Max("serial"))["n"] or 0) + 1


def _build(requirement, *, colour, reason, on, user, serial, asked=""):
    response_due = add_working_days(on, settings.TIEJU_NOTICE_RESPONSE_DAYS)
    if requirement.deadline_kind == DeadlineKind.DATE:
        deadline = requirement.effective_due_date
    else:
        deadline = requirement.next_due(on=on)
    return SupervisionNotice(
        year=on.year,
        serial=serial,
        requirement=requirement,
        colour=colour,
        reason=reason,
        addressee="、".join(requirement.responsible_names)[:500],
        officials="、".join(o.name for o in requirement.lead_officials.all())[:500],
        deadline=deadline,
        deadline_text=requirement.deadline_text[:100],
        asked=asked or asked_text(reason, deadline=deadline, response_due=response_due),
        issued_on=on,
        issued_by=user,
        response_due=response_due,
    )


def _journal(notice):
    JournalEntry.objects.create(
        requirement=notice.requirement,
        kind=JournalEntry.Kind.NOTICE,
        author=notice.issued_by,
        note=f"{notice.number} {notice.get_colour_display()}（{REASON_LABELS.get(notice.reason, notice.reason)}）"
        f"{_('：')}{notice.asked}",
    )


def _requirements(pks):
    return (
        Requirement.objects.filter(pk__in=pks)
        .select_related("breakdown", "task__pillar")
        .prefetch_related(
            "lead_officials", Prefetch("assignments", Assignment.objects.select_related("department", "collective"))
        )
        .in_bulk()
    )


def notices_issue(*, on, user=None, dry_run=False):
    """Issue the day's notices (see the module's rules); returns them in requirement-number order.
    With dry_run nothing is written and the notices returned are unsaved, numbered as they would be."""
    for attempt in range(3):
        try:
            with transaction.atomic():
                plan = notices_plan(on=on)
                requirements = _requirements([pk for pk, _c, _r in plan.issue])
                serial = _next_serial(on.year)
                notices = []
                for offset, (pk, colour, reason) in enumerate(plan.issue):
                    notices.append(
                        _build(requirements[pk], colour=colour, reason=reason, on=on, user=user, serial=serial + offset)
                    )
                if dry_run:
                    return notices
                SupervisionNotice.objects.filter(pk__in=plan.end).update(episode_ended_on=on)
                for notice in notices:
                    notice.save()
                    _journal(notice)
                return notices
        except IntegrityError:
            # Another run or a hand issue took a number or an episode meanwhile: plan again.
            if attempt == 2:
                raise
    return []


def notice_issue_by_hand(*, requirement, user, colour, asked="", on=None):
    """The supervision office issues one notice from a requirement's page."""
    on = on or timezone.localdate()
    if requirement.is_retired or requirement.stage == Stage.CLOSED or requirement.status == Status.COMPLETED:
        raise ValidationError(_("已办结或已停用的具体要求不能签发督办单。"), code="closed")
    current = SupervisionNotice.objects.filter(requirement=requirement, colour=colour, episode_ended_on__isnull=True)
    existing = current.first()
    if existing:
        raise ValidationError(
            _("本轮已签发%(colour)s %(number)s，同一情形不重复签发。"),
            params={"colour": existing.get_colour_display(), "number": existing.number},
            code="open",
        )
    behind = is_behind_schedule(
        progress=requirement.progress,
        deadline_kind=requirement.deadline_kind,
        due_date=requirement.due_date,
        postponed_to=requirement.postponed_to,
        starts_on=requirement.breakdown.starts_on,
        on=on,
    )
    reason = notice_colours(light_reason=requirement.light(on=on).reason, stage=requirement.stage, behind=behind).get(
        colour
    )
    loaded = _requirements([requirement.pk])[requirement.pk]
    for attempt in range(3):
        try:
            with transaction.atomic():
                notice = _build(
                    loaded,
                    colour=colour,
                    reason=reason or "manual",
                    on=on,
                    user=user,
                    serial=_next_serial(on.year),
                    asked=asked,
                )
                notice.save()
                _journal(notice)
                return notice
        except IntegrityError:
            if current.exists() or attempt == 2:
                raise ValidationError(_("本轮已签发该颜色的督办单，同一情形不重复签发。"), code="open") from None
    raise AssertionError("unreachable")


def notice_respond(*, notice, user, note, files=()):
    """The department's answer to a notice: a journal entry with its evidence, once."""
    from tasks.services import _attach, _department_of

    now = timezone.now()
    with transaction.atomic():
        entry = JournalEntry.objects.create(
            requirement=notice.requirement,
            kind=JournalEntry.Kind.NOTICE_RESPONSE,
            author=user,
            created_at=now,
            department=_department_of(user, notice.requirement, Assignment.Role.RESPONSIBLE),
            note=f"{notice.number}{_('：')}{note}",
        )
        answered = SupervisionNotice.objects.filter(pk=notice.pk, responded_at__isnull=True).update(
            responded_at=now, responded_by=user, response_entry=entry
        )
        if answered != 1:
            raise ValidationError(_("该督办单已回复。"), code="answered")
        _attach(entry, files)
    notice.refresh_from_db()
    return notice


def notice_json(notice):
    return {
        "number": notice.number,
        "colour": notice.colour,
        "reason": notice.reason,
        "requirement": notice.requirement.number,
        "department": notice.addressee,
        "officials": notice.officials,
        "deadline": notice.deadline.isoformat() if notice.deadline else None,
        "issued_on": notice.issued_on.isoformat(),
        "response_due": notice.response_due.isoformat(),
    }

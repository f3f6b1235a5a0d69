"""The bulletin's facts from the supervision loop, one function per section or list, each as of a month's end:
the 签收率, the red notices still unanswered, the red notices the scorecard counts and the 领导交办事项."""

from django.conf import settings
from django.utils import timezone

from metrics.progress import end_of
from tasks.choices import DeadlineKind
from tasks.models import Acknowledgement, Requirement, SupervisionNotice
from tasks.supervision.workdays import working_days_between


def _current():
    return Requirement.objects.active().in_current_breakdown()


def signing(last):
    """签收率 at `last`: of the acknowledgements owed by then (table items and 交办事项 alike), how many were
    signed by then, and the ones still unsigned after TIEJU_SIGN_WITHIN_DAYS working days."""
    end = end_of(last)
    rows = (
        Acknowledgement.objects.filter(requirement__in=_current(), assigned_at__lt=end)
        .order_by("requirement__number", "department__sort_order")
        .values_list(
            "requirement__number",
            "requirement__source",
            "requirement__text",
            "department__name",
            "assigned_at",
            "signed_at",
        )
    )
    owed = signed = 0
    late = []
    for number, source, text, department, assigned_at, signed_at in rows:
        owed += 1
        if signed_at is not None and signed_at < end:
            signed += 1
            continue
        assigned = timezone.localdate(assigned_at)
        days = working_days_between(assigned, last)
        if days >= settings.TIEJU_SIGN_WITHIN_DAYS:
            late.append(
                {
                    "number": number,
                    "source": source,
                    "text": text,
                    "department": department,
                    "assigned_on": assigned.isoformat(),
                    "working_days": days,
                }
            )
    return {
        "owed": owed,
        "signed": signed,
        "rate": f"{signed * 100 / owed:.1f}" if owed else None,
        "within_days": settings.TIEJU_SIGN_WITHIN_DAYS,
        "late": late,
    }


def red_notices(last):
    """The red notices issued by `last` (one query), for unanswered_red_notices and red_notices_issued."""
    return list(
        SupervisionNotice.objects.filter(
            colour=SupervisionNotice.Colour.RED, issued_on__lte=last, requirement__in=_current()
        )
        .order_by("response_due", "year", "serial")
        .values(
            "year",
            "serial",
            "requirement_id",
            "requirement__number",
            "requirement__source",
            "requirement__text",
            "addressee",
            "officials",
            "issued_on",
            "response_due",
            "responded_at",
        )
    )


def unanswered_red_notices(notices, last):
    """Of red_notices(last), those not answered by `last`, the earliest response date first; `escalated`
    when the response date had passed (they go up to the lead official)."""
    end = end_of(last)
    return [
        {
            "number": f"{settings.TIEJU_NOTICE_PREFIX}〔{n['year']}〕第{n['serial']}号",
            "requirement": n["requirement__number"],
            "source": n["requirement__source"],
            "text": n["requirement__text"],
            "departments": n["addressee"],
            "officials": n["officials"],
            "issued_on": n["issued_on"].isoformat(),
            "response_due": n["response_due"].isoformat(),
            "escalated": n["response_due"] < last,
        }
        for n in notices
        if n["responded_at"] is None or n["responded_at"] >= end
    ]


def red_notices_issued(notices, first, last):
    """[(requirement id, issued on)] of red_notices(last) issued between first and last (for the scorecard)."""
    return [(n["requirement_id"], n["issued_on"]) for n in notices if first <= n["issued_on"] <= last]


def instructed_items(history, last):
    """The 领导交办事项 of `history` (metrics.progress.History read at `last`) as they stood at `last`."""
    states = history.states(last)
    rows = []
    for item in history.instructed:
        state = states[item.pk]
        due = (state.postponed_to or item.due_date) if item.deadline_kind == DeadlineKind.DATE else None
        rows.append(
            {
                "number": item.number,
                "text": item.text,
                "instructed_by": item.instructed_by or "",
                "departments": history.responsible_names.get(item.pk, []),
                "officials": item.officials,
                "deadline_text": item.deadline_text,
                "due": due.isoformat() if due else None,
                "status": state.status,
                "progress": state.progress,
                "light": state.light.code,
                "reason": state.light.reason,
                "completed_on": (item.completed_on or state.completed_on).isoformat() if state.completed_on else None,
            }
        )
    return rows

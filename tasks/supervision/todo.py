"""我的待办 beyond a department's own: what the supervision office, administrators and leaders act on."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from tasks.choices import LightCode
from tasks.models import Acknowledgement, CompletionRequest, Requirement, SupervisionNotice
from tasks.supervision import loop
from tasks.supervision.workdays import working_days_between
from teams.models import Official


@dataclass
class Oversight:
    reviews: list = field(default_factory=list)  # CompletionRequest the user may review
    unanswered: list = field(default_factory=list)  # SupervisionNotice, for the office
    unsigned: list = field(default_factory=list)  # Acknowledgement late, for the office
    escalated: list = field(default_factory=list)  # red SupervisionNotice past its date, under the leader
    copied: list = field(default_factory=list)  # other unanswered notices copied to the leader
    red_items: list = field(default_factory=list)  # Requirement with a red light under the leader

    def __len__(self):
        return sum(
            len(v) for v in (self.reviews, self.unanswered, self.unsigned, self.escalated, self.copied, self.red_items)
        )


def oversees(user):
    return user.has_perm("tasks.review_completion") or user.has_perm("tasks.issue_notice")


def oversight_for(user, *, on):
    result = Oversight()
    if not user.has_perm("tasks.view_requirement"):
        return result
    active = Requirement.objects.active()
    pending = CompletionRequest.objects.filter(state=CompletionRequest.State.PENDING, requirement__in=active)
    for application in pending.select_related("requirement__breakdown", "requested_by", "department").order_by(
        "requested_at"
    ):
        if loop.REVIEWER in loop.actors(user, application.requirement):
            result.reviews.append(application)
    if oversees(user):
        notices = SupervisionNotice.objects.unanswered().filter(requirement__in=active)
        result.unanswered = list(notices.select_related("requirement").order_by("response_due", "serial"))
        for notice in result.unanswered:
            notice.escalated = notice.is_escalated(on=on)
        late = []
        signs = Acknowledgement.objects.filter(signed_at__isnull=True, requirement__in=active.exclude(stage="closed"))
        for ack in signs.select_related("requirement", "department").order_by("assigned_at", "requirement__number"):
            assigned = timezone.localdate(ack.assigned_at)
            if working_days_between(assigned, on) >= settings.TIEJU_SIGN_WITHIN_DAYS:
                ack.assigned_on = assigned
                late.append(ack)
        result.unsigned = late
    posts = list(Official.objects.filter(user=user))
    if posts:
        mine = active.in_current_breakdown().filter(lead_officials__in=posts).distinct()
        notices = SupervisionNotice.objects.unanswered().filter(requirement__in=mine).select_related("requirement")
        for notice in notices.order_by("response_due", "serial"):
            (result.escalated if notice.is_escalated(on=on) else result.copied).append(notice)
        result.red_items = list(mine.with_lights(on=on).with_light(LightCode.RED).order_by("number"))
    return result

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tasks.choices import LightReason
from tasks.models import Postponement, Requirement
from tasks.reminders import todo_for
from tasks.supervision.todo import oversight_for


@login_required
@require_GET
def todo(request):
    """我的待办: what send_reminders would mail the user (their departments' items, 签收, 督办单, 退回整改),
    postponements waiting for their decision, and for the supervision office, administrators and leaders
    what the loop puts in their hands (completion requests, unanswered and escalated notices, unsigned
    items, red items under their lead-official posts)."""
    user = request.user
    today = timezone.localdate()
    may_report = user.has_perm("tasks.report_progress")
    departments = list(user.departments.all()) if may_report else []
    pending = []
    if user.has_perm("tasks.decide_postponement"):
        pending = list(
            Postponement.objects.filter(
                state=Postponement.State.PENDING, requirement__in=Requirement.objects.visible_to(user)
            )
            .select_related("requirement", "requested_by")
            .order_by("requested_at")
        )
    oversight = oversight_for(user, on=today)
    for requirement in oversight.red_items:
        requirement.reason_label = LightReason(requirement.light_reason).label
    context = {
        "todo": todo_for(departments, on=today),
        "departments": departments,
        "pending": pending,
        "oversight": oversight,
        "today": today,
    }
    return render(request, "tasks/todo.html", context)

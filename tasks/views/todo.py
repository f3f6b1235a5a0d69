from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tasks.models import Postponement, Requirement
from tasks.reminders import todo_for


@login_required
@require_GET
def todo(request):
    """我的待办: what send_reminders would mail the user, plus postponements waiting for their decision."""
    user = request.user
    today = timezone.localdate()
    may_report = user.has_perm("tasks.report_progress")
    departments = list(user.departments.all()) if may_report else []
    pending = []
    if user.has_perm("tasks.decide_postponement"):
        pending = list(
            Postponement.objects.filter(
                state=Postponement.State.PENDING, requirement__in=Requirement.objects.visible_to(user)
            ).select_related("requirement", "requested_by").order_by("requested_at")
        )
    context = {
        "todo": todo_for(departments, on=today),
        "departments": departments,
        "pending": pending,
        "today": today,
    }
    return render(request, "tasks/todo.html", context)

"""Departments: what each is responsible for and cooperates on, its staff, their teams, its on-time record."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.db.models import Max, Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from tasks.choices import DeadlineKind, Status
from teams.models import Collective, Department, TeamMembership, User, collectives_including
from teams.views.common import ROLE_ORDER, active_requirements, is_reader, require_reader, requirements_with_lights


@dataclass
class OnTimeRecord:
    due: int = 0
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0

    @property
    def percent(self):
        return round(self.on_time * 100 / self.due) if self.due else None


def on_time_record(department, *, on):
    """Dated requirements the department is responsible for whose deadline has passed (an approved
    postponement replaces the deadline): how many were completed by it, late, or are still open.
    The completion day is that of the journal entry that set 已完成, else the last update."""
    from django.db.models.functions import Coalesce

    rows = (
        active_requirements()
        .responsible_for(department)
        .filter(deadline_kind=DeadlineKind.DATE)
        .annotate(due=Coalesce("postponed_to", "due_date"))
        .filter(due__lt=on)
        .annotate(done_at=Max("journal__created_at", filter=Q(journal__status_after=Status.COMPLETED)))
        .values_list("status", "due", "done_at", "updated_at")
    )
    record = OnTimeRecord()
    for status, due, done_at, updated_at in rows:
        record.due += 1
        finished = done_at or updated_at
        if status != Status.COMPLETED:
            record.open_overdue += 1
        elif finished is not None and timezone.localdate(finished) <= due:
            record.on_time += 1
        else:
            record.late += 1
    return record


def _departments_by_requirement(role):
    """{department pk: set of requirement pks} for one role, collective words expanded, in few queries."""
    from tasks.models import Assignment

    result = {}
    assignments = Assignment.objects.filter(role=role, requirement__in=active_requirements()).values_list(
        "department_id", "collective_id", "requirement_id"
    )
    members = {}
    for department_id, collective_id, requirement_id in assignments:
        if department_id:
            ids = [department_id]
        else:
            if collective_id not in members:
                collective = Collective.objects.get(pk=collective_id)
                members[collective_id] = list(collective.departments().values_list("pk", flat=True))
            ids = members[collective_id]
        for department_pk in ids:
            result.setdefault(department_pk, set()).add(requirement_id)
    return result


@login_required
def department_list(request):
    from tasks.models import Assignment

    departments = list(Department.objects.active()) if is_reader(request.user) else []
    if departments:
        responsible = _departments_by_requirement(Assignment.Role.RESPONSIBLE)
        cooperating = _departments_by_requirement(Assignment.Role.COOPERATING)
        staff = {}
        for department_pk in User.departments.through.objects.filter(user__is_active=True).values_list(
            "department_id", flat=True
        ):
            staff[department_pk] = staff.get(department_pk, 0) + 1
        for department in departments:
            department.responsible_count = len(responsible.get(department.pk, ()))
            department.cooperating_count = len(cooperating.get(department.pk, ()))
            department.staff_count = staff.get(department.pk, 0)
    groups = []
    for kind, label in Department.Kind.choices:
        members = [d for d in departments if d.kind == kind]
        if members:
            groups.append((label, members))
    return render(request, "teams/department_list.html", {"groups": groups})


def _mark_how_assigned(requirements, department, role, collectives):
    """Set `.via` on each requirement: "" when named directly, else the collective words that include it."""
    for requirement in requirements:
        direct, via = False, []
        for assignment in requirement.assignments.all():
            if assignment.role != role:
                continue
            if assignment.department_id == department.pk:
                direct = True
            elif assignment.collective_id in collectives:
                via.append(collectives[assignment.collective_id].name)
        requirement.via = "" if direct else "、".join(via)


@login_required
def department_detail(request, pk):
    from tasks.models import Assignment

    require_reader(request)
    department = get_object_or_404(Department, pk=pk)
    on = timezone.localdate()
    collectives = {c.pk: c for c in collectives_including([department])}
    responsible = requirements_with_lights(active_requirements().responsible_for(department), on=on)
    cooperating = requirements_with_lights(active_requirements().cooperating_with(department), on=on)
    _mark_how_assigned(responsible, department, Assignment.Role.RESPONSIBLE, collectives)
    _mark_how_assigned(cooperating, department, Assignment.Role.COOPERATING, collectives)
    staff = list(department.staff.filter(is_active=True).order_by("display_name", "username"))
    memberships = sorted(
        TeamMembership.objects.current(on)
        .filter(Q(department=department) | Q(user__in=staff))
        .select_related("team", "user")
        .distinct(),
        key=lambda m: (m.team.number, ROLE_ORDER[m.role], m.pk),
    )
    teams = []
    for membership in memberships:
        if not teams or teams[-1][0] != membership.team:
            teams.append((membership.team, []))
        teams[-1][1].append(membership)
    return render(
        request,
        "teams/department_detail.html",
        {
            "department": department,
            "responsible": responsible,
            "cooperating": cooperating,
            "staff": staff,
            "teams": teams,
            "record": on_time_record(department, on=on),
            "on": on,
        },
    )

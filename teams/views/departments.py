"""Departments: what each is responsible for and cooperates on, its staff, their teams, its on-time record."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from tasks.access import is_reader, require_reader
from tasks.selectors import on_time_record, requirement_counts_by_department, requirements_of_department
from teams.models import Department, TeamMembership, User
from teams.views.common import ROLE_ORDER


@login_required
def department_list(request):
    departments = list(Department.objects.active()) if is_reader(request.user) else []
    if departments:
        counts = requirement_counts_by_department()
        staff = {}
        for department_pk in User.departments.through.objects.filter(user__is_active=True).values_list(
            "department_id", flat=True
        ):
            staff[department_pk] = staff.get(department_pk, 0) + 1
        for department in departments:
            department.responsible_count, department.cooperating_count = counts.get(department.pk, (0, 0))
            department.staff_count = staff.get(department.pk, 0)
    groups = []
    for kind, label in Department.Kind.choices:
        members = [d for d in departments if d.kind == kind]
        if members:
            groups.append((label, members))
    return render(request, "teams/department_list.html", {"groups": groups})


@login_required
def department_detail(request, pk):
    require_reader(request)
    department = get_object_or_404(Department, pk=pk)
    on = timezone.localdate()
    responsible, cooperating = requirements_of_department(department, on=on)
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

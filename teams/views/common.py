"""Access helpers and the reading of requirements with their lights, shared by the pages."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from teams.models import ActionTeam, TeamMembership
from teams.rosters import may_edit_roster

ROLE_ORDER = {TeamMembership.Role.LEADER: 0, TeamMembership.Role.DEPUTY: 1, TeamMembership.Role.MEMBER: 2}


def is_reader(user):
    """Every role reads every page; a logged-in account without a role reads nothing."""
    return user.is_authenticated and user.has_perm("tasks.view_requirement")


def require_reader(request):
    if not is_reader(request.user):
        raise Http404


def get_team_for_user(request, pk, *, write=False):
    """404 for accounts without a role, 403 when writing to a roster one may not edit."""
    require_reader(request)
    team = get_object_or_404(ActionTeam.objects.select_related("host_department"), pk=pk)
    if write and not may_edit_roster(request.user, team):
        raise PermissionDenied
    return team


def get_membership_for_user(request, team_pk, pk):
    team = get_team_for_user(request, team_pk, write=True)
    return get_object_or_404(TeamMembership.objects.select_related("user", "team"), team=team, pk=pk)


def requirements_with_lights(queryset, *, on):
    """The requirements, each with `.current_light`, in a fixed number of queries."""
    from tasks.models import Assignment

    requirements = list(
        queryset.select_related("breakdown", "task__pillar")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("department", "collective")),
            "lead_officials",
        )
        .order_by("number")
    )
    for requirement in requirements:
        requirement.current_light = requirement.light(on=on)
    return requirements


def light_counts(lights):
    """[(code, label, count)] in the order red, yellow, green, completed."""
    from tasks.choices import LightCode

    counts = {code: 0 for code in LightCode}
    for light in lights:
        counts[light.code] += 1
    return [(code, label, counts[code]) for code, label in LightCode.choices]


def active_requirements():
    from tasks.models import Requirement

    return Requirement.objects.active().in_current_breakdown()

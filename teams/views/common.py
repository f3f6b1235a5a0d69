"""Access to teams and rosters, by tasks/access.py's rule, and the order roles are listed in."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from tasks.access import require_reader
from teams.models import ActionTeam, TeamMembership
from teams.rosters import may_edit_roster

ROLE_ORDER = {TeamMembership.Role.LEADER: 0, TeamMembership.Role.DEPUTY: 1, TeamMembership.Role.MEMBER: 2}


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

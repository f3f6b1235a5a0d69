"""The team list and a team's page; administrators link requirements to a team there."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tasks.access import is_reader
from tasks.selectors import active_requirements, journal_of_team, light_counts, light_counts_by, requirements_of_team
from teams.forms import TeamRequirementsForm
from teams.models import ActionTeam, TeamMembership
from teams.rosters import may_edit_roster, team_requirements_set
from teams.views.common import ROLE_ORDER, get_team_for_user

RECENT_JOURNAL = 10


def _split_roster(memberships, on):
    current, past = [], []
    for membership in memberships:
        (past if membership.until is not None and membership.until < on else current).append(membership)
    current.sort(key=lambda m: (ROLE_ORDER[m.role], m.since, m.pk))
    past.sort(key=lambda m: (m.until, m.pk), reverse=True)
    return current, past


@login_required
def team_list(request):
    on = timezone.localdate()
    teams = list(ActionTeam.objects.active().select_related("host_department")) if is_reader(request.user) else []
    by_team = {team.pk: team for team in teams}
    for team in teams:
        team.size, team.leaders = 0, []
    memberships = TeamMembership.objects.current(on).filter(team__in=teams).select_related("user")
    for membership in memberships:
        team = by_team[membership.team_id]
        team.size += 1
        if membership.role == TeamMembership.Role.LEADER:
            team.leaders.append(membership.user)
    counts = light_counts_by("teams", teams, on=on)
    for team in teams:
        team.light_counts = counts[team.pk]
    return render(request, "teams/team_list.html", {"teams": teams, "on": on})


@login_required
def team_detail(request, pk):
    team = get_team_for_user(request, pk)
    on = timezone.localdate()
    memberships = team.memberships.select_related("user", "department")
    current, past = _split_roster(memberships, on)
    requirements = requirements_of_team(team, on=on)
    journal = journal_of_team(team, limit=RECENT_JOURNAL)
    context = {
        "team": team,
        "on": on,
        "leaders": [m for m in current if m.role == TeamMembership.Role.LEADER],
        "deputies": [m for m in current if m.role == TeamMembership.Role.DEPUTY],
        "current": current,
        "past": past,
        "requirements": requirements,
        "light_counts": light_counts(r.current_light for r in requirements),
        "journal": journal,
        "may_edit_roster": may_edit_roster(request.user, team),
        "may_link": request.user.has_perm("teams.change_actionteam"),
    }
    if context["may_link"]:
        context["link_form"] = TeamRequirementsForm(
            requirements=active_requirements().order_by("number"),
            initial={"requirements": [r.pk for r in requirements]},
        )
    return render(request, "teams/team_detail.html", context)


@login_required
@require_POST
def team_requirements(request, pk):
    team = get_team_for_user(request, pk)
    if not request.user.has_perm("teams.change_actionteam"):
        raise PermissionDenied
    form = TeamRequirementsForm(request.POST, requirements=active_requirements())
    if not form.is_valid():
        messages.error(request, _("所选具体要求无效，请刷新页面后重试。"))
        return redirect("teams:team-detail", pk=team.pk)
    counts = team_requirements_set(team=team, requirements=form.cleaned_data["requirements"])
    messages.success(request, _("已更新关联的具体要求：新增%(added)d项，取消%(removed)d项。") % counts)
    return redirect("teams:team-detail", pk=team.pk)

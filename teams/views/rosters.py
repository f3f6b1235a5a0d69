"""Roster changes in the browser: add a member, change a role, end a membership."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from teams.forms import MembershipAddForm, MembershipEndForm, MembershipRoleForm
from teams.rosters import RosterError, membership_add, membership_change_role, membership_end
from teams.views.common import ROLE_ORDER, get_membership_for_user, get_team_for_user


def _render(request, team, add_form=None, status=200):
    on = timezone.localdate()
    current = sorted(
        team.memberships.filter(until__isnull=True).select_related("user", "department"),
        key=lambda m: (ROLE_ORDER[m.role], m.since, m.pk),
    )
    past = team.memberships.filter(until__isnull=False).select_related("user", "department").order_by("-until", "-pk")
    return render(
        request,
        "teams/roster_edit.html",
        {
            "team": team,
            "current": current,
            "past": past,
            "add_form": add_form or MembershipAddForm(),
            "role_form": MembershipRoleForm(),
            "end_form": MembershipEndForm(),
            "on": on,
        },
        status=status,
    )


@login_required
def roster_edit(request, pk):
    """The roster editing page; a POST adds a member."""
    team = get_team_for_user(request, pk, write=True)
    if request.method != "POST":
        return _render(request, team)
    form = MembershipAddForm(request.POST)
    if form.is_valid():
        try:
            membership = membership_add(team=team, **form.cleaned_data)
        except RosterError as exc:
            form.add_error("user", str(exc))
        else:
            messages.success(request, _("已将%(name)s加入%(team)s。") % {"name": membership.user, "team": team})
            return redirect("teams:roster-edit", pk=team.pk)
    return _render(request, team, add_form=form, status=400)


@login_required
@require_POST
def membership_role(request, pk, membership_pk):
    membership = get_membership_for_user(request, pk, membership_pk)
    form = MembershipRoleForm(request.POST)
    if form.is_valid():
        try:
            membership_change_role(membership=membership, **form.cleaned_data)
        except RosterError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("已调整%(name)s的队内职务。") % {"name": membership.user})
    else:
        messages.error(request, _("请填写有效的职务和生效日期。"))
    return redirect("teams:roster-edit", pk=membership.team_id)


@login_required
@require_POST
def end_membership(request, pk, membership_pk):
    membership = get_membership_for_user(request, pk, membership_pk)
    form = MembershipEndForm(request.POST)
    if form.is_valid():
        try:
            membership_end(membership=membership, until=form.cleaned_data["until"])
        except RosterError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(name)s已离队，记录保留在历任名单中。") % {"name": membership.user})
    else:
        messages.error(request, _("请填写有效的离队日期。"))
    return redirect("teams:roster-edit", pk=membership.team_id)

"""Roster writes: joining, changing role, leaving; and a team's linked requirements.

Memberships are never deleted or rewritten when someone's role changes: the old
membership ends and a new one starts, so the past roster stays as it was.
"""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.models import TeamMembership


class RosterError(ValueError):
    """A roster change that cannot be made; the message is shown to the user."""


def may_edit_roster(user, team):
    """Administrators (teams.manage_rosters) and the team's current leader."""
    if not user.is_authenticated:
        return False
    if user.has_perm("teams.manage_rosters"):
        return True
    return TeamMembership.objects.filter(
        team=team, user=user, role=TeamMembership.Role.LEADER, until__isnull=True
    ).exists()


@transaction.atomic
def membership_add(*, team, user, role, since, department=None):
    """Open a membership; the person's first department is used when none is given."""
    already = RosterError(_("%(name)s已在本队名单中。") % {"name": user})
    if TeamMembership.objects.filter(team=team, user=user, until__isnull=True).exists():
        raise already
    if department is None:
        department = user.departments.order_by("sort_order", "name").first()
    try:
        with transaction.atomic():
            return TeamMembership.objects.create(team=team, user=user, role=role, since=since, department=department)
    except IntegrityError:  # a concurrent add won the race; the database constraint keeps one open membership
        raise already from None


@transaction.atomic
def membership_end(*, membership, until):
    """Close a membership on `until` (the last day on the team); it stays in the past roster."""
    membership = TeamMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.until is not None:
        raise RosterError(_("%(name)s已于%(until)s离队。") % {"name": membership.user, "until": membership.until})
    if until < membership.since:
        raise RosterError(_("离队日期不能早于加入日期（%(since)s）。") % {"since": membership.since})
    membership.until = until
    membership.save(update_fields=["until"])
    return membership


@transaction.atomic
def membership_change_role(*, membership, role, on=None):
    """The person holds `role` from `on`: the old membership ends the day before, a new one starts.

    A change on the day the membership began corrects it in place instead, since
    there is no earlier period to keep.
    """
    on = on or timezone.localdate()
    membership = TeamMembership.objects.select_for_update().get(pk=membership.pk)
    if membership.until is not None:
        raise RosterError(_("%(name)s已离队，不能再调整职务。") % {"name": membership.user})
    if membership.role == role:
        return membership
    if on < membership.since:
        raise RosterError(_("调整日期不能早于加入日期（%(since)s）。") % {"since": membership.since})
    if on == membership.since:
        membership.role = role
        membership.save(update_fields=["role"])
        return membership
    membership.until = on - timedelta(days=1)
    membership.save(update_fields=["until"])
    return TeamMembership.objects.create(
        team=membership.team, user=membership.user, department=membership.department, role=role, since=on
    )


@transaction.atomic
def membership_update(*, membership, department, since):
    """Correct the department or start date of an open membership (no history to keep)."""
    membership.department = department
    membership.since = since
    membership.save(update_fields=["department", "since"])
    return membership


@transaction.atomic
def team_requirements_set(*, team, requirements):
    """Link the team to exactly these active requirements; links to retired ones are kept as history."""
    wanted = {r.pk for r in requirements}
    current = set(team.requirements.filter(retired_at__isnull=True).values_list("pk", flat=True))
    team.requirements.remove(*(current - wanted))
    team.requirements.add(*(wanted - current))
    return {"added": len(wanted - current), "removed": len(current - wanted)}

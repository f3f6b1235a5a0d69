"""Writing a roster plan in one transaction."""

from django.db import transaction
from django.utils import timezone

from teams.rosters import membership_add, membership_change_role, membership_end, membership_update


class PlanNotApplicable(Exception):
    """The plan has errors or names people who are not users yet; nothing was written."""


@transaction.atomic
def roster_apply(*, plan, record=None, on=None):
    """Apply every change of the plan or none of them, and mark the ImportRecord of its file applied;
    returns the plan's counts.

    A row reads "this person holds this role since this date". A later date than
    the open membership's start keeps the earlier role in the past roster; an
    equal or earlier date corrects the open membership, so importing the same
    file twice changes nothing the second time.
    """
    if not plan.can_apply:
        raise PlanNotApplicable
    on = on or timezone.localdate()
    for change in plan.added:
        row = change.row
        membership_add(team=row.team, user=row.user, role=row.role, since=row.since, department=row.department)
    for change in plan.changed:
        row, membership = change.row, change.membership
        if membership.role != row.role and row.since > membership.since:
            membership = membership_change_role(membership=membership, role=row.role, on=row.since)
        elif membership.role != row.role:
            membership.role = row.role
            membership.save(update_fields=["role"])
        membership_update(membership=membership, department=row.department or membership.department, since=row.since)
    for membership in plan.ended:
        membership_end(membership=membership, until=max(on, membership.since))
    if record is not None:
        record.counts, record.applied_at = plan.counts(), timezone.now()
        record.save(update_fields=["counts", "applied_at"])
    return plan.counts()

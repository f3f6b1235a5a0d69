"""A directory account's tieju roles and departments, from its directory groups (settings map group DN → name)."""

import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from audit import trail
from audit.models import Action
from teams import roles
from teams.models import Department

log = logging.getLogger(__name__)


def directory_sync(*, user, group_dns):
    """Set the user's role groups and departments to what their directory groups map to.

    The directory is the source of truth on every sign-in: roles named in TIEJU_LDAP_ROLE_GROUPS and the
    departments are replaced (groups the mapping does not manage are kept). A mapped department that tieju
    does not know is logged and skipped, never created.
    """
    member_of = {dn.lower() for dn in group_dns}
    role_map = {dn.lower(): name for dn, name in settings.TIEJU_LDAP_ROLE_GROUPS.items()}
    department_map = {dn.lower(): name for dn, name in settings.TIEJU_LDAP_DEPARTMENT_GROUPS.items()}
    role_names = {name for dn, name in role_map.items() if dn in member_of}
    departments = []
    for dn, name in department_map.items():
        if dn not in member_of:
            continue
        department = Department.objects.active().by_name(name)
        if department is None:
            log.warning("LDAP_DEPARTMENT_GROUPS maps %s to %r, which is no active department", dn, name)
        elif department not in departments:
            departments.append(department)
    with transaction.atomic():
        groups_before = set(user.groups.values_list("name", flat=True))
        departments_before = set(user.departments.values_list("name", flat=True))
        staff_before = user.is_staff
        kept = list(user.groups.exclude(name__in=set(role_map.values())))
        user.groups.set(kept + list(Group.objects.filter(name__in=role_names)))
        user.departments.set(departments)
        is_staff = user.is_superuser or roles.ADMINISTRATOR in role_names
        if user.is_staff != is_staff:
            user.is_staff = is_staff
            user.save(update_fields=["is_staff"])
        _record(user, groups_before, departments_before, staff_before)
    for cached in ("role_names", "department_ids"):
        user.__dict__.pop(cached, None)
    return user


def _record(user, groups_before, departments_before, staff_before):
    """The directory's changes to roles and departments, in the audit trail as the admin's are."""
    groups = set(user.groups.values_list("name", flat=True))
    departments = set(user.departments.values_list("name", flat=True))
    role_change = {}
    if groups != groups_before:
        role_change["groups"] = {"added": sorted(groups - groups_before), "removed": sorted(groups_before - groups)}
    if user.is_staff != staff_before:
        role_change["is_staff"] = [staff_before, user.is_staff]
    if role_change:
        trail.record("LDAP", Action.ROLES_CHANGE, user, {"source": "ldap", **role_change})
    if departments != departments_before:
        change = {"departments": [sorted(departments_before), sorted(departments)]}
        trail.record("LDAP", Action.ACCOUNT_CHANGE, user, {"source": "ldap", **change})

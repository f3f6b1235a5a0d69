"""三员分立 in the Django admin: the roles matrix of the system, security and audit administrators."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from audit.models import AuditEvent
from teams import roles
from teams.models import Department, User

CHANGELIST = reverse("admin:teams_user_changelist")
ADD = reverse("admin:teams_user_add")


def _change(user):
    return reverse("admin:teams_user_change", args=[user.pk])


def _account_form(user, **overrides):
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": user.email or "",
        "display_name": user.display_name,
        "departments": [d.pk for d in user.departments.all()],
        "is_active": "on" if user.is_active else "",
        "groups": [g.pk for g in user.groups.all()],
        "is_staff": "on" if user.is_staff else "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v not in ("", None)}


def _group(name):
    return Group.objects.get(name=name).pk


@pytest.mark.parametrize("who, status", [("admin_user", 200), ("system_admin", 200), ("security_admin", 200)])
def test_the_user_list_opens_for_the_administrators(client, request, who, status):
    """管理员 got 403 here, though the README and the roster import page sent it here (issue 17)."""
    client.force_login(request.getfixturevalue(who))
    assert client.get(CHANGELIST).status_code == status


def test_the_auditor_has_no_admin_access(client, auditor):
    assert auditor.is_staff is False
    client.force_login(auditor)
    assert client.get(CHANGELIST).status_code == 302  # the admin's own login page


@pytest.mark.parametrize("who", ["admin_user", "security_admin"])
def test_only_the_system_administrator_creates_accounts(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(ADD).status_code == 403


def test_the_system_administrator_creates_an_account_with_a_strong_password(client, system_admin):
    client.force_login(system_admin)
    water = Department.objects.get(name="水生态环境处")
    weak = client.post(
        ADD,
        {
            "username": "newbie",
            "password1": "short1",
            "password2": "short1",
            "usable_password": "true",
            "display_name": "新人",
            "departments": [water.pk],
        },
    )
    assert weak.status_code == 200 and not User.objects.filter(username="newbie").exists()
    assert "至少" in weak.content.decode()
    response = client.post(
        ADD,
        {
            "username": "newbie",
            "password1": "Qingshui-2026",
            "password2": "Qingshui-2026",
            "usable_password": "true",
            "display_name": "新人",
            "departments": [water.pk],
        },
    )
    assert response.status_code == 302
    user = User.objects.get(username="newbie")
    assert list(user.departments.all()) == [water] and not user.groups.exists()
    event = AuditEvent.objects.get(action="account.create")
    assert (event.actor_name, event.object_repr, event.object_id) == ("sysadmin", "新人", str(user.pk))


def test_the_system_administrator_deactivates_but_cannot_grant_roles(client, system_admin, water_staff):
    client.force_login(system_admin)
    data = _account_form(water_staff, is_active="", groups=[_group(roles.ADMINISTRATOR)], is_staff="on")
    response = client.post(_change(water_staff), data)
    assert response.status_code == 302
    water_staff.refresh_from_db()
    assert water_staff.is_active is False
    assert water_staff.groups.get().name == roles.STAFF and water_staff.is_staff is False  # roles untouched
    assert AuditEvent.objects.filter(action="account.deactivate", object_id=str(water_staff.pk)).exists()
    assert not AuditEvent.objects.filter(action="account.roles").exists()


def test_the_security_administrator_grants_roles_but_changes_nothing_else(client, security_admin, water_staff):
    client.force_login(security_admin)
    data = _account_form(water_staff, username="renamed", is_active="", groups=[_group(roles.LEADER)])
    assert client.post(_change(water_staff), data).status_code == 302
    water_staff.refresh_from_db()
    assert water_staff.username == "water" and water_staff.is_active is True  # account fields untouched
    assert water_staff.groups.get().name == roles.LEADER
    event = AuditEvent.objects.get(action="account.roles")
    assert event.actor_name == "secadmin"
    assert event.detail_data == {"groups": {"added": [roles.LEADER], "removed": [roles.STAFF]}}


def test_the_security_administrator_cannot_reset_passwords(client, security_admin, system_admin, water_staff):
    url = reverse("admin:auth_user_password_change", args=[water_staff.pk])
    client.force_login(security_admin)
    assert client.get(url).status_code == 403
    client.force_login(system_admin)
    assert client.get(url).status_code == 200


def test_nobody_changes_their_own_roles(client, security_admin):
    client.force_login(security_admin)
    data = _account_form(security_admin, groups=[_group(roles.SECURITY_ADMIN), _group(roles.AUDITOR)])
    client.post(_change(security_admin), data)
    assert set(security_admin.groups.values_list("name", flat=True)) == {roles.SECURITY_ADMIN}


def test_one_person_holds_at_most_one_of_the_three(client, security_admin, water_staff):
    client.force_login(security_admin)
    data = _account_form(water_staff, groups=[_group(roles.SYSTEM_ADMIN), _group(roles.AUDITOR)])
    response = client.post(_change(water_staff), data)
    assert response.status_code == 200
    assert "三员分立" in response.content.decode()
    assert water_staff.groups.get().name == roles.STAFF


@pytest.mark.parametrize("who", ["system_admin", "security_admin", "admin_user", "superuser"])
def test_nobody_deletes_an_account_or_reaches_the_trail_through_the_admin(client, request, who, water_staff):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("admin:teams_user_delete", args=[water_staff.pk])).status_code == 403
    assert User.objects.filter(pk=water_staff.pk).exists()
    assert client.get("/admin/audit/auditevent/").status_code == 404


def test_the_roles_are_kept_apart_in_their_permissions(reference):
    def perms(name):
        return set(Group.objects.get(name=name).permissions.values_list("content_type__app_label", "codename"))

    system, security, auditor_perms = perms(roles.SYSTEM_ADMIN), perms(roles.SECURITY_ADMIN), perms(roles.AUDITOR)
    assert ("teams", "add_user") in system and ("teams", "assign_roles") not in system
    assert ("teams", "assign_roles") in security and ("teams", "change_user") not in security
    assert auditor_perms == {("audit", "view_auditevent")}
    for name in roles.ROLE_PERMISSIONS:
        if name != roles.AUDITOR:
            assert ("audit", "view_auditevent") not in perms(name)
        assert not {p for p in perms(name) if p[0] == "audit" and p[1] != "view_auditevent"}


def test_creating_and_renaming_a_role_group_is_recorded(client, superuser):
    client.force_login(superuser)
    permission = Group.objects.get(name=roles.AUDITOR).permissions.get()
    add = reverse("admin:auth_group_add")
    assert client.post(add, {"name": "临时审计", "permissions": [permission.pk]}).status_code == 302
    group = Group.objects.get(name="临时审计")
    created = AuditEvent.objects.get(action="account.role_group_create")
    assert (created.actor_name, created.object_repr) == ("root", "临时审计")
    assert created.detail_data == {"permissions": ["view_auditevent"]}
    change = reverse("admin:auth_group_change", args=[group.pk])
    assert client.post(change, {"name": "外聘审计", "permissions": [permission.pk]}).status_code == 302
    renamed = AuditEvent.objects.get(action="account.role_group_rename")
    assert renamed.object_id == str(group.pk) and renamed.detail_data == {"name": ["临时审计", "外聘审计"]}
    assert not AuditEvent.objects.filter(action="account.roles").exists()  # the permissions did not change

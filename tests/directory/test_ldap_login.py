"""Signing in with a directory account, against a real slapd."""

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from teams.models import User

LOGIN = reverse("login")


def _login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def test_it_creates_the_account_on_first_sign_in_with_role_and_department(client, ldap_on):
    response = _login(client, "zhangsan", "zs-pass-2026")
    assert response.status_code == 302 and response["Location"] == reverse("tasks:dashboard")
    user = User.objects.get(username="zhangsan")
    assert (user.display_name, user.email) == ("张三", "zhangsan@sz.gov.cn")
    assert set(user.groups.values_list("name", flat=True)) == {"部门工作人员"}
    # ghost-dept maps to a department tieju does not know: skipped, not created.
    assert list(user.departments.values_list("name", flat=True)) == ["水生态环境处"]
    assert not user.has_usable_password() and not user.is_staff
    assert client.get(reverse("tasks:todo")).status_code == 200


def test_it_records_the_account_and_its_roles_in_the_audit_trail(client, ldap_on):
    assert _login(client, "zhaoliu", "zl-pass-2026").status_code == 302
    user = User.objects.get(username="zhaoliu")
    created = AuditEvent.objects.get(action="account.create")
    assert (created.actor_name, created.object_id) == ("LDAP", str(user.pk))
    assert created.detail_data["source"] == "ldap" and created.detail_data["dn"].startswith("uid=zhaoliu,")
    roles = AuditEvent.objects.get(action="account.roles")
    assert roles.detail_data == {
        "source": "ldap",
        "groups": {"added": ["管理员"], "removed": []},
        "is_staff": [False, True],
    }
    assert AuditEvent.objects.get(action="account.change").detail_data["departments"] == [[], ["大气环境处"]]
    client.logout()
    assert _login(client, "zhaoliu", "zl-pass-2026").status_code == 302  # nothing changed: nothing more recorded
    assert AuditEvent.objects.filter(action__startswith="account.").count() == 3


def test_it_maps_leaders_and_administrators(client, ldap_on):
    assert _login(client, "lisi", "ls-pass-2026").status_code == 302
    assert set(User.objects.get(username="lisi").groups.values_list("name", flat=True)) == {"局领导"}
    # The admin group's DN is written CN=… in the settings: DNs compare without regard to case.
    assert _login(client, "zhaoliu", "zl-pass-2026").status_code == 302
    admin = User.objects.get(username="zhaoliu")
    assert set(admin.groups.values_list("name", flat=True)) == {"管理员"} and admin.is_staff
    assert list(admin.departments.values_list("name", flat=True)) == ["大气环境处"]
    assert client.get(reverse("admin:index")).status_code == 200


def test_it_gives_no_role_to_a_member_of_no_mapped_group(client, ldap_on):
    assert _login(client, "wangwu", "ww-pass-2026").status_code == 302
    user = User.objects.get(username="wangwu")
    assert user.groups.count() == 0 and user.departments.count() == 0
    assert client.get(reverse("calendars:settings")).status_code == 403


def test_it_follows_the_directory_on_the_next_sign_in(client, ldap_on):
    from tests.directory.slapd import BASE

    assert _login(client, "mover", "mv-pass-2026").status_code == 302
    assert list(User.objects.get(username="mover").departments.values_list("name", flat=True)) == ["水生态环境处"]
    ldap_on.ldapadd(
        f"dn: cn=water-dept,ou=groups,{BASE}\nchangetype: modify\ndelete: member\nmember: uid=mover,ou=people,{BASE}\n\n"
        f"dn: cn=air-dept,ou=groups,{BASE}\nchangetype: modify\nadd: member\nmember: uid=mover,ou=people,{BASE}\n",
        modify=True,
    )
    try:
        client.logout()
        assert _login(client, "mover", "mv-pass-2026").status_code == 302
        assert list(User.objects.get(username="mover").departments.values_list("name", flat=True)) == ["大气环境处"]
        mover = User.objects.get(username="mover")
        moved = AuditEvent.objects.filter(action="account.change", object_id=str(mover.pk)).order_by("pk").last()
        assert moved.actor_name == "LDAP"
        assert moved.detail_data == {"source": "ldap", "departments": [["水生态环境处"], ["大气环境处"]]}
    finally:
        ldap_on.ldapadd(
            f"dn: cn=air-dept,ou=groups,{BASE}\nchangetype: modify\ndelete: member\nmember: uid=mover,ou=people,{BASE}\n\n"
            f"dn: cn=water-dept,ou=groups,{BASE}\nchangetype: modify\nadd: member\nmember: uid=mover,ou=people,{BASE}\n",
            modify=True,
        )


def test_it_refuses_a_wrong_directory_password(client, ldap_on):
    response = _login(client, "zhangsan", "wrong")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert response.context["form"].non_field_errors()
    assert not User.objects.filter(username="zhangsan").exists()


def test_it_still_signs_in_local_accounts(client, ldap_on, water_staff):
    assert _login(client, "water", "pw").status_code == 302
    assert client.session["_auth_user_id"] == str(water_staff.pk)


def test_it_keeps_a_local_account_from_a_directory_entry_with_the_same_name(client, ldap_on, water_staff):
    # uid=water in the directory is in the admin group; the local account "water" must not become it.
    assert _login(client, "water", "dir-water-2026").status_code == 200
    assert _login(client, "WATER", "dir-water-2026").status_code == 200
    water_staff.refresh_from_db()
    assert set(water_staff.groups.values_list("name", flat=True)) == {"部门工作人员"} and not water_staff.is_staff
    assert water_staff.display_name == "water"


def test_it_lets_the_directory_take_over_an_account_without_a_password(client, ldap_on, water_staff):
    water_staff.set_unusable_password()
    water_staff.save()
    assert _login(client, "water", "dir-water-2026").status_code == 302
    water_staff.refresh_from_db()
    assert set(water_staff.groups.values_list("name", flat=True)) == {"管理员"} and water_staff.is_staff


def test_it_signs_in_local_accounts_when_the_directory_is_down(client, ldap_on, water_staff, settings):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.AUTH_LDAP_SERVER_URI = f"ldap://127.0.0.1:{port}"
    assert _login(client, "water", "pw").status_code == 302
    assert _login(client, "zhangsan", "zs-pass-2026").status_code == 200


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True


def test_it_locks_a_directory_account_out_after_repeated_failures(client, ldap_on, axes_on, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "zhangsan", "wrong")
    response = _login(client, "zhangsan", "zs-pass-2026")
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert not User.objects.filter(username="zhangsan").exists()


def test_it_records_a_directory_sign_in_in_the_access_log(client, ldap_on, axes_on):
    from axes.models import AccessAttempt, AccessLog

    _login(client, "lisi", "wrong")
    assert AccessAttempt.objects.get(username="lisi").failures_since_start == 1
    assert _login(client, "lisi", "ls-pass-2026").status_code == 302
    log = AccessLog.objects.get(username="lisi")
    assert log.ip_address == "127.0.0.1" and log.attempt_time is not None

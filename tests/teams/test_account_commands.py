"""createsuperuser, changepassword and setup_roles leave their mark in the audit trail."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from audit.models import AuditEvent
from teams import roles
from teams.models import User


def test_it_records_an_account_made_by_createsuperuser(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "Gov-Root-2026!")
    call_command("createsuperuser", "--noinput", username="root", email="root@example.gov.cn")
    user = User.objects.get(username="root")
    created = AuditEvent.objects.get(action="account.create")
    assert (created.actor_name, created.object_id, created.object_repr) == ("manage.py", str(user.pk), "root")
    assert created.detail_data == {"command": "createsuperuser", "superuser": True}


def test_it_records_a_password_set_by_changepassword(water_staff, monkeypatch):
    from audit.management.commands import changepassword

    monkeypatch.setattr(changepassword.Command, "_get_pass", lambda self, prompt="": "Qingshui-2026!")
    call_command("changepassword", "water")
    event = AuditEvent.objects.filter(action="auth.password_change", object_id=str(water_staff.pk)).last()
    assert event.actor_name == "manage.py" and event.actor_id is None
    assert event.detail_data == {"by_self": False, "command": "changepassword"}
    water_staff.refresh_from_db()
    assert water_staff.check_password("Qingshui-2026!")


def test_setup_roles_records_each_group_it_creates_or_changes(db, capsys):
    call_command("setup_roles")
    events = AuditEvent.objects.filter(action="account.roles")
    assert sorted(e.object_repr for e in events) == sorted(roles.ROLE_PERMISSIONS)
    staff = events.get(object_repr=roles.STAFF)
    assert staff.actor_name == "manage.py" and staff.detail_data["created"] is True
    assert "tasks.report_progress" in staff.detail_data["permissions"]["added"]
    capsys.readouterr()
    call_command("setup_roles")  # nothing to do: nothing recorded
    assert AuditEvent.objects.filter(action="account.roles").count() == len(roles.ROLE_PERMISSIONS)
    assert "0 of 7 role groups changed." in capsys.readouterr().out


def test_setup_roles_dry_run_prints_what_would_change_and_writes_nothing(db, capsys):
    call_command("setup_roles")
    leader = Group.objects.get(name=roles.LEADER)
    leader.permissions.remove(Permission.objects.get(codename="decide_postponement"))
    leader.permissions.add(Permission.objects.get(codename="publish_bulletin"))
    Group.objects.get(name=roles.AUDITOR).delete()
    events = AuditEvent.objects.count()
    capsys.readouterr()
    call_command("setup_roles", "--dry-run")
    out = capsys.readouterr().out
    assert "局领导: would add tasks.decide_postponement; would remove metrics.publish_bulletin" in out
    assert "审计管理员: would create; would add audit.view_auditevent" in out
    assert "Dry run: 2 of 7 role groups would change." in out
    assert AuditEvent.objects.count() == events
    assert not Group.objects.filter(name=roles.AUDITOR).exists()
    assert leader.permissions.filter(codename="publish_bulletin").exists()


@pytest.mark.django_db
def test_setup_roles_dry_run_on_an_empty_database_creates_no_permission(capsys):
    Permission.objects.filter(codename="report_progress").delete()
    call_command("setup_roles", "--dry-run")
    assert not Permission.objects.filter(codename="report_progress").exists()
    assert not Group.objects.exists()

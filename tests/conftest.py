"""Shared users, named for their role, and the sample task table."""

import pytest
from django.contrib.auth.models import Group

from teams import roles
from teams.models import Department, User
from teams.reference import reference_load


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """On PostgreSQL, let Django's flush between transactional tests TRUNCATE the audit trail, on the test
    database only: the trigger of audit migration 0005 refuses TRUNCATE unless `tieju.audit_flush` is on."""
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor != "postgresql":
                continue
            name = connection.ops.quote_name(connection.settings_dict["NAME"])
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER DATABASE {name} SET tieju.audit_flush = 'on'")  # later connections
                cursor.execute("SET tieju.audit_flush = 'on'")  # this one


@pytest.fixture
def reference(db):
    """Departments, collective words, officials and the ten teams; the role groups."""
    roles.ensure_roles()
    reference_load()


def _user(username, role, *departments):
    user = User.objects.create_user(username=username, password="pw", display_name=username)
    if role:
        user.groups.add(Group.objects.get(name=role))
    user.departments.set(Department.objects.filter(name__in=departments))
    return user


@pytest.fixture
def water_staff(reference):
    return _user("water", roles.STAFF, "水生态环境处")


@pytest.fixture
def air_staff(reference):
    return _user("air", roles.STAFF, "大气环境处")


@pytest.fixture
def district_staff(reference):
    return _user("futian", roles.STAFF, "福田管理局")


@pytest.fixture
def supervisor(reference):
    """办公室's staff member who is also the supervision office (督查督办)."""
    user = _user("office", roles.STAFF, "办公室")
    user.groups.add(Group.objects.get(name=roles.SUPERVISION))
    return user


@pytest.fixture
def leader(reference):
    return _user("leader", roles.LEADER)


@pytest.fixture
def admin_user(reference):
    user = _user("admin", roles.ADMINISTRATOR, "办公室")
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def system_admin(reference):
    """系统管理员 (三员): accounts, not roles; reaches the Django admin."""
    user = _user("sysadmin", roles.SYSTEM_ADMIN)
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def security_admin(reference):
    """安全管理员 (三员): roles and permissions, nothing else; reaches the Django admin."""
    user = _user("secadmin", roles.SECURITY_ADMIN)
    user.is_staff = True
    user.save()
    return user


@pytest.fixture
def auditor(reference):
    """审计管理员 (三员): reads the audit trail only."""
    return _user("auditor", roles.AUDITOR)


@pytest.fixture
def superuser(reference):
    return User.objects.create_superuser("root", "root@example.gov.cn", "pw")


@pytest.fixture
def outsider(reference):
    """Logged in, but holds no role: sees nothing."""
    return _user("outsider", None)


@pytest.fixture
def water_team(water_staff):
    """水污染防治战斗队, led by `water_staff` since 2026-03-01 (so that user may edit its roster)."""
    from datetime import date

    from teams.models import ActionTeam, TeamMembership

    team = ActionTeam.objects.get(number=1)
    TeamMembership.objects.create(
        team=team, user=water_staff, role="leader", since=date(2026, 3, 1), department=water_staff.departments.first()
    )
    return team


@pytest.fixture
def sample_table(reference):
    """The office's sample table imported as the current breakdown (4 pillars, 20 tasks, 64 requirements)."""
    from django.conf import settings

    from imports.reader import read_table
    from tasks.importing.apply import apply_import
    from tasks.importing.parse import parse_sheet
    from tasks.models import Breakdown

    path = settings.BASE_DIR / "fixtures" / "task-breakdown.xlsx"
    records, errors = parse_sheet(read_table(path.read_bytes(), path.name))
    assert errors == []
    apply_import(records, title="任务分解表")
    return Breakdown.current()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language, whatever an earlier test activated."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield

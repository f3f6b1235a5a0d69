"""Fixtures for the teams pages: the water team led by the water-department staff member."""

import io
from datetime import date

import pytest

from teams.models import ActionTeam, TeamMembership, User

SINCE = date(2026, 3, 1)


@pytest.fixture
def water_team(water_staff):
    """水污染防治战斗队, led by `water_staff` (so that user may edit its roster)."""
    team = ActionTeam.objects.get(number=1)
    TeamMembership.objects.create(team=team, user=water_staff, role="leader", since=SINCE,
                                  department=water_staff.departments.first())
    return team


def make_person(username, display_name, *departments):
    from django.contrib.auth.models import Group

    from teams import roles
    from teams.models import Department

    user = User.objects.create_user(username=username, password="pw", display_name=display_name)
    user.groups.add(Group.objects.get(name=roles.STAFF))
    user.departments.set(Department.objects.filter(name__in=departments))
    return user


def xlsx(rows):
    """Bytes of an .xlsx whose first sheet holds these rows."""
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def count_queries(client, url):
    """Number of queries one GET of the page runs (after a warm-up request)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)

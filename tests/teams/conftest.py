"""Helpers for the teams tests: people, spreadsheets, query counts."""

import io

from teams.models import User


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

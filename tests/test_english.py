"""Every page in English shows no untranslated interface text.

The data are created with ASCII names, so any CJK character left on an English
page is interface text that escaped translation. To cover a new page, add its URL
name (and the roles that may open it) to PAGES.
"""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from metrics.models import Area, Combination, Direction, Indicator
from tasks.models import Breakdown, Pillar, Task
from teams import roles
from teams.models import ActionTeam, Department, Official, TeamMembership, User
from tests.factories import make_requirement

CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
# The language switch names each language in its own script, so a reader of either can find it.
OWN_NAME = re.compile(r'<option value="zh-hans"[^>]*>简体中文</option>')
# A spreadsheet's Chinese column names and values, quoted as the file must hold them, marked as Chinese.
QUOTED_CHINESE = re.compile(r'<code lang="zh-hans">[^<]*</code>')

STAFF, LEADER, ADMINISTRATOR, SUPERUSER = "staff", "leader", "administrator", "superuser"
AUDITOR = "auditor"
EVERY_ROLE = (STAFF, LEADER, ADMINISTRATOR, SUPERUSER)

# (URL name, kwargs as a function of the english_world fixture, roles that may open it)
PAGES = [
    ("tasks:dashboard", None, EVERY_ROLE),
    ("admin:index", None, (ADMINISTRATOR, SUPERUSER)),
    ("admin:tasks_requirement_changelist", None, (SUPERUSER,)),
    ("admin:tasks_requirement_change", lambda world: {"object_id": world["requirement"].pk}, (SUPERUSER,)),
    ("admin:teams_department_changelist", None, (SUPERUSER,)),
    ("tasks:requirement-detail", lambda world: {"pk": world["requirement"].pk}, EVERY_ROLE),
    ("tasks:todo", None, EVERY_ROLE),
    ("tasks:import", None, (ADMINISTRATOR, SUPERUSER)),
    ("teams:team-list", None, EVERY_ROLE),
    ("teams:team-detail", lambda world: {"pk": world["team"].pk}, EVERY_ROLE),
    ("teams:department-list", None, EVERY_ROLE),
    ("teams:department-detail", lambda world: {"pk": world["department"].pk}, EVERY_ROLE),
    ("teams:official-list", None, EVERY_ROLE),
    ("teams:official-detail", lambda world: {"pk": world["official"].pk}, EVERY_ROLE),
    ("metrics:bulletin-latest", None, EVERY_ROLE),
    ("metrics:indicator-list", None, EVERY_ROLE),
    ("metrics:indicator", lambda world: {"code": "pm25"}, EVERY_ROLE),
    ("metrics:entry-latest", None, (STAFF, ADMINISTRATOR, SUPERUSER)),
    ("metrics:import", None, (ADMINISTRATOR, SUPERUSER)),
    ("teams:roster-edit", lambda world: {"pk": world["team"].pk}, (STAFF, ADMINISTRATOR, SUPERUSER)),
    ("teams:roster-import", None, (ADMINISTRATOR, SUPERUSER)),
    ("teams:official-mine", None, (LEADER,)),
    ("audit:event-list", None, (AUDITOR,)),
]
ANONYMOUS_PAGES = ["login"]


def _user(username, role, department=None, **flags):
    user = User.objects.create_user(username=username, password="pw", display_name=username.title(), **flags)
    if role:
        user.groups.add(Group.objects.get(name=role))
    if department:
        user.departments.add(department)
    return user


@pytest.fixture
def english_world(db, settings):
    """A small world whose data are all ASCII: English departments, officials and requirements, and the
    bureau's configured names (settings, printed on the bulletin)."""
    settings.TIEJU_BUREAU_NAME = "City Ecology Bureau"
    settings.TIEJU_BULLETIN_OFFICE = "Bureau Office"
    roles.ensure_roles()
    water = Department.objects.create(name="Water Division", short_name="Water")
    air = Department.objects.create(name="Air Division", short_name="Air")
    official = Official.objects.create(name="Deputy Director for Water")
    breakdown = Breakdown.objects.create(
        title="Task breakdown 2026", year=2026, starts_on="2026-01-01", is_current=True
    )
    pillar = Pillar.objects.create(breakdown=breakdown, number=1, name="Iron political quality")
    Task.objects.create(pillar=pillar, number=1, title="Strengthen Party building")
    requirement = None
    for number, status in enumerate(["not_started", "in_progress", "completed", "blocked"], start=1):
        requirement = make_requirement(
            breakdown=breakdown,
            number=number,
            text=f"Requirement {number} in plain ASCII",
            deadline_text="by the end of December 2026",
            responsible=[water],
            cooperating=[air],
            officials=[official],
            status=status,
        )
    # The areas come from a data migration in Chinese; give them ASCII names for this world.
    for area in Area.objects.all():
        area.name = f"Area {area.pk}"
        area.save()
    Indicator.objects.create(
        code="pm25",
        name="PM2.5 concentration",
        unit="ug/m3",
        direction=Direction.LOWER,
        combination=Combination.MEAN_DAYS,
        is_headline=True,
    )
    team = ActionTeam.objects.create(number=1, name="Water Action Team", mission="Clean water", host_department=water)
    staff = _user("water", roles.STAFF, water)
    TeamMembership.objects.create(
        team=team, user=staff, department=water, role=TeamMembership.Role.LEADER, since="2026-01-01"
    )
    requirement.teams.add(team)
    return {
        "requirement": requirement,
        "team": team,
        "department": water,
        "official": official,
        STAFF: staff,
        LEADER: _user("leader", roles.LEADER),
        ADMINISTRATOR: _user("admin", roles.ADMINISTRATOR, is_staff=True),
        SUPERUSER: _user("root", None, is_staff=True, is_superuser=True),
        AUDITOR: _user("auditor", roles.AUDITOR),
    }


def _untranslated(html):
    html = QUOTED_CHINESE.sub("", OWN_NAME.sub("", html))
    return sorted({line.strip() for line in html.splitlines() if CJK.search(line)})


def _english(client):
    client.cookies["django_language"] = "en"


def _cases():
    for name, kwargs, allowed in PAGES:
        for role in allowed:
            yield pytest.param(name, kwargs, role, id=f"{name}-{role}")


@pytest.mark.parametrize("name, kwargs, role", list(_cases()))
def test_it_shows_no_untranslated_text_in_english(client, english_world, name, kwargs, role):
    client.force_login(english_world[role])
    _english(client)
    response = client.get(reverse(name, kwargs=kwargs(english_world) if kwargs else None), follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en"' in html or 'lang="en"' in html
    assert _untranslated(html) == []


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_it_shows_no_untranslated_text_in_english_to_a_visitor(client, english_world, name):
    _english(client)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert _untranslated(response.content.decode()) == []


def test_it_switches_to_english_through_the_language_form(client, english_world):
    client.force_login(english_world[STAFF])
    dashboard = reverse("tasks:dashboard")
    assert "任务看板" in client.get(dashboard, follow=True).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": dashboard}, follow=True)
    html = response.content.decode()
    assert "Task board" in html and "4 requirements" in html
    assert _untranslated(html) == []


def test_it_keeps_data_as_entered_in_english(client, english_world):
    requirement = english_world["requirement"]
    requirement.text = "完成100家挥发性有机物重点企业治理任务"
    requirement.save()
    client.force_login(english_world[LEADER])
    _english(client)
    html = client.get(reverse("tasks:dashboard"), follow=True).content.decode()
    untranslated = _untranslated(html)
    assert len(untranslated) == 1 and "完成100家挥发性有机物重点企业治理任务</a></td>" in untranslated[0]


def test_it_still_speaks_chinese_by_default(client, english_world):
    client.force_login(english_world[STAFF])
    html = client.get(reverse("tasks:dashboard"), follow=True).content.decode()
    assert '<html lang="zh-hans">' in html and "任务看板" in html and "共 4 项具体要求" in html


def test_it_answers_a_browser_that_asks_for_english_in_english(client, english_world):
    client.force_login(english_world[STAFF])
    html = client.get(reverse("tasks:dashboard"), follow=True, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").content.decode()
    assert '<html lang="en">' in html and "Task board" in html
    assert _untranslated(html) == []

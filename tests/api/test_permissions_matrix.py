"""The same role × object matrix run against the web pages and the API: each role may do through the API
exactly what it may do in the browser (anonymous → login, hidden → 404, seen but not allowed → 403)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from tasks import services
from tasks.models import Requirement
from teams.models import ActionTeam, Department, Official
from tests.api.conftest import tiny_pdf, token_client
from tests.factories import make_requirement

ROLES = ["anonymous", "outsider", "water_staff", "air_staff", "district_staff", "leader", "admin_user"]

# What the matrix expects, written out so a change on either side shows here as well as in the comparison.
EXPECTED = {
    "requirement": dict.fromkeys(ROLES, "allowed") | {"anonymous": "login", "outsider": "hidden"},
    "retired requirement": dict.fromkeys(ROLES, "allowed") | {"anonymous": "login", "outsider": "hidden"},
    "report": {
        "anonymous": "login",
        "outsider": "hidden",
        "water_staff": "allowed",
        "air_staff": "forbidden",
        "district_staff": "forbidden",
        "leader": "forbidden",
        "admin_user": "forbidden",
    },
    "report on retired": dict.fromkeys(ROLES, "forbidden") | {"anonymous": "login", "outsider": "hidden"},
    "report on district requirement": {
        "anonymous": "login",
        "outsider": "hidden",
        "water_staff": "forbidden",
        "air_staff": "forbidden",
        "district_staff": "allowed",
        "leader": "forbidden",
        "admin_user": "forbidden",
    },
    "evidence": dict.fromkeys(ROLES, "allowed") | {"anonymous": "login", "outsider": "hidden"},
    "department": dict.fromkeys(ROLES, "allowed") | {"anonymous": "login", "outsider": "hidden"},
    "official": dict.fromkeys(ROLES, "allowed") | {"anonymous": "login", "outsider": "hidden"},
    "team": dict.fromkeys(ROLES, "allowed") | {"anonymous": "login", "outsider": "hidden"},
    "bulletin": dict.fromkeys(ROLES, "allowed") | {"anonymous": "login", "outsider": "hidden"},
    "indicator values": dict.fromkeys(ROLES, "allowed") | {"anonymous": "login", "outsider": "hidden"},
    "requirement list": dict.fromkeys(ROLES, "allowed") | {"anonymous": "login"},
    "department list": dict.fromkeys(ROLES, "allowed") | {"anonymous": "login"},
    "official list": dict.fromkeys(ROLES, "allowed") | {"anonymous": "login"},
    "team list": dict.fromkeys(ROLES, "allowed") | {"anonymous": "login"},
}


def web_outcome(response):
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return "login"
    return {200: "allowed", 302: "allowed", 403: "forbidden", 404: "hidden"}.get(
        response.status_code, response.status_code
    )


def api_outcome(response):
    return {200: "allowed", 201: "allowed", 401: "login", 403: "forbidden", 404: "hidden"}.get(
        response.status_code, response.status_code
    )


@pytest.fixture
def world(request, requirement, district_requirement, water_staff, published_bulletin, water_team, media):
    retired = make_requirement(text="已停用的要求", responsible=[requirement.assignments.first().department])
    Requirement.objects.filter(pk=retired.pk).update(retired_at=timezone.now())
    entry = services.progress_record(
        requirement=requirement,
        user=water_staff,
        status="in_progress",
        progress=5,
        note="附件",
        files=[SimpleUploadedFile("a.pdf", tiny_pdf())],
        version=1,
    )
    return {
        "requirement": requirement,
        "retired": retired,
        "district": district_requirement,
        "evidence": entry.evidence.get(),
        "department": Department.objects.get(name="水生态环境处"),
        "official": Official.objects.get(name="分管水副局长"),
        "team": ActionTeam.objects.get(number=1),
        "bulletin": published_bulletin,
    }


def _report(requirement):
    return {
        "status": "in_progress",
        "progress": 50,
        "note": "矩阵测试",
        "version": Requirement.objects.get(pk=requirement.pk).version,
    }


def _cases(world):
    """(name, web request, API request); each request is (method, url, data)."""
    r, retired, district = world["requirement"], world["retired"], world["district"]
    month = world["bulletin"].month
    return [
        ("requirement", ("get", f"/requirements/{r.pk}/"), ("get", f"/api/v1/requirements/{r.pk}/")),
        (
            "retired requirement",
            ("get", f"/requirements/{retired.pk}/"),
            ("get", f"/api/v1/requirements/{retired.pk}/"),
        ),
        ("report", ("post", f"/requirements/{r.pk}/report/", r), ("post", f"/api/v1/requirements/{r.pk}/reports/", r)),
        (
            "report on retired",
            ("post", f"/requirements/{retired.pk}/report/", retired),
            ("post", f"/api/v1/requirements/{retired.pk}/reports/", retired),
        ),
        (
            "report on district requirement",
            ("post", f"/requirements/{district.pk}/report/", district),
            ("post", f"/api/v1/requirements/{district.pk}/reports/", district),
        ),
        (
            "evidence",
            ("get", f"/evidence/{world['evidence'].pk}/"),
            ("get", f"/api/v1/evidence/{world['evidence'].pk}/"),
        ),
        (
            "department",
            ("get", f"/teams/departments/{world['department'].pk}/"),
            ("get", f"/api/v1/departments/{world['department'].pk}/"),
        ),
        (
            "official",
            ("get", f"/teams/officials/{world['official'].pk}/"),
            ("get", f"/api/v1/officials/{world['official'].pk}/"),
        ),
        ("team", ("get", f"/teams/{world['team'].pk}/"), ("get", f"/api/v1/teams/{world['team'].pk}/")),
        ("bulletin", ("get", f"/bulletin/{month:%Y-%m}/"), ("get", f"/api/v1/bulletins/{world['bulletin'].pk}/")),
        ("indicator values", ("get", f"/bulletin/{month:%Y-%m}/?draft=1"), ("get", "/api/v1/indicators/pm25/values/")),
        ("requirement list", ("get", "/?q="), ("get", "/api/v1/requirements/?q=")),
        ("department list", ("get", "/teams/departments/"), ("get", "/api/v1/departments/")),
        ("official list", ("get", "/teams/officials/"), ("get", "/api/v1/officials/")),
        ("team list", ("get", "/teams/"), ("get", "/api/v1/teams/")),
    ]


def _send(client, method, url, target=None, *, api):
    if method == "get":
        return client.get(url)
    data = _report(target)
    return client.post(url, data, format="json") if api else client.post(url, data)


@pytest.mark.parametrize("role", ROLES)
def test_it_lets_each_role_do_through_the_api_what_it_may_do_on_the_web(request, world, role):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    web = Client()
    api = APIClient() if user is None else token_client(user)
    if user is not None:
        web.force_login(user)
    seen = {}
    for name, (method, url, *target), (api_method, api_url, *api_target) in _cases(world):
        web_answer = web_outcome(_send(web, method, url, *target, api=False))
        api_answer = api_outcome(_send(api, api_method, api_url, *api_target, api=True))
        seen[name] = (web_answer, api_answer)
    assert seen == {name: (outcomes[role], outcomes[role]) for name, outcomes in EXPECTED.items()}


@pytest.mark.parametrize("role", ["outsider", "water_staff", "leader", "admin_user"])
def test_it_lists_for_each_role_the_rows_the_web_lists(request, world, role):
    user = request.getfixturevalue(role)
    web = Client()
    web.force_login(user)
    page = web.get("/?q=")
    api = token_client(user)
    assert api.get("/api/v1/requirements/?q=").json()["count"] == page.context["total"]
    departments = sum(len(members) for _label, members in web.get("/teams/departments/").context["groups"])
    assert api.get("/api/v1/departments/").json()["count"] == departments
    assert api.get("/api/v1/teams/").json()["count"] == len(web.get("/teams/").context["teams"])
    assert api.get("/api/v1/officials/").json()["count"] == len(web.get("/teams/officials/").context["officials"])

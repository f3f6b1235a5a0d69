"""Who may do what: every view and every POST × anonymous, outsider, responsible, cooperating,
unrelated staff, leader and administrator — and nothing written where it is refused."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tasks import services
from tasks.models import Evidence, JournalEntry, Postponement, Requirement
from tests.tasks.conftest import tiny_pdf

USERS = ["anonymous", "outsider", "water_staff", "air_staff", "district_staff", "leader", "admin_user"]


@pytest.fixture
def world(requirement, water_staff, air_staff, leader):
    """A report with a file on the requirement and a pending postponement request."""
    services.progress_record(
        requirement=requirement,
        user=water_staff,
        status="in_progress",
        progress=30,
        note="开始推进",
        files=[SimpleUploadedFile("a.pdf", tiny_pdf())],
        version=requirement.version,
    )
    pending = services.postponement_request(
        requirement=requirement, user=water_staff, new_due=date(2027, 3, 31), reason="需要更多时间"
    )
    requirement.refresh_from_db()
    return {"requirement": requirement, "evidence": Evidence.objects.get(), "pending": pending}


def _login(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))


def _snapshot(requirement):
    r = Requirement.objects.get(pk=requirement.pk)
    return (
        r.status,
        r.progress,
        r.version,
        r.postponed_to,
        r.reported_through,
        JournalEntry.objects.count(),
        Evidence.objects.count(),
        list(Postponement.objects.values_list("state", flat=True)),
    )


GETS = {
    # view: expected code per user
    "detail": dict(
        anonymous=302, outsider=404, water_staff=200, air_staff=200, district_staff=200, leader=200, admin_user=200
    ),
    "evidence": dict(
        anonymous=302, outsider=404, water_staff=200, air_staff=200, district_staff=200, leader=200, admin_user=200
    ),
    "todo": dict(
        anonymous=302, outsider=200, water_staff=200, air_staff=200, district_staff=200, leader=200, admin_user=200
    ),
    "dashboard": dict(
        anonymous=302, outsider=200, water_staff=200, air_staff=200, district_staff=200, leader=200, admin_user=200
    ),
    "export": dict(
        anonymous=302, outsider=200, water_staff=200, air_staff=200, district_staff=200, leader=200, admin_user=200
    ),
}


def _get_url(view, world):
    return {
        "detail": reverse("tasks:requirement-detail", args=[world["requirement"].pk]),
        "evidence": reverse("tasks:evidence-download", args=[world["evidence"].pk]),
        "todo": reverse("tasks:todo"),
        "dashboard": reverse("tasks:dashboard") + "?department=",
        "export": reverse("tasks:dashboard-export"),
    }[view]


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("view", list(GETS))
def test_it_answers_every_page_with_the_expected_code(client, request, world, view, who):
    _login(client, request, who)
    response = client.get(_get_url(view, world))
    assert response.status_code == GETS[view][who]
    if response.status_code == 302:
        assert response["Location"].startswith(reverse("login"))


def test_it_hides_the_table_and_the_files_from_an_account_without_a_role(client, outsider, world):
    client.force_login(outsider)
    response = client.get(reverse("tasks:dashboard"))
    assert response.context["table"].paginator.count == 0
    assert b"a.pdf" not in client.get(reverse("tasks:dashboard-export")).content


POSTS = {
    "report": dict(
        anonymous=302, outsider=404, water_staff=302, air_staff=403, district_staff=403, leader=403, admin_user=403
    ),
    "feedback": dict(
        anonymous=302, outsider=404, water_staff=403, air_staff=302, district_staff=403, leader=403, admin_user=403
    ),
    "instruction": dict(
        anonymous=302, outsider=404, water_staff=403, air_staff=403, district_staff=403, leader=302, admin_user=403
    ),
    "postpone": dict(
        anonymous=302, outsider=404, water_staff=302, air_staff=403, district_staff=403, leader=403, admin_user=403
    ),
    "decide": dict(
        anonymous=302, outsider=404, water_staff=403, air_staff=403, district_staff=403, leader=302, admin_user=302
    ),
}


def _post(client, action, world):
    r = world["requirement"]
    pdf = SimpleUploadedFile("b.pdf", tiny_pdf(), content_type="application/pdf")
    if action == "report":
        url = reverse("tasks:requirement-report", args=[r.pk])
        data = {"status": "in_progress", "progress": 90, "note": "基本完成", "version": r.version, "files": pdf}
    elif action == "feedback":
        url = reverse("tasks:requirement-feedback", args=[r.pk])
        data = {"note": "已配合", "files": pdf}
    elif action == "instruction":
        url = reverse("tasks:requirement-instruction", args=[r.pk])
        data = {"note": "抓紧落实"}
    elif action == "postpone":
        url = reverse("tasks:postponement-request", args=[r.pk])
        data = {"new_due": "2027-06-30", "reason": "再延"}
    else:
        url = reverse("tasks:postponement-decide", args=[r.pk, world["pending"].pk])
        data = {"decision": "approved", "comment": "同意"}
    return client.post(url, data)


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("action", list(POSTS))
def test_it_allows_each_post_only_to_its_role_and_writes_nothing_when_refused(client, request, world, action, who):
    _login(client, request, who)
    if action == "postpone":  # one pending request at a time: decide the existing one first
        services.postponement_decide(
            postponement=world["pending"], user=request.getfixturevalue("leader"), approve=False
        )
    before = _snapshot(world["requirement"])
    response = _post(client, action, world)
    expected = POSTS[action][who]
    assert response.status_code == expected
    after = _snapshot(world["requirement"])
    if expected == 302 and who != "anonymous":
        assert response["Location"] == reverse("tasks:requirement-detail", args=[world["requirement"].pk])
        assert after != before
    else:
        assert after == before


def test_it_lets_a_district_report_through_a_collective_word(client, district_staff, district_requirement):
    client.force_login(district_staff)
    response = client.post(
        reverse("tasks:requirement-report", args=[district_requirement.pk]),
        {"status": "in_progress", "progress": 10, "note": "福田已部署", "version": district_requirement.version},
    )
    assert response.status_code == 302
    entry = JournalEntry.objects.get(requirement=district_requirement)
    assert entry.department.name == "福田管理局"


def test_it_refuses_a_crafted_post_to_another_departments_requirement(client, air_staff, world):
    """air is only cooperating: a forged status report with a file changes nothing and stores no file."""
    client.force_login(air_staff)
    before = _snapshot(world["requirement"])
    response = _post(client, "report", world)
    assert response.status_code == 403
    assert _snapshot(world["requirement"]) == before


def test_it_refuses_deciding_a_postponement_of_another_requirement_through_this_one(client, leader, world, water):
    from tests.factories import make_requirement

    other = make_requirement(responsible=[water])
    client.force_login(leader)
    url = reverse("tasks:postponement-decide", args=[other.pk, world["pending"].pk])
    assert client.post(url, {"decision": "approved"}).status_code == 404
    assert Postponement.objects.get().state == "pending"


@pytest.mark.parametrize("url", ["/requirements/999999/", "/evidence/999999/", "/requirements/abc/"])
def test_it_answers_404_for_ids_that_do_not_exist(client, leader, world, url):
    client.force_login(leader)
    assert client.get(url).status_code == 404


def test_it_refuses_get_on_post_only_actions(client, water_staff, world):
    client.force_login(water_staff)
    assert client.get(reverse("tasks:requirement-report", args=[world["requirement"].pk])).status_code == 405

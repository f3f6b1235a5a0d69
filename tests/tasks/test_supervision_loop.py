"""The supervision loop (tasks/supervision/loop.py): every action × every role, refused with 403 or
404 writing nothing, allowed moving the stage; the loop end to end; stage and version refusals."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tasks.models import (
    Acknowledgement,
    CompletionRequest,
    Evidence,
    JournalEntry,
    Requirement,
    Stage,
    SupervisionNotice,
)
from tasks.supervision import loop, notices
from tasks.supervision.loop import acknowledgements_open
from teams.models import Department
from tests.factories import make_requirement
from tests.tasks.conftest import tiny_pdf

USERS = ["anonymous", "outsider", "water_staff", "air_staff", "district_staff", "leader", "supervisor", "admin_user"]


def _login(client, request, who):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))


def _snapshot(requirement):
    r = Requirement.objects.get(pk=requirement.pk)
    return (
        r.stage,
        r.status,
        r.progress,
        r.version,
        r.completed_on,
        r.closed_on,
        r.rework_due,
        JournalEntry.objects.count(),
        Evidence.objects.count(),
        list(CompletionRequest.objects.order_by("pk").values_list("state", flat=True)),
        list(Acknowledgement.objects.order_by("pk").values_list("signed_at", flat=True)),
        SupervisionNotice.objects.count(),
        list(SupervisionNotice.objects.order_by("pk").values_list("responded_at", flat=True)),
    )


def _apply(requirement, user, note="已全部完成"):
    requirement.refresh_from_db()
    return loop.completion_apply(requirement=requirement, user=user, note=note, version=requirement.version)


@pytest.fixture
def world(requirement, water_staff):
    """The requirement waiting for 水生态环境处's 签收, and a red notice on it."""
    acknowledgements_open([requirement.pk])
    notice = notices.notice_issue_by_hand(requirement=requirement, user=None, colour="red", on=date(2026, 6, 1))
    requirement.refresh_from_db()
    return {"requirement": requirement, "notice": notice}


def _stage(world, stage, water_staff):
    """Bring the world's requirement to the stage an action starts from."""
    r = world["requirement"]
    if stage in ("active", "review"):
        Acknowledgement.objects.update(signed_at=timezone.now(), signed_by=water_staff)
    if stage == "review":
        _apply(r, water_staff)
    r.refresh_from_db()
    return r


def _allowed(*who):
    """The answer each user gets: the login redirect for anonymous, 404 for a user outside every
    department, a redirect (done) for `who`, 403 for everyone else."""
    return {user: 302 if user in who or user == "anonymous" else 404 if user == "outsider" else 403 for user in USERS}


# action: (stage it starts from, expected response per user)
POSTS = {
    "sign": ("unsigned", _allowed("water_staff")),
    "apply": ("active", _allowed("water_staff")),
    "withdraw": ("review", _allowed("water_staff")),
    "close": ("review", _allowed("supervisor")),
    "return": ("review", _allowed("supervisor")),
    "issue": ("active", _allowed("supervisor", "admin_user")),
    "respond": ("active", _allowed("water_staff")),
}


def _post(client, action, world):
    r = world["requirement"]
    pdf = SimpleUploadedFile("证明.pdf", tiny_pdf(), content_type="application/pdf")
    urls = {
        "sign": ("tasks:requirement-sign", {}),
        "apply": ("tasks:completion-apply", {"note": "已完成", "version": r.version, "files": pdf}),
        "withdraw": ("tasks:completion-withdraw", {"version": r.version}),
        "close": ("tasks:completion-review", {"decision": "close", "note": "同意", "version": r.version}),
        "return": (
            "tasks:completion-review",
            {
                "decision": "return",
                "note": "材料不全",
                "version": r.version,
                "rework_due": (timezone.localdate() + timedelta(days=10)).isoformat(),
            },
        ),
        "issue": ("tasks:notice-issue", {"colour": "yellow"}),
    }
    if action == "respond":
        url = reverse("tasks:notice-respond", args=[world["notice"].pk])
        return client.post(url, {"note": "已说明原因", "files": pdf})
    name, data = urls[action]
    return client.post(reverse(name, args=[r.pk]), data)


@pytest.mark.parametrize("who", USERS)
@pytest.mark.parametrize("action", list(POSTS))
def test_it_allows_each_step_only_to_its_role_and_writes_nothing_when_refused(
    client, request, world, water_staff, action, who
):
    stage, expected = POSTS[action]
    _stage(world, stage, water_staff)
    _login(client, request, who)
    before = _snapshot(world["requirement"])
    response = _post(client, action, world)
    assert response.status_code == expected[who]
    after = _snapshot(world["requirement"])
    if response.status_code == 302 and who != "anonymous":
        assert after != before
    else:
        assert after == before
        if who == "anonymous":
            assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    "who, code",
    [
        ("anonymous", 302),
        ("outsider", 404),
        ("water_staff", 200),
        ("air_staff", 200),
        ("leader", 200),
        ("supervisor", 200),
    ],
)
def test_it_shows_the_notice_and_its_docx_to_whoever_may_read_the_table(client, request, world, who, code):
    _login(client, request, who)
    for name in ("tasks:notice-detail", "tasks:notice-download"):
        assert client.get(reverse(name, args=[world["notice"].pk])).status_code == code


@pytest.fixture
def office_item(reference, requirement):
    """An item of the supervision office's own department (办公室)."""
    office = Department.objects.get(name="办公室")
    return make_requirement(text="督查督办制度建设", responsible=[office])


@pytest.mark.parametrize(
    "who, code", [("supervisor", 403), ("admin_user", 403), ("leader", 302), ("superuser", 302), ("water_staff", 403)]
)
def test_it_has_the_office_own_items_reviewed_by_an_administrator_or_a_leader(
    client, request, office_item, supervisor, who, code
):
    """Nobody reviews their own department: the office applies, a leader or an administrator outside
    办公室 reviews (the demo administrator sits in 办公室, so the superuser stands for the other kind)."""
    _apply(office_item, supervisor)
    _login(client, request, who)
    office_item.refresh_from_db()
    response = client.post(
        reverse("tasks:completion-review", args=[office_item.pk]), {"decision": "close", "version": office_item.version}
    )
    assert response.status_code == code
    office_item.refresh_from_db()
    assert office_item.stage == (Stage.CLOSED if code == 302 else Stage.REVIEW)


def test_it_runs_the_loop_end_to_end(client, requirement, water_staff, supervisor, media):
    Requirement.objects.filter(pk=requirement.pk).update(completion_criteria="159个黑臭水体全部消黑并通过验收")
    acknowledgements_open([requirement.pk])
    page = reverse("tasks:requirement-detail", args=[requirement.pk])
    client.force_login(water_staff)
    assert "待签收" in client.get(page).content.decode()
    assert client.post(reverse("tasks:requirement-sign", args=[requirement.pk])).status_code == 302
    ack = Acknowledgement.objects.get()
    assert ack.signed_by == water_staff and ack.signed_at is not None

    requirement.refresh_from_db()
    client.post(
        reverse("tasks:requirement-report", args=[requirement.pk]),
        {"status": "in_progress", "progress": 90, "note": "基本完成", "version": requirement.version},
    )
    requirement.refresh_from_db()
    pdf = SimpleUploadedFile("验收报告.pdf", tiny_pdf(), content_type="application/pdf")
    response = client.post(
        reverse("tasks:completion-apply", args=[requirement.pk]),
        {"note": "全部消黑", "version": requirement.version, "files": pdf},
    )
    assert response.status_code == 302
    requirement.refresh_from_db()
    assert (requirement.stage, requirement.status) == ("review", "in_progress")
    # Backdate the application: the completion date is the application's, not the review's.
    CompletionRequest.objects.update(requested_at=timezone.now() - timedelta(days=3))
    applied_on = timezone.localdate(CompletionRequest.objects.get().requested_at)

    client.force_login(supervisor)
    todo = client.get(reverse("tasks:todo")).context["oversight"]
    assert [a.requirement for a in todo.reviews] == [requirement]
    body = client.get(page).content.decode()
    assert "159个黑臭水体全部消黑并通过验收" in body and "全部消黑" in body and "验收报告.pdf" in body
    rework = timezone.localdate() + timedelta(days=15)
    response = client.post(
        reverse("tasks:completion-review", args=[requirement.pk]),
        {
            "decision": "return",
            "note": "缺少第三方验收意见",
            "rework_due": rework.isoformat(),
            "version": requirement.version,
        },
    )
    assert response.status_code == 302
    requirement.refresh_from_db()
    assert (requirement.stage, requirement.status, requirement.rework_due) == ("returned", "in_progress", rework)
    returned = JournalEntry.objects.get(kind="completion_return")
    assert "缺少第三方验收意见" in returned.note and rework.isoformat() in returned.note
    # Returned for rework earns a yellow notice.
    assert notices.notice_colours(light_reason=requirement.light().reason, stage=requirement.stage) == {
        "yellow": "returned"
    }

    client.force_login(water_staff)
    todo = client.get(reverse("tasks:todo")).context["todo"]
    assert [i.requirement for i in todo.returned] == [requirement]
    response = client.post(
        reverse("tasks:completion-apply", args=[requirement.pk]),
        {"note": "已补充第三方验收意见", "version": requirement.version},
    )
    assert response.status_code == 302
    CompletionRequest.objects.filter(state="pending").update(requested_at=timezone.now() - timedelta(days=1))
    applied_on = timezone.localdate() - timedelta(days=1)

    client.force_login(supervisor)
    requirement.refresh_from_db()
    response = client.post(
        reverse("tasks:completion-review", args=[requirement.pk]),
        {"decision": "close", "note": "材料齐全", "version": requirement.version},
    )
    assert response.status_code == 302
    requirement.refresh_from_db()
    assert (requirement.stage, requirement.status, requirement.progress) == ("closed", "completed", 100)
    assert (requirement.completed_on, requirement.closed_on) == (applied_on, timezone.localdate())
    assert requirement.light().code == "completed"
    assert list(CompletionRequest.objects.order_by("requested_at").values_list("state", flat=True)) == [
        "returned",
        "closed",
    ]
    kinds = list(JournalEntry.objects.order_by("created_at", "pk").values_list("kind", flat=True))
    assert kinds == [
        "sign",
        "report",
        "completion_request",
        "completion_return",
        "completion_request",
        "completion_close",
    ]
    # Written off: the department can no longer report on it.
    client.force_login(water_staff)
    assert (
        client.post(
            reverse("tasks:requirement-report", args=[requirement.pk]),
            {"status": "in_progress", "progress": 50, "note": "x", "version": requirement.version},
        ).status_code
        == 403
    )


def test_it_refuses_a_step_the_stage_does_not_allow_with_409_and_writes_nothing(
    client, requirement, water_staff, supervisor
):
    client.force_login(supervisor)
    before = _snapshot(requirement)
    response = client.post(
        reverse("tasks:completion-review", args=[requirement.pk]), {"decision": "close", "version": requirement.version}
    )
    assert response.status_code == 409 and "不适用于处于“办理中”环节" in response.content.decode()
    assert _snapshot(requirement) == before
    _apply(requirement, water_staff)
    client.force_login(water_staff)
    requirement.refresh_from_db()
    before = _snapshot(requirement)
    response = client.post(
        reverse("tasks:completion-apply", args=[requirement.pk]), {"note": "再申请", "version": requirement.version}
    )
    assert response.status_code == 409 and _snapshot(requirement) == before


def test_it_asks_for_the_signature_before_the_application(client, requirement, water_staff):
    acknowledgements_open([requirement.pk])
    client.force_login(water_staff)
    before = _snapshot(requirement)
    response = client.post(
        reverse("tasks:completion-apply", args=[requirement.pk]), {"note": "完成", "version": requirement.version}
    )
    assert response.status_code == 409 and "请先签收" in response.content.decode()
    assert _snapshot(requirement) == before


def test_it_refuses_a_review_made_on_a_stale_version(client, requirement, water_staff, supervisor):
    _apply(requirement, water_staff)
    requirement.refresh_from_db()
    stale = requirement.version
    # The department files a report meanwhile: the reviewer's page is out of date.
    from tasks import services

    services.progress_record(
        requirement=requirement,
        user=water_staff,
        status="in_progress",
        progress=95,
        note="补充材料已上传",
        version=stale,
    )
    client.force_login(supervisor)
    response = client.post(
        reverse("tasks:completion-review", args=[requirement.pk]), {"decision": "close", "version": stale}
    )
    assert response.status_code == 409 and "其他人已更新" in response.content.decode()
    requirement.refresh_from_db()
    assert requirement.stage == "review" and CompletionRequest.objects.get().state == "pending"


def test_it_requires_a_reason_and_a_date_to_return(client, requirement, water_staff, supervisor):
    _apply(requirement, water_staff)
    requirement.refresh_from_db()
    client.force_login(supervisor)
    before = _snapshot(requirement)
    response = client.post(
        reverse("tasks:completion-review", args=[requirement.pk]),
        {"decision": "return", "note": "", "version": requirement.version},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "退回整改须写明理由" in page and "退回整改须给出整改时限" in page
    assert _snapshot(requirement) == before
    response = client.post(
        reverse("tasks:completion-review", args=[requirement.pk]),
        {"decision": "return", "note": "不全", "rework_due": "2000-01-01", "version": requirement.version},
    )
    assert "整改时限不能早于今天" in response.content.decode() and _snapshot(requirement) == before


def test_it_lets_staff_withdraw_their_application(client, requirement, water_staff):
    _apply(requirement, water_staff)
    requirement.refresh_from_db()
    client.force_login(water_staff)
    response = client.post(
        reverse("tasks:completion-withdraw", args=[requirement.pk]), {"version": requirement.version}
    )
    assert response.status_code == 302
    requirement.refresh_from_db()
    assert requirement.stage == "active" and CompletionRequest.objects.get().state == "withdrawn"


def test_it_opens_a_signature_for_each_department_a_collective_names_and_drops_it_when_unassigned(
    reference, district_requirement
):
    from teams.models import Collective

    opened = acknowledgements_open([district_requirement.pk])
    districts = Collective.objects.get(name="各管理局").departments()
    assert opened == districts.count() > 1
    assert set(Acknowledgement.objects.values_list("department", flat=True)) == set(
        districts.values_list("pk", flat=True)
    )
    assert acknowledgements_open([district_requirement.pk]) == 0  # idempotent
    futian = Department.objects.get(name="福田管理局")
    Acknowledgement.objects.filter(department=futian).update(signed_at=timezone.now())
    district_requirement.assignments.all().delete()
    acknowledgements_open([district_requirement.pk])
    # The unsigned ones go; 福田's signature stays as history.
    assert list(Acknowledgement.objects.values_list("department__name", flat=True)) == ["福田管理局"]


def test_it_opens_signatures_when_the_import_assigns_departments(sample_table):
    from teams.models import Collective

    r = Requirement.objects.get(number=48)  # 责任部门 生态环境综合执法支队
    assert list(Acknowledgement.objects.filter(requirement=r).values_list("department__name", flat=True)) == [
        "生态环境综合执法支队"
    ]
    branches = Requirement.objects.get(number=12)  # 各党支部: each branch signs for itself
    assert Acknowledgement.objects.filter(requirement=branches).count() == (
        Collective.objects.get(name="各党支部").departments().count()
    )
    assert Acknowledgement.objects.filter(signed_at__isnull=True).count() == Acknowledgement.objects.count() >= 64


def test_the_transition_table_is_the_whole_of_the_stages(db):
    """Each stage but 已办结销号 has a way out, and each target is a stage."""
    stages = set(Stage.values)
    for transition in loop.TRANSITIONS.values():
        assert transition.sources <= stages and (transition.target is None or transition.target in stages)
    leaving = {s for t in loop.TRANSITIONS.values() if t.target for s in t.sources}
    assert leaving == stages - {Stage.CLOSED}

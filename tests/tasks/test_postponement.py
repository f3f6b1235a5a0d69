from datetime import date

from django.urls import reverse

from tasks.models import JournalEntry, Postponement, Requirement


def _request(client, r, **data):
    return client.post(
        reverse("tasks:postponement-request", args=[r.pk]), {"new_due": "2027-03-31", "reason": "施工窗口推迟", **data}
    )


def _decide(client, r, p, decision, comment=""):
    return client.post(
        reverse("tasks:postponement-decide", args=[r.pk, p.pk]), {"decision": decision, "comment": comment}
    )


def test_it_runs_request_then_approval_and_moves_the_deadline_the_light_uses(client, water_staff, leader, requirement):
    client.force_login(water_staff)
    assert _request(client, requirement).status_code == 302
    p = Postponement.objects.get()
    assert (p.state, p.original_due, p.new_due, p.requested_by) == (
        "pending",
        date(2026, 12, 31),
        date(2027, 3, 31),
        water_staff,
    )
    assert Requirement.objects.get(pk=requirement.pk).postponed_to is None
    client.force_login(leader)
    page = client.get(reverse("tasks:requirement-detail", args=[requirement.pk])).content.decode()
    assert "审批延期至 2027-03-31 的申请" in page
    assert _decide(client, requirement, p, "approved", "同意，务必按期").status_code == 302
    p.refresh_from_db()
    requirement.refresh_from_db()
    assert (p.state, p.decided_by, p.decision_comment) == ("approved", leader, "同意，务必按期")
    assert requirement.postponed_to == date(2027, 3, 31) and requirement.due_date == date(2026, 12, 31)
    assert requirement.light(on=date(2027, 1, 5)).reason != "overdue"
    assert requirement.light(on=date(2027, 4, 1)).reason == "overdue"
    kinds = list(JournalEntry.objects.values_list("kind", flat=True))
    assert kinds == ["postponement_decision", "postponement_request"]
    # 最近更新 is still the department's: the leader's decision does not read as if the leader did the work.
    assert (requirement.updated_by, requirement.updated_at) == (None, None)
    page = client.get(reverse("tasks:requirement-detail", args=[requirement.pk])).content.decode()
    assert "同意延期至 2027-03-31" in page


def test_it_keeps_the_deadline_when_rejected_and_allows_a_new_request(client, water_staff, admin_user, requirement):
    client.force_login(water_staff)
    _request(client, requirement)
    client.force_login(admin_user)
    _decide(client, requirement, Postponement.objects.get(), "rejected", "理由不充分")
    assert Requirement.objects.get(pk=requirement.pk).postponed_to is None
    client.force_login(water_staff)
    assert _request(client, requirement, new_due="2027-01-31").status_code == 302
    assert list(Postponement.objects.order_by("pk").values_list("state", flat=True)) == ["rejected", "pending"]


def test_it_refuses_a_second_pending_request(client, water_staff, requirement):
    client.force_login(water_staff)
    _request(client, requirement)
    second = _request(client, requirement, new_due="2027-05-31")
    assert second.status_code == 200 and "已有一份待审批的延期申请" in second.content.decode()
    assert list(Postponement.objects.values_list("new_due", flat=True)) == [date(2027, 3, 31)]


def test_it_refuses_a_date_not_later_than_the_deadline_or_not_a_date(client, water_staff, requirement):
    client.force_login(water_staff)
    earlier = _request(client, requirement, new_due="2026-06-30")
    assert "须晚于现时限 2026-12-31" in earlier.content.decode()
    for bad in ("31/12/2027", "99999-01-01", ""):
        assert _request(client, requirement, new_due=bad).status_code == 200
    assert not Postponement.objects.exists()


def test_it_decides_a_request_only_once(client, water_staff, leader, admin_user, requirement):
    client.force_login(water_staff)
    _request(client, requirement)
    p = Postponement.objects.get()
    client.force_login(leader)
    _decide(client, requirement, p, "rejected")
    client.force_login(admin_user)
    response = _decide(client, requirement, p, "approved")
    assert response.status_code == 302
    p.refresh_from_db()
    assert (p.state, p.decided_by) == ("rejected", leader)
    assert Requirement.objects.get(pk=requirement.pk).postponed_to is None


def test_it_offers_no_postponement_for_recurring_requirements(client, water_staff, water):
    from tests.factories import make_requirement

    r = make_requirement(deadline_kind="recurring", recurrence="monthly", responsible=[water])
    client.force_login(water_staff)
    assert "提交延期申请" not in client.get(reverse("tasks:requirement-detail", args=[r.pk])).content.decode()
    assert _request(client, r).status_code == 200
    assert not Postponement.objects.exists()


def test_it_refuses_a_date_beyond_the_horizon(client, water_staff, requirement, settings):
    """9999-12-31 used to be accepted and approved (issue 17)."""
    settings.TIEJU_POSTPONEMENT_MAX_DAYS = 365
    client.force_login(water_staff)
    response = _request(client, requirement, new_due="9999-12-31")
    assert response.status_code == 200
    page = response.content.decode()
    assert "申请延期至 9999-12-31 太远：最多可延期至 2027-12-31（现时限 2026-12-31 后 365 天）" in page
    assert not Postponement.objects.exists()
    assert _request(client, requirement, new_due="2027-12-31").status_code == 302
    assert Postponement.objects.get().new_due == date(2027, 12, 31)


def test_it_never_approves_a_request_beyond_the_horizon(client, water_staff, leader, requirement, settings):
    settings.TIEJU_POSTPONEMENT_MAX_DAYS = 365
    client.force_login(water_staff)
    assert _request(client, requirement).status_code == 302
    # A request filed before the bound existed.
    Postponement.objects.update(new_due=date(9999, 12, 31))
    p = Postponement.objects.get()
    client.force_login(leader)
    response = _decide(client, requirement, p, "approved")
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.state == "pending"
    assert Requirement.objects.get(pk=requirement.pk).postponed_to is None
    page = client.get(reverse("tasks:requirement-detail", args=[requirement.pk])).content.decode()
    assert "超出允许范围" in page

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tasks import services
from tasks.reminders import todo_for
from tests.factories import make_requirement

URL = reverse("tasks:todo")


def test_it_lists_overdue_due_soon_and_missing_reports_of_my_department(client, water_staff, water, air):
    today = timezone.localdate()
    late = make_requirement(text="逾期的", responsible=[water], due_date=today - timedelta(days=2))
    soon = make_requirement(text="快到期的", responsible=[water], due_date=today + timedelta(days=3))
    make_requirement(text="还早的", responsible=[water], due_date=today + timedelta(days=200), progress=100)
    monthly = make_requirement(text="每月通报", responsible=[water], deadline_kind="recurring", recurrence="monthly")
    make_requirement(text="别人的", responsible=[air], due_date=today - timedelta(days=2))
    make_requirement(text="只配合的", responsible=[air], cooperating=[water], due_date=today - timedelta(days=2))
    client.force_login(water_staff)
    response = client.get(URL)
    todo = response.context["todo"]
    assert [i.requirement for i in todo.overdue] == [late]
    assert [i.requirement for i in todo.due_soon] == [soon]
    assert [i.requirement for i in todo.missing_reports] == [monthly]
    page = response.content.decode()
    assert "逾期的" in page and "快到期的" in page and "每月通报" in page
    assert "还早的" not in page and "别人的" not in page and "只配合的" not in page


def test_it_is_the_same_list_the_reminder_mails(water_staff, water):
    make_requirement(responsible=[water], due_date=timezone.localdate())
    todo = todo_for([water], on=timezone.localdate())
    assert len(todo) == 1 and todo.due_soon


def test_it_shows_leaders_the_postponements_waiting_for_them(client, leader, water_staff, requirement):
    from datetime import date

    services.postponement_request(requirement=requirement, user=water_staff, new_due=date(2027, 6, 30), reason="原因")
    client.force_login(leader)
    page = client.get(URL).content.decode()
    assert "待审批的延期申请" in page and "申请延期至 2027-06-30" in page


def test_it_shows_an_account_without_a_role_nothing(client, outsider, requirement):
    client.force_login(outsider)
    response = client.get(URL)
    assert response.status_code == 200 and len(response.context["todo"]) == 0 and response.context["pending"] == []

import pytest
from django.contrib import admin
from django.urls import reverse

# Records nobody writes by hand: the admin lists them but offers no add page.
READ_ONLY = {"notify_delivery", "calendars_calendarfeed"}


def _admin_urls():
    for model in admin.site._registry:
        meta = model._meta
        if meta.app_label not in ("teams", "tasks", "metrics", "notify", "calendars"):
            continue
        yield f"admin:{meta.app_label}_{meta.model_name}_changelist"
        if f"{meta.app_label}_{meta.model_name}" not in READ_ONLY:
            yield f"admin:{meta.app_label}_{meta.model_name}_add"


@pytest.mark.parametrize("name", sorted(_admin_urls()))
def test_it_loads_every_admin_page(client, superuser, sample_table, name):
    client.force_login(superuser)
    response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_it_offers_no_add_page_for_records(client, superuser, name):
    client.force_login(superuser)
    assert client.get(reverse(f"admin:{name}_add")).status_code == 403


def test_it_shows_a_requirement_change_page(client, superuser, sample_table):
    from tasks.models import Requirement

    client.force_login(superuser)
    requirement = Requirement.objects.get(number=45)
    response = client.get(reverse("admin:tasks_requirement_change", args=[requirement.pk]))
    assert response.status_code == 200
    assert "完成100家挥发性有机物重点企业治理任务" in response.content.decode()


def test_it_keeps_department_staff_out_of_the_admin(client, water_staff):
    client.force_login(water_staff)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302


def test_it_shows_import_records_to_the_administrator_role(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("admin:imports_importrecord_changelist"))
    assert response.status_code == 200

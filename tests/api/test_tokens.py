"""The user's token page and Bearer authentication: shown once, stored as a digest, revocable."""

import hashlib

from rest_framework.test import APIClient

from api.models import ApiToken
from tests.api.conftest import token_client


def _create(client, name="大屏看板"):
    page = client.post("/account/tokens/", {"name": name})
    assert page.status_code == 200
    return page, page.context["created"]["token"]


def test_it_sends_an_anonymous_visitor_to_the_login_page(client):
    answer = client.get("/account/tokens/")
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/login/")


def test_it_shows_a_new_token_once_and_stores_only_its_digest(client, water_staff):
    client.force_login(water_staff)
    page, token = _create(client)
    assert token.startswith("tj_") and len(token) > 40
    assert token in page.content.decode()
    record = ApiToken.objects.get(user=water_staff)
    assert record.name == "大屏看板"
    assert record.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {record.name, record.shown, record.digest}
    assert token.startswith(record.shown) and len(record.shown) == 11
    again = client.get("/account/tokens/").content.decode()
    assert token not in again
    assert record.shown in again and "大屏看板" in again


def test_it_authenticates_with_the_token_as_its_user(client, water_staff, requirement):
    client.force_login(water_staff)
    _page, token = _create(client)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    answer = api.get(f"/api/v1/requirements/{requirement.pk}/")
    assert answer.status_code == 200
    assert answer.json()["abilities"] == ["postpone", "report"]
    assert ApiToken.objects.get(user=water_staff).last_used_at is not None


def test_it_refuses_a_revoked_token(client, water_staff, requirement):
    client.force_login(water_staff)
    _page, token = _create(client)
    record = ApiToken.objects.get(user=water_staff)
    answer = client.post(f"/account/tokens/{record.pk}/revoke/")
    assert answer.status_code == 302
    record.refresh_from_db()
    assert record.revoked_at is not None
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    refused = api.get("/api/v1/requirements/")
    assert refused.status_code == 401
    assert refused.json() == {"message": "令牌无效或已撤销。"}
    assert refused["WWW-Authenticate"] == "Bearer"


def test_it_lets_nobody_revoke_another_users_token(client, water_staff, air_staff):
    client.force_login(air_staff)
    other = ApiToken.objects.create(user=water_staff, name="x", shown="tj_abc", digest="0" * 64)
    assert client.post(f"/account/tokens/{other.pk}/revoke/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_it_refuses_tokens_of_a_deactivated_account(water_staff):
    api = token_client(water_staff)
    water_staff.is_active = False
    water_staff.save()
    assert api.get("/api/v1/requirements/").status_code == 401


def test_it_refuses_made_up_and_malformed_tokens(reference):
    for header in ["Bearer tj_notatoken", "Bearer", "Bearer a b", "Bearer " + "x" * 500, "Bearer tj_\u00e9"]:
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=header)
        answer = api.get("/api/v1/requirements/")
        assert answer.status_code == 401, header
        assert answer.json()["message"]


def test_it_asks_for_a_name(client, water_staff):
    client.force_login(water_staff)
    answer = client.post("/account/tokens/", {"name": ""})
    assert answer.status_code == 400
    assert "请填写令牌的用途。" in answer.content.decode()
    assert not ApiToken.objects.exists()


def test_it_refuses_session_writes_without_csrf(water_staff, requirement):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(water_staff)
    answer = api.post(
        f"/api/v1/requirements/{requirement.pk}/reports/",
        {"status": "in_progress", "progress": 10, "note": "x", "version": 1},
        format="json",
    )
    assert answer.status_code == 403
    assert "CSRF" in answer.json()["message"]
    requirement.refresh_from_db()
    assert requirement.version == 1


def test_it_records_creating_and_revoking_a_token(client, water_staff):
    from audit.models import AuditEvent

    client.force_login(water_staff)
    _page, token = _create(client)
    record = ApiToken.objects.get(user=water_staff)
    client.post(f"/account/tokens/{record.pk}/revoke/")
    events = AuditEvent.objects.filter(action__startswith="api.token").order_by("pk")
    assert [(e.action, e.actor_name, e.object_id) for e in events] == [
        ("api.token_create", "water", str(record.pk)),
        ("api.token_revoke", "water", str(record.pk)),
    ]
    assert all(token not in e.detail + e.object_repr for e in events)


def test_the_security_administrator_revokes_a_token_in_the_admin_and_nobody_deletes_one(
    client, water_staff, security_admin, superuser
):
    from audit.models import AuditEvent

    client.force_login(water_staff)
    _page, token = _create(client)
    record = ApiToken.objects.get(user=water_staff)
    client.force_login(security_admin)
    changelist = "/admin/api/apitoken/"
    answer = client.post(changelist, {"action": "revoke", "_selected_action": [record.pk]}, follow=True)
    assert "已撤销 1 个令牌。" in answer.content.decode()
    record.refresh_from_db()
    assert record.revoked_at is not None
    event = AuditEvent.objects.get(action="api.token_revoke")
    assert (event.actor_name, event.detail_data) == ("secadmin", {"owner": "water"})
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/requirements/").status_code == 401
    for who in (security_admin, superuser):
        client.force_login(who)
        assert client.post(f"{changelist}{record.pk}/delete/", {"post": "yes"}).status_code == 403
        # Nor can the revocation be undone by editing the record: every field is read-only.
        client.post(f"{changelist}{record.pk}/change/", {"revoked_at_0": "", "revoked_at_1": ""})
        record.refresh_from_db()
        assert record.revoked_at is not None
    assert ApiToken.objects.filter(pk=record.pk).exists()

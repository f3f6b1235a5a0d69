"""Sessions, users and pages reused while the data stands (tieju.freshness).

These tests commit (transactional_db): inside a test's transaction nothing is reused. On PostgreSQL a
repeated request is served from the cache with one query (the data's version); on SQLite every
request reads the database. On both, every change shows on the next request."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks.models import Requirement
from teams import roles
from teams.models import Department, User
from tieju import freshness

pytestmark = pytest.mark.usefixtures("transactional_db")
REUSES = connection.vendor == "postgresql"


def _get(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, secure=True, **extra)
    return response, len(queries)


def _main(response):
    """The page's main part (the header's forms carry a CSRF token masked anew on every response)."""
    html = response.content.decode()
    return html[html.index('<main id="main">'):html.index("</main>")]


def _logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def _water_url():
    return f"/?department={Department.objects.get(name='水生态环境处').pk}"


def test_a_repeated_dashboard_is_served_from_the_cache_and_a_change_shows_at_once(water_staff, sample_table):
    client, url = _logged_in(water_staff), _water_url()
    first, rendered = _get(client, url)
    second, served = _get(client, url)
    assert first.status_code == second.status_code == 200
    assert _main(second) == _main(first)
    assert served == (1 if REUSES else rendered) and rendered > 1

    shown = Requirement.objects.filter(assignments__department__name="水生态环境处").order_by("number").first()
    assert shown.text in first.content.decode()
    Requirement.objects.filter(pk=shown.pk).update(text="新的具体要求文字（缓存测试）", progress=37)
    third, again = _get(client, url)
    assert "新的具体要求文字（缓存测试）" in third.content.decode()
    assert again == rendered  # rendered anew: the version changed


def test_each_user_language_and_query_string_has_its_own_copy(water_staff, air_staff, leader, sample_table):
    water, air, chief = _logged_in(water_staff), _logged_in(air_staff), _logged_in(leader)
    url = _water_url()
    for client in (water, air, chief):
        _get(client, url + "&per_page=5")
    mine = _get(water, url + "&per_page=5")[0].content.decode()
    theirs = _get(air, url + "&per_page=5")[0].content.decode()
    assert 'class="who">water<' in mine and 'class="who">air<' in theirs
    assert _get(chief, url + "&per_page=5")[0].content.decode().count("<tr") != _get(chief, url)[0].content.decode().count("<tr")

    english = _get(water, url + "&per_page=5", HTTP_ACCEPT_LANGUAGE="en")[0].content.decode()
    assert "Task board" in english and "Task board" not in mine


def test_the_date_is_part_of_the_key(water_staff, sample_table, monkeypatch):
    client, url = _logged_in(water_staff), _water_url() + "&status=not_started"
    today = _get(client, url)[0].context  # rendered: context of the body's template
    counts_today = {code: n for code, _l, n, _u in today["summary"]}
    later = datetime.date(2031, 1, 1)
    monkeypatch.setattr("tasks.views.dashboard.timezone.localdate", lambda: later)
    response = _get(client, url)[0]
    assert response.context is not None, "served the body rendered for another day"
    assert {code: n for code, _l, n, _u in response.context["summary"]} != counts_today


def test_a_logged_out_session_is_not_served_from_the_cache(water_staff, sample_table):
    client, url = _logged_in(water_staff), _water_url()
    cookie = client.cookies["sessionid"].value
    assert _get(client, url)[0].status_code == 200 and _get(client, url)[0].status_code == 200
    client.post(reverse("logout"), secure=True)
    replay = Client()
    replay.cookies["sessionid"] = cookie
    response = replay.get(url, secure=True)
    assert response.status_code == 302 and reverse("login") in response.url


def test_a_deactivated_account_is_logged_out_on_its_next_request(water_staff, sample_table):
    client, url = _logged_in(water_staff), _water_url()
    _get(client, url), _get(client, url)
    User.objects.filter(pk=water_staff.pk).update(is_active=False)
    assert _get(client, url)[0].status_code == 302


def test_a_role_taken_away_is_gone_on_the_next_request(admin_user, sample_table):
    client = _logged_in(admin_user)
    import_url = reverse("tasks:import")
    assert import_url in _get(client, "/")[0].content.decode()
    assert _get(client, import_url)[0].status_code == 200
    admin_user.groups.remove(Group.objects.get(name=roles.ADMINISTRATOR))
    assert import_url not in _get(client, "/")[0].content.decode()
    assert _get(client, import_url)[0].status_code == 403


def test_the_bulletin_is_served_from_the_cache_until_an_indicator_changes(leader, sample_table):
    from metrics.demo import metrics_demo_load
    from metrics.models import Indicator

    metrics_demo_load(user=User.objects.create_superuser("root", "root@example.gov.cn", "pw"))
    client, url = _logged_in(leader), "/bulletin/2026-10/"
    first, rendered = _get(client, url)
    second, served = _get(client, url)
    assert first.status_code == 200 and _main(second) == _main(first)
    assert served == (1 if REUSES else rendered) and rendered > 1
    indicator = Indicator.objects.order_by("sort_order").first()
    assert indicator.name in first.content.decode()
    Indicator.objects.filter(pk=indicator.pk).update(name="改名后的指标（缓存测试）")
    assert "改名后的指标（缓存测试）" in _get(client, url)[0].content.decode()


def _version_in_request(method):
    """data_version as a view of a `method` request sees it."""
    seen = []
    freshness.DataVersionMiddleware(lambda request: seen.append(freshness.data_version(Requirement)))(
        RequestFactory().generic(method, "/")
    )
    return seen[0]


def test_only_safe_requests_outside_a_transaction_on_postgresql_have_a_version(settings):
    assert (_version_in_request("GET") is not None) == REUSES
    assert _version_in_request("POST") is None
    assert freshness.data_version(Requirement) is None  # outside a request
    with transaction.atomic():
        assert _version_in_request("GET") is None
    settings.PAGE_CACHE_SECONDS = 0
    assert _version_in_request("GET") is None


def test_an_expired_session_in_the_cache_is_not_honoured(water_staff, monkeypatch):
    from tieju.freshness import SessionStore

    store = SessionStore()
    store["kept"] = "yes"
    store.set_expiry(3600)
    store.save()

    def load():
        loaded = []
        freshness.DataVersionMiddleware(lambda request: loaded.append(SessionStore(store.session_key).get("kept")))(
            RequestFactory().get("/")
        )
        return loaded[0]

    assert load() == "yes"  # read from the database, now in the cache
    with CaptureQueriesContext(connection) as queries:
        assert load() == "yes"
    # PostgreSQL: the version alone, the session came from the cache; SQLite: the session's row.
    assert [("django_session" in q["sql"]) for q in queries.captured_queries] == [not REUSES]
    later = store.get_expiry_date() + datetime.timedelta(seconds=1)
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert load() is None


def test_the_reuse_tag_names_its_part_in_quotes_and_reuses_it_per_user(water_staff, air_staff):
    from django.template import RequestContext, Template, TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError, match="one quoted name"):
        Template("{% load reuse %}{% reuse nav %}x{% endreuse %}")
    template = Template('{% load reuse %}{% reuse "part" %}{{ n }}{% endreuse %}')

    def render(user, n):
        request = RequestFactory().get("/")
        request.user = user
        out = []
        freshness.DataVersionMiddleware(lambda r: out.append(template.render(RequestContext(r, {"n": n}))))(request)
        return out[0]

    assert render(water_staff, 1) == "1" and render(air_staff, 3) == "3"
    assert render(water_staff, 2) == ("1" if REUSES else "2")  # the stored part, while the data stands
    water_staff.display_name = "改名"
    water_staff.save()
    assert render(water_staff, 4) == "4"


def test_a_get_that_writes_reuses_nothing_afterwards(water_staff):
    seen = []

    def view(request):
        seen.append(freshness.data_version(User))
        User.objects.filter(pk=water_staff.pk).update(display_name="写过")
        seen.append(freshness.data_version(User))
        return None

    freshness.DataVersionMiddleware(view)(RequestFactory().get("/"))
    assert (seen[0] is not None) == REUSES and seen[1] is None


def test_a_reused_page_carries_a_fresh_csrf_token_that_works(water_staff, sample_table):
    import re

    client = Client(enforce_csrf_checks=True)
    client.force_login(water_staff)
    url = _water_url()
    pages = [_get(client, url)[0].content.decode() for _ in range(3)]
    tokens = [re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page) for page in pages]
    # One token per response in both forms (the language switch, the logout button), as Django gives it;
    # a new one in every response.
    assert all(len(found) == 2 and found[0] == found[1] for found in tokens)
    assert len({found[0] for found in tokens}) == 3
    assert not any(freshness.CSRF_PLACEHOLDER in page for page in pages)
    response = client.post(reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": tokens[-1][0]},
                           secure=True, HTTP_REFERER="https://testserver/")
    assert response.status_code == 302 and response.url == url


def test_a_page_showing_a_message_is_neither_stored_nor_taken_from_the_cache(water_staff, sample_table):
    from django.contrib import messages
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpResponse

    client, url = _logged_in(water_staff), _water_url()
    _get(client, url)
    _get(client, url)  # stored, on PostgreSQL
    request, note = RequestFactory().get("/"), HttpResponse()
    storage = CookieStorage(request)
    storage.add(messages.SUCCESS, "进展已保存（缓存测试）。")
    storage.update(note)
    client.cookies["messages"] = note.cookies["messages"].value
    shown, _n = _get(client, url)
    assert "进展已保存（缓存测试）。" in shown.content.decode()
    after, queries = _get(client, url)
    assert "进展已保存（缓存测试）。" not in after.content.decode()
    if REUSES:
        assert queries == 1  # the page stored before the message, which never held it


def test_a_page_that_is_not_200_is_not_stored_and_carries_no_placeholder():
    from django.http import HttpResponse

    calls = []

    def respond(csrf_token):
        calls.append(csrf_token)
        return HttpResponse(f"<input value='{csrf_token}'>", status=409)

    request = RequestFactory().get("/")
    request.session, request._messages = {}, []
    cache_key = freshness.key("test-conflict", "v1")
    pages = [freshness.reuse_page(cache_key, request, respond) for _ in range(2)]
    assert [p.status_code for p in pages] == [409, 409] and len(calls) == 2
    assert not any(freshness.CSRF_PLACEHOLDER in p.content.decode() for p in pages)

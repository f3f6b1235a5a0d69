"""Content-Security-Policy, login throttling and the friendly error pages."""

import pytest
from django.test import override_settings
from django.urls import reverse

LOGIN = reverse("login")


def test_it_sends_a_content_security_policy_without_inline_script_or_style(client, water_staff):
    client.force_login(water_staff)
    response = client.get(reverse("tasks:dashboard"))
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_it_sends_the_policy_on_the_login_page_too(client, db):
    assert "default-src 'self'" in client.get(LOGIN)["Content-Security-Policy"]


def _fail(client, username):
    return client.post(LOGIN, {"username": username, "password": "wrong"})


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_it_locks_a_login_out_after_repeated_failures_with_a_chinese_page(client, water_staff):
    for _ in range(2):
        response = _fail(client, "water")
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    response = _fail(client, "water")
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录已暂时锁定" in page and "连续 3 次登录失败" in page and "30 分钟" in page
    # Locked: even the right password is refused until the cool-off ends.
    response = client.post(LOGIN, {"username": "water", "password": "pw"})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_it_shows_the_lockout_page_in_english_when_english_is_chosen(client, water_staff):
    client.cookies["django_language"] = "en"
    for _ in range(3):
        response = _fail(client, "water")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Sign-in temporarily locked" in page and "3 failed sign-ins" in page


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_it_does_not_lock_out_another_user(client, water_staff, air_staff):
    for _ in range(3):
        _fail(client, "water")
    response = client.post(LOGIN, {"username": "air", "password": "pw"})
    assert response.status_code == 302


@pytest.mark.parametrize("language, text", [("zh-hans", "页面不存在"), ("en", "Page not found")])
def test_it_shows_a_friendly_translated_404(client, water_staff, language, text):
    client.force_login(water_staff)
    client.cookies["django_language"] = language
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert text in response.content.decode()


def test_it_renders_the_500_page_without_a_request_context(settings):
    from django.template import loader

    page = loader.get_template("500.html").render()
    assert "服务器出错" in page


def test_it_hides_the_bench_baseline_unless_benchmarking(client, db):
    assert client.get("/_bench/hello/").status_code == 404


@override_settings(TIEJU_BENCH=True)
def test_it_serves_the_bench_baseline_when_benchmarking(client, db):
    response = client.get("/_bench/hello/")
    assert response.status_code == 200 and response.content == b"hello"

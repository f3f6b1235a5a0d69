"""Errors are JSON with a message, whatever went wrong."""

import pytest
from rest_framework.test import APIClient

from tests.api.conftest import token_client


def test_it_asks_an_anonymous_caller_for_credentials(db):
    answer = APIClient().get("/api/v1/requirements/")
    assert answer.status_code == 401
    assert answer["Content-Type"] == "application/json"
    assert answer.json() == {"message": "身份认证信息未提供。"}


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/nothing/",
        "/api/v1/requirements/abc/",
        "/api/v2/requirements/",
        "/api/v1/requirements/99999999999999999999/",
    ],
)
def test_it_answers_unknown_addresses_in_json(reference, leader, path):
    answer = token_client(leader).get(path)
    assert answer.status_code == 404
    assert answer.json()["message"]


def test_it_answers_an_unknown_method_in_json(reference, leader):
    answer = token_client(leader).delete("/api/v1/requirements/")
    assert answer.status_code == 405
    assert answer.json() == {"message": "方法 “DELETE” 不被允许。"}


def test_it_answers_a_bug_with_a_json_500_and_logs_it(reference, leader, monkeypatch, caplog):
    from api.views import read

    def broken(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(read.DepartmentViewSet, "readable_queryset", broken)
    answer = token_client(leader).get("/api/v1/departments/")
    assert answer.status_code == 500
    assert answer.json() == {"message": "服务器内部错误，请稍后重试或联系管理员。"}
    assert any(record.exc_info and "boom" in str(record.exc_info[1]) for record in caplog.records)


def test_it_answers_in_english_when_asked(reference, leader):
    answer = token_client(leader).get("/api/v1/nothing/", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.json()["message"] == "No such API address: /api/v1/nothing/"

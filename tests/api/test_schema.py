"""The OpenAPI schema and its docs: public, valid OpenAPI 3, served from our own files under the CSP."""

import yaml
from django.contrib.staticfiles import finders
from openapi_spec_validator import validate
from rest_framework.test import APIClient


def test_it_serves_a_valid_openapi_3_schema_without_login(db):
    answer = APIClient().get("/api/schema/?format=json")
    assert answer.status_code == 200
    schema = answer.json()
    validate(schema)  # raises on any violation of the OpenAPI 3 specification
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        "/api/v1/requirements/",
        "/api/v1/requirements/{id}/",
        "/api/v1/requirements/{id}/journal/",
        "/api/v1/requirements/{id}/reports/",
        "/api/v1/pillars/",
        "/api/v1/tasks/",
        "/api/v1/departments/",
        "/api/v1/officials/",
        "/api/v1/teams/{id}/",
        "/api/v1/indicators/{code}/values/",
        "/api/v1/bulletins/{id}/",
    }
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["tokenAuth"]["description"],
    }


def test_it_documents_the_dashboards_filters_and_the_reports_answers(db):
    schema = yaml.safe_load(APIClient().get("/api/schema/").content)
    parameters = {p["name"]: p for p in schema["paths"]["/api/v1/requirements/"]["get"]["parameters"]}
    assert set(parameters) == {
        "q",
        "pillar",
        "task",
        "department",
        "role",
        "official",
        "team",
        "status",
        "light",
        "postponed",
        "source",
        "due_within",
        "page",
        "page_size",
    }
    assert parameters["light"]["schema"]["enum"] == ["completed", "green", "red", "yellow"]
    report = schema["paths"]["/api/v1/requirements/{id}/reports/"]["post"]
    assert {"201", "400", "401", "403", "404", "409", "429"} <= set(report["responses"])
    assert set(report["requestBody"]["content"]) == {"application/json", "multipart/form-data"}


def test_it_serves_swagger_ui_from_vendored_files_with_no_inline_code(db, client):
    answer = client.get("/api/docs/")
    assert answer.status_code == 200
    page = answer.content.decode()
    assert "script-src 'self'" in answer["Content-Security-Policy"]
    assert "<style" not in page and "<script>" not in page
    for name in ("swagger-ui-bundle.js", "swagger-ui-standalone-preset.js", "swagger-ui.css"):
        url = f"/static/drf_spectacular_sidecar/swagger-ui-dist/{name}"
        assert url in page
        assert finders.find(f"drf_spectacular_sidecar/swagger-ui-dist/{name}")
    start = client.get("/api/docs/?script=")
    assert start.status_code == 200
    assert start["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in start.content.decode()

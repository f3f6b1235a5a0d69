"""Schemathesis against the live test server: every operation of /api/schema/, with data the schema allows and
data it does not, answers no server error, and every answer matches the schema (status, type, body)."""

import subprocess
import sys
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from api.models import token_create
from tasks import services
from tasks.models import Pillar, Task
from teams.models import ActionTeam, Department, Official
from tests.api.conftest import tiny_pdf

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
        "negative_data_rejection",
    ]
)
POSITIVE_CHECKS = CHECKS.replace(",negative_data_rejection", "")


def _config(tmp_path, ids):
    """Real ids for the path parameters, so the detail operations reach their data rather than 404."""
    lines = []
    for path, name, value in ids:
        lines += ["[[operations]]", f'include-path = "{path}"', f'parameters = {{ "path.{name}" = {value!r} }}', ""]
    config = tmp_path / "schemathesis.toml"
    config.write_text("\n".join(lines).replace("'", '"'), encoding="utf-8")
    return config


def test_it_conforms_to_its_schema_with_no_server_error(
    transactional_db, live_server, tmp_path, requirement, water_staff, published_bulletin, water_team, media
):
    entry = services.progress_record(
        requirement=requirement,
        user=water_staff,
        status="in_progress",
        progress=5,
        note="附件",
        files=[SimpleUploadedFile("a.pdf", tiny_pdf())],
        version=1,
    )
    _record, token = token_create(user=water_staff, name="schemathesis")
    ids = [
        ("/api/v1/requirements/{id}/", "id", requirement.pk),
        ("/api/v1/requirements/{id}/journal/", "id", requirement.pk),
        ("/api/v1/requirements/{id}/reports/", "id", requirement.pk),
        ("/api/v1/evidence/{id}/", "id", entry.evidence.get().pk),
        ("/api/v1/bulletins/{id}/", "id", published_bulletin.pk),
        ("/api/v1/indicators/{code}/", "code", "pm25"),
        ("/api/v1/indicators/{code}/values/", "code", "pm25"),
        ("/api/v1/departments/{id}/", "id", Department.objects.get(name="水生态环境处").pk),
        ("/api/v1/officials/{id}/", "id", Official.objects.first().pk),
        ("/api/v1/teams/{id}/", "id", ActionTeam.objects.get(number=1).pk),
        ("/api/v1/pillars/{id}/", "id", Pillar.objects.first().pk),
        ("/api/v1/tasks/{id}/", "id", Task.objects.first().pk),
    ]
    # Generated ids and values, valid and not, with invalid ones refused; then real ids (valid data only, since a
    # fixed id would stand in for the invalid ids the negative cases send).
    _run(live_server, tmp_path / "generated", token, checks=CHECKS, mode="all")
    _run(live_server, tmp_path / "real", token, checks=POSITIVE_CHECKS, mode="positive", ids=ids)


def _run(live_server, directory, token, *, checks, mode, ids=()):
    directory.mkdir()
    st = Path(sys.executable).with_name("st")
    run = subprocess.run(
        [
            str(st),
            "--config-file",
            str(_config(directory, ids)),
            "--no-color",
            "run",
            f"{live_server.url}/api/schema/",
            "-H",
            f"Authorization: Bearer {token}",
            "--checks",
            checks,
            "--mode",
            mode,
            "--max-examples",
            "8",
            "--workers",
            "1",
            "--phases",
            "examples,coverage,fuzzing",
            "--seed",
            "18",
            "--generation-database",
            "none",
            "--report-dir",
            str(directory / "report"),
        ],
        capture_output=True,
        text=True,
        timeout=540,
        cwd=directory,
    )
    output = run.stdout + run.stderr
    (directory / "output.txt").write_text(output, encoding="utf-8")
    assert run.returncode == 0, output[-8000:]
    assert "Tested: 20" in output, output[-3000:]

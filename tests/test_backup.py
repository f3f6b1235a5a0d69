"""Backup and restore as the README describes it: pg_dump -Fc, pg_restore into an empty database, media by tar."""

import hashlib
import shutil
import subprocess
import tarfile
import uuid

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from tasks.models import Evidence, JournalEntry, Requirement
from teams.models import User

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="backup and restore use pg_dump/pg_restore: run with DATABASE_URL=postgres://… to test them",
)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TABLES = ["tasks_requirement", "tasks_journalentry", "tasks_evidence", "teams_department", "teams_user"]


def _pg(command, *args, database):
    settings = connection.settings_dict
    env = {"PATH": "/usr/bin:/bin", "PGPASSWORD": settings.get("PASSWORD") or ""}
    argv = [
        command,
        "-h",
        settings["HOST"] or "127.0.0.1",
        "-p",
        str(settings["PORT"] or 5432),
        "-U",
        settings["USER"] or "postgres",
        *args,
    ]
    if database:
        argv += ["-d", database]
    return subprocess.run(argv, env=env, check=True, capture_output=True, text=True)


def _counts(database):
    rows = _pg("psql", "-At", "-c", " UNION ALL ".join(f"SELECT count(*) FROM {t}" for t in TABLES), database=database)
    return dict(zip(TABLES, map(int, rows.stdout.split()), strict=False))


@pytest.fixture
def restore_database():
    if not shutil.which("pg_dump") or not shutil.which("pg_restore"):
        pytest.skip("pg_dump/pg_restore not installed (apt-get install -y postgresql-client)")
    name = f"tieju_infra_restore_{uuid.uuid4().hex[:8]}"
    _pg("createdb", name, database=None)
    yield name
    _pg("dropdb", "--if-exists", name, database=None)


@pytest.mark.django_db(transaction=True)  # pg_dump reads from its own connection: the data must be committed
def test_it_restores_a_dump_into_an_empty_database_with_journal_and_evidence(restore_database, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("load_demo", verbosity=0)
    requirement = Requirement.objects.get(number=45)
    entry = JournalEntry.objects.create(
        requirement=requirement,
        kind=JournalEntry.Kind.REPORT,
        author=User.objects.get(username="air"),
        status_after="in_progress",
        progress_after=40,
        note="backup check: 40 of 100 enterprises done",
    )
    evidence = Evidence.objects.create(
        entry=entry,
        file=ContentFile(PDF, name="治理台账.pdf"),
        original_name="治理台账.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256=hashlib.sha256(PDF).hexdigest(),
    )
    before = _counts(connection.settings_dict["NAME"])
    assert before["tasks_requirement"] == 64 and before["tasks_evidence"] >= 1

    # Back up: the database in PostgreSQL's custom format, and the media folder.
    dump = tmp_path / "tieju.dump"
    _pg("pg_dump", "-Fc", "--no-owner", "-f", str(dump), database=connection.settings_dict["NAME"])
    with tarfile.open(tmp_path / "media.tar.gz", "w:gz") as archive:
        archive.add(settings.MEDIA_ROOT, arcname="media")

    # Restore both somewhere empty.
    _pg("pg_restore", "--no-owner", "--exit-on-error", str(dump), database=restore_database)
    with tarfile.open(tmp_path / "media.tar.gz") as archive:
        archive.extractall(tmp_path / "restored", filter="data")

    assert _counts(restore_database) == before
    stored = (
        _pg(
            "psql",
            "-At",
            "-c",
            f"SELECT file, sha256, note FROM tasks_evidence JOIN tasks_journalentry j ON j.id = entry_id "
            f"WHERE tasks_evidence.id = {evidence.pk}",
            database=restore_database,
        )
        .stdout.strip()
        .split("|")
    )
    assert stored[0] == evidence.file.name and stored[2] == entry.note
    restored_file = tmp_path / "restored" / "media" / stored[0]
    assert hashlib.sha256(restored_file.read_bytes()).hexdigest() == stored[1]

"""The production path of the settings, checked in subprocesses with a production environment."""

import json
import os
import secrets
import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),  # made per run: no key, not even a test one, in the repo
    "ALLOWED_HOSTS": "tieju.example.gov.cn",
    "CSRF_TRUSTED_ORIGINS": "https://tieju.example.gov.cn",
}
# The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
_SCRUB = (
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "TIEJU_STORAGE",
    "STATIC_ROOT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def _run(args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in _SCRUB and not k.startswith("AWS_")}
    clean.update(PRODUCTION, DJANGO_SETTINGS_MODULE="tieju.settings", **env)
    return subprocess.run(args, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=300)


def _settings(expression, **env):
    code = f"import django, json; django.setup(); from django.conf import settings; print(json.dumps({expression}, default=str))"
    result = _run([sys.executable, "-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_passes_the_deploy_checks_with_no_warning_in_production():
    result = _run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_it_turns_on_secure_cookies_hsts_and_the_ssl_redirect_in_production():
    values = _settings(
        "[settings.DEBUG, settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_SSL_REDIRECT,"
        " settings.SECURE_HSTS_SECONDS, settings.SECURE_PROXY_SSL_HEADER, settings.STORAGES['staticfiles']['BACKEND']]"
    )
    assert values == [
        False,
        True,
        True,
        True,
        31536000,
        ["HTTP_X_FORWARDED_PROTO", "https"],
        "whitenoise.storage.CompressedManifestStaticFilesStorage",
    ]


def test_it_requires_allowed_hosts_in_production():
    result = _run([sys.executable, "-c", "import tieju.settings"], ALLOWED_HOSTS="")
    assert "ALLOWED_HOSTS is required" in result.stderr


def test_it_collects_hashed_and_compressed_static_files(tmp_path):
    result = _run([sys.executable, "manage.py", "collectstatic", "--noinput"], STATIC_ROOT=str(tmp_path))
    assert result.returncode == 0, result.stderr
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/tieju.css"]
    assert hashed != "css/tieju.css" and hashed.startswith("css/tieju.")
    assert (tmp_path / hashed).exists()
    assert (tmp_path / (hashed + ".gz")).exists()
    assert (tmp_path / "admin" / "css").is_dir()


def test_it_keeps_uploads_on_the_local_disk_by_default():
    backend = _settings("settings.STORAGES['default']['BACKEND']")
    assert backend == "django.core.files.storage.FileSystemStorage"


def test_it_stores_uploads_in_s3_compatible_storage_from_the_environment_alone():
    code = (
        "import django, json; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "s = storages['default']\n"
        "print(json.dumps([type(s).__name__, s.bucket_name, s.endpoint_url, s.location, s.default_acl, s.file_overwrite]))\n"
    )
    result = _run(
        [sys.executable, "-c", code],
        TIEJU_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="tieju-evidence",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        AWS_ACCESS_KEY_ID="test-only",
        AWS_SECRET_ACCESS_KEY="test-only",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["S3Storage", "tieju-evidence", "http://127.0.0.1:9000", "media", None, False]


def test_it_names_the_missing_bucket_when_s3_storage_is_asked_for():
    result = _run([sys.executable, "-c", "import tieju.settings"], TIEJU_STORAGE="s3")
    assert "AWS_STORAGE_BUCKET_NAME is required" in result.stderr


def test_it_rejects_an_unknown_storage_kind():
    result = _run([sys.executable, "-c", "import tieju.settings"], TIEJU_STORAGE="ftp")
    assert "TIEJU_STORAGE='ftp' is not a storage kind" in result.stderr


def test_it_routes_reads_to_the_replica_and_writes_to_default_when_one_is_configured(tmp_path):
    code = (
        "import django, json; django.setup()\n"
        "from django.conf import settings\n"
        "from django.db import router, transaction\n"
        "from tasks.models import Requirement\n"
        "outside = [router.db_for_read(Requirement), router.db_for_write(Requirement)]\n"
        "with transaction.atomic():\n"
        "    inside = router.db_for_read(Requirement)\n"
        "print(json.dumps([settings.DATABASES['replica']['HOST'], outside, inside,"
        " router.allow_migrate('replica', 'tasks'), router.allow_migrate('default', 'tasks')]))\n"
    )
    result = _run(
        [sys.executable, "-c", code],
        DATABASE_URL=f"sqlite:///{tmp_path / 'router-check.sqlite3'}",
        DATABASE_REPLICA_URL="postgres://reader@replica.example.internal:5432/tieju",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["replica.example.internal", ["replica", "default"], "default", False, True]


def test_it_uses_no_router_without_a_replica():
    assert _settings("[settings.DATABASE_ROUTERS, sorted(settings.DATABASES)]") == [[], ["default"]]


def test_it_reads_the_gunicorn_configuration_from_the_environment():
    code = (
        "import json, runpy; c = runpy.run_path('gunicorn.conf.py');"
        "print(json.dumps([c['bind'], c['workers'], c['threads'], c['timeout'], c['accesslog'], c['wsgi_app']]))"
    )
    result = _run(
        [sys.executable, "-c", code],
        GUNICORN_BIND="unix:/run/tieju/gunicorn.sock",
        GUNICORN_WORKERS="3",
        GUNICORN_THREADS="2",
        GUNICORN_TIMEOUT="90",
        GUNICORN_ACCESS_LOG="off",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["unix:/run/tieju/gunicorn.sock", 3, 2, 90, None, "tieju.wsgi:application"]


def test_it_refuses_a_gunicorn_worker_count_it_cannot_read():
    result = _run([sys.executable, "-c", "import runpy; runpy.run_path('gunicorn.conf.py')"], GUNICORN_WORKERS="many")
    assert "GUNICORN_WORKERS='many' is not an integer" in result.stderr


def test_it_reads_sessions_accounts_and_permissions_from_the_primary_even_with_a_replica():
    # A replica lags a moment: a session or role read there right after a login would send the user back to
    # the login form. The router keeps these on the primary; a requirement read outside a transaction goes
    # to the replica.
    from axes.models import AccessAttempt
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.models import Session

    from tasks.models import Requirement
    from teams.models import User
    from tieju.routers import ReplicaRouter

    router = ReplicaRouter()
    primary = {
        m.__name__: router.db_for_read(m) for m in (Session, User, Group, Permission, ContentType, AccessAttempt)
    }
    assert set(primary.values()) == {"default"}, primary
    assert router.db_for_read(Requirement) == "replica"

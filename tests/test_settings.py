import os
import subprocess
import sys

from django.conf import settings

ROOT = settings.BASE_DIR


def _import_settings(**env):
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import tieju.settings"], cwd=ROOT, env=clean, capture_output=True, text=True
    )


def test_it_fails_loudly_on_a_malformed_database_url():
    result = _import_settings(DEBUG="true", DATABASE_URL="postgres//nohost")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DATABASE_URL" in result.stderr


def test_it_refuses_an_unsupported_database_engine():
    result = _import_settings(DEBUG="true", DATABASE_URL="mysql://u@h/db")
    assert "ImproperlyConfigured" in result.stderr


def test_it_requires_a_secret_key_when_debug_is_off():
    result = _import_settings(DEBUG="false", TIEJU_TESTING="false", ALLOWED_HOSTS="tieju.example.gov.cn")
    assert "SECRET_KEY is required" in result.stderr


def test_it_rejects_a_boolean_it_cannot_read():
    result = _import_settings(DEBUG="maybe")
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_it_uses_the_bureau_time_zone_and_chinese_by_default():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert "en" in dict(settings.LANGUAGES)


def test_it_lets_manage_py_run_in_a_checkout_without_an_environment():
    clean = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")}
    result = subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT, env=clean, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout

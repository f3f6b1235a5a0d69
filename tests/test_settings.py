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
    result = _import_settings(DEBUG="false", ALLOWED_HOSTS="tieju.example.gov.cn")
    assert "SECRET_KEY is required" in result.stderr


def test_it_rejects_a_boolean_it_cannot_read():
    result = _import_settings(DEBUG="maybe")
    assert "DEBUG='maybe' is not a boolean" in result.stderr


def test_it_uses_the_bureau_time_zone_and_chinese_by_default():
    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert "en" in dict(settings.LANGUAGES)


def _manage_py(env_file, **env):
    """manage.py in a subprocess with nothing of this run's environment but PATH-like basics."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_SETTINGS_MODULE")
    }
    clean.update(env, TIEJU_ENV_FILE=str(env_file))
    return subprocess.run(
        [sys.executable, "manage.py", "makemigrations", "--check", "--dry-run"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
    )


def test_it_never_runs_manage_py_with_debug_by_accident(tmp_path):
    result = _manage_py(tmp_path / "no-such-file")
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


def test_it_lets_manage_py_run_in_a_checkout_that_make_run_prepared(tmp_path):
    # `make run` writes .env on first use (the same Makefile rule, run in a scratch directory).
    made = subprocess.run(
        ["make", "-f", str(ROOT / "Makefile"), "-C", str(tmp_path), ".env"], capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    assert "DEBUG=true" in (tmp_path / ".env").read_text(encoding="utf-8").splitlines()

    result = _manage_py(tmp_path / ".env")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_it_lets_the_environment_overrule_the_checkouts_env_file(tmp_path):
    (tmp_path / ".env").write_text("DEBUG=true\n", encoding="utf-8")
    result = _manage_py(tmp_path / ".env", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_it_chooses_the_test_settings_through_pytest_and_not_by_sniffing_imports():
    # The production module knows nothing of the tests: imported with pytest loaded and no
    # environment, it still refuses to start without a key.
    result = subprocess.run(
        [sys.executable, "-c", "import pytest, tieju.settings"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")},
        capture_output=True,
        text=True,
    )
    assert "SECRET_KEY is required" in result.stderr
    assert settings.SETTINGS_MODULE == "tieju.test_settings"

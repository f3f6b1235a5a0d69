"""The bench's own database and production-like environment.

The bench runs against PostgreSQL database `tieju_bench` (BENCH_DATABASE_URL to change it),
with DEBUG off and the production settings, so what it measures is what a deployment serves.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/tieju_bench")


def bench_env():
    """The environment both gunicorn and the in-process measurements run with."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "AWS_", "TIEJU_STORAGE"))}
    env.update(
        DJANGO_SETTINGS_MODULE="tieju.settings",
        DEBUG="false",
        TIEJU_BENCH="1",
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(48),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        DATABASE_URL=DATABASE_URL,
        STATIC_ROOT=str(VAR / "static"),
        MEDIA_ROOT=str(VAR / "media"),
        AXES_ENABLED="false",
        LOG_LEVEL="ERROR",
    )
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def prepare(env):
    """Create the database if missing, migrate, load the demo (idempotent) and collect static files."""
    import dj_database_url
    import psycopg2
    from psycopg2 import sql

    config = dj_database_url.parse(DATABASE_URL)

    def connect(dbname):
        connection = psycopg2.connect(
            dbname=dbname,
            user=config["USER"],
            host=config["HOST"],
            port=config["PORT"] or 5432,
            password=config["PASSWORD"] or None,
        )
        connection.autocommit = True
        return connection

    admin = connect("postgres")
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
    admin.close()
    VAR.mkdir(parents=True, exist_ok=True)
    manage(env, "migrate", "--noinput")
    manage(env, "setup_roles")
    manage(env, "load_demo")
    manage(env, "collectstatic", "--noinput")
    # The queries figure grows the table to 6,400 rows and rolls back; the dead rows stay in the
    # tables and indexes until autovacuum, slowing the next run's pages. Measure a maintained database.
    bench_db = connect(config["NAME"])
    with bench_db.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    bench_db.close()

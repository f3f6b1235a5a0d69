"""Typed readers for settings taken from the environment.

Each one raises ImproperlyConfigured with the variable's name when the value
cannot be understood, so a typo in a deployment fails at start-up instead of
silently falling back to a default.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name, default=None, *, required=False):
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    return value


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean (use true or false).")


def env_int(name, default, *, minimum=None):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} must be at least {minimum}.")
    return number


def env_list(name, default=()):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_database(name, default_sqlite_path):
    """DATABASES['default'] from a URL, or SQLite at the given path when unset."""
    import dj_database_url

    url = os.environ.get(name, "").strip()
    if not url:
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(default_sqlite_path)}
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj-database-url raises several types for bad URLs
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {exc}") from None
    engine = config.get("ENGINE") or ""
    if engine not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
        raise ImproperlyConfigured(f"{name} must be a postgres:// or sqlite:// URL, got engine {engine!r}.")
    if engine == "django.db.backends.postgresql" and not config.get("NAME"):
        raise ImproperlyConfigured(f"{name} names no database.")
    if engine == "django.db.backends.postgresql":
        # PostgreSQL's JIT compiles a query whose estimated cost passes jit_above_cost; the bulletin's
        # per-requirement subqueries pass it on a large table and compiling took seconds where running took
        # milliseconds. Short queries are all the app sends, so it is off unless the URL sets options itself.
        config.setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
    return config


def env_file_storage(name):
    """STORAGES['default'] for uploads: the local disk, or S3-compatible object storage.

    With name=s3 every host of a cluster shares one bucket (AWS S3, MinIO …). The
    credentials stay in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY),
    where boto3 reads them itself, so they never pass through settings.
    """
    kind = (os.environ.get(name) or "filesystem").strip().lower()
    if kind == "filesystem":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    if kind != "s3":
        raise ImproperlyConfigured(f"{name}={kind!r} is not a storage kind (use filesystem or s3).")
    options = {
        "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME", required=True),
        "endpoint_url": env_str("AWS_S3_ENDPOINT_URL"),
        "region_name": env_str("AWS_S3_REGION_NAME"),
        "location": env_str("AWS_LOCATION", "media"),
        # Evidence is private: never public-read, always through signed, short-lived URLs or the app.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": env_int("AWS_QUERYSTRING_EXPIRE", 300, minimum=1),
        "file_overwrite": False,
    }
    if env_str("AWS_S3_ADDRESSING_STYLE"):
        options["addressing_style"] = env_str("AWS_S3_ADDRESSING_STYLE")
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {k: v for k, v in options.items() if v is not None}}

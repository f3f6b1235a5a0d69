"""Settings of the test suite, chosen by pytest's configuration (pyproject.toml); nothing else reads them.

The suite runs the production settings (DEBUG off) with what a test run needs on top: a key made for
this run, the local test servers' hosts, cookies that work over their plain HTTP, a fast password
hasher, no login lockouts and API rates no test reaches unless it lowers them itself
(tests/api/test_throttling.py). tests/test_deploy.py checks the production settings on their own.
"""

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # made per run: no key in the repo
# Commands the tests run in subprocesses never read a developer's .env (manage.py); they get this run's environment.
os.environ.setdefault("TIEJU_ENV_FILE", os.devnull)
os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
os.environ.setdefault("TIEJU_API_RATE_USER", "100000/minute")
os.environ.setdefault("TIEJU_API_RATE_ANONYMOUS", "100000/minute")
os.environ.setdefault("TIEJU_API_TOKEN_FAILURES", "100000")  # tests/api/test_token_failures.py lowers it

from tieju.settings import *  # noqa: E402,F403  (the production settings, then the test run's changes)
from tieju.settings import STORAGES  # noqa: E402

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = False

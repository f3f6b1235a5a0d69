"""LDAP settings from the environment: optional, and loud about mistakes."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from tieju.directory import ldap_settings

PROBE = (
    "import sys, django; django.setup(); from django.conf import settings; "
    "print(settings.AUTHENTICATION_BACKENDS); print('ldap' in sys.modules)"
)


def _settings_in_child(**env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("LDAP_")}
    environ.update(DJANGO_SETTINGS_MODULE="tieju.settings", DEBUG="true", **env)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=settings.BASE_DIR, env=environ, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_it_imports_no_ldap_library_without_ldap_server_uri():
    backends, imported = _settings_in_child()
    assert "directory" not in backends and imported == "False"


def test_it_asks_the_directory_after_axes_and_before_local_passwords(slapd):
    backends, imported = _settings_in_child(LDAP_SERVER_URI=slapd.uri, LDAP_USER_SEARCH_BASE="ou=people,dc=x")
    assert backends == str(
        [
            "axes.backends.AxesStandaloneBackend",
            "directory.backends.DirectoryBackend",
            "django.contrib.auth.backends.ModelBackend",
        ]
    )
    assert imported == "True"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "set LDAP_USER_SEARCH_BASE or LDAP_USER_DN_TEMPLATE"),
        ({"LDAP_USER_SEARCH_BASE": "ou=p", "LDAP_ROLE_GROUPS": "{not json"}, "LDAP_ROLE_GROUPS is not valid JSON"),
        ({"LDAP_USER_SEARCH_BASE": "ou=p", "LDAP_ROLE_GROUPS": '["cn=a"]'}, "LDAP_ROLE_GROUPS must be a JSON object"),
        (
            {"LDAP_USER_SEARCH_BASE": "ou=p", "LDAP_GROUP_SEARCH_BASE": "ou=g", "LDAP_ROLE_GROUPS": '{"cn=a": "组长"}'},
            "LDAP_ROLE_GROUPS names unknown roles ['组长']",
        ),
        (
            {"LDAP_USER_SEARCH_BASE": "ou=p", "LDAP_DEPARTMENT_GROUPS": '{"cn=a": "水生态环境处"}'},
            "need LDAP_GROUP_SEARCH_BASE",
        ),
        ({"LDAP_USER_SEARCH_BASE": "ou=p", "LDAP_GROUP_TYPE": "nis"}, "LDAP_GROUP_TYPE='nis' is not one of"),
    ],
)
def test_it_names_what_is_wrong(slapd, monkeypatch, env, message):
    monkeypatch.setenv("LDAP_SERVER_URI", slapd.uri)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message.replace("[", r"\[").replace("]", r"\]")):
        ldap_settings()


def test_it_accepts_a_direct_bind_template(slapd, monkeypatch):
    monkeypatch.setenv("LDAP_SERVER_URI", slapd.uri)
    monkeypatch.setenv("LDAP_USER_DN_TEMPLATE", "uid=%(user)s,ou=people,dc=sz,dc=gov,dc=cn")
    result = ldap_settings()
    assert result["AUTH_LDAP_USER_DN_TEMPLATE"] == "uid=%(user)s,ou=people,dc=sz,dc=gov,dc=cn"
    assert "AUTH_LDAP_USER_SEARCH" not in result and result["TIEJU_LDAP_ROLE_GROUPS"] == {}

"""The LDAP tests run against a real slapd; locally they skip when it is missing, under CI (REQUIRE_LDAP=1) they fail."""

import os
import shutil

import pytest

from tests.directory.slapd import BASE, READER_DN, READER_PW, Slapd, find_slapd

HOW = (
    "LDAP tests need Debian's slapd and ldap-utils and the [ldap] extra: apt-get install slapd ldap-utils "
    "libldap2-dev libsasl2-dev && pip install '.[ldap]' (or run bash .ci/run, which does this)"
)


def _missing():
    missing = []
    if not find_slapd():
        missing.append("slapd")
    if not shutil.which("ldapadd"):
        missing.append("ldapadd (ldap-utils)")
    try:
        import django_auth_ldap  # noqa: F401
        import ldap  # noqa: F401
    except ImportError:
        missing.append("python-ldap/django-auth-ldap")
    return missing


@pytest.fixture(scope="session")
def slapd(tmp_path_factory):
    missing = _missing()
    if missing:
        message = f"missing {', '.join(missing)}. {HOW}"
        if os.environ.get("REQUIRE_LDAP") == "1":
            pytest.fail(f"REQUIRE_LDAP=1 but {message}")
        pytest.skip(message)
    server = Slapd(tmp_path_factory.mktemp("slapd")).start()
    yield server
    server.stop()


GROUPS = f"ou=groups,{BASE}"
ENVIRONMENT = {
    "LDAP_BIND_DN": READER_DN,
    "LDAP_BIND_PASSWORD": READER_PW,
    "LDAP_USER_SEARCH_BASE": f"ou=people,{BASE}",
    "LDAP_GROUP_SEARCH_BASE": GROUPS,
    "LDAP_ROLE_GROUPS": (
        f'{{"cn=tieju-staff,{GROUPS}": "部门工作人员", "cn=tieju-leaders,{GROUPS}": "局领导", '
        f'"CN=tieju-admins,{GROUPS}": "管理员"}}'
    ),
    "LDAP_DEPARTMENT_GROUPS": (
        f'{{"cn=water-dept,{GROUPS}": "水生态环境处", "cn=air-dept,{GROUPS}": "大气环境处", '
        f'"cn=ghost-dept,{GROUPS}": "不存在的处"}}'
    ),
}


@pytest.fixture
def ldap_on(slapd, monkeypatch, settings, reference):
    """tieju configured for the test directory exactly as the environment would configure it."""
    from tieju.directory import ldap_settings

    monkeypatch.setenv("LDAP_SERVER_URI", slapd.uri)
    for name, value in ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    for name, value in ldap_settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        "axes.backends.AxesStandaloneBackend",
        "directory.backends.DirectoryBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]
    return slapd

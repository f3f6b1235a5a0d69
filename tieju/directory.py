"""LDAP sign-in settings (django-auth-ldap), read from the environment when LDAP_SERVER_URI is set.

django-auth-ldap and python-ldap are the optional `[ldap]` extra: without LDAP_SERVER_URI neither is
imported, so the base install runs without them; with it, a missing library stops start-up with a
message saying what to install.
"""

import json

from django.core.exceptions import ImproperlyConfigured

from teams import roles
from tieju.env import env_bool, env_int, env_str

GROUP_TYPES = {
    "groupOfNames": ("GroupOfNamesType", "(objectClass=groupOfNames)"),
    "groupOfUniqueNames": ("GroupOfUniqueNamesType", "(objectClass=groupOfUniqueNames)"),
    "posixGroup": ("PosixGroupType", "(objectClass=posixGroup)"),
    "activeDirectory": ("ActiveDirectoryGroupType", "(objectClass=group)"),
}


def env_mapping(name):
    """A JSON object of strings to strings, e.g. {"cn=tieju-staff,ou=groups,dc=sz,dc=gov,dc=cn": "部门工作人员"}."""
    raw = env_str(name)
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not valid JSON: {error}") from None
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ImproperlyConfigured(f'{name} must be a JSON object of group DN → name, e.g. {{"cn=…,dc=…": "…"}}.')
    return value


def ldap_settings():
    """The AUTH_LDAP_* and TIEJU_LDAP_* settings, or {} when LDAP_SERVER_URI is unset."""
    uri = env_str("LDAP_SERVER_URI")
    if not uri:
        return {}
    try:
        import ldap
        from django_auth_ldap import config
    except ImportError:
        raise ImproperlyConfigured(
            "LDAP_SERVER_URI is set but django-auth-ldap/python-ldap are not installed: "
            "apt-get install libldap2-dev libsasl2-dev, then pip install '.[ldap]'."
        ) from None

    result = {
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_START_TLS": env_bool("LDAP_START_TLS", default=False),
        "AUTH_LDAP_BIND_DN": env_str("LDAP_BIND_DN", ""),
        "AUTH_LDAP_BIND_PASSWORD": env_str("LDAP_BIND_PASSWORD", ""),
        "AUTH_LDAP_CONNECTION_OPTIONS": {
            ldap.OPT_NETWORK_TIMEOUT: env_int("LDAP_TIMEOUT_SECONDS", 5, minimum=1),
            ldap.OPT_TIMEOUT: env_int("LDAP_TIMEOUT_SECONDS", 5, minimum=1),
            ldap.OPT_REFERRALS: 0,
        },
        "AUTH_LDAP_USER_ATTR_MAP": {
            "display_name": env_str("LDAP_ATTR_DISPLAY_NAME", "cn"),
            "email": env_str("LDAP_ATTR_EMAIL", "mail"),
        },
        # Directory accounts keep no password in tieju: every sign-in is checked against the directory.
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
    }
    template = env_str("LDAP_USER_DN_TEMPLATE")
    search_base = env_str("LDAP_USER_SEARCH_BASE")
    if template:
        result["AUTH_LDAP_USER_DN_TEMPLATE"] = template
    elif search_base:
        result["AUTH_LDAP_USER_SEARCH"] = config.LDAPSearch(
            search_base, ldap.SCOPE_SUBTREE, env_str("LDAP_USER_FILTER", "(uid=%(user)s)")
        )
    else:
        raise ImproperlyConfigured("LDAP_SERVER_URI is set: set LDAP_USER_SEARCH_BASE or LDAP_USER_DN_TEMPLATE too.")

    group_base = env_str("LDAP_GROUP_SEARCH_BASE")
    kind = env_str("LDAP_GROUP_TYPE", "groupOfNames")
    if kind not in GROUP_TYPES:
        raise ImproperlyConfigured(f"LDAP_GROUP_TYPE={kind!r} is not one of {', '.join(GROUP_TYPES)}.")
    role_groups = env_mapping("LDAP_ROLE_GROUPS")
    department_groups = env_mapping("LDAP_DEPARTMENT_GROUPS")
    unknown = sorted(set(role_groups.values()) - set(roles.ROLE_PERMISSIONS))
    if unknown:
        raise ImproperlyConfigured(
            f"LDAP_ROLE_GROUPS names unknown roles {unknown}; the roles are {', '.join(roles.ROLE_PERMISSIONS)}."
        )
    if (role_groups or department_groups or env_str("LDAP_REQUIRE_GROUP")) and not group_base:
        raise ImproperlyConfigured(
            "LDAP_ROLE_GROUPS, LDAP_DEPARTMENT_GROUPS and LDAP_REQUIRE_GROUP need LDAP_GROUP_SEARCH_BASE."
        )
    if group_base:
        class_name, object_filter = GROUP_TYPES[kind]
        result["AUTH_LDAP_GROUP_SEARCH"] = config.LDAPSearch(group_base, ldap.SCOPE_SUBTREE, object_filter)
        result["AUTH_LDAP_GROUP_TYPE"] = getattr(config, class_name)()
    if env_str("LDAP_REQUIRE_GROUP"):
        result["AUTH_LDAP_REQUIRE_GROUP"] = env_str("LDAP_REQUIRE_GROUP")
    result["TIEJU_LDAP_ROLE_GROUPS"] = role_groups
    result["TIEJU_LDAP_DEPARTMENT_GROUPS"] = department_groups
    return result

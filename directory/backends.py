"""Sign-in with a directory account (django-auth-ldap); only imported when LDAP_SERVER_URI is set."""

from django.contrib.auth import get_user_model
from django_auth_ldap.backend import LDAPBackend

from audit import trail
from audit.models import Action
from directory.sync import directory_sync


class DirectoryBackend(LDAPBackend):
    """django-auth-ldap's backend, creating the account on first sign-in (its default) and then
    mapping directory groups to tieju's roles and departments on every sign-in.

    A tieju account with a password of its own (the superuser, accounts made in the admin, the demo's) stays
    local: the directory is not asked for it, so a directory entry that happens to share its username can
    neither sign in as it nor rewrite its roles. Accounts the directory created have no usable password.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        username = kwargs.get(get_user_model().USERNAME_FIELD, username)
        if username and _is_local(username):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_or_build_user(self, username, ldap_user):
        user, built = super().get_or_build_user(username, ldap_user)
        ldap_user.tieju_built = built  # saved by django-auth-ldap after this returns; recorded below
        return user, built

    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is not None:
            if getattr(ldap_user, "tieju_built", False):
                trail.record("LDAP", Action.ACCOUNT_CREATE, user, {"source": "ldap", "dn": ldap_user.dn})
            directory_sync(user=user, group_dns=ldap_user.group_dns)
        return user


def _is_local(username):
    user = get_user_model().objects.filter(username__iexact=username.strip()).first()
    return user is not None and user.has_usable_password()

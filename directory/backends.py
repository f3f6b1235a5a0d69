"""Sign-in with a directory account (django-auth-ldap); only imported when LDAP_SERVER_URI is set."""

from django_auth_ldap.backend import LDAPBackend

from directory.sync import directory_sync


class DirectoryBackend(LDAPBackend):
    """django-auth-ldap's backend, creating the account on first sign-in (its default) and then
    mapping directory groups to tieju's roles and departments on every sign-in."""

    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is not None:
            directory_sync(user=user, group_dns=ldap_user.group_dns)
        return user

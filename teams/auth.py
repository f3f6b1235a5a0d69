"""Authentication backend: Django's ModelBackend, with a user's roles and permissions read in one query.

Every page asks for permissions (the navigation, the views' checks) and for role names (who lands
where); ModelBackend spends two queries on permissions and User.role_names a third.
"""

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission
from django.db.models import CharField, Value


def roles_and_permissions(user):
    """({group names}, {"app_label.codename"}) of an active user, read once per user object."""
    cached = getattr(user, "_roles_and_permissions", None)
    if cached is None:
        groups = user.groups.order_by().values_list(
            "name", "permissions__content_type__app_label", "permissions__codename"
        )
        direct = user.user_permissions.order_by().values_list(
            Value(None, output_field=CharField()), "content_type__app_label", "codename"
        )
        roles, permissions = set(), set()
        for group, app_label, codename in groups.union(direct, all=True):
            if group is not None:
                roles.add(group)
            if codename is not None:
                permissions.add(f"{app_label}.{codename}")
        if user.is_superuser:
            permissions = {
                f"{app_label}.{codename}"
                for app_label, codename in Permission.objects.values_list("content_type__app_label", "codename")
            }
        cached = user._roles_and_permissions = (roles, permissions)
    return cached


class RoleBackend(ModelBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        return roles_and_permissions(user_obj)[1]

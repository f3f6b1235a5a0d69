from django.contrib.auth.backends import ModelBackend

from teams.models import User
from tieju import freshness


class RoleBackend(ModelBackend):
    """ModelBackend that takes an active user's permissions from User.permission_names, read with the
    user's roles in one query, where ModelBackend would read own and role permissions in two more.

    The user a session names is reused, roles and permissions included, while the data's version
    stands (tieju.freshness): a change to the account, its roles or departments is a new version."""

    def get_user(self, user_id):
        version = freshness.data_version(User)
        if version is None:
            return super().get_user(user_id)
        cache_key = freshness.key("user", version, user_id)

        def read():
            user = super(RoleBackend, self).get_user(user_id)
            if user is not None:
                user.permission_names  # read now, so the copy in the cache has them
            return user or False

        return freshness.reuse(cache_key, read) or None

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or user_obj.is_superuser or obj is not None:
            return super().get_all_permissions(user_obj, obj)
        return user_obj.permission_names

from django.contrib.auth.backends import ModelBackend


class RoleBackend(ModelBackend):
    """ModelBackend that takes an active user's permissions from User.permission_names, read with the
    user's roles in one query, where ModelBackend would read own and role permissions in two more."""

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous or user_obj.is_superuser or obj is not None:
            return super().get_all_permissions(user_obj, obj)
        return user_obj.permission_names

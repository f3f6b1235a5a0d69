from django.contrib.auth.models import Group, Permission

from teams import roles
from teams.models import User


def _fresh(user):
    """The user as the next request loads it, without the roles and permissions read earlier."""
    return User.objects.get(pk=user.pk)


def test_it_grants_what_the_roles_and_the_users_own_permissions_grant(water_staff):
    water_staff.groups.add(Group.objects.get(name=roles.LEADER))
    water_staff.user_permissions.add(Permission.objects.get(codename="publish_bulletin"))
    user = _fresh(water_staff)
    assert user.role_names == {roles.STAFF, roles.LEADER}
    assert user.has_perm("tasks.report_progress") and user.has_perm("tasks.add_instruction")
    assert user.has_perm("metrics.publish_bulletin")
    assert not user.has_perm("tasks.import_breakdown")
    assert user.get_all_permissions() == {
        f"{app}.{codename}"
        for app, codename in (
            *roles.ROLE_PERMISSIONS[roles.STAFF],
            *roles.ROLE_PERMISSIONS[roles.LEADER],
            ("metrics", "publish_bulletin"),
        )
    }


def test_it_keeps_a_role_without_permissions_and_an_account_without_a_role(water_staff, outsider):
    Group.objects.create(name="观察员")
    water_staff.groups.add(Group.objects.get(name="观察员"))
    assert _fresh(water_staff).role_names == {roles.STAFF, "观察员"}
    user = _fresh(outsider)
    assert user.role_names == set() and not user.has_perm("metrics.view_bulletin")


def test_it_grants_nothing_to_an_inactive_user_and_everything_to_a_superuser(water_staff, superuser):
    User.objects.filter(pk=water_staff.pk).update(is_active=False)
    assert not _fresh(water_staff).has_perm("metrics.view_bulletin")
    assert _fresh(superuser).get_all_permissions() == {
        f"{app}.{codename}" for app, codename in Permission.objects.values_list("content_type__app_label", "codename")
    }

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from audit.models import Action
from audit.trail import record
from teams import roles
from teams.models import ActionTeam, Collective, Department, DepartmentAlias, Official, TeamMembership, User


class DepartmentAliasInline(admin.TabularInline):
    model = DepartmentAlias
    extra = 1


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "short_name", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    list_editable = ["sort_order"]
    search_fields = ["name", "short_name", "aliases__name"]
    inlines = [DepartmentAliasInline]


@admin.register(Collective)
class CollectiveAdmin(admin.ModelAdmin):
    list_display = ["name", "rule", "department_kind", "member_names"]

    @admin.display(description=_("包含部门"))
    def member_names(self, obj):
        return "、".join(d.name for d in obj.departments())


@admin.register(Official)
class OfficialAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "title", "user", "sort_order", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "title", "user__username", "user__display_name"]
    autocomplete_fields = ["user"]


def _can_manage_accounts(user):
    """System administrator's job: create, edit, deactivate accounts and set their departments."""
    return user.has_perm("teams.change_user")


def _can_assign_roles(user):
    """Security administrator's job: grant and remove roles and permissions."""
    return user.has_perm("teams.assign_roles")


ACCOUNT_FIELDS = {"username", "first_name", "last_name", "email", "display_name", "departments", "is_active"}
ROLE_FIELDS = {"groups", "user_permissions", "is_staff"}


def _separation_error(groups):
    held = sorted(g.name for g in groups if g.name in roles.SEPARATED)
    if len(held) > 1:
        return ValidationError(
            _("系统管理员、安全管理员、审计管理员须由不同的人担任（三员分立），一个账号只能担任其中之一：%(held)s。"),
            params={"held": "、".join(held)},
        )
    return None


class SeparatedRolesMixin:
    def clean(self):
        cleaned = super().clean()
        if "groups" in self.fields and cleaned.get("groups") is not None:
            error = _separation_error(cleaned["groups"])
            if error:
                self.add_error("groups", error)
        return cleaned


class TiejuUserChangeForm(SeparatedRolesMixin, UserChangeForm):
    pass


class TiejuUserCreationForm(SeparatedRolesMixin, AdminUserCreationForm):
    pass


def _role_snapshot(user):
    if user.pk is None:
        return {"groups": set(), "permissions": set(), "departments": set()}
    return {
        "groups": set(user.groups.values_list("name", flat=True)),
        "permissions": {
            f"{a}.{c}" for a, c in user.user_permissions.values_list("content_type__app_label", "codename")
        },
        "departments": set(user.departments.values_list("name", flat=True)),
    }


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Accounts, with the 三员 kept apart: the system administrator edits accounts but not their roles;
    the security administrator edits roles and permissions but nothing else; nobody changes their own
    roles, grants superuser status, or deletes an account (deactivate it instead); every change is
    recorded in the audit trail."""

    form = TiejuUserChangeForm
    add_form = TiejuUserCreationForm
    list_display = ["username", "display_name", "department_names", "role_list", "is_active", "last_login"]
    list_filter = ["groups", "departments", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "email"]
    filter_horizontal = ["groups", "user_permissions", "departments"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("铁军任务通"), {"fields": ["display_name", "departments"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((None, {"fields": ["display_name", "departments"]}),)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("departments", "groups")

    @admin.display(description=_("所在部门"))
    def department_names(self, obj):
        return "、".join(d.name for d in obj.departments.all())

    @admin.display(description=_("角色"))
    def role_list(self, obj):
        return "、".join(g.name for g in obj.groups.all())

    def has_change_permission(self, request, obj=None):
        return _can_manage_accounts(request.user) or _can_assign_roles(request.user)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        readonly = {"last_login", "date_joined", "is_superuser"}
        if obj is None:
            return sorted(readonly)
        if not _can_manage_accounts(request.user):
            readonly |= ACCOUNT_FIELDS
        if not _can_assign_roles(request.user) or obj.pk == request.user.pk:
            readonly |= ROLE_FIELDS
        if obj.pk == request.user.pk:
            readonly.add("is_active")
        return sorted(readonly)

    def user_change_password(self, request, id, form_url=""):
        if not _can_manage_accounts(request.user):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change):
        before = (
            User.objects.filter(pk=obj.pk).values(*ACCOUNT_FIELDS - {"departments"}, "is_staff").first()
            if change
            else None
        )
        super().save_model(request, obj, form, change)
        request._audit_user_before = before

    def save_related(self, request, form, formsets, change):
        obj = form.instance
        roles_before = _role_snapshot(obj) if change else _role_snapshot(User())
        super().save_related(request, form, formsets, change)
        roles_after = _role_snapshot(obj)
        before = getattr(request, "_audit_user_before", None)
        if not change:
            record(
                request.user,
                Action.ACCOUNT_CREATE,
                obj,
                {"departments": sorted(roles_after["departments"]), "groups": sorted(roles_after["groups"])},
            )
            return
        if before["is_active"] != obj.is_active:
            action = Action.ACCOUNT_ACTIVATE if obj.is_active else Action.ACCOUNT_DEACTIVATE
            record(request.user, action, obj)
        changed = {
            f: [before[f], getattr(obj, f)]
            for f in sorted(ACCOUNT_FIELDS - {"departments", "is_active"})
            if before[f] != getattr(obj, f)
        }
        if roles_before["departments"] != roles_after["departments"]:
            changed["departments"] = [sorted(roles_before["departments"]), sorted(roles_after["departments"])]
        if changed:
            record(request.user, Action.ACCOUNT_CHANGE, obj, changed)
        role_change = {}
        for key in ("groups", "permissions"):
            added, removed = roles_after[key] - roles_before[key], roles_before[key] - roles_after[key]
            if added or removed:
                role_change[key] = {"added": sorted(added), "removed": sorted(removed)}
        if before["is_staff"] != obj.is_staff:
            role_change["is_staff"] = [before["is_staff"], obj.is_staff]
        if role_change:
            record(request.user, Action.ROLES_CHANGE, obj, role_change)


admin.site.unregister(Group)


@admin.register(Group)
class RoleGroupAdmin(GroupAdmin):
    """Role groups; setup_roles defines them, and creating one, renaming one or changing its permissions
    is audited."""

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        old_name = Group.objects.filter(pk=obj.pk).values_list("name", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        if change and old_name != obj.name:
            record(request.user, Action.ROLE_GROUP_RENAME, obj, {"name": [old_name, obj.name]})

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.permissions.values_list("codename", flat=True)) if change else set()
        super().save_related(request, form, formsets, change)
        after = set(form.instance.permissions.values_list("codename", flat=True))
        if not change:
            record(request.user, Action.ROLE_GROUP_CREATE, form.instance, {"permissions": sorted(after)})
        elif before != after:
            record(
                request.user,
                Action.ROLES_CHANGE,
                form.instance,
                {"permissions": {"added": sorted(after - before), "removed": sorted(before - after)}},
            )


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(ActionTeam)
class ActionTeamAdmin(admin.ModelAdmin):
    list_display = ["number", "name", "host_department", "is_illustrative", "is_active"]
    list_filter = ["is_illustrative", "is_active"]
    search_fields = ["name", "mission"]
    inlines = [TeamMembershipInline]


@admin.register(TeamMembership)
class TeamMembershipAdmin(admin.ModelAdmin):
    list_display = ["team", "user", "department", "role", "since", "until"]
    list_filter = ["team", "role"]
    search_fields = ["user__username", "user__display_name", "team__name"]
    autocomplete_fields = ["user"]

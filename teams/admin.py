from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

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


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "department_names", "role_list", "is_active", "last_login"]
    list_filter = ["groups", "departments", "is_active", "is_staff"]
    search_fields = ["username", "display_name", "email"]
    filter_horizontal = ["groups", "user_permissions", "departments"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("铁军任务通"), {"fields": ["display_name", "departments"]}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((None, {"fields": ["display_name", "departments", "groups"]}),)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("departments", "groups")

    @admin.display(description=_("所在部门"))
    def department_names(self, obj):
        return "、".join(d.name for d in obj.departments.all())

    @admin.display(description=_("角色"))
    def role_list(self, obj):
        return "、".join(g.name for g in obj.groups.all())


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

"""The roles, as Django groups with permissions.

The bureau's own three (staff, leader, administrator) do the work; beside them the three
administrators 等保2.0 asks to keep apart (三员分立): the system administrator manages accounts,
the security administrator grants roles and permissions, the auditor reads the audit trail.
No role holds another's powers, and nobody may hold two of the three (teams/admin.py).

`ensure_roles()` is idempotent; `manage.py setup_roles` and `load_demo` call it
after migrations so the permissions it assigns already exist.
"""

from dataclasses import dataclass

STAFF = "部门工作人员"
LEADER = "局领导"
ADMINISTRATOR = "管理员"
SYSTEM_ADMIN = "系统管理员"
SECURITY_ADMIN = "安全管理员"
AUDITOR = "审计管理员"
SEPARATED = (SYSTEM_ADMIN, SECURITY_ADMIN, AUDITOR)
SUPERVISION = "督查督办"

# (app_label, codename) per role. Custom codenames are declared in each app's
# models' Meta.permissions; the defaults come from Django.
ROLE_PERMISSIONS = {
    STAFF: [
        ("tasks", "view_requirement"),
        ("tasks", "report_progress"),
        ("tasks", "request_postponement"),
        ("metrics", "view_bulletin"),
        ("metrics", "enter_indicator_values"),
    ],
    LEADER: [
        ("tasks", "view_requirement"),
        ("tasks", "add_instruction"),
        ("tasks", "decide_postponement"),
        ("metrics", "view_bulletin"),
    ],
    # Held together with STAFF by the supervision office's staff (办公室 in the demo).
    SUPERVISION: [
        ("tasks", "view_requirement"),
        ("tasks", "review_completion"),
        ("tasks", "issue_notice"),
        ("metrics", "view_bulletin"),
    ],
    ADMINISTRATOR: [
        ("tasks", "view_requirement"),
        ("tasks", "issue_notice"),
        ("tasks", "decide_postponement"),
        ("tasks", "import_breakdown"),
        ("imports", "view_importrecord"),
        ("tasks", "change_requirement"),
        ("teams", "manage_rosters"),
        ("teams", "change_department"),
        ("teams", "add_department"),
        ("teams", "change_official"),
        ("teams", "add_official"),
        ("teams", "change_actionteam"),
        ("teams", "view_user"),  # to pick a user for an official or a roster; accounts are the system administrator's
        ("metrics", "view_bulletin"),
        ("metrics", "enter_indicator_values"),
        ("metrics", "approve_indicator_month"),
        ("metrics", "enter_any_indicator_values"),  # every applicable cell, and the cells without an owner
        ("metrics", "publish_bulletin"),
        # Indicators' reporting departments and areas, and the validation rules between values (admin site).
        ("metrics", "view_indicator"),
        ("metrics", "change_indicator"),
        ("metrics", "view_indicatorarea"),
        ("metrics", "add_indicatorarea"),
        ("metrics", "change_indicatorarea"),
        ("metrics", "delete_indicatorarea"),
        ("metrics", "view_validationrule"),
        ("metrics", "add_validationrule"),
        ("metrics", "change_validationrule"),
        ("metrics", "delete_validationrule"),
        ("metrics", "view_scorerule"),
        ("metrics", "change_scorerule"),
        ("notify", "view_channel"),
        ("notify", "add_channel"),
        ("notify", "change_channel"),
        ("notify", "view_delivery"),
        ("notify", "change_delivery"),
    ],
    SYSTEM_ADMIN: [
        ("teams", "view_user"),
        ("teams", "add_user"),
        ("teams", "change_user"),
    ],
    SECURITY_ADMIN: [
        ("teams", "view_user"),
        ("teams", "assign_roles"),
        ("auth", "view_group"),
        ("api", "view_apitoken"),
        ("api", "change_apitoken"),  # the 撤销 action: API tokens are credentials
    ],
    AUDITOR: [
        ("audit", "view_auditevent"),
    ],
}


def ensure_roles(*, dry_run=False):
    """Create or update the role groups; returns {group name: RoleChange} (what changed, or would).

    With dry_run nothing is written, not even the permissions Django creates after a migration.
    """
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission

    if not dry_run:
        for config in apps.get_app_configs():
            create_permissions(config, verbosity=0)
    changes = {}
    for name, perms in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        held = set()
        if group is not None:
            held = {f"{a}.{c}" for a, c in group.permissions.values_list("content_type__app_label", "codename")}
        wanted = {f"{a}.{c}" for a, c in perms}
        change = RoleChange(created=group is None, added=sorted(wanted - held), removed=sorted(held - wanted))
        changes[name] = change
        if dry_run or not change:
            continue
        group = group or Group.objects.create(name=name)
        group.permissions.set([Permission.objects.get(content_type__app_label=a, codename=c) for a, c in perms])
    return changes


@dataclass
class RoleChange:
    created: bool
    added: list
    removed: list

    def __bool__(self):
        return self.created or bool(self.added or self.removed)

from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from audit import trail
from audit.models import Action
from teams.roles import ensure_roles


class Command(BaseCommand):
    help = (
        "Create or update the role groups (部门工作人员, 局领导, 管理员, 督查督办; 系统管理员, 安全管理员, 审计管理员) "
        "and their permissions. Run after migrate. Every group created or changed is recorded in the audit trail."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")

    def handle(self, *args, dry_run=False, **options):
        with transaction.atomic():
            changes = ensure_roles(dry_run=dry_run)
            for name, change in changes.items():
                if change and not dry_run:
                    trail.record(
                        "manage.py",
                        Action.ROLES_CHANGE,
                        Group.objects.get(name=name),
                        {
                            "command": "setup_roles",
                            "created": change.created,
                            "permissions": {"added": change.added, "removed": change.removed},
                        },
                    )
        verb = "would " if dry_run else ""
        changed = 0
        for name, change in changes.items():
            if not change:
                self.stdout.write(f"{name}: unchanged")
                continue
            changed += 1
            parts = [f"{verb}create"] if change.created else []
            if change.added:
                parts.append(f"{verb}add {', '.join(change.added)}")
            if change.removed:
                parts.append(f"{verb}remove {', '.join(change.removed)}")
            self.stdout.write(f"{name}: {'; '.join(parts)}")
        summary = f"{changed} of {len(changes)} role groups {'would change' if dry_run else 'changed'}."
        self.stdout.write(self.style.SUCCESS(("Dry run: " if dry_run else "") + summary))

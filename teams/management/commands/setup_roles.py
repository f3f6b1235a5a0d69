from django.core.management.base import BaseCommand

from teams.roles import ensure_roles


class Command(BaseCommand):
    help = (
        "Create or update the role groups (部门工作人员, 局领导, 管理员; 系统管理员, 安全管理员, 审计管理员) "
        "and their permissions. Run after migrate."
    )

    def handle(self, *args, **options):
        for name, count in ensure_roles().items():
            self.stdout.write(self.style.SUCCESS(f"{name}: {count} permissions"))

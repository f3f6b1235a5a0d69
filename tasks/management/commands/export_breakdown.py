from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from tasks.importing.export import export_breakdown
from tasks.models import Breakdown, Requirement


class Command(BaseCommand):
    help = "Write the current task-breakdown table to an .xlsx file in the office's layout."

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .xlsx file to write")
        parser.add_argument("--with-status", action="store_true", help="add the current status and progress columns")

    def handle(self, *args, path, with_status, **options):
        breakdown = Breakdown.current()
        if breakdown is None:
            raise CommandError(_("没有当前执行的任务分解表，无可导出。"))
        try:
            Path(path).write_bytes(export_breakdown(breakdown, with_status=with_status))
        except OSError as exc:
            raise CommandError(_("无法写入 %(path)s：%(error)s") % {"path": path, "error": exc}) from None
        count = Requirement.objects.active().filter(breakdown=breakdown).count()
        self.stdout.write(
            self.style.SUCCESS(_("已导出 %(count)d 项具体要求到 %(path)s") % {"count": count, "path": path})
        )

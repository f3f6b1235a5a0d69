import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tasks.importing.runs import EXIT_UNREADABLE, breakdown_import


class Command(BaseCommand):
    help = (
        "Import the task-breakdown spreadsheet (.xlsx or CSV) all-or-nothing. Exit code 0 when applied "
        "(or a clean dry run), 1 when the file has errors or unconfirmed new names (nothing written), "
        "2 when the file cannot be read."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the .xlsx or .csv file")
        parser.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
        parser.add_argument("--json", action="store_true", help="print one JSON object instead of text")
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="create departments and officials the table names but tieju lacks",
        )

    def handle(self, *args, path, dry_run, json, create_missing, **options):
        file = Path(path)
        try:
            data = file.read_bytes()
        except OSError as exc:
            self._finish(
                json,
                {
                    "created": 0,
                    "updated": 0,
                    "unchanged": 0,
                    "retired": 0,
                    "new_departments": [],
                    "new_officials": [],
                    "errors": [{"row": 0, "column": "", "message": str(exc)}],
                },
                EXIT_UNREADABLE,
            )
        outcome = breakdown_import(data=data, filename=file.name, dry_run=dry_run, create_missing=create_missing)
        self._finish(json, outcome.as_json(), outcome.exit_code, outcome=outcome, dry_run=dry_run)

    def _finish(self, as_json, result, code, *, outcome=None, dry_run=False):
        if as_json:
            self.stdout.write(json_dumps(result))
        else:
            for error in result["errors"]:
                where = _("第%(row)d行「%(column)s」：") % error if error["row"] else ""
                self.stderr.write(f"{where}{error['message']}")
            if result["new_departments"] or result["new_officials"]:
                self.stdout.write(_("新部门：") + ("、".join(result["new_departments"]) or _("无")))
                self.stdout.write(_("新主管领导：") + ("、".join(result["new_officials"]) or _("无")))
            summary = _("新增 %(created)d，更新 %(updated)d，未变 %(unchanged)d，停用 %(retired)d") % result
            if code == 0:
                prefix = _("试运行（未写入）：") if dry_run else _("已导入：")
                self.stdout.write(self.style.SUCCESS(prefix + summary))
            elif outcome is not None and outcome.plan is not None:
                self.stdout.write(self.style.WARNING(_("未写入任何内容。预览：") + summary))
        if code:
            sys.exit(code)


def json_dumps(result):
    return json.dumps(result, ensure_ascii=False)

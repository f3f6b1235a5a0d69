import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports.errors import UnreadableFile
from imports.records import import_record_create
from metrics.importing.apply import KIND, indicators_import, plan_import
from teams.models import User


class Command(BaseCommand):
    help = (
        "Import monthly indicator values in the long format (期间, 区域, 指标代码, 数值, 分子, 分母), and the "
        "definitions sheet (指标说明) when present, all or nothing. Exit 0 when applied or a clean dry run, "
        "1 when the file has errors (nothing written), 2 when it cannot be read. Runs as an administrator unless "
        "--user names the importer, whose department must own every value in the file."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="show what would change, write nothing")
        parser.add_argument("--json", action="store_true", help="print one JSON object")
        parser.add_argument(
            "--user",
            metavar="NAME",
            help="import as this account (its department's indicators only); default: as an administrator",
        )

    def handle(self, *args, path, dry_run, json: bool, user=None, **options):
        as_json = json
        importer = None
        if user:
            importer = User.objects.filter(username=user, is_active=True).first()
            if importer is None:
                raise CommandError(f"no active user named {user!r}")
        try:
            data = Path(path).read_bytes()
            plan = plan_import(data, Path(path).name, user=importer)
        except (OSError, UnreadableFile) as exc:
            self._report(
                {
                    "created": 0,
                    "updated": 0,
                    "unchanged": 0,
                    "retired": 0,
                    "errors": [{"row": 0, "column": "", "message": str(exc)}],
                },
                as_json,
            )
            raise SystemExit(2) from exc
        if plan.errors:
            self._report(plan.counts(), as_json)
            raise SystemExit(1)
        if dry_run:
            counts = plan.counts()
        else:
            record = import_record_create(kind=KIND, data=data, filename=Path(path).name, user=importer)
            counts = indicators_import(plan, record=record, user=importer)
        counts["dry_run"] = dry_run
        self._report(counts, as_json)

    def _report(self, counts, as_json):
        if as_json:
            self.stdout.write(json.dumps(counts, ensure_ascii=False))
            return
        for error in counts["errors"]:
            self.stderr.write(f"第{error['row']}行「{error['column']}」：{error['message']}")
        for warning in counts.get("warnings", []):
            self.stdout.write(self.style.WARNING(f"第{warning['row']}行「{warning['column']}」：{warning['message']}"))
        summary = (
            f"created {counts['created']}, updated {counts['updated']}, unchanged {counts['unchanged']}, "
            f"retired {counts['retired']}, errors {len(counts['errors'])}"
        )
        if counts.get("dry_run"):
            summary = "Dry run (nothing written): " + summary
        self.stdout.write(self.style.SUCCESS(summary) if not counts["errors"] else self.style.ERROR(summary))

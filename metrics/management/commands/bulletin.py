import json
import re

from django.core.management.base import BaseCommand, CommandError

from metrics.bulletin import build_bulletin
from metrics.models import Bulletin
from metrics.views.common import month_or_404


class Command(BaseCommand):
    help = (
        "Print the bulletin for a month: its narrative (text) or all its figures (json), from the same code as "
        "the page. A published month prints its latest published version unless --draft is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("month", help="YYYY-MM")
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--draft", action="store_true", help="the live draft even when the month is published")

    def handle(self, *args, month, format, draft, **options):
        match = re.fullmatch(r"(\d{4})-(\d{2})", month)
        if not match or not (1 <= int(match.group(2)) <= 12):
            raise CommandError("month must be YYYY-MM, e.g. 2026-06")
        first = month_or_404(*match.groups())
        published = None if draft else Bulletin.objects.for_month(first).first()
        data = published.data if published else build_bulletin(first.year, first.month)
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(data["title"])
        self.stdout.write(data["period"])
        self.stdout.write("")
        for paragraph in data["narrative"]:
            self.stdout.write(paragraph)

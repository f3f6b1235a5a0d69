import json
import re
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from metrics import document
from metrics.bulletin import build_bulletin, has_any_data
from metrics.models import Bulletin
from metrics.present import present
from metrics.views.common import month_or_404
from metrics.workflow import PublishRefused, bulletin_publish
from teams.models import User


class Command(BaseCommand):
    help = (
        "Print the bulletin for a month: its narrative (text), all its figures (json), or the official document "
        "(docx, pdf; --output PATH), from the same code as the page. A published month prints its latest "
        "published version unless --draft is given. --publish publishes the month under the page's rules "
        "(ended month; approved data, or --reason for publishing unapproved data); --user names the publisher."
    )

    def add_arguments(self, parser):
        parser.add_argument("month", help="YYYY-MM")
        parser.add_argument("--format", choices=["text", "json", "docx", "pdf"], default="text")
        parser.add_argument("--output", help="file to write (required for docx and pdf)")
        parser.add_argument("--draft", action="store_true", help="the live draft even when the month is published")
        parser.add_argument("--publish", action="store_true", help="publish the month's bulletin (next version)")
        parser.add_argument("--reason", default="", help="why data not yet approved is published (printed on it)")
        parser.add_argument("--user", help="username recorded as the publisher (else: the command)")

    def handle(self, *args, month, format, output, draft, publish, reason, user, **options):
        match = re.fullmatch(r"(\d{4})-(\d{2})", month)
        if not match or not (1 <= int(match.group(2)) <= 12) or not (2000 <= int(match.group(1)) <= 2100):
            raise CommandError("month must be YYYY-MM, e.g. 2026-06")
        first = month_or_404(*match.groups())
        if format in ("docx", "pdf") and not output:
            raise CommandError(f"--format {format} needs --output PATH")
        if publish:
            self._publish(first, reason, user)
            if format == "text" and not output:
                return
        published = None if draft else Bulletin.objects.for_month(first).first()
        facts = published.data if published else build_bulletin(first.year, first.month)
        if published is None and not has_any_data(facts) and format in ("docx", "pdf"):
            raise CommandError(f"{month}: nothing in its year to date to put in a document")
        data = present(facts)
        if format == "json":
            self._write(output, json.dumps(data, ensure_ascii=False, indent=2))
        elif format == "text":
            self._write(output, "\n".join([data["title"], data["period"], "", *data["narrative"]]))
        else:
            try:
                content = document.bulletin_docx(data) if format == "docx" else document.bulletin_pdf(data)
            except document.ConversionFailed as error:
                raise CommandError(str(error)) from error
            Path(output).write_bytes(content)
            self.stdout.write(
                f"{output}: {len(content)} bytes ({format}, {f'version {published.version}' if published else 'draft'})"
            )

    def _write(self, output, text):
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
        else:
            self.stdout.write(text)

    def _publish(self, first, reason, username):
        publisher = None
        if username:
            publisher = User.objects.filter(username=username, is_active=True).first()
            if publisher is None:
                raise CommandError(f"no active user {username!r}")
            if not publisher.has_perm("metrics.publish_bulletin"):
                raise CommandError(f"{username!r} may not publish bulletins")
        facts = build_bulletin(first.year, first.month)
        try:
            published = bulletin_publish(month=first, user=publisher, data=facts, reason=reason, via="command")
        except PublishRefused as refused:
            raise CommandError("not published: " + " ".join(refused.messages)) from refused
        sys.stderr.write(
            f"published {first:%Y-%m}: issue {published.issue_number}, version {published.version}"
            f" by {publisher or 'the command'}\n"
        )

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from notify.delivery import deliveries_retry
from notify.models import Delivery
from tasks.management.commands.send_reminders import _day
from tasks.supervision import delivery
from tasks.supervision.notices import notice_json, notices_issue


class Command(BaseCommand):
    help = (
        "Issue the day's three-colour 督办单 by the rules in the README (蓝单 due soon, 黄单 behind schedule "
        "or returned for rework, 红单 overdue or report past grace), one per colour per episode, and send "
        "each to its department. Meant for a daily cron job; rerunning the same day issues nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument("--on", type=_day, help="judge as of this date (YYYY-MM-DD); default today")
        parser.add_argument("--dry-run", action="store_true", help="list what would be issued, write and send nothing")
        parser.add_argument("--json", action="store_true", help="print a JSON array, one object per notice")

    def handle(self, *args, on=None, dry_run=False, json=False, **options):
        on = on or timezone.localdate()
        retried = []
        if not dry_run:
            # Earlier notices whose mail or robot post failed go out again first, once their back-off has passed.
            retried = deliveries_retry()
            delivery.notices_mark_sent()
        issued = notices_issue(on=on, dry_run=dry_run)
        sent = 0
        if not dry_run:
            for notice in issued:
                sent += bool(delivery.notice_send(notice))
        if json:
            self.stdout.write(_dumps([notice_json(n) for n in issued]))
            return
        for notice in issued:
            self.stdout.write(
                f"{notice.number} {notice.colour} {notice.requirement.number} {notice.addressee} "
                f"→ {notice.response_due.isoformat()}"
            )
        counts = {colour: sum(n.colour == colour for n in issued) for colour in ("red", "yellow", "blue")}
        verb = "Would issue" if dry_run else "Issued"
        tail = "" if dry_run else f"; {sent} sent by e-mail"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {len(issued)} notices as of {on.isoformat()} "
                f"({counts['red']} red, {counts['yellow']} yellow, {counts['blue']} blue){tail}."
            )
        )
        if retried:
            again = sum(d.state == Delivery.State.SENT for d in retried)
            self.stdout.write(
                f"Retried {len(retried)} earlier deliveries: {again} sent, {len(retried) - again} failed."
            )
        failed = [d for d in retried if d.state != Delivery.State.SENT]
        if not dry_run:
            failed += list(
                Delivery.objects.filter(
                    event_key__in=[delivery.notice_event_key(n) for n in issued],
                    state__in=[Delivery.State.FAILED, Delivery.State.GAVE_UP],
                )
            )
        for row in failed:
            self.stderr.write(
                self.style.WARNING(
                    f"FAILED {row.event_key} → {row.get_medium_display()} {row.recipient} "
                    f"(attempt {row.attempts}): {row.answer}"
                )
            )


def _dumps(value):
    return json.dumps(value, ensure_ascii=False, indent=2)

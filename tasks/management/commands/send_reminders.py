import argparse
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notify.delivery import deliveries_retry, notify
from notify.models import Delivery
from tasks.models import SupervisionNotice
from tasks.reminders import todo_for
from tasks.supervision.delivery import notices_mark_sent
from teams.models import Department, User


def _day(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expects YYYY-MM-DD, got {value!r}") from None


class Command(BaseCommand):
    help = (
        "Mail each department's staff their overdue and due-soon requirements and missing period reports "
        "(催办), and post each department's list to its robot channels (企业微信, 钉钉). Each message is sent once "
        "per day and recipient; failed deliveries of earlier runs are retried first. Meant for a daily cron job; "
        "--dry-run lists what would be sent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list the reminders, send nothing")
        parser.add_argument("--on", type=_day, help="judge as of this date (YYYY-MM-DD); default today")

    def handle(self, *args, dry_run=False, on=None, **options):
        on = on or timezone.localdate()
        # Only staff may report, so only staff are reminded; leaders read the bulletin.
        may_report = Permission.objects.filter(content_type__app_label="tasks", codename="report_progress")
        staff = (
            User.objects.filter(is_active=True, departments__isnull=False)
            .filter(Q(groups__permissions__in=may_report) | Q(user_permissions__in=may_report))
            .exclude(email="")
            .distinct()
            .prefetch_related("departments")
            .order_by("username")
        )
        started = timezone.now()
        event_key = f"reminders:{on.isoformat()}"
        retried = [] if dry_run else deliveries_retry(now=started)
        if not dry_run:
            notices_mark_sent()  # a 督办单 whose delivery this retry got through counts as sent
        sent = skipped = items = 0
        departments = set()
        todos = {}
        deliveries = []
        with translation.override(settings.LANGUAGE_CODE):
            for user in staff:
                key = tuple(sorted(d.pk for d in user.departments.all()))
                if key not in todos:
                    todos[key] = todo_for(user.departments.all(), on=on, late_signatures_only=True)
                todo = todos[key]
                if not todo:
                    skipped += 1
                    continue
                departments.update(key)
                items += len(todo)
                context = {"user": user, "todo": todo, "today": on, "departments": user.departments.all()}
                subject = render_to_string("tasks/email/reminder_subject.txt", context).strip()
                body = render_to_string("tasks/email/reminder.txt", context)
                if dry_run:
                    self.stdout.write(f"{user.username} <{user.email}>: {subject}")
                else:
                    deliveries += notify(event_key, None, subject, body, emails=[user.email])
                sent += 1
            posted = 0
            for department in Department.objects.filter(channels__is_active=True).distinct():
                todo = todo_for([department], on=on)
                if not todo:
                    continue
                context = {"department": department, "todo": todo, "today": on}
                subject = render_to_string("tasks/email/reminder_department_subject.txt", context).strip()
                body = render_to_string("tasks/email/reminder_department.txt", context)
                if dry_run:
                    for channel in department.channels.filter(is_active=True):
                        self.stdout.write(f"{channel.get_kind_display()} {channel.name}: {subject}")
                        posted += 1
                else:
                    channel_rows = notify(event_key, department, subject, body)
                    deliveries += channel_rows
                    posted += len(channel_rows)
            escalations, escalated = self._escalations(on, dry_run, event_key)
            deliveries += escalated
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {sent} reminders ({items} items) to staff of {len(departments)} departments "
                f"as of {on.isoformat()}; {skipped} staff had nothing due; {posted} robot channel messages."
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {escalations[0]} escalation reminders ({escalations[1]} unanswered red notices) to lead officials."
            )
        )
        if not dry_run:
            self._report(deliveries, retried, started)

    def _report(self, deliveries, retried, started):
        def tally(rows):
            sent_now = [d for d in rows if d.state == Delivery.State.SENT and d.sent_at and d.sent_at >= started]
            earlier = [d for d in rows if d.state == Delivery.State.SENT and d not in sent_now]
            failed = [d for d in rows if d.state in (Delivery.State.FAILED, Delivery.State.GAVE_UP)]
            return sent_now, earlier, failed

        sent_now, earlier, failed = tally(deliveries)
        self.stdout.write(
            f"Deliveries: {len(sent_now)} sent now, {len(earlier)} already sent earlier for this day, "
            f"{len(failed)} failed."
        )
        if retried:
            again, _, still = tally(retried)
            self.stdout.write(f"Retried {len(retried)} earlier deliveries: {len(again)} sent, {len(still)} failed.")
            failed += [d for d in still if d not in failed]
        for delivery in failed:
            when = (
                f"retry after {timezone.localtime(delivery.next_attempt_at):%Y-%m-%d %H:%M}"
                if delivery.state == Delivery.State.FAILED
                else "given up"
            )
            self.stderr.write(
                self.style.WARNING(
                    f"FAILED {delivery.event_key} → {delivery.get_medium_display()} {delivery.recipient} "
                    f"(attempt {delivery.attempts}, {when}): {delivery.answer}"
                )
            )

    def _escalations(self, on, dry_run, event_key):
        """Red 督办单 unanswered past their date go up to the lead official's linked account."""
        notices = SupervisionNotice.objects.escalated(on=on).filter(requirement__retired_at__isnull=True)
        by_user = defaultdict(list)
        for notice in notices.select_related("requirement").prefetch_related("requirement__lead_officials__user"):
            for official in notice.requirement.lead_officials.all():
                if official.user_id and official.user.is_active and official.user.email:
                    by_user[official.user].append(notice)
        count, rows = 0, []
        for user, items in sorted(by_user.items(), key=lambda pair: pair[0].username):
            context = {"user": user, "notices": items, "today": on}
            subject = render_to_string("tasks/email/escalation_subject.txt", context).strip()
            body = render_to_string("tasks/email/escalation.txt", context)
            if dry_run:
                self.stdout.write(f"{user.username} <{user.email}>: {subject}")
            else:  # through the delivery record: once per day and official, retried when it fails
                rows += notify(f"{event_key}:escalation", None, subject, body, emails=[user.email])
            count += 1
        return (count, len({n.pk for items in by_user.values() for n in items})), rows

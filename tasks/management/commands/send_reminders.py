import argparse
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from tasks.models import SupervisionNotice
from tasks.reminders import todo_for
from teams.models import User


def _day(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expects YYYY-MM-DD, got {value!r}") from None


class Command(BaseCommand):
    help = (
        "Mail each department's staff their overdue and due-soon requirements and missing period reports "
        "(催办). Meant for a daily cron job; --dry-run lists what would be sent."
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
        sent = skipped = items = 0
        departments = set()
        todos = {}
        with translation.override(settings.LANGUAGE_CODE):
            for user in staff:
                key = tuple(sorted(d.pk for d in user.departments.all()))
                if key not in todos:
                    todos[key] = todo_for(user.departments.all(), on=on, fresh_signatures=False)
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
                    send_mail(subject, body, None, [user.email])
                sent += 1
            escalations = self._escalations(on, dry_run)
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {sent} reminders ({items} items) to staff of {len(departments)} departments "
                f"as of {on.isoformat()}; {skipped} staff had nothing due."
            )
        )
        self.stdout.write(self.style.SUCCESS(
            f"{verb} {escalations[0]} escalation reminders ({escalations[1]} unanswered red notices) to lead officials."
        ))

    def _escalations(self, on, dry_run):
        """Red 督办单 unanswered past their date go up to the lead official's linked account."""
        notices = SupervisionNotice.objects.escalated(on=on).filter(requirement__retired_at__isnull=True)
        by_user = defaultdict(list)
        for notice in notices.select_related("requirement").prefetch_related("requirement__lead_officials__user"):
            for official in notice.requirement.lead_officials.all():
                if official.user_id and official.user.is_active and official.user.email:
                    by_user[official.user].append(notice)
        count = 0
        for user, items in sorted(by_user.items(), key=lambda pair: pair[0].username):
            context = {"user": user, "notices": items, "today": on}
            subject = render_to_string("tasks/email/escalation_subject.txt", context).strip()
            body = render_to_string("tasks/email/escalation.txt", context)
            if dry_run:
                self.stdout.write(f"{user.username} <{user.email}>: {subject}")
            else:
                send_mail(subject, body, None, [user.email])
            count += 1
        return count, len({n.pk for items in by_user.values() for n in items})

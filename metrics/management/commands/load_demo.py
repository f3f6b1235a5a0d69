from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from imports.reader import read_table
from metrics.demo import metrics_demo_load
from tasks.choices import DeadlineKind, Status
from tasks.importing.apply import UnconfirmedNames, apply_import
from tasks.importing.parse import parse_sheet
from tasks.models import Acknowledgement, Assignment, Breakdown, JournalEntry, Requirement
from tasks.periods import period_containing
from tasks.services import postponement_decide, postponement_request, progress_record
from tasks.supervision import loop
from tasks.supervision.workdays import add_working_days
from teams import roles
from teams.demo import DEMO_ADMIN_SITE_ROLES, DEMO_PASSWORD, DEMO_USERS, demo_rosters_load, demo_teams_data
from teams.models import ActionTeam, Department, Official, User
from teams.reference import reference_load

SAMPLE = settings.BASE_DIR / "fixtures" / "task-breakdown.xlsx"
TITLE = "中共深圳市生态环境局党组关于打造生态环境保护铁军任务分解表"


class Command(BaseCommand):
    help = (
        "Load the demo: reference data, the sample task-breakdown table (4 pillars, 20 tasks, 64 requirements), "
        "the ten action teams, demo users for each role and a mix of statuses. Safe to run again."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            roles.ensure_roles()
            created = reference_load()
            users = self._users()
            breakdown = self._breakdown()
            untouched = (
                not JournalEntry.objects.filter(requirement__breakdown=breakdown)
                .exclude(kind=JournalEntry.Kind.IMPORT)
                .exists()
            )
            if untouched:
                self._statuses(breakdown, users)
            indicator_counts = metrics_demo_load(user=users["admin"])
            rosters = demo_rosters_load(password=DEMO_PASSWORD)
            links = self._team_links(breakdown)
        requirements = Requirement.objects.active().filter(breakdown=breakdown)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: {breakdown.pillars.count()} pillars, "
                f"{breakdown.pillars.values('tasks').count()} tasks, {requirements.count()} requirements; "
                f"created {created['departments']} departments, {created['officials']} officials, "
                f"{created['teams']} teams; {rosters['users']} team staff accounts, "
                f"{rosters['memberships']} team memberships, {links} requirement links to teams."
            )
        )
        self.stdout.write(
            f"Indicators: created {indicator_counts['created']}, unchanged {indicator_counts['unchanged']} monthly values."
        )
        accounts = [
            f"{name} ({'、'.join(([] if role == roles.STAFF else [role]) + departments)})"
            for name, _display, role, departments in DEMO_USERS
        ]
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}): " + ", ".join(accounts))

    def _users(self):
        users = {}
        groups = {g.name: g for g in Group.objects.all()}
        hashed = make_password(DEMO_PASSWORD)
        for username, display_name, role, departments in DEMO_USERS:
            user, new = User.objects.get_or_create(
                username=username,
                defaults={
                    "display_name": display_name,
                    "email": f"{username}@example.gov.cn",
                    "is_staff": role in DEMO_ADMIN_SITE_ROLES,
                },
            )
            if new:
                user.password = hashed
                user.save(update_fields=["password"])
                user.groups.add(groups[role])
                user.departments.set(Department.objects.filter(name__in=departments))
            users[username] = user
        Official.objects.filter(name="刘初汉", user__isnull=True).update(user=users["leader"])
        # 办公室's staff member is also the supervision office (督查督办): reviews completions, issues notices.
        users["office"].groups.add(groups[roles.SUPERVISION])
        return users

    def _team_links(self, breakdown):
        """Link each team without links to the requirements it plainly carries, found by text
        (fixtures/demo-teams.json) so that renumbering the table does not break the demo."""
        count = 0
        requirements = Requirement.objects.active().filter(breakdown=breakdown)
        for number, fragments in demo_teams_data()["links"].items():
            team = ActionTeam.objects.get(number=int(number))
            if team.requirements.exists():
                continue
            for fragment in fragments:
                matches = list(requirements.filter(text__contains=fragment))
                team.requirements.add(*matches)
                count += len(matches)
        return count

    def _breakdown(self):
        sheet = read_table(SAMPLE.read_bytes(), SAMPLE.name)
        records, errors = parse_sheet(sheet)
        if errors:
            raise CommandError("; ".join(str(e) for e in errors))
        try:
            apply_import(records, title=TITLE)
        except UnconfirmedNames as exc:
            raise CommandError(f"Unknown names in the sample: {exc}") from None
        return Breakdown.current()

    def _statuses(self, breakdown, users):
        """A deterministic mix so the dashboard shows every light, with a journal spread over the year
        as real use would leave it (month-end bulletins rebuild progress from these dates)."""
        today = timezone.localdate()
        reporters = {d.pk: u for u in users.values() for d in u.departments.all()}
        requirements = (
            Requirement.objects.active()
            .filter(breakdown=breakdown)
            .prefetch_related("assignments__department")
            .order_by("number")
        )
        self._signatures(breakdown, reporters)
        for requirement in requirements:
            responsible = [
                a.department
                for a in requirement.assignments.all()
                if a.role == Assignment.Role.RESPONSIBLE and a.department_id
            ]
            department = responsible[0] if responsible else None
            author = reporters.get(department.pk) if department else None
            author = author or users["admin"]
            for when, status, progress, note, period in self._history(requirement, breakdown.starts_on, today):
                if status == Status.COMPLETED:
                    self._complete(requirement, author, users, when, department)
                    continue
                # The same write path staff use, so the journal looks like real use; then backdated.
                entry = progress_record(
                    requirement=requirement,
                    user=author,
                    status=status,
                    progress=progress,
                    note=note,
                    period=period,
                    version=requirement.version,
                )
                moment = timezone.make_aware(datetime.combine(when, time(10, requirement.number % 60)))
                JournalEntry.objects.filter(pk=entry.pk).update(created_at=moment, department=department)
                Requirement.objects.filter(pk=requirement.pk).update(updated_at=moment)
        self._postponement(breakdown, users, today)

    @staticmethod
    def _signatures(breakdown, reporters):
        """Every department signed for its items on the first working day after the table took effect (so
        each month's bulletin has a 签收率), except a few assigned now and left for the demo's 我的待办
        (requirements numbered a multiple of 13)."""
        assigned = timezone.make_aware(datetime.combine(breakdown.starts_on, time(9)))
        signed = timezone.make_aware(datetime.combine(add_working_days(breakdown.starts_on, 1), time(10)))
        if signed > timezone.now():  # a table taking effect today: signed as it is loaded
            assigned = signed = timezone.now()
        pending = Acknowledgement.objects.filter(requirement__breakdown=breakdown, signed_at__isnull=True)
        for ack in pending.exclude(requirement__number__in=range(13, 1000, 13)):
            ack.assigned_at, ack.signed_at = assigned, signed
            ack.signed_by = reporters.get(ack.department_id)
            ack.save(update_fields=["assigned_at", "signed_at", "signed_by"])

    @staticmethod
    def _complete(requirement, author, users, when, department):
        """申请办结 by the department on `when` and 办结销号 the same day, through the loop's own writes."""
        requirement.refresh_from_db()
        progress_record(
            requirement=requirement,
            user=author,
            status=Status.IN_PROGRESS,
            progress=100,
            note="已完成，相关材料已归档。",
            version=requirement.version,
        )
        application = loop.completion_apply(
            requirement=requirement, user=author, note="已完成，相关材料已归档。", version=requirement.version
        )
        office = list(loop.supervision_departments())
        own = Requirement.objects.filter(pk=requirement.pk).responsible_for(*office).exists()
        reviewer = users["leader"] if own else users["office"]
        loop.completion_close(
            requirement=requirement, user=reviewer, note="材料齐全，同意销号。", version=requirement.version
        )
        applied = timezone.make_aware(datetime.combine(when, time(10, requirement.number % 60)))
        closed = applied + timedelta(hours=4)  # the same day, so month-end history reads as before
        entries = requirement.journal.filter(created_at__gte=application.requested_at - timedelta(minutes=1))
        entries.exclude(kind=JournalEntry.Kind.COMPLETION_CLOSE).update(created_at=applied, department=department)
        entries.filter(kind=JournalEntry.Kind.COMPLETION_CLOSE).update(created_at=closed)
        application.__class__.objects.filter(pk=application.pk).update(requested_at=applied, decided_at=closed)
        Requirement.objects.filter(pk=requirement.pk).update(
            completed_on=when, closed_on=closed.date(), updated_at=closed
        )

    @staticmethod
    def _history(requirement, starts_on, today):
        """[(date, status, progress, note, period)] for one requirement, oldest first, none after today."""
        n = requirement.number
        if requirement.deadline_kind == DeadlineKind.DATE:
            due = requirement.due_date
            if due >= today and n % 3 == 0:
                return []  # not started yet
            start = max(starts_on, due - timedelta(days=300 + n % 60))
            span = max((due - start).days, 1)
            # A report about every month, progress close to the share of time elapsed (序时进度).
            steps, day = [], start + timedelta(days=n % 10)
            while day < min(due, today):
                share = (day - start).days * 100 // span
                stuck = due < today and n % 5 == 0  # falls behind, ends overdue
                progress = min(70, share) if stuck else max(10, min(95, share - n % 8))
                note = "部分工作滞后，正加快进度。" if stuck and share > 70 else "按计划推进中。"
                steps.append((day, Status.IN_PROGRESS, progress, note, None))
                day += timedelta(days=30)
            if due < today and n % 5 != 0:
                done = due - timedelta(days=n % 9) if n % 11 else due + timedelta(days=6)  # a few finish late
                steps = [s for s in steps if s[0] < done]
                steps.append((done, Status.COMPLETED, 100, "已完成，相关材料已归档。", None))
            return [s for s in steps if s[0] <= today]
        history = []
        last = period_containing(requirement.report_every, today).previous()
        if n % 7 == 0:
            last = last.previous()  # the last closed period's report is missing
        period = period_containing(requirement.report_every, starts_on)
        while period.end <= last.end:
            filed = period.end + timedelta(days=1 + (n + period.end.month) % 4)
            if filed <= today:
                history.append((filed, Status.IN_PROGRESS, 50, f"{period.label}工作已按要求开展。", period))
            period = period.next()
        return history

    def _postponement(self, breakdown, users, today):
        late = Requirement.objects.active().overdue(on=today).filter(breakdown=breakdown).order_by("number").first()
        if late is None:
            return
        postponement = postponement_request(
            requirement=late,
            user=late.updated_by or users["admin"],
            new_due=today + timedelta(days=45),
            reason="受上级部署调整影响，需延后完成。",
        )
        postponement_decide(
            postponement=postponement, user=users["leader"], approve=True, comment="同意延期，请抓紧推进。"
        )

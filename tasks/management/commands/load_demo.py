from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from tasks.importing.apply import apply_import, plan_import
from tasks.importing.parse import parse_sheet
from tasks.importing.reader import read_table
from tasks.models import Assignment, Breakdown, JournalEntry, Requirement, Status
from tasks.periods import period_containing
from tasks.services import postponement_decide, postponement_request, progress_record
from teams import roles
from teams.demo import demo_rosters_load, demo_teams_data
from teams.models import ActionTeam, Department, Official, User
from teams.reference import reference_load

SAMPLE = settings.BASE_DIR / "fixtures" / "task-breakdown.xlsx"
DEMO_PASSWORD = "tieju-demo-2026"
TITLE = "中共深圳市生态环境局党组关于打造生态环境保护铁军任务分解表"

# username, display name, role, departments
DEMO_USERS = [
    ("admin", "系统管理员", roles.ADMINISTRATOR, ["办公室"]),
    ("leader", "刘初汉", roles.LEADER, []),
    ("water", "王水清", roles.STAFF, ["水生态环境处"]),
    ("air", "蓝天明", roles.STAFF, ["大气环境处"]),
    ("office", "周文书", roles.STAFF, ["办公室"]),
    ("party", "林建党", roles.STAFF, ["机关党委"]),
    ("hr", "陈育才", roles.STAFF, ["组织人事处"]),
    ("law", "郑法宣", roles.STAFF, ["政策法规处"]),
    ("enforce", "李利剑", roles.STAFF, ["生态环境综合执法支队"]),
    ("monitor", "赵先锋", roles.STAFF, ["深圳市环境监测中心站"]),
    ("futian", "黄福田", roles.STAFF, ["福田管理局"]),
    ("baoan", "吴宝安", roles.STAFF, ["宝安管理局"]),
]


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
            fresh = not JournalEntry.objects.filter(requirement__breakdown=breakdown).exclude(
                kind=JournalEntry.Kind.IMPORT
            ).exists()
            if fresh:
                self._statuses(breakdown, users)
            from metrics.demo import metrics_demo_load  # metrics builds on tasks; imported here only for the demo

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
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}): " + ", ".join(u[0] for u in DEMO_USERS))

    def _users(self):
        users = {}
        groups = {g.name: g for g in Group.objects.all()}
        for username, display_name, role, departments in DEMO_USERS:
            user, new = User.objects.get_or_create(
                username=username,
                defaults={"display_name": display_name, "email": f"{username}@example.gov.cn",
                          "is_staff": role == roles.ADMINISTRATOR},
            )
            if new:
                user.set_password(DEMO_PASSWORD)
                user.save()
                user.groups.add(groups[role])
                user.departments.set(Department.objects.filter(name__in=departments))
            users[username] = user
        Official.objects.filter(name="刘初汉", user__isnull=True).update(user=users["leader"])
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
        breakdown = Breakdown.current()
        plan = plan_import(records, breakdown)
        if plan.new_departments or plan.new_officials:
            raise CommandError(f"Unknown names in the sample: {plan.new_departments + plan.new_officials}")
        return apply_import(plan, breakdown=breakdown, title=TITLE)

    def _statuses(self, breakdown, users):
        """A deterministic mix so the dashboard shows every light."""
        today = timezone.localdate()
        reporters = {d.pk: u for u in users.values() for d in u.departments.all()}
        requirements = (
            Requirement.objects.active()
            .filter(breakdown=breakdown)
            .prefetch_related("assignments__department")
            .order_by("number")
        )
        for requirement in requirements:
            responsible = [
                a.department for a in requirement.assignments.all()
                if a.role == Assignment.Role.RESPONSIBLE and a.department_id
            ]
            department = responsible[0] if responsible else None
            author = reporters.get(department.pk) if department else None
            author = author or users["admin"]
            n = requirement.number
            period = None
            if requirement.deadline_kind == "date":
                if requirement.due_date < today and n % 5 != 0:
                    status, progress, note = Status.COMPLETED, 100, "已按期完成，相关材料已归档。"
                elif requirement.due_date < today:
                    status, progress, note = Status.IN_PROGRESS, 70, "正在推进，部分工作滞后，正加快进度。"
                elif n % 3 == 0:
                    continue
                else:
                    status, progress, note = Status.IN_PROGRESS, 40 + n % 50, "按计划推进中。"
            else:
                period = period_containing(requirement.report_every, today).previous()
                if n % 7 == 0:
                    period = period.previous()  # last period's report is missing
                status, progress, note = Status.IN_PROGRESS, 50, f"{period.label}工作已按要求开展。"
            # The same write path staff use, so the demo journal looks like real use; then backdated.
            entry = progress_record(
                requirement=requirement, user=author, status=status, progress=progress, note=note,
                period=period, version=requirement.version,
            )
            when = timezone.now() - timedelta(days=n % 20 + 1)
            JournalEntry.objects.filter(pk=entry.pk).update(created_at=when, department=department)
            Requirement.objects.filter(pk=requirement.pk).update(updated_at=when)
        self._postponement(breakdown, users, today)

    def _postponement(self, breakdown, users, today):
        late = Requirement.objects.active().overdue(on=today).filter(breakdown=breakdown).order_by("number").first()
        if late is None:
            return
        postponement = postponement_request(
            requirement=late, user=late.updated_by or users["admin"], new_due=today + timedelta(days=45),
            reason="受上级部署调整影响，需延后完成。",
        )
        postponement_decide(postponement=postponement, user=users["leader"], approve=True, comment="同意延期，请抓紧推进。")

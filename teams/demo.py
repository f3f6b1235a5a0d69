"""Demo staff and team rosters (fixtures/demo-teams.json), loaded idempotently by `load_demo`."""

import functools
import json
from datetime import date

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from teams import roles
from teams.models import ActionTeam, Department, TeamMembership, User

DEMO_TEAMS_FILE = settings.BASE_DIR / "fixtures" / "demo-teams.json"
DEMO_PASSWORD = "tieju-demo-2026"

# The demo's named accounts: username, display name, role, departments (the team staff come from
# fixtures/demo-teams.json). For trying the software only: `load_demo` is never run in production.
DEMO_USERS = [
    ("admin", "办公室管理员", roles.ADMINISTRATOR, ["办公室"]),
    ("sysadmin", "系统管理员", roles.SYSTEM_ADMIN, []),
    ("secadmin", "安全管理员", roles.SECURITY_ADMIN, []),
    ("auditor", "审计管理员", roles.AUDITOR, []),
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
# Accounts that reach the Django admin.
DEMO_ADMIN_SITE_ROLES = {roles.ADMINISTRATOR, roles.SYSTEM_ADMIN, roles.SECURITY_ADMIN}


def demo_teams_data(*, path=DEMO_TEAMS_FILE):
    return json.loads(path.read_text(encoding="utf-8"))


@functools.cache
def demo_usernames():
    """Every account `load_demo` creates (for TIEJU_DEMO_ACCOUNTS_EXEMPT)."""
    return frozenset([u[0] for u in DEMO_USERS] + [s["username"] for s in demo_teams_data()["staff"]])


@transaction.atomic
def demo_rosters_load(*, password, path=DEMO_TEAMS_FILE):
    """Create the missing demo staff, and the roster of every team that has none yet.

    A team that already has memberships is left alone, so edits made in the
    browser survive a second run. Returns counts of created users and memberships.
    """
    data = demo_teams_data(path=path)
    staff_group = Group.objects.get(name=roles.STAFF)
    departments = {d.name: d for d in Department.objects.all()}
    created = {"users": 0, "memberships": 0}
    hashed = make_password(password)  # once: the demo accounts share one published password
    for item in data["staff"]:
        user, new = User.objects.get_or_create(
            username=item["username"],
            defaults={"display_name": item["name"], "email": f"{item['username']}@example.gov.cn"},
        )
        if new:
            user.password = hashed
            user.save(update_fields=["password"])
            user.groups.add(staff_group)
            user.departments.set([departments[item["department"]]])
            created["users"] += 1
    users = {u.username: u for u in User.objects.prefetch_related("departments")}
    for number, members in data["rosters"].items():
        team = ActionTeam.objects.get(number=int(number))
        if team.memberships.exists():
            continue
        for member in members:
            user = users[member["user"]]
            TeamMembership.objects.create(
                team=team,
                user=user,
                role=member["role"],
                since=date.fromisoformat(member["since"]),
                until=date.fromisoformat(member["until"]) if member.get("until") else None,
                department=next(iter(user.departments.all()), None),
            )
            created["memberships"] += 1
    return created

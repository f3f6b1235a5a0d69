"""Demo staff and team rosters (fixtures/demo-teams.json), loaded idempotently by `load_demo`."""

import json
from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

from teams import roles
from teams.models import ActionTeam, Department, TeamMembership, User

DEMO_TEAMS_FILE = settings.BASE_DIR / "fixtures" / "demo-teams.json"


def demo_teams_data(*, path=DEMO_TEAMS_FILE):
    return json.loads(path.read_text(encoding="utf-8"))


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
    for item in data["staff"]:
        user, new = User.objects.get_or_create(
            username=item["username"],
            defaults={"display_name": item["name"], "email": f"{item['username']}@example.gov.cn"},
        )
        if new:
            user.set_password(password)
            user.save()
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
                team=team, user=user, role=member["role"], since=date.fromisoformat(member["since"]),
                until=date.fromisoformat(member["until"]) if member.get("until") else None,
                department=next(iter(user.departments.all()), None),
            )
            created["memberships"] += 1
    return created

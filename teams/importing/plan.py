"""From rows to a roster plan: who joins, whose entry changes, who leaves; errors by row and column."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from imports.errors import RowError
from imports.reader import Formula, Limits, find_header, read_table
from teams.models import ActionTeam, Department, DepartmentAlias, TeamMembership, User
from teams.names import normalize_name

# Column key → header spellings (compared after normalising). The first is what the export writes.
COLUMNS = {
    "team": ["行动队", "行动队名称", "队伍"],
    "name": ["姓名", "人员", "队员姓名"],
    "department": ["所在部门", "部门", "单位"],
    "role": ["队内职务", "职务", "角色"],
    "since": ["加入日期", "入队日期", "起始日期"],
}
REQUIRED = ("team", "name", "role", "since")
HEADER_SEARCH_ROWS = 10
MAX_CELL = 200
# A roster is far smaller than the task table: tighter limits than the project's (imports.reader).
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 30
MAX_UNPACKED_BYTES = 50 * 1024 * 1024

ROLE_WORDS = {
    "队长": TeamMembership.Role.LEADER,
    "副队长": TeamMembership.Role.DEPUTY,
    "队员": TeamMembership.Role.MEMBER,
    "成员": TeamMembership.Role.MEMBER,
}
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
]


@dataclass
class Row:
    row: int
    team: ActionTeam
    user: User
    department: Department | None
    role: str
    since: date

    @property
    def role_label(self):
        return TeamMembership.Role(self.role).label


@dataclass
class MembershipChange:
    row: Row
    membership: TeamMembership | None = None
    fields: dict = field(default_factory=dict)  # label → (before, after)


@dataclass
class RosterPlan:
    teams: list = field(default_factory=list)
    added: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    ended: list = field(default_factory=list)  # open memberships of named teams missing from the file
    unknown_people: list = field(default_factory=list)  # (row, name, department name)
    errors: list = field(default_factory=list)

    @property
    def can_apply(self):
        return not self.errors and not self.unknown_people

    def counts(self):
        return {
            "added": len(self.added),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "ended": len(self.ended),
        }


def parse_date(value):
    """A date cell or a written date (2026-03-01, 2026/3/1, 2026.3.1, 2026年3月1日); None if unreadable."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = normalize_name(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


@dataclass
class RosterState:
    """What a roster file is compared with, held in memory so validating rows costs no queries:
    teams, departments (and aliases) and active people by name, and the open memberships."""

    teams: dict = field(default_factory=dict)  # normalised name (also without quotes) → ActionTeam
    departments: dict = field(default_factory=dict)  # name or alias → Department
    people: dict = field(default_factory=dict)  # normalised display or user name → [User]
    memberships: list = field(default_factory=list)  # open TeamMemberships

    def team(self, name):
        return self.teams.get(normalize_name(name)) or self.teams.get(_without_quotes(name))


def roster_state_load():
    state = RosterState()
    for team in ActionTeam.objects.all():
        state.teams[normalize_name(team.name)] = team
        # Offices type the quotes in 深圳蓝 and 无废城市 in every style, or not at all.
        state.teams.setdefault(_without_quotes(team.name), team)
    state.departments = {d.name: d for d in Department.objects.all()}
    for alias in DepartmentAlias.objects.select_related("department"):
        state.departments.setdefault(alias.name, alias.department)
    for user in User.objects.filter(is_active=True).prefetch_related("departments"):
        for key in {normalize_name(user.display_name), normalize_name(user.username)} - {""}:
            state.people.setdefault(key, []).append(user)
    state.memberships = list(
        TeamMembership.objects.filter(until__isnull=True).select_related("user", "department", "team")
    )
    return state


def _without_quotes(name):
    return re.sub(r"[\"'“”‘’「」『』]", "", normalize_name(name))


def roster_rows(data, filename):
    """The numbered rows of an uploaded roster (.xlsx or CSV); imports.errors.UnreadableFile otherwise."""
    limits = Limits.from_settings(
        bytes=MAX_BYTES, rows=MAX_ROWS, columns=MAX_COLUMNS, unzipped_bytes=MAX_UNPACKED_BYTES
    )
    return read_table(data, filename, limits=limits).rows


def _is_header(keys):
    return {"name", "team"} <= keys


def plan_roster(rows, *, state=None):
    """Validate every row and compare the file with the open memberships of the teams it names; with a
    RosterState given, without the database (roster_state_load() otherwise)."""
    plan = RosterPlan()
    header = find_header(rows, COLUMNS, accept=_is_header, search_rows=HEADER_SEARCH_ROWS)
    if header is None:
        plan.errors.append(RowError(0, _("表头"), _("找不到表头：需要包含“行动队”“姓名”“队内职务”“加入日期”列。")))
        return plan
    columns = header.columns
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in columns]
    if missing:
        plan.errors.append(
            RowError(rows[header.row][0], _("表头"), _("缺少列：%(names)s") % {"names": "、".join(missing)})
        )
        return plan

    lookup = state if state is not None else roster_state_load()
    parsed, seen = [], {}
    for number, values in rows[header.data_start :]:
        cells = {key: (values[col] if col < len(values) else None) for key, (col, _h) in columns.items()}
        if all(normalize_name(v) == "" for v in cells.values()):
            continue
        row = _parse_row(number, cells, columns, lookup, plan)
        if row is None:
            continue
        key = (row.team.pk, row.user.pk)
        if key in seen:
            plan.errors.append(
                RowError(
                    number,
                    columns["name"][1],
                    _("%(name)s在%(team)s中重复出现（另见第%(other)d行）")
                    % {"name": row.user, "team": row.team, "other": seen[key]},
                )
            )
            continue
        seen[key] = number
        parsed.append(row)
        if row.team not in plan.teams:
            plan.teams.append(row.team)
    if not parsed and not plan.errors and not plan.unknown_people:
        plan.errors.append(RowError(0, _("表头"), _("表头下没有任何名单行。")))
    _compare(plan, parsed, lookup.memberships)
    return plan


def _parse_row(number, cells, columns, lookup, plan):
    def error(key, message):
        plan.errors.append(RowError(number, columns[key][1], message))

    ok = True
    for key, value in cells.items():
        if isinstance(value, Formula) or (isinstance(value, str) and value.startswith("=")):
            error(key, _("此处应为数值，不能是公式“%(formula)s”") % {"formula": str(value)[:50]})
            ok = False
        elif value is not None and len(str(value)) > MAX_CELL:
            error(key, _("内容超过%(limit)d字") % {"limit": MAX_CELL})
            ok = False
    if not ok:
        return None

    team = None
    team_name = normalize_name(cells["team"])
    if not team_name:
        error("team", _("未填写行动队"))
    else:
        team = lookup.team(team_name)
        if team is None:
            error("team", _("没有名为“%(name)s”的行动队") % {"name": team_name})

    department = None
    department_name = normalize_name(cells.get("department"))
    if department_name:
        department = lookup.departments.get(department_name)
        if department is None:
            error("department", _("没有名为“%(name)s”的部门") % {"name": department_name})

    role_text = normalize_name(cells["role"])
    role = ROLE_WORDS.get(role_text)
    if role is None:
        if role_text:
            error("role", _("无法识别的职务“%(role)s”：应为队长、副队长或队员") % {"role": role_text})
        else:
            error("role", _("未填写队内职务：应为队长、副队长或队员"))

    since = parse_date(cells["since"])
    if since is None:
        if normalize_name(cells["since"]):
            error("since", _("无法识别的日期“%(value)s”") % {"value": normalize_name(cells["since"])})
        else:
            error("since", _("未填写加入日期"))

    user = None
    name = normalize_name(cells["name"])
    if not name:
        error("name", _("未填写姓名"))
    else:
        candidates = lookup.people.get(name, [])
        if department is not None and len(candidates) > 1:
            candidates = [u for u in candidates if department in u.departments.all()]
        if not candidates:
            if department_name and department is None:
                pass  # the department error already explains the row
            else:
                plan.unknown_people.append((number, name, department_name))
        elif len(candidates) > 1:
            error(
                "name",
                _("有%(count)d名同名人员“%(name)s”，请在「所在部门」列注明部门")
                % {"count": len(candidates), "name": name},
            )
        else:
            user = candidates[0]
    if None in (team, user, role, since) or (department_name and department is None):
        return None
    # A blank department keeps an existing membership's department; a new member gets their own.
    return Row(number, team, user, department, role, since)


def _compare(plan, parsed, memberships):
    named = {team.pk for team in plan.teams}
    open_memberships = {(m.team_id, m.user_id): m for m in memberships if m.team_id in named}
    labels = TeamMembership.Role
    for row in parsed:
        membership = open_memberships.pop((row.team.pk, row.user.pk), None)
        if membership is None:
            plan.added.append(MembershipChange(row))
            continue
        fields = {}
        if membership.role != row.role:
            fields[_("队内职务")] = (labels(membership.role).label, labels(row.role).label)
        if row.department is not None and membership.department_id != row.department.pk:
            fields[_("所在部门")] = (membership.department or "—", row.department or "—")
        if membership.since != row.since:
            fields[_("加入日期")] = (membership.since, row.since)
        (plan.changed if fields else plan.unchanged).append(MembershipChange(row, membership, fields))
    plan.ended = sorted(open_memberships.values(), key=lambda m: (m.team.number, m.pk))

"""The current rosters as an .xlsx the import reads back unchanged."""

import io

from django.utils.translation import gettext as _

from teams.importing.plan import COLUMNS
from teams.models import TeamMembership

ROLE_ORDER = {TeamMembership.Role.LEADER: 0, TeamMembership.Role.DEPUTY: 1, TeamMembership.Role.MEMBER: 2}

_FORMULA_STARTS = ("=", "+", "-", "@")


def _safe(text):
    """Cell text Excel will not run as a formula."""
    text = str(text or "")
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def roster_export(*, teams, on=None):
    """Bytes of an .xlsx with one row per open membership of the given teams."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    memberships = TeamMembership.objects.filter(team__in=teams, until__isnull=True).select_related(
        "team", "user", "department"
    )
    memberships = sorted(memberships, key=lambda m: (m.team.number, ROLE_ORDER[m.role], m.since, m.pk))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("行动队名单")
    sheet.append([COLUMNS[key][0] for key in ("team", "name", "department", "role", "since")])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for membership in memberships:
        sheet.append(
            [
                _safe(membership.team.name),
                _safe(membership.user.display_name or membership.user.username),
                _safe(membership.department.name if membership.department else ""),
                str(membership.get_role_display()),
                membership.since,
            ]
        )
        sheet.cell(row=sheet.max_row, column=5).number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDE", (30, 12, 24, 10, 12), strict=False):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

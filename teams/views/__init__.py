from teams.views.departments import department_detail, department_list
from teams.views.officials import official_detail, official_list, official_mine
from teams.views.roster_io import roster_download, roster_import
from teams.views.rosters import end_membership, membership_role, roster_edit
from teams.views.teams import team_detail, team_list, team_requirements

__all__ = [
    "department_detail",
    "department_list",
    "end_membership",
    "membership_role",
    "official_detail",
    "official_list",
    "official_mine",
    "roster_edit",
    "roster_download",
    "roster_import",
    "team_detail",
    "team_list",
    "team_requirements",
]

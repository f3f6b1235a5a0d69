from django.urls import path

from teams import views

app_name = "teams"
urlpatterns = [
    path("", views.team_list, name="team-list"),
    path("<int:pk>/", views.team_detail, name="team-detail"),
    path("<int:pk>/requirements/", views.team_requirements, name="team-requirements"),
    path("<int:pk>/roster/", views.roster_edit, name="roster-edit"),
    path("<int:pk>/roster/<int:membership_pk>/role/", views.membership_role, name="membership-role"),
    path("<int:pk>/roster/<int:membership_pk>/end/", views.end_membership, name="membership-end"),
    path("rosters/export/", views.roster_download, name="roster-export"),
    path("rosters/import/", views.roster_import, name="roster-import"),
    path("departments/", views.department_list, name="department-list"),
    path("departments/<int:pk>/", views.department_detail, name="department-detail"),
    path("officials/", views.official_list, name="official-list"),
    path("officials/mine/", views.official_mine, name="official-mine"),
    path("officials/<int:pk>/", views.official_detail, name="official-detail"),
]

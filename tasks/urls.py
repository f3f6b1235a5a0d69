from django.urls import path

from tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import-preview"),
    path("import/<int:pk>/apply/", views.import_apply, name="import-apply"),
    path("export/", views.export_download, name="export"),
]

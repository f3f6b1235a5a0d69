from django.urls import path

from tasks import views

app_name = "tasks"
urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("export.xlsx", views.dashboard_export, name="dashboard-export"),
    path("todo/", views.todo, name="todo"),
    path("requirements/<int:pk>/", views.requirement_detail, name="requirement-detail"),
    path("requirements/<int:pk>/report/", views.progress_report, name="requirement-report"),
    path("requirements/<int:pk>/feedback/", views.feedback_add, name="requirement-feedback"),
    path("requirements/<int:pk>/instruction/", views.instruction_add, name="requirement-instruction"),
    path("requirements/<int:pk>/postponement/", views.postponement_request, name="postponement-request"),
    path(
        "requirements/<int:pk>/postponement/<int:postponement_pk>/decide/",
        views.postponement_decide,
        name="postponement-decide",
    ),
    path("requirements/<int:pk>/sign/", views.requirement_sign, name="requirement-sign"),
    path("requirements/<int:pk>/completion/", views.completion_apply, name="completion-apply"),
    path("requirements/<int:pk>/completion/withdraw/", views.completion_withdraw, name="completion-withdraw"),
    path("requirements/<int:pk>/completion/review/", views.completion_review, name="completion-review"),
    path("requirements/<int:pk>/notices/", views.notice_issue, name="notice-issue"),
    path("instructions/new/", views.instruction_assign, name="instruction-assign"),
    path("notices/<int:pk>/", views.notice_detail, name="notice-detail"),
    path("notices/<int:pk>/notice.docx", views.notice_download, name="notice-download"),
    path("notices/<int:pk>/respond/", views.notice_respond, name="notice-respond"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence-download"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import-preview"),
    path("import/<int:pk>/apply/", views.import_apply, name="import-apply"),
    path("export/", views.export_download, name="export"),
]

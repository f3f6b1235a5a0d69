from django.urls import path, re_path

from metrics import views

app_name = "metrics"
MONTH = r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})"
urlpatterns = [
    path("bulletin/", views.bulletin_latest, name="bulletin-latest"),
    re_path(rf"^bulletin/{MONTH}/$", views.bulletin, name="bulletin"),
    re_path(rf"^bulletin/{MONTH}/xlsx/$", views.bulletin_xlsx, name="bulletin-xlsx"),
    re_path(rf"^bulletin/{MONTH}/docx/$", views.bulletin_docx, name="bulletin-docx"),
    re_path(rf"^bulletin/{MONTH}/pdf/$", views.bulletin_pdf, name="bulletin-pdf"),
    re_path(rf"^bulletin/{MONTH}/at-risk/$", views.bulletin_at_risk, name="bulletin-at-risk"),
    re_path(rf"^bulletin/{MONTH}/scorecard/$", views.scorecard, name="scorecard"),
    re_path(rf"^bulletin/{MONTH}/publish/$", views.publish_bulletin, name="bulletin-publish"),
    re_path(rf"^bulletin/{MONTH}/source/(?P<code>[-a-zA-Z0-9_]+)/$", views.bulletin_source, name="bulletin-source"),
    path("indicator/", views.indicator_list, name="indicator-list"),
    path("indicator/<slug:code>/", views.indicator_detail, name="indicator"),
    path("indicators/", views.entry_latest, name="entry-latest"),
    path("indicators/import/", views.values_import, name="import"),
    path("indicators/import/template/", views.values_template, name="import-template"),
    path("indicators/export/", views.values_export, name="export"),
    re_path(rf"^indicators/{MONTH}/$", views.entry, name="entry"),
    re_path(rf"^indicators/{MONTH}/submit/$", views.submit_month, name="month-submit"),
    re_path(rf"^indicators/{MONTH}/approve/$", views.approve_month, name="month-approve"),
    re_path(rf"^indicators/{MONTH}/reopen/$", views.reopen_month, name="month-reopen"),
    re_path(rf"^indicators/{MONTH}/reporting/$", views.reporting_overview, name="reporting"),
    re_path(rf"^indicators/{MONTH}/rules/(?P<pk>[0-9]+)/comment/$", views.comment_rule, name="rule-comment"),
]

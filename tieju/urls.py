from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from teams.views.account import PasswordChangeView
from tieju import views

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        PasswordChangeView.as_view(template_name="teams/password_change.html"),
        name="password_change",
    ),
    path("audit/", include("audit.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("_bench/hello/", views.bench_hello, name="bench-hello"),
    path("", include("api.urls")),
    path("teams/", include("teams.urls")),
    path("calendar/", include("calendars.urls")),
    path("", include("metrics.urls")),
    path("", include("tasks.urls")),
]

handler403 = "tieju.views.permission_denied"

admin.site.site_header = _("铁军任务通")
admin.site.site_title = _("铁军任务通")

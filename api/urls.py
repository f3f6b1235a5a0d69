from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework import routers

from api import errors
from api.views import docs, read, reports, tokens

app_name = "api"

router = routers.SimpleRouter()
router.register("requirements", read.RequirementViewSet, basename="requirement")
router.register("pillars", read.PillarViewSet, basename="pillar")
router.register("tasks", read.TaskViewSet, basename="task")
router.register("departments", read.DepartmentViewSet, basename="department")
router.register("officials", read.OfficialViewSet, basename="official")
router.register("teams", read.TeamViewSet, basename="team")
router.register("indicators", read.IndicatorViewSet, basename="indicator")
router.register("bulletins", read.BulletinViewSet, basename="bulletin")
router.register("evidence", read.EvidenceViewSet, basename="evidence")

urlpatterns = [
    path("api/v1/requirements/<int:pk>/reports/", reports.progress_report, name="requirement-report"),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", docs.SwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("account/tokens/", tokens.token_list, name="tokens"),
    path("account/tokens/<int:pk>/revoke/", tokens.revoke_token, name="token-revoke"),
    re_path(r"^api/", errors.not_found),
]

from django.contrib.auth.mixins import LoginRequiredMixin
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from tasks.filters import RequirementFilter
from tasks.models import Requirement
from tasks.tables import RequirementTable


class DashboardView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """The requirements the user may see, filtered, sorted and paginated."""

    template_name = "tasks/dashboard.html"
    filterset_class = RequirementFilter
    table_class = RequirementTable
    paginate_by = 25

    def get_queryset(self):
        return (
            Requirement.objects.active()
            .in_current_breakdown()
            .visible_to(self.request.user)
            .select_related("task__pillar")
            .prefetch_related("lead_officials", "assignments__department", "assignments__collective")
        )

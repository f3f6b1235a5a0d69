"""The auditor's pages: search the trail, export it. Only the 审计管理员 role reads them."""

import csv

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.utils import timezone
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from audit.filters import AuditEventFilter
from audit.models import Action, AuditEvent
from audit.tables import AuditEventTable
from audit.trail import record

EXPORT_COLUMNS = [
    "id",
    "created_at",
    "actor_id",
    "actor_name",
    "ip_address",
    "action",
    "outcome",
    "object_type",
    "object_id",
    "object_repr",
    "detail",
    "prev_hash",
    "hash",
]


class AuditorRequiredMixin(LoginRequiredMixin):
    """The auditor role by group, not by permission: a superuser is not an auditor (三员分立)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.is_auditor:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AuditEventListView(AuditorRequiredMixin, SingleTableMixin, FilterView):
    model = AuditEvent
    filterset_class = AuditEventFilter
    table_class = AuditEventTable
    template_name = "audit/event_list.html"
    paginate_by = 50

    def get_queryset(self):
        return AuditEvent.objects.all()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["query"] = self.request.GET.urlencode()
        return context


class _Echo:
    def write(self, value):
        return value


class AuditEventExportView(AuditorRequiredMixin, FilterView):
    """CSV (UTF-8 with BOM, so Excel reads the Chinese) of every event the filter matches, with the
    hashes, so the exported chain can be checked outside tieju."""

    model = AuditEvent
    filterset_class = AuditEventFilter

    def get(self, request, *args, **kwargs):
        filterset = self.get_filterset(self.get_filterset_class())
        rows = filterset.qs.order_by("pk") if filterset.is_valid() else AuditEvent.objects.none()
        record(request.user, Action.AUDIT_EXPORT, "audit trail", {"query": request.GET.urlencode()}, request=request)
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff" + writer.writerow(EXPORT_COLUMNS)
            for event in rows.iterator(chunk_size=2000):
                values = [getattr(event, column) for column in EXPORT_COLUMNS]
                values[1] = event.created_at.isoformat()
                yield writer.writerow(["" if v is None else v for v in values])

        name = f"audit-{timezone.localdate():%Y%m%d}.csv"
        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response

"""The auditor's pages: search the trail, export it (.xlsx to read, CSV to process). Only the 审计管理员 role reads them."""

import csv

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from audit.filters import AuditEventFilter
from audit.models import Action, AuditEvent, Outcome
from audit.tables import AuditEventTable
from audit.trail import record
from tieju.xlsx import CONTENT_TYPE, XlsxFile

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
    """audit.view_auditevent, which a superuser's implied permissions do not give (三员分立)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.reads_audit_trail:
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


def _export_rows(view, request):
    """The events the query matches, oldest first; no query at all is the whole trail.

    None when the query is wrong (a date that is no date): the export answers with the list page's errors."""
    filterset = view.get_filterset(view.get_filterset_class())
    if not filterset.is_bound:
        return AuditEvent.objects.order_by("pk")
    return filterset.qs.order_by("pk") if filterset.is_valid() else None


def _back(request, message):
    """To the list page with the same query (which shows what is wrong with it) and a message."""
    messages.error(request, message)
    return redirect(reverse("audit:event-list") + ("?" + request.GET.urlencode() if request.GET else ""))


class _Echo:
    def write(self, value):
        return value


class AuditEventExportView(AuditorRequiredMixin, FilterView):
    """CSV (UTF-8 with BOM, so Excel reads the Chinese) of every event the filter matches, with the
    hashes, so the exported chain can be checked outside tieju. Streamed, so any length of trail."""

    model = AuditEvent
    filterset_class = AuditEventFilter

    def get(self, request, *args, **kwargs):
        rows = _export_rows(self, request)
        if rows is None:
            return _back(request, _("查询条件有误，请按提示修改后再导出。"))
        record(
            request.user,
            Action.AUDIT_EXPORT,
            "audit trail",
            {"query": request.GET.urlencode(), "format": "csv"},
            request=request,
        )
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


# A worksheet holds 1,048,576 rows; one is the header.
XLSX_MAX_ROWS = 1_048_575


class AuditEventXlsxView(AuditorRequiredMixin, FilterView):
    """The same events as a workbook for reading in Excel or WPS: labels in the user's language, local times,
    and the same columns as the CSV (hashes included)."""

    model = AuditEvent
    filterset_class = AuditEventFilter

    def get(self, request, *args, **kwargs):
        rows = _export_rows(self, request)
        if rows is None:
            return _back(request, _("查询条件有误，请按提示修改后再导出。"))
        if rows.count() > XLSX_MAX_ROWS:
            return _back(request, _("记录超过一个工作表的容量，请缩小时间范围，或导出 CSV。"))
        record(
            request.user,
            Action.AUDIT_EXPORT,
            "audit trail",
            {"query": request.GET.urlencode(), "format": "xlsx"},
            request=request,
        )
        response = HttpResponse(audit_xlsx(rows), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.xlsx"'
        return response


def audit_xlsx(rows):
    fields = {f.name: f for f in AuditEvent._meta.fields}
    columns = [
        ("id", _("编号"), 8),
        ("created_at", fields["created_at"].verbose_name, 20),
        ("actor_name", fields["actor_name"].verbose_name, 14),
        ("actor_id", _("操作人编号"), 8),
        ("ip_address", fields["ip_address"].verbose_name, 16),
        ("action_label", fields["action"].verbose_name, 18),
        ("action", _("事件代码"), 22),
        ("outcome_label", fields["outcome"].verbose_name, 8),
        ("object_type", fields["object_type"].verbose_name, 16),
        ("object_id", fields["object_id"].verbose_name, 10),
        ("object_repr", fields["object_repr"].verbose_name, 30),
        ("detail", fields["detail"].verbose_name, 50),
        ("prev_hash", fields["prev_hash"].verbose_name, 20),
        ("hash", fields["hash"].verbose_name, 20),
    ]
    xlsx = XlsxFile()
    sheet = xlsx.workbook.add_worksheet(_("审计记录"))
    for column, (_key, label, width) in enumerate(columns):
        xlsx.write(sheet, 0, column, label, bold=True)
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    actions, outcomes = dict(Action.choices), dict(Outcome.choices)
    for row, event in enumerate(rows.iterator(chunk_size=2000), start=1):
        values = {
            "created_at": timezone.localtime(event.created_at),
            "action_label": actions.get(event.action, event.action),
            "outcome_label": outcomes.get(event.outcome, event.outcome),
        }
        for column, (key, _label, _width) in enumerate(columns):
            value = values[key] if key in values else getattr(event, key)
            if key == "created_at":
                xlsx.write(sheet, row, column, value, num_format="yyyy-mm-dd hh:mm:ss")
            else:
                xlsx.write(sheet, row, column, value)
    return xlsx.to_bytes()

from io import BytesIO
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Avg, Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from tasks.filters import RequirementFilter
from tasks.importing.export import protect_formula_text
from tasks.lights import COMPLETED, GREEN, RED, YELLOW
from tasks.models import Requirement, Status
from tasks.tables import RequirementTable


MAX_PER_PAGE = 200


def dashboard_queryset(user):
    return (
        Requirement.objects.active()
        .in_current_breakdown()
        .visible_to(user)
        .select_related("breakdown", "task__pillar", "updated_by")
        .prefetch_related("lead_officials", "assignments__department", "assignments__collective")
    )


def _progress_rows(queryset, *keys):
    """Counts and mean progress grouped by pillar or task, over the filtered rows (one query)."""
    return list(
        queryset.order_by()
        .values(*keys)
        .annotate(
            total=Count("pk", distinct=True),
            done=Count("pk", filter=Q(status=Status.COMPLETED), distinct=True),
            mean=Avg("progress"),
        )
        .order_by(*keys)
    )


class DashboardView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """The requirements the user may see, filtered, sorted and paginated, with a summary on top."""

    template_name = "tasks/dashboard.html"
    filterset_class = RequirementFilter
    table_class = RequirementTable
    paginate_by = 25

    def get(self, request, *args, **kwargs):
        # Staff land on their own department; the filter stays in the URL so "all" is one click away.
        user = request.user
        if not request.GET and not user.sees_everything and user.has_perm("tasks.report_progress"):
            department = user.departments.order_by("sort_order", "name").first()
            if department is not None:
                return redirect(f"{request.path}?{urlencode({'department': department.pk})}")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return dashboard_queryset(self.request.user)

    def get_table(self, **kwargs):
        # per_page comes from the URL: keep a crafted value from rendering thousands of rows.
        table = super().get_table(**kwargs)
        if getattr(table, "paginator", None) and table.paginator.per_page > MAX_PER_PAGE:
            table.paginate(page=table.page.number, per_page=MAX_PER_PAGE)
        return table

    def get_table_kwargs(self):
        return {"today": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = self.object_list
        today = timezone.localdate()
        lights = rows.lights(on=today)
        codes = [light.code for light in lights.values()]
        query = self.request.GET.copy()
        query.pop("page", None)

        def with_light(code):
            q = query.copy()
            q["light"] = code
            return "?" + q.urlencode()

        context["summary"] = [
            (COMPLETED, _("已完成"), codes.count(COMPLETED), with_light(COMPLETED)),
            (GREEN, _("按计划推进"), codes.count(GREEN), with_light(GREEN)),
            (YELLOW, _("临近时限或滞后"), codes.count(YELLOW), with_light(YELLOW)),
            (RED, _("已逾期"), codes.count(RED), with_light(RED)),
            ("postponed", _("已延期"), rows.filter(postponed_to__isnull=False).count(), ""),
        ]
        context["pillar_progress"] = _progress_rows(rows, "task__pillar__number", "task__pillar__name")
        context["task_progress"] = _progress_rows(rows, "task__pillar__number", "task__number", "task__title")
        context["export_query"] = query.urlencode()
        context["today"] = today
        return context


@login_required
@require_GET
def dashboard_export(request):
    """Exactly the rows the dashboard shows for the same query string, as xlsx."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    today = timezone.localdate()
    filterset = RequirementFilter(request.GET, queryset=dashboard_queryset(request.user), request=request)
    rows = filterset.qs.order_by("number") if filterset.is_valid() else Requirement.objects.none()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("任务看板")
    headers = [
        _("序号"), _("工程"), _("主要任务"), _("具体要求"), _("完成时限"), _("下一到期日"), _("主管领导"),
        _("责任部门"), _("配合部门"), _("状态"), _("进度（%）"), _("亮灯"), _("最近更新"), _("更新人"),
    ]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in rows:
        light = r.light(on=today)
        sheet.append([
            r.number, r.task.pillar.name, r.task.title, r.text, r.deadline_text, r.next_due(on=today),
            "、".join(o.name for o in r.lead_officials.all()), "、".join(r.responsible_names),
            "、".join(r.cooperating_names), r.get_status_display(), r.progress,
            f"{light.label}（{light.reason_label}）" if light.code != COMPLETED else str(light.label),
            timezone.localtime(r.updated_at).replace(tzinfo=None) if r.updated_at else None,
            str(r.updated_by) if r.updated_by else "",
        ])
    for column, width in zip("ABCDEFGHIJKLMN", (6, 18, 24, 50, 16, 12, 14, 20, 20, 8, 8, 18, 17, 10)):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            protect_formula_text(cell)
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
        row[5].number_format = "yyyy-mm-dd"
        row[12].number_format = "yyyy-mm-dd hh:mm"
    buffer = BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="tieju-{today:%Y%m%d}.xlsx"'
    return response

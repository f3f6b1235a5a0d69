from collections import Counter, defaultdict
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce, NullIf
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView
from django_tables2 import RequestConfig

from audit.models import Action
from audit.trail import record
from tasks.choices import LightCode, LightReason, Status
from tasks.filters import YES, RequirementFilter
from tasks.lights import Light
from tasks.models import add_names
from tasks.selectors import visible_requirements
from tasks.tables import RequirementTable
from tieju.xlsx import CONTENT_TYPE, XlsxFile

PAGE_FIELDS = (
    "pk",
    "number",
    "text",
    "deadline_text",
    "postponed_to",
    "status",
    "progress",
    "updated_at",
    "task_id",
    "task__number",
    "task__title",
    "task__pillar__name",
    "light_reason",
    "next_due_on",
    "source",
)


def page_rows(rows, fields=PAGE_FIELDS):
    """`rows` as plain values, only the columns a dashboard row shows (its officials and departments are
    added for the page alone by `add_names`)."""
    return rows.values(
        *fields, updated_by_name=Coalesce(NullIf("updated_by__display_name", Value("")), "updated_by__username")
    )


def summarise(rows, choices):
    """Counts per light, postponed, and per pillar and main task (count, completed, mean progress) of the
    filtered requirements, from one grouped query whatever their number."""
    groups = (
        rows.order_by()
        .values("task_id", "light_reason")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=Status.COMPLETED)),
            progress=Sum("progress"),
            postponed=Count("pk", filter=Q(postponed_to__isnull=False)),
        )
    )
    lights, postponed = Counter(), 0
    by_task = defaultdict(lambda: {"total": 0, "done": 0, "sum": 0})
    for group in groups:
        lights[LightReason(group["light_reason"]).light] += group["total"]
        postponed += group["postponed"]
        task = by_task[group["task_id"]]
        task["total"] += group["total"]
        task["done"] += group["done"]
        task["sum"] += group["progress"] or 0
    pillars, tasks = {}, []
    for task_id, (pillar_id, task_number, title) in choices.tasks.items():
        if task_id not in by_task:
            continue
        counts = by_task[task_id]
        pillar_number, pillar_name = choices.pillars[pillar_id]
        tasks.append(
            {
                "task__pillar__number": pillar_number,
                "task__number": task_number,
                "task__title": title,
                "total": counts["total"],
                "done": counts["done"],
                "mean": counts["sum"] / counts["total"],
            }
        )
        pillar = pillars.setdefault(
            pillar_id,
            {"task__pillar__number": pillar_number, "task__pillar__name": pillar_name, "total": 0, "done": 0, "sum": 0},
        )
        for key in ("total", "done", "sum"):
            pillar[key] += counts[key]
    for pillar in pillars.values():
        pillar["mean"] = pillar.pop("sum") / pillar["total"]
    return {
        "lights": lights,
        "postponed": postponed,
        "total": sum(lights.values()),
        "pillars": sorted(pillars.values(), key=lambda g: (g["task__pillar__number"], g["task__pillar__name"])),
        "tasks": sorted(tasks, key=lambda t: (t["task__pillar__number"], t["task__number"], t["task__title"])),
    }


class DashboardView(LoginRequiredMixin, TemplateView):
    """The requirements the user may see, filtered, sorted and paginated, with a summary on top.

    The same queries whatever the table's size: session, user, permissions, the filter's choices, the
    summary (one grouped query), the page's count, the page, and its officials and departments."""

    template_name = "tasks/dashboard.html"

    def get(self, request, *args, **kwargs):
        # Staff land on their own department; those who decide postponements for the whole bureau (局领导,
        # 管理员) on the whole table. The filter stays in the URL so "all" is one click away.
        user = request.user
        if (
            not request.GET
            and user.has_perm("tasks.report_progress")
            and not user.has_perm("tasks.decide_postponement")
        ):
            department = user.departments.order_by("sort_order", "name").first()
            if department is not None:
                return redirect(f"{request.path}?{urlencode({'department': department.pk})}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        """Summary, progress, filter and table of the requirements the query string selects."""
        context = super().get_context_data(**kwargs)
        request = self.request
        today = timezone.localdate()
        filterset = RequirementFilter(
            request.GET, queryset=visible_requirements(request.user), request=request, today=today
        )
        rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
        summary = summarise(rows, filterset.choices)
        table = RequirementTable(page_rows(rows))
        RequestConfig(request, paginate=True).configure(table)
        add_names(list(table.page.object_list.data))

        query = request.GET.copy()
        query.pop("page", None)

        def narrowed(name, value):
            q = query.copy()
            q[name] = value
            return "?" + q.urlencode()

        lights = summary["lights"]
        context["summary"] = [
            (LightCode.COMPLETED, _("已完成"), lights[LightCode.COMPLETED], narrowed("light", LightCode.COMPLETED)),
            (LightCode.GREEN, _("按计划推进"), lights[LightCode.GREEN], narrowed("light", LightCode.GREEN)),
            (LightCode.YELLOW, _("临近时限或滞后"), lights[LightCode.YELLOW], narrowed("light", LightCode.YELLOW)),
            (LightCode.RED, _("已逾期"), lights[LightCode.RED], narrowed("light", LightCode.RED)),
        ]
        context["postponed"] = (summary["postponed"], narrowed("postponed", YES))
        context["total"] = summary["total"]
        context["pillar_progress"], context["task_progress"] = summary["pillars"], summary["tasks"]
        context["filter"] = filterset
        context["table"] = table
        context["export_query"] = query.urlencode()
        context["today"] = today
        return context


EXPORT_FIELDS = PAGE_FIELDS + ("task__pillar__number",)


@login_required
@require_GET
def dashboard_export(request):
    """Exactly the rows the dashboard shows for the same query string, as xlsx (in table order)."""
    today = timezone.localdate()
    filterset = RequirementFilter(
        request.GET, queryset=visible_requirements(request.user), request=request, today=today
    )
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    records = list(page_rows(rows.order_by("number"), EXPORT_FIELDS))
    add_names(records, among=rows)
    xlsx = XlsxFile()
    sheet = xlsx.workbook.add_worksheet(_("任务看板"))
    headers = [
        _("序号"),
        _("工程"),
        _("主要任务"),
        _("具体要求"),
        _("完成时限"),
        _("下一到期日"),
        _("主管领导"),
        _("责任部门"),
        _("配合部门"),
        _("状态"),
        _("进度（%）"),
        _("亮灯"),
        _("最近更新"),
        _("更新人"),
    ]
    for column, header in enumerate(headers):
        xlsx.write(sheet, 0, column, header, bold=True)
    for column, width in enumerate((6, 18, 24, 50, 16, 12, 14, 20, 20, 8, 8, 18, 17, 10)):
        sheet.set_column(column, column, width)
    day, moment, top = (
        {"num_format": "yyyy-mm-dd"},
        {"num_format": "yyyy-mm-dd hh:mm"},
        {"text_wrap": True, "valign": "top"},
    )
    for row, r in enumerate(records, start=1):
        light = Light.of(r["light_reason"])
        updated = timezone.localtime(r["updated_at"]).replace(tzinfo=None) if r["updated_at"] else None
        cells = [
            (r["number"], {}),
            (r["task__pillar__name"], {}),
            (r["task__title"], {}),
            (r["text"], top),
            (r["deadline_text"], {}),
            (r["next_due_on"], day),
            ("、".join(r["officials"]), {}),
            ("、".join(r["responsible"]), {}),
            ("、".join(r["cooperating"]), {}),
            (Status(r["status"]).label, {}),
            (r["progress"], {}),
            (f"{light.label}（{light.reason_label}）" if light.code != LightCode.COMPLETED else str(light.label), {}),
            (updated, moment),
            (r["updated_by_name"] or "", {}),
        ]
        for column, (value, properties) in enumerate(cells):
            xlsx.write(sheet, row, column, value, **properties)
    response = HttpResponse(xlsx.to_bytes(), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="tieju-{today:%Y%m%d}.xlsx"'
    record(request.user, Action.EXPORT, "dashboard", {"file": "dashboard.xlsx", "query": request.GET.urlencode()})
    return response

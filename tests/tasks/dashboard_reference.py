"""The dashboard as it was built before any speed work, kept as the oracle for
tests/tasks/test_dashboard_cells.py: the straightforward django-tables2 table (per-cell
render methods, queryset data, prefetch_related) and the summary computed query by query.

Frozen on purpose: do not "fix" it together with the real dashboard. If the dashboard is meant
to show something different, change this oracle in its own commit that says so.
"""

from datetime import timedelta

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Avg, Count, Q
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig

from tasks.lights import COMPLETED, GREEN, LIGHT_CHOICES, RED, YELLOW
from tasks.models import Pillar, Requirement, Status, Task
from teams.models import ActionTeam, Department, Official

EITHER, RESPONSIBLE, COOPERATING = "either", "responsible", "cooperating"
WIDE_ONLY = {"th": {"class": "wide-only"}, "td": {"class": "wide-only"}}
MAX_PER_PAGE = 200
# What templates/tasks/_light.html held.
LIGHT = Template(
    '{% load i18n %}<span class="light light-{{ light.code }}" title="{{ light.reason_label }}"><span class="light-icon" '
    'aria-hidden="true">{% if light.code == "red" %}✖{% elif light.code == "yellow" %}▲{% elif light.code == "green" %}'
    '●{% else %}✔{% endif %}</span> {{ light.label }}{% if light.reason_label and light.code != "completed" %}'
    '<small class="light-reason">{{ light.reason_label }}</small>{% endif %}</span>'
)


def reference_queryset(user):
    return (
        Requirement.objects.active()
        .in_current_breakdown()
        .visible_to(user)
        .select_related("breakdown", "task__pillar", "updated_by")
        .prefetch_related("lead_officials", "assignments__department", "assignments__collective")
    )


class ReferenceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("搜索"), method="filter_text")
    pillar = django_filters.ModelChoiceFilter(
        label=_("四铁工程"), field_name="task__pillar", queryset=Pillar.objects.filter(breakdown__is_current=True)
    )
    task = django_filters.ModelChoiceFilter(
        label=_("主要任务"), queryset=Task.objects.filter(pillar__breakdown__is_current=True).select_related("pillar")
    )
    department = django_filters.ModelChoiceFilter(
        label=_("部门"), queryset=Department.objects.active(), method="filter_department"
    )
    role = django_filters.ChoiceFilter(
        label=_("部门分工"), method="filter_role", empty_label=_("责任或配合"),
        choices=[(RESPONSIBLE, _("作为责任部门")), (COOPERATING, _("作为配合部门"))],
    )
    official = django_filters.ModelChoiceFilter(
        label=_("主管领导"), field_name="lead_officials", queryset=Official.objects.filter(is_active=True)
    )
    team = django_filters.ModelChoiceFilter(label=_("行动队"), field_name="teams", queryset=ActionTeam.objects.active())
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Status.choices)
    light = django_filters.ChoiceFilter(label=_("亮灯"), choices=LIGHT_CHOICES, method="filter_light")
    due_within = django_filters.NumberFilter(
        label=_("几天内到期"), method="filter_due_within", min_value=0, max_value=3660,
        widget=forms.NumberInput(attrs={"min": 0, "max": 3660, "step": 1, "inputmode": "numeric"}),
    )

    class Meta:
        model = Requirement
        fields = ["q", "pillar", "task", "department", "role", "official", "team", "status", "light", "due_within"]

    @property
    def today(self):
        return timezone.localdate()

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(text__icontains=value) | Q(task__title__icontains=value)) if value else queryset

    def filter_department(self, queryset, name, value):
        if not value:
            return queryset
        role = self.form.cleaned_data.get("role")
        if role == RESPONSIBLE:
            return queryset.responsible_for(value)
        if role == COOPERATING:
            return queryset.cooperating_with(value)
        return queryset.involving(value)

    def filter_role(self, queryset, name, value):
        return queryset

    def filter_light(self, queryset, name, value):
        lights = queryset.lights(on=self.today)
        return queryset.filter(pk__in=[pk for pk, light in lights.items() if light.code == value])

    def filter_due_within(self, queryset, name, value):
        if value is None:
            return queryset
        until = self.today + timedelta(days=int(value))
        due = queryset.exclude(status=Status.COMPLETED).next_due_dates(on=self.today)
        return queryset.filter(pk__in=[pk for pk, day in due.items() if day and self.today <= day <= until])


def _names(names):
    return format_html_join("", '<span class="tag">{}</span>', ((n,) for n in names))


class ReferenceTable(tables.Table):
    number = tables.Column(verbose_name=_("序号"), attrs={"td": {"class": "num"}})
    pillar = tables.Column(
        verbose_name=_("工程"), accessor="task__pillar__name", order_by=("task__pillar__number", "number"), attrs=WIDE_ONLY
    )
    task = tables.Column(
        verbose_name=_("主要任务"), accessor="task__title", order_by=("task__number", "number"), attrs=WIDE_ONLY
    )
    text = tables.Column(verbose_name=_("具体要求"), attrs={"td": {"class": "text"}})
    deadline = tables.Column(verbose_name=_("完成时限"), accessor="deadline_text", order_by=("due_date", "number"))
    next_due = tables.Column(verbose_name=_("下一到期日"), accessor="pk", orderable=False, attrs={"td": {"class": "num"}})
    officials = tables.Column(verbose_name=_("主管领导"), accessor="pk", orderable=False, attrs=WIDE_ONLY)
    responsible = tables.Column(verbose_name=_("责任部门"), accessor="pk", orderable=False)
    cooperating = tables.Column(verbose_name=_("配合部门"), accessor="pk", orderable=False, attrs=WIDE_ONLY)
    status = tables.Column(verbose_name=_("状态"), order_by=("status", "number"))
    light = tables.Column(verbose_name=_("亮灯"), accessor="pk", orderable=False)
    updated = tables.Column(
        verbose_name=_("最近更新"), accessor="updated_at", order_by=("updated_at", "number"), attrs=WIDE_ONLY
    )

    class Meta:
        model = Requirement
        fields = [
            "number", "pillar", "task", "text", "deadline", "next_due", "officials", "responsible", "cooperating",
            "status", "light", "updated",
        ]
        order_by = "number"
        attrs = {"class": "table requirements"}
        empty_text = _("没有符合条件的具体要求。")

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def _link(self, record, text):
        return format_html('<a href="{}">{}</a>', reverse("tasks:requirement-detail", args=[record.pk]), text)

    def render_number(self, record):
        return self._link(record, record.number)

    def render_text(self, record):
        return self._link(record, record.text)

    def render_deadline(self, record):
        if record.postponed_to:
            return format_html(
                '{}<br><span class="muted">{}</span>', record.deadline_text,
                _("已延期至 %(date)s") % {"date": date_format(record.postponed_to, "Y-m-d")},
            )
        return record.deadline_text

    def render_next_due(self, record):
        day = record.next_due(on=self.today)
        return date_format(day, "Y-m-d") if day else "—"

    def render_officials(self, record):
        return _names(o.name for o in record.lead_officials.all())

    def render_responsible(self, record):
        return _names(record.responsible_names)

    def render_cooperating(self, record):
        return _names(record.cooperating_names)

    def render_status(self, record):
        return format_html('{}<br><span class="muted">{}%</span>', record.get_status_display(), record.progress)

    def render_light(self, record):
        return LIGHT.render(Context({"light": record.light(on=self.today)}))

    def render_updated(self, record):
        who = record.updated_by or ""
        return format_html(
            '{}<br><span class="muted">{}</span>', date_format(timezone.localtime(record.updated_at), "Y-m-d H:i"), who
        )


def _progress_rows(queryset, *keys):
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


def reference_dashboard(request):
    """(table HTML, summary counts, pillar rows, task rows, filter form) for a GET request, as the old view
    built them."""
    filterset = ReferenceFilter(request.GET, queryset=reference_queryset(request.user), request=request)
    rows = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    today = timezone.localdate()
    table = ReferenceTable(rows, today=today)
    RequestConfig(request, paginate={"per_page": 25}).configure(table)
    if table.paginator.per_page > MAX_PER_PAGE:
        table.paginate(page=table.page.number, per_page=MAX_PER_PAGE)
    codes = [light.code for light in rows.lights(on=today).values()]
    summary = [codes.count(code) for code in (COMPLETED, GREEN, YELLOW, RED)]
    summary.append(rows.filter(postponed_to__isnull=False).count())
    pillars = [
        (r["task__pillar__name"], r["done"], r["total"], r["mean"])
        for r in _progress_rows(rows, "task__pillar__number", "task__pillar__name")
    ]
    tasks = [
        (r["task__number"], r["task__title"], r["done"], r["total"], r["mean"])
        for r in _progress_rows(rows, "task__pillar__number", "task__number", "task__title")
    ]
    return table.as_html(request), summary, pillars, tasks, filterset.form

from functools import partial
from html import escape

import django_tables2 as tables
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy as _

from tasks.models import Requirement, Status
from tasks.templatetags.badges import light_badge


# Columns a phone drops (see tieju.css): the row keeps number, text, deadlines, departments, status and light.
WIDE_ONLY = {"th": {"class": "wide-only"}, "td": {"class": "wide-only"}}


class CountedPaginator(Paginator):
    """A paginator told the count, which the dashboard already has from its summary query."""

    def __init__(self, *args, count, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__["count"] = count  # Paginator.count is a cached_property: this is its cached value


class RequirementTable(tables.Table):
    """The dashboard's table. django-tables2 owns its columns, ordering (in SQL), pagination and header;
    the body is rendered by `body_rows`, one string per row, because django-tables2's per-cell machinery
    cost two thirds of the page's time (see README, Performance). tests/tasks/test_dashboard_cells.py
    proves the cells are the ones django-tables2 rendered before."""

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
        template_name = "tasks/_requirement_table.html"
        fields = [
            "number", "pillar", "task", "text", "deadline", "next_due", "officials", "responsible", "cooperating",
            "status", "light", "updated",
        ]
        order_by = "number"
        per_page = 25
        attrs = {"class": "table requirements"}
        empty_text = _("没有符合条件的具体要求。")

    # per_page comes from the URL: keep a crafted value from rendering thousands of rows.
    MAX_PER_PAGE = 200

    def __init__(self, *args, states=None, **kwargs):
        self.states = {state.pk: state for state in states or ()}
        super().__init__(*args, **kwargs)

    def paginate(self, paginator_class=None, per_page=None, page=1, *args, **kwargs):
        """django-tables2's pagination with the count already known (the states query's rows) and per_page
        from the URL kept sensible: below 1 means the default, above the maximum means the maximum."""
        if not per_page or per_page < 1:
            per_page = self._meta.per_page
        per_page = min(per_page, self.MAX_PER_PAGE)
        counted = partial(CountedPaginator, count=len(self.states))
        return super().paginate(counted, per_page, page, *args, **kwargs)

    @cached_property
    def body_rows(self):
        """The page's rows as HTML, the cells of each column in the table's order.

        Plain f-strings over html.escape (what django.utils.html.escape calls) rather than format_html per
        cell: this runs for every cell of every page view."""
        link = reverse("tasks:requirement-detail", args=[987654321]).replace("987654321", "{}")
        status_labels = {value: escape(str(label)) for value, label in Status.choices}
        postponed = gettext("已延期至 %(date)s")
        badges = {}  # the same few lights recur down the page: render each once

        def names(items):
            return "".join(f'<span class="tag">{escape(str(name))}</span>' for name in items)

        def text_or_dash(value):  # as django-tables2 showed an empty value
            return escape(value) if value else "—"

        def deadline(r):
            if not r.deadline_text:
                return "—"
            if r.postponed_to:
                return f'{escape(r.deadline_text)}<br><span class="muted">' \
                       f'{escape(postponed % {"date": r.postponed_to.isoformat()})}</span>'
            return escape(r.deadline_text)

        def light(r):
            state = self.states[r.pk].light
            if state not in badges:
                badges[state] = light_badge(state)
            return badges[state]

        def updated(r):
            if r.updated_at is None:
                return "—"
            when = timezone.localtime(r.updated_at).strftime("%Y-%m-%d %H:%M")
            return f'{when}<br><span class="muted">{escape(str(r.updated_by or ""))}</span>'

        cells = {
            "number": lambda r: f'<a href="{link.format(r.pk)}">{r.number}</a>',
            "pillar": lambda r: text_or_dash(r.task.pillar.name),
            "task": lambda r: text_or_dash(r.task.title),
            "text": lambda r: f'<a href="{link.format(r.pk)}">{escape(r.text)}</a>' if r.text else "—",
            "deadline": deadline,
            "next_due": lambda r: day.isoformat() if (day := self.states[r.pk].next_due) else "—",
            "officials": lambda r: names(o.name for o in r.lead_officials.all()),
            "responsible": lambda r: names(r.responsible_names),
            "cooperating": lambda r: names(r.cooperating_names),
            "status": lambda r: f'{status_labels.get(r.status) or escape(r.status)}<br>'
                                f'<span class="muted">{r.progress}%</span>',
            "light": light,
            "updated": updated,
        }
        columns = [(column.attrs["td"].as_html(), cells[column.name]) for column in self.columns]
        rows = []
        # The page's queryset holds only the rows the states query counted (RequirementFilter.filter_queryset).
        for index, record in enumerate(self.page.object_list.data):
            tds = "".join(f"<td {attrs}>{cell(record)}</td>" for attrs, cell in columns)
            rows.append(mark_safe(f'<tr class="{"even" if index % 2 == 0 else "odd"}">{tds}</tr>'))
        return rows

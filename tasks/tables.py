import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from tasks.models import Requirement


# Columns a phone drops (see tieju.css): the row keeps number, text, deadlines, departments, status and light.
WIDE_ONLY = {"th": {"class": "wide-only"}, "td": {"class": "wide-only"}}


def _names(names):
    return format_html_join("", '<span class="tag">{}</span>', ((n,) for n in names))


class RequirementTable(tables.Table):
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
        return render_to_string("tasks/_light.html", {"light": record.light(on=self.today)})

    def render_updated(self, record):
        who = record.updated_by or ""
        return format_html(
            '{}<br><span class="muted">{}</span>', date_format(timezone.localtime(record.updated_at), "Y-m-d H:i"), who
        )

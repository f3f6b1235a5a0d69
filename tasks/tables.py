import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from tasks.models import Requirement


def _names(names):
    return format_html_join("", '<span class="tag">{}</span>', ((n,) for n in names))


class RequirementTable(tables.Table):
    number = tables.Column(verbose_name=_("序号"), linkify=False, attrs={"td": {"class": "num"}})
    pillar = tables.Column(verbose_name=_("工程"), accessor="task__pillar__name", order_by=("task__pillar__number", "number"))
    task = tables.Column(verbose_name=_("主要任务"), accessor="task__title", order_by=("task__number", "number"))
    text = tables.Column(verbose_name=_("具体要求"))
    deadline = tables.Column(verbose_name=_("完成时限"), accessor="deadline_text", order_by=("due_date", "number"))
    officials = tables.Column(verbose_name=_("主管领导"), accessor="pk", orderable=False)
    responsible = tables.Column(verbose_name=_("责任部门"), accessor="pk", orderable=False)
    cooperating = tables.Column(verbose_name=_("配合部门"), accessor="pk", orderable=False)
    status = tables.Column(verbose_name=_("状态"))

    class Meta:
        model = Requirement
        fields = ["number", "pillar", "task", "text", "deadline", "officials", "responsible", "cooperating", "status"]
        order_by = "number"
        attrs = {"class": "table requirements"}
        empty_text = _("没有符合条件的具体要求。")

    def render_officials(self, record):
        return _names(o.name for o in record.lead_officials.all())

    def render_responsible(self, record):
        return _names(record.responsible_names)

    def render_cooperating(self, record):
        return _names(record.cooperating_names)

    def render_status(self, record):
        return record.get_status_display()

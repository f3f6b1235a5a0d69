import django_tables2 as tables
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from tasks.lights import light_rank_expression
from tasks.models import Assignment, Requirement
from teams.models import Official

# Columns a phone drops (see tieju.css): the card keeps number, text, deadlines, departments, status and light.
WIDE_ONLY = {"th": {"class": "wide-only"}, "td": {"class": "wide-only"}}
# Orderings that keep the table's own order, under which rows are grouped by pillar and main task.
TABLE_ORDER = {"number", "pillar", "task"}


class RequirementTable(tables.Table):
    """The dashboard's table. django-tables2 owns the columns, the ordering (in SQL), pagination and the
    header; the body is a template loop (tasks/_requirement_table.html) over the page's rows, which carry
    their light and next due date from the query (Requirement.objects.with_lights)."""

    number = tables.Column(verbose_name=_("序号"), attrs={"td": {"class": "num"}})
    pillar = tables.Column(
        verbose_name=_("工程"),
        accessor="task__pillar__name",
        order_by=("task__pillar__number", "task__number", "number"),
        visible=False,
    )
    task = tables.Column(
        verbose_name=_("主要任务"), accessor="task__title", order_by=("task__number", "number"), visible=False
    )
    text = tables.Column(verbose_name=_("具体要求"), attrs={"td": {"class": "text"}})
    deadline = tables.Column(verbose_name=_("完成时限"), accessor="deadline_text", order_by=("due_date", "number"))
    next_due = tables.Column(verbose_name=_("下一到期日"), accessor="next_due_on")
    officials = tables.Column(verbose_name=_("主管领导"), accessor="officials", attrs=WIDE_ONLY)
    responsible = tables.Column(verbose_name=_("责任部门"), accessor="responsible")
    cooperating = tables.Column(verbose_name=_("配合部门"), accessor="cooperating", orderable=False, attrs=WIDE_ONLY)
    status = tables.Column(verbose_name=_("状态"), order_by=("status", "number"))
    light = tables.Column(verbose_name=_("亮灯"), accessor="light_reason")
    updated = tables.Column(
        verbose_name=_("最近更新"), accessor="updated_at", order_by=("updated_at", "number"), attrs=WIDE_ONLY
    )

    class Meta:
        model = Requirement
        template_name = "tasks/_requirement_table.html"
        fields = [
            "number",
            "pillar",
            "task",
            "text",
            "deadline",
            "next_due",
            "officials",
            "responsible",
            "cooperating",
            "status",
            "light",
            "updated",
        ]
        order_by = "number"
        per_page = 25
        attrs = {"class": "table requirements"}
        empty_text = _("没有符合条件的具体要求。")

    # per_page comes from the URL: keep a crafted value from rendering thousands of rows.
    MAX_PER_PAGE = 200

    def paginate(self, paginator_class=Paginator, per_page=None, page=1, *args, **kwargs):
        """per_page from the URL kept sensible: below 1 means the default, above the maximum the maximum."""
        if not per_page or per_page < 1:
            per_page = self._meta.per_page
        return super().paginate(paginator_class, min(per_page, self.MAX_PER_PAGE), page, *args, **kwargs)

    @property
    def grouped(self):
        """Whether the rows are in table order, so the body shows pillar and main task as group rows."""
        return not self.order_by or all(name.lstrip("-") in TABLE_ORDER for name in self.order_by)

    # Orderings on values that are not columns of the row, each ending on the number for a stable order.
    def order_next_due(self, queryset, is_descending):
        due = F("next_due_on").desc(nulls_last=True) if is_descending else F("next_due_on").asc(nulls_last=True)
        return queryset.order_by(due, "number"), True

    def order_light(self, queryset, is_descending):
        rank = light_rank_expression("light_reason")
        return queryset.alias(light_rank=rank).order_by(
            "-light_rank" if is_descending else "light_rank", "number"
        ), True

    def order_officials(self, queryset, is_descending):
        first = Official.objects.filter(requirements=OuterRef("pk")).order_by("sort_order", "name").values("sort_order")
        queryset = queryset.alias(first_official=Subquery(first[:1]))
        key = F("first_official").desc(nulls_last=True) if is_descending else F("first_official").asc(nulls_last=True)
        return queryset.order_by(key, "number"), True

    def order_responsible(self, queryset, is_descending):
        first = (
            Assignment.objects.filter(requirement=OuterRef("pk"), role=Assignment.Role.RESPONSIBLE)
            .order_by("position")
            .annotate(name=Coalesce("department__name", "collective__name"))
            .values("name")
        )
        queryset = queryset.alias(first_responsible=Subquery(first[:1]))
        key = (
            F("first_responsible").desc(nulls_last=True)
            if is_descending
            else F("first_responsible").asc(nulls_last=True)
        )
        return queryset.order_by(key, "number"), True

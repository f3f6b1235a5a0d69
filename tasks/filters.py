from dataclasses import dataclass, field
from datetime import timedelta

import django_filters
from django import forms
from django.db.models import CharField, IntegerField, Q, Value, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tasks.choices import LightCode, Status
from tasks.models import Pillar, Requirement, Source, Task
from teams.models import ActionTeam, Department, Official

EITHER, RESPONSIBLE, COOPERATING = "either", "responsible", "cooperating"


@dataclass
class FilterChoices:
    """What the filter form offers (current pillars and tasks, active departments, officials and teams),
    read in one query; the dashboard also takes pillar and task names from it."""

    pillars: dict = field(default_factory=dict)  # pk: (number, name)
    tasks: dict = field(default_factory=dict)  # pk: (pillar pk, number, title)
    departments: dict = field(default_factory=dict)  # pk: Department (unsaved copy: pk, name, kind)
    officials: list = field(default_factory=list)  # [(pk, name)] in Official's order
    teams: list = field(default_factory=list)  # [(pk, name)] in ActionTeam's order

    @classmethod
    def load(cls):
        # Five short lists, one round trip: each part is (kind, pk, name, sort, number, parent, extra,
        # position), position numbering the rows in the model's own order as the database sorts it
        # (its collation, e.g. pinyin order for names of equal sort_order).
        def part(queryset, kind, name, sort, number=None, parent=None, extra=None):
            position = Window(RowNumber(), order_by=queryset.model._meta.ordering)
            return queryset.order_by().values_list(
                Value(kind, output_field=CharField()),
                "pk",
                name,
                sort,
                number or Value(0, output_field=IntegerField()),
                parent or Value(None, output_field=IntegerField()),
                extra or Value("", output_field=CharField()),
                position,
            )

        current_pillars = Pillar.objects.filter(breakdown__is_current=True)
        current_tasks = Task.objects.filter(pillar__breakdown__is_current=True)
        rows = part(current_pillars, "pillar", "name", "number").union(
            part(current_tasks, "task", "title", "pillar__number", "number", "pillar_id"),
            part(Department.objects.active(), "department", "name", "sort_order", extra="kind"),
            part(Official.objects.filter(is_active=True), "official", "name", "sort_order"),
            part(ActionTeam.objects.active(), "team", "name", "number"),
            all=True,
        )
        choices = cls()
        for kind, pk, name, sort, number, parent, extra, _position in sorted(rows, key=lambda row: (row[0], row[7])):
            if kind == "pillar":
                choices.pillars[pk] = (sort, name)
            elif kind == "task":
                choices.tasks[pk] = (parent, number, name)
            elif kind == "department":
                choices.departments[pk] = Department(pk=pk, name=name, kind=extra, sort_order=sort)
            elif kind == "official":
                choices.officials.append((pk, name))
            else:
                choices.teams.append((pk, name))
        return choices


ALL = _("全部")
YES = "1"


class RequirementFilter(django_filters.FilterSet):
    """The dashboard's filters, all applied in SQL. The queryset is annotated with each row's light and
    next due date as of `today` (Requirement.objects.with_lights), so light and "due within" filter, count
    and sort like any column. Choices come from FilterChoices (one query for all of them)."""

    q = django_filters.CharFilter(label=_("搜索"), method="filter_text")
    pillar = django_filters.ChoiceFilter(label=_("四铁工程"), field_name="task__pillar", empty_label=ALL)
    task = django_filters.ChoiceFilter(label=_("主要任务"), field_name="task", empty_label=ALL)
    department = django_filters.ChoiceFilter(label=_("部门"), method="filter_department", empty_label=ALL)
    role = django_filters.ChoiceFilter(
        label=_("部门分工"),
        method="filter_role",
        empty_label=_("责任或配合"),
        choices=[(RESPONSIBLE, _("作为责任部门")), (COOPERATING, _("作为配合部门"))],
    )
    official = django_filters.ChoiceFilter(label=_("主管领导"), field_name="lead_officials", empty_label=ALL)
    team = django_filters.ChoiceFilter(label=_("行动队"), field_name="teams", empty_label=ALL)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Status.choices, empty_label=ALL)
    light = django_filters.ChoiceFilter(
        label=_("亮灯"), choices=LightCode.choices, method="filter_light", empty_label=ALL
    )
    postponed = django_filters.ChoiceFilter(
        label=_("延期"), choices=[(YES, _("已延期"))], method="filter_postponed", empty_label=ALL
    )
    source = django_filters.ChoiceFilter(label=_("来源"), choices=Source.choices, empty_label=ALL)
    due_within = django_filters.NumberFilter(
        label=_("几天内到期"),
        method="filter_due_within",
        min_value=0,
        max_value=3660,
        widget=forms.NumberInput(attrs={"min": 0, "max": 3660, "step": 1, "inputmode": "numeric"}),
    )

    class Meta:
        model = Requirement
        fields = [
            "q",
            "pillar",
            "task",
            "department",
            "role",
            "official",
            "team",
            "status",
            "light",
            "postponed",
            "source",
            "due_within",
        ]

    def __init__(self, data=None, queryset=None, *, choices=None, today=None, **kwargs):
        self.today = today or timezone.localdate()
        if queryset is not None:
            queryset = queryset.with_lights(on=self.today)
        super().__init__(data, queryset, **kwargs)
        self.choices = choices or FilterChoices.load()
        tasks = self.choices.tasks
        self.filters["pillar"].extra["choices"] = [(pk, name) for pk, (_n, name) in self.choices.pillars.items()]
        self.filters["task"].extra["choices"] = [
            (pk, f"{number}. {title}") for pk, (_p, number, title) in tasks.items()
        ]
        self.filters["department"].extra["choices"] = [(pk, d.name) for pk, d in self.choices.departments.items()]
        self.filters["official"].extra["choices"] = self.choices.officials
        self.filters["team"].extra["choices"] = self.choices.teams

    def filter_text(self, queryset, name, value):
        """Text, task title, lead official's name, or the requirement's number."""
        value = value.strip()
        if not value:
            return queryset
        led_by = Requirement.lead_officials.through.objects.filter(official__name__icontains=value)
        matches = Q(text__icontains=value) | Q(task__title__icontains=value) | Q(pk__in=led_by.values("requirement_id"))
        if value.isdigit() and len(value) < 10:
            matches |= Q(number=int(value))
        return queryset.filter(matches)

    def filter_department(self, queryset, name, value):
        if not value:
            return queryset
        department = self.choices.departments[int(value)]
        role = self.form.cleaned_data.get("role")
        if role == RESPONSIBLE:
            return queryset.responsible_for(department)
        if role == COOPERATING:
            return queryset.cooperating_with(department)
        return queryset.involving(department)

    def filter_role(self, queryset, name, value):
        return queryset  # applied together with the department

    def filter_light(self, queryset, name, value):
        return queryset.with_light(value) if value else queryset

    def filter_postponed(self, queryset, name, value):
        return queryset.filter(postponed_to__isnull=False) if value == YES else queryset

    def filter_due_within(self, queryset, name, value):
        if value is None:
            return queryset
        until = self.today + timedelta(days=int(value))
        return queryset.exclude(status=Status.COMPLETED).filter(next_due_on__gte=self.today, next_due_on__lte=until)

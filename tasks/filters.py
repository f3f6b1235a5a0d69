from dataclasses import dataclass, field
from datetime import timedelta

import django_filters
from django import forms
from django.db.models import CharField, IntegerField, Q, Value, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tasks.lights import LIGHT_CHOICES
from tasks.models import Pillar, Requirement, Status, Task
from teams.models import ActionTeam, Department, Official
from tieju.widgets import PlainSelect

EITHER, RESPONSIBLE, COOPERATING = "either", "responsible", "cooperating"


@dataclass
class FilterChoices:
    """What the filter form offers (current pillars and tasks, active departments, officials and teams),
    read in one query; the dashboard also takes pillar and task names and team hosts from it."""

    pillars: dict = field(default_factory=dict)  # pk: (number, name)
    tasks: dict = field(default_factory=dict)  # pk: (pillar pk, number, title)
    departments: dict = field(default_factory=dict)  # pk: Department (unsaved copy: pk, name, kind)
    officials: list = field(default_factory=list)  # [(pk, name)] in Official's order
    teams: list = field(default_factory=list)  # [(pk, name)] in ActionTeam's order
    team_hosts: set = field(default_factory=set)  # pks of departments hosting an active team

    @classmethod
    def load(cls):
        # Five short lists, one round trip: each part is (kind, pk, name, sort, number, parent, extra,
        # position), position numbering the rows in the model's own order as the database sorts it
        # (its collation, e.g. pinyin order for names of equal sort_order).
        def part(queryset, kind, name, sort, number=None, parent=None, extra=None):
            position = Window(RowNumber(), order_by=queryset.model._meta.ordering)
            return queryset.order_by().values_list(
                Value(kind, output_field=CharField()), "pk", name, sort,
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
            part(ActionTeam.objects.active(), "team", "name", "number", parent="host_department_id"),
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
                if parent is not None:
                    choices.team_hosts.add(parent)
        return choices


class RequirementFilter(django_filters.FilterSet):
    """The dashboard's filters. Choices come from FilterChoices (one query for all of them); light and
    "due within" are computed in Python from the same one query that feeds the dashboard's summary."""

    q = django_filters.CharFilter(label=_("搜索"), method="filter_text")
    pillar = django_filters.ChoiceFilter(widget=PlainSelect, label=_("四铁工程"), field_name="task__pillar")
    task = django_filters.ChoiceFilter(widget=PlainSelect, label=_("主要任务"), field_name="task")
    department = django_filters.ChoiceFilter(widget=PlainSelect, label=_("部门"), method="filter_department")
    role = django_filters.ChoiceFilter(widget=PlainSelect, 
        label=_("部门分工"), method="filter_role", empty_label=_("责任或配合"),
        choices=[(RESPONSIBLE, _("作为责任部门")), (COOPERATING, _("作为配合部门"))],
    )
    official = django_filters.ChoiceFilter(widget=PlainSelect, label=_("主管领导"), field_name="lead_officials")
    team = django_filters.ChoiceFilter(widget=PlainSelect, label=_("行动队"), field_name="teams")
    status = django_filters.ChoiceFilter(widget=PlainSelect, label=_("状态"), choices=Status.choices)
    light = django_filters.ChoiceFilter(widget=PlainSelect, label=_("亮灯"), choices=LIGHT_CHOICES, method="filter_later")
    due_within = django_filters.NumberFilter(
        label=_("几天内到期"), method="filter_later", min_value=0, max_value=3660,
        widget=forms.NumberInput(attrs={"min": 0, "max": 3660, "step": 1, "inputmode": "numeric"}),
    )

    class Meta:
        model = Requirement
        fields = ["q", "pillar", "task", "department", "role", "official", "team", "status", "light", "due_within"]

    def __init__(self, *args, choices=None, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = choices or FilterChoices.load()
        self.today = today or timezone.localdate()
        self.states = None  # set by filter_queryset: RequirementState of every row that passes
        tasks = self.choices.tasks
        self.filters["pillar"].extra["choices"] = [(pk, name) for pk, (_n, name) in self.choices.pillars.items()]
        self.filters["task"].extra["choices"] = [(pk, f"{number}. {title}") for pk, (_p, number, title) in tasks.items()]
        self.filters["department"].extra["choices"] = [(pk, d.name) for pk, d in self.choices.departments.items()]
        self.filters["official"].extra["choices"] = self.choices.officials
        self.filters["team"].extra["choices"] = self.choices.teams

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(text__icontains=value) | Q(task__title__icontains=value)) if value else queryset

    def filter_department(self, queryset, name, value):
        if not value:
            return queryset
        department = self.choices.departments[int(value)]
        hosts_a_team = department.pk in self.choices.team_hosts
        role = self.form.cleaned_data.get("role")
        if role == RESPONSIBLE:
            return queryset.responsible_for(department, hosts_a_team=hosts_a_team)
        if role == COOPERATING:
            return queryset.cooperating_with(department, hosts_a_team=hosts_a_team)
        return queryset.involving(department, hosts_a_team=hosts_a_team)

    def filter_role(self, queryset, name, value):
        return queryset  # applied together with the department

    def filter_later(self, queryset, name, value):
        return queryset  # light and due_within: see filter_queryset

    def filter_queryset(self, queryset):
        """The filters SQL can apply, then light and "due within" over the rows' states (one query);
        the result selects the remaining rows by primary key."""
        queryset = super().filter_queryset(queryset)
        states = queryset.states(on=self.today)
        light, within = self.form.cleaned_data.get("light"), self.form.cleaned_data.get("due_within")
        if light:
            states = [s for s in states if s.light.code == light]
        if within is not None:
            until = self.today + timedelta(days=int(within))
            states = [s for s in states if s.status != Status.COMPLETED and s.next_due
                      and self.today <= s.next_due <= until]
        self.states = states
        # The rows shown are exactly the rows counted: under load a report can land between this query and
        # the page's, and a row that entered the filter since would be shown but not counted. (SQLite takes
        # 32,766 parameters per statement in its stock build, 250,000 in Debian's; a breakdown holds hundreds.)
        return self.queryset.filter(pk__in=[s.pk for s in states])

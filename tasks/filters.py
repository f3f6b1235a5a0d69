from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tasks.lights import LIGHT_CHOICES
from tasks.models import Pillar, Requirement, Status, Task
from teams.models import ActionTeam, Department, Official

EITHER, RESPONSIBLE, COOPERATING = "either", "responsible", "cooperating"


class RequirementFilter(django_filters.FilterSet):
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
        return queryset  # applied together with the department

    def filter_light(self, queryset, name, value):
        # Lights are computed in Python from one query's rows (tasks/lights.py is their one definition).
        lights = queryset.lights(on=self.today)
        return queryset.filter(pk__in=[pk for pk, light in lights.items() if light.code == value])

    def filter_due_within(self, queryset, name, value):
        if value is None:
            return queryset
        until = self.today + timedelta(days=int(value))
        due = queryset.exclude(status=Status.COMPLETED).next_due_dates(on=self.today)
        return queryset.filter(pk__in=[pk for pk, day in due.items() if day and self.today <= day <= until])

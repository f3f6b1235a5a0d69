import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tasks.models import Pillar, Requirement, Status, Task
from teams.models import ActionTeam, Department, Official


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
    official = django_filters.ModelChoiceFilter(
        label=_("主管领导"), field_name="lead_officials", queryset=Official.objects.filter(is_active=True)
    )
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Status.choices)
    team = django_filters.ModelChoiceFilter(label=_("行动队"), field_name="teams", queryset=ActionTeam.objects.active())

    class Meta:
        model = Requirement
        fields = ["q", "pillar", "task", "department", "official", "status", "team"]

    def filter_text(self, queryset, name, value):
        return queryset.filter(Q(text__icontains=value) | Q(task__title__icontains=value)) if value else queryset

    def filter_department(self, queryset, name, value):
        return queryset.involving(value) if value else queryset

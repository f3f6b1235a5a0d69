import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from audit.models import Action, AuditEvent, Outcome


class AuditEventFilter(django_filters.FilterSet):
    since = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        label=_("起始日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        label=_("截止日期"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    actor = django_filters.CharFilter(field_name="actor_name", lookup_expr="icontains", label=_("操作人账号"))
    action = django_filters.ChoiceFilter(choices=Action.choices, label=_("事件类型"), empty_label=_("全部"))
    outcome = django_filters.ChoiceFilter(choices=Outcome.choices, label=_("结果"), empty_label=_("全部"))
    ip = django_filters.CharFilter(field_name="ip_address", lookup_expr="startswith", label=_("来源地址"))
    object = django_filters.CharFilter(field_name="object_repr", lookup_expr="icontains", label=_("对象"))

    class Meta:
        model = AuditEvent
        fields = []

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teams.models import Department, TeamMembership, User


class DateInput(forms.DateInput):
    """The browser's date picker, which reads and writes ISO dates whatever the language."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        departments = _("、").join(d.name for d in obj.departments.all())
        return (
            _("%(person)s（%(departments)s）") % {"person": obj, "departments": departments}
            if departments
            else str(obj)
        )


class MembershipAddForm(forms.Form):
    user = PersonChoiceField(
        label=_("人员"),
        queryset=User.objects.filter(is_active=True, groups__isnull=False)
        .distinct()
        .prefetch_related("departments")
        .order_by("display_name", "username"),
    )
    department = forms.ModelChoiceField(
        label=_("所在部门"),
        queryset=Department.objects.active(),
        required=False,
        help_text=_("留空则取其所在的第一个部门"),
    )
    role = forms.ChoiceField(
        label=_("队内职务"), choices=TeamMembership.Role.choices, initial=TeamMembership.Role.MEMBER
    )
    since = forms.DateField(label=_("加入日期"), widget=DateInput, initial=timezone.localdate)


class MembershipRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("新职务"), choices=TeamMembership.Role.choices)
    on = forms.DateField(label=_("生效日期"), widget=DateInput, initial=timezone.localdate)


class MembershipEndForm(forms.Form):
    until = forms.DateField(label=_("离队日期"), widget=DateInput, initial=timezone.localdate)


class TeamRequirementsForm(forms.Form):
    requirements = forms.ModelMultipleChoiceField(
        label=_("关联的具体要求"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, requirements, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirements"].queryset = requirements
        self.fields["requirements"].label_from_instance = lambda r: f"{r.number}. {r.text}"


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=_("名单文件（.xlsx）"))

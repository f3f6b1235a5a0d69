from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from tasks.models import Postponement, Recurrence, Status, SupervisionNotice
from tasks.periods import period_containing
from tasks.services import evidence_sniff
from teams.models import Department, Official

MAX_NOTE = 5000
MAX_FILES = 10
# How many closed periods a late report may still be filed for.
PERIODS_BACK = 4


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files at once, each checked by content and size."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("佐证材料"))
        kwargs.setdefault(
            "help_text",
            # Lazy, so the text follows the language of each request rather than the one at import time.
            lazy(
                lambda: (
                    _("PDF、图片、Word 或 Excel，每个不超过 %(mb)d MB，最多 %(n)d 个。")
                    % {"mb": settings.TIEJU_MAX_EVIDENCE_BYTES // (1024 * 1024) or 1, "n": MAX_FILES}
                ),
                str,
            )(),
        )
        super().__init__(**kwargs)
        self.widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.gif,.webp,.doc,.docx,.xls,.xlsx"

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else ([data] if data else [])
        if len(files) > MAX_FILES:
            raise ValidationError(_("一次最多上传 %(n)d 个文件。"), params={"n": MAX_FILES})
        cleaned, errors = [], []
        for uploaded in files:
            try:
                uploaded = super().clean(uploaded, initial)
                evidence_sniff(uploaded)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                cleaned.append(uploaded)
        if errors:
            raise ValidationError(errors)
        return cleaned


def _note_field(label):
    return forms.CharField(
        label=label,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写说明。")},
    )


class ProgressReportForm(forms.Form):
    # 已完成 is reached by 申请办结 and the office's 办结销号, never by a report.
    status = forms.ChoiceField(label=_("状态"), choices=[c for c in Status.choices if c[0] != Status.COMPLETED])
    progress = forms.IntegerField(label=_("进度（%）"), min_value=0, max_value=100)
    period = forms.TypedChoiceField(label=_("反馈期间"), required=False, coerce=date.fromisoformat)
    note = _note_field(_("进展说明"))
    files = EvidenceField()
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)

    def __init__(self, *args, requirement, on, **kwargs):
        kwargs.setdefault(
            "initial",
            {"status": requirement.status, "progress": requirement.progress, "version": requirement.version},
        )
        super().__init__(*args, **kwargs)
        self.requirement = requirement
        if not requirement.reports_periodically:
            del self.fields["period"]
            return
        every = requirement.report_every
        period = period_containing(every, on)
        periods = [period]
        for _i in range(PERIODS_BACK):
            period = period.previous()
            periods.append(period)
        self.periods = {p.start: p for p in periods}
        self.fields["period"].required = True
        self.fields["period"].choices = [(p.start.isoformat(), p.label) for p in periods]
        # Default to the period the light is waiting for (a missed one first, else the current one).
        owed = period_containing(every, requirement.next_due(on=on))
        self.initial.setdefault("period", (owed if owed.start in self.periods else periods[0]).start.isoformat())

    def clean_period(self):
        start = self.cleaned_data.get("period")
        if start in (None, ""):
            return None
        return self.periods[start]


class FeedbackForm(forms.Form):
    note = _note_field(_("协办反馈"))
    files = EvidenceField()


class InstructionForm(forms.Form):
    note = _note_field(_("批示内容"))


class PostponementRequestForm(forms.Form):
    new_due = forms.DateField(label=_("申请延期至"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = _note_field(_("延期理由"))


class PostponementDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审批结果"),
        choices=[(Postponement.State.APPROVED, _("同意")), (Postponement.State.REJECTED, _("不同意"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("审批意见"), required=False, max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )


def _version_field():
    return forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)


class CompletionApplyForm(forms.Form):
    # Its own ids: it shares the requirement page with the report form, whose fields have the same names.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "apply_%s")
        super().__init__(*args, **kwargs)

    note = _note_field(_("办结说明"))
    files = EvidenceField()
    version = _version_field()


class CompletionWithdrawForm(forms.Form):
    # Its own ids: it shares the requirement page with the report form, whose fields have the same names.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "withdraw_%s")
        super().__init__(*args, **kwargs)

    version = _version_field()


class CompletionReviewForm(forms.Form):
    # Its own ids: it shares the requirement page with the report form, whose fields have the same names.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "review_%s")
        super().__init__(*args, **kwargs)

    CLOSE, RETURN = "close", "return"
    decision = forms.ChoiceField(
        label=_("复核结果"),
        choices=[(CLOSE, _("办结销号")), (RETURN, _("退回整改"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("复核意见（退回整改时必填）"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    rework_due = forms.DateField(
        label=_("整改时限（退回整改时必填）"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    version = _version_field()

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.RETURN:
            if not (data.get("note") or "").strip():
                self.add_error("note", _("退回整改须写明理由。"))
            if not data.get("rework_due"):
                self.add_error("rework_due", _("退回整改须给出整改时限。"))
        return data


class NoticeIssueForm(forms.Form):
    # Its own ids: it shares the requirement page with the report form, whose fields have the same names.
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "notice_%s")
        super().__init__(*args, **kwargs)

    colour = forms.ChoiceField(label=_("督办单颜色"), choices=SupervisionNotice.Colour.choices)
    asked = forms.CharField(
        label=_("督办要求（留空则按规则生成）"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class NoticeResponseForm(forms.Form):
    # Ids of its own notice: the requirement page shows one form per unanswered notice, beside the report
    # form, whose fields have the same names.
    def __init__(self, *args, notice, **kwargs):
        kwargs.setdefault("auto_id", f"response{notice.pk}_%s")
        super().__init__(*args, **kwargs)

    note = _note_field(_("办理情况回复"))
    files = EvidenceField()


class InstructionAssignForm(forms.Form):
    """A leader's instruction registered as a 交办事项."""

    text = forms.CharField(
        label=_("交办事项"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写交办内容。")},
    )
    instructed_by = forms.ModelChoiceField(
        label=_("交办领导"), queryset=None, error_messages={"required": _("请选择交办领导。")}
    )
    officials = forms.ModelMultipleChoiceField(
        label=_("主管领导"), queryset=None, error_messages={"required": _("请选择主管领导。")}
    )
    responsible = forms.ModelMultipleChoiceField(
        label=_("责任部门"), queryset=None, error_messages={"required": _("请选择责任部门。")}
    )
    cooperating = forms.ModelMultipleChoiceField(label=_("配合部门"), queryset=None, required=False)
    due_date = forms.DateField(label=_("完成时限"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    recurrence = forms.ChoiceField(
        label=_("或：反馈周期"), required=False, choices=[("", "—")] + list(Recurrence.choices)
    )
    criteria = forms.CharField(
        label=_("完成标志"), required=False, max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        officials = Official.objects.filter(is_active=True)
        self.fields["instructed_by"].queryset = officials
        self.fields["officials"].queryset = officials
        self.fields["responsible"].queryset = Department.objects.active()
        self.fields["cooperating"].queryset = Department.objects.active()

    def clean(self):
        data = super().clean()
        if not data.get("due_date") and not data.get("recurrence"):
            self.add_error("due_date", _("请给出完成时限或反馈周期。"))
        elif data.get("due_date") and data.get("recurrence"):
            self.add_error("recurrence", _("完成时限和反馈周期只填一项。"))
        both = set(data.get("responsible") or []) & set(data.get("cooperating") or [])
        if both:
            self.add_error("cooperating", _("“%(names)s”已是责任部门。") % {"names": "、".join(d.name for d in both)})
        return data

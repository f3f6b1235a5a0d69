"""The requirement page and the actions on it: progress report, 协办反馈, 批示, 延期, evidence download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.models import Action
from audit.trail import record
from tasks import services
from tasks.access import (
    DECIDE,
    FEEDBACK,
    INSTRUCT,
    POSTPONE,
    REPORT,
    get_evidence_for_user,
    get_postponement_for_user,
    get_requirement_for_user,
)
from tasks.choices import DeadlineKind, LightCode, Status
from tasks.forms import (
    FeedbackForm,
    InstructionForm,
    PostponementDecisionForm,
    PostponementRequestForm,
    ProgressReportForm,
)
from tasks.models import Assignment, Postponement, evidence_name


def _render(request, requirement, status=200, **forms):
    today = timezone.localdate()
    abilities = requirement.abilities
    if REPORT in abilities:
        forms.setdefault("report_form", ProgressReportForm(requirement=requirement, on=today))
    if FEEDBACK in abilities:
        forms.setdefault("feedback_form", FeedbackForm())
    if INSTRUCT in abilities:
        forms.setdefault("instruction_form", InstructionForm())
    can_postpone = (
        POSTPONE in abilities
        and requirement.deadline_kind == DeadlineKind.DATE
        and requirement.status != Status.COMPLETED
    )
    postponements = list(requirement.postponements.select_related("requested_by", "decided_by"))
    pending = next((p for p in postponements if p.state == Postponement.State.PENDING), None)
    if can_postpone and pending is None:
        forms.setdefault("postponement_form", PostponementRequestForm())
    if DECIDE in abilities and pending is not None:
        forms.setdefault("decision_form", PostponementDecisionForm())
    assignments = list(requirement.assignments.select_related("department", "collective"))
    journal = requirement.journal.select_related("author", "department").prefetch_related("evidence")
    light, next_due = requirement.light(on=today), requirement.next_due(on=today)
    context = {
        "requirement": requirement,
        "light": light,
        "next_due": next_due,
        # How late a red requirement is: days since the date it (or its owed report) was due.
        "days_overdue": (today - next_due).days
        if light.code == LightCode.RED and next_due and next_due < today
        else None,
        "responsible_names": [a.display_name for a in assignments if a.role == Assignment.Role.RESPONSIBLE],
        "cooperating_names": [a.display_name for a in assignments if a.role == Assignment.Role.COOPERATING],
        "officials": requirement.lead_officials.all(),
        "teams": requirement.teams.all(),
        "journal": journal,
        "postponements": postponements,
        "pending": pending,
    }
    from tasks.views.supervision import loop_context  # the loop's actions import this module's helpers

    context.update(loop_context(request, requirement, forms))
    context.update(forms)
    return render(request, "tasks/requirement_detail.html", context, status=status)


@login_required
@require_GET
def requirement_detail(request, pk):
    return _render(request, get_requirement_for_user(request, pk))


@login_required
@require_POST
def progress_report(request, pk):
    requirement = get_requirement_for_user(request, pk, write=REPORT)
    form = ProgressReportForm(request.POST, request.FILES, requirement=requirement, on=timezone.localdate())
    try:
        if "version" in form.errors:
            # The hidden field came back unreadable (tampered with, or a page from another
            # version of tieju): the same answer as a stale one, never a silent form.
            raise services.VersionConflict(requirement, [])
        if not form.is_valid():
            return _render(request, requirement, report_form=form)
        data = form.cleaned_data
        services.progress_record(
            requirement=requirement,
            user=request.user,
            status=data["status"],
            progress=data["progress"],
            note=data["note"],
            files=data["files"],
            period=data.get("period"),
            version=data["version"],
        )
    except services.VersionConflict as conflict:
        messages.error(
            request,
            _("保存未成功：在您填写期间，其他人已更新了这项具体要求。请核对下方的最新情况后再提交（附件需重新选择）。"),
        )
        # Keep what the user typed, now against the current version, so a deliberate resubmit works.
        resubmit = request.POST.copy()
        resubmit["version"] = conflict.requirement.version
        current = get_requirement_for_user(request, pk, write=REPORT)
        form = ProgressReportForm(resubmit, requirement=current, on=timezone.localdate())
        form.is_valid()
        return _render(request, current, status=409, report_form=form, conflict=conflict.entries)
    messages.success(request, _("进度报告已保存。"))
    return redirect("tasks:requirement-detail", pk=requirement.pk)


@login_required
@require_POST
def feedback_add(request, pk):
    requirement = get_requirement_for_user(request, pk, write=FEEDBACK)
    form = FeedbackForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, requirement, feedback_form=form)
    services.feedback_add(
        requirement=requirement, user=request.user, note=form.cleaned_data["note"], files=form.cleaned_data["files"]
    )
    messages.success(request, _("协办反馈已保存。"))
    return redirect("tasks:requirement-detail", pk=requirement.pk)


@login_required
@require_POST
def instruction_add(request, pk):
    requirement = get_requirement_for_user(request, pk, write=INSTRUCT)
    form = InstructionForm(request.POST)
    if not form.is_valid():
        return _render(request, requirement, instruction_form=form)
    services.instruction_add(requirement=requirement, user=request.user, note=form.cleaned_data["note"])
    messages.success(request, _("批示已保存。"))
    return redirect("tasks:requirement-detail", pk=requirement.pk)


@login_required
@require_POST
def postponement_request(request, pk):
    requirement = get_requirement_for_user(request, pk, write=POSTPONE)
    form = PostponementRequestForm(request.POST)
    if form.is_valid():
        try:
            services.postponement_request(
                requirement=requirement,
                user=request.user,
                new_due=form.cleaned_data["new_due"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            form.add_error("new_due" if error.code in ("not_later", "too_far") else None, error)
        else:
            messages.success(request, _("延期申请已提交，等待审批。"))
            return redirect("tasks:requirement-detail", pk=requirement.pk)
    return _render(request, requirement, postponement_form=form)


@login_required
@require_POST
def postponement_decide(request, pk, postponement_pk):
    postponement = get_postponement_for_user(request, pk, postponement_pk)
    requirement = postponement.requirement
    form = PostponementDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.postponement_decide(
                postponement=postponement,
                user=request.user,
                approve=form.cleaned_data["decision"] == Postponement.State.APPROVED,
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("延期申请已审批。"))
        return redirect("tasks:requirement-detail", pk=requirement.pk)
    return _render(request, requirement, decision_form=form)


@login_required
@require_GET
def evidence_download(request, pk):
    return evidence_response(request, get_evidence_for_user(request, pk))


def evidence_response(request, evidence):
    """The file as a download, for the page's link and the API alike; recorded in the audit trail."""
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    # Always a download with the type we sniffed at upload: nothing a user sent renders from our origin.
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=evidence_name(evidence.original_name, evidence.content_type),
        content_type=evidence.content_type,
    )
    record(
        request.user,
        Action.EVIDENCE_DOWNLOAD,
        evidence,
        {"requirement": evidence.entry.requirement_id, "sha256": evidence.sha256},
        request=request,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

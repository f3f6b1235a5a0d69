"""The supervision loop's actions on a requirement (签收, 申请办结, 撤回, 复核) and its 督办单 pages.

Every action: `get_requirement_for_user` (404 unseen) → loop.check (403 for a part the user never
plays, 409 with the reason when the stage does not allow it now) → form → one write → redirect.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tasks.access import REPORT, get_notice_for_user, get_requirement_for_user
from tasks.forms import (
    CompletionApplyForm,
    CompletionReviewForm,
    CompletionWithdrawForm,
    InstructionAssignForm,
    NoticeIssueForm,
    NoticeResponseForm,
)
from tasks.models import CompletionRequest, Requirement
from tasks.services import VersionConflict
from tasks.supervision import delivery, instructions, loop, notices
from tasks.supervision.documents import notice_docx, notice_fields, written_date
from tasks.views.requirement import _render


def may_issue(user, requirement):
    """The supervision office (and administrators) issue notices, never to their own department."""
    return (
        user.has_perm("tasks.issue_notice")
        and not requirement.is_retired
        and not (
            user.departments.exists()
            and Requirement.objects.filter(pk=requirement.pk).responsible_for(*user.departments.all()).exists()
        )
    )


def loop_context(request, requirement, forms):
    """What the requirement page shows of the loop, and the forms the user may use now."""
    user = request.user
    parts = loop.actors(user, requirement)
    actions = loop.allowed(user, requirement, parts=parts)
    version = {"version": requirement.version}
    if loop.APPLY in actions:
        forms.setdefault("apply_form", CompletionApplyForm(initial=version))
    if loop.WITHDRAW in actions:
        forms.setdefault("withdraw_form", CompletionWithdrawForm(initial=version))
    if actions & {loop.CLOSE, loop.RETURN}:
        forms.setdefault("review_form", CompletionReviewForm(initial=version))
    if may_issue(user, requirement):
        forms.setdefault("notice_form", NoticeIssueForm())
    today = timezone.localdate()
    notice_list = list(requirement.notices.select_related("issued_by", "responded_by"))
    answered = forms.get("notice_response_form")  # a refused answer, shown again under its own notice
    for notice in notice_list:
        notice.escalated = notice.is_escalated(on=today)
        if answered is not None and forms.get("response_notice_pk") == notice.pk:
            notice.response_form = answered
        else:
            notice.response_form = NoticeResponseForm(notice=notice)
    return {
        "loop_actions": actions,
        "acknowledgements": list(requirement.acknowledgements.select_related("department", "signed_by")),
        "pending_application": requirement.completion_requests.filter(state=CompletionRequest.State.PENDING)
        .select_related("requested_by", "department", "entry")
        .prefetch_related("entry__evidence")
        .first(),
        "applications": list(requirement.completion_requests.select_related("requested_by", "decided_by")),
        "notices": notice_list,
        "may_respond": REPORT in requirement.abilities,
    }


def _refused(request, requirement, error, **forms):
    messages.error(request, error.messages[0] if isinstance(error, ValidationError) else str(error))
    current = get_requirement_for_user(request, requirement.pk)
    return _render(request, current, status=409, **forms)


def _conflict_message(request):
    messages.error(request, _("保存未成功：在您操作期间，其他人已更新了这项具体要求。请核对下方的最新情况后再操作。"))


def _step(request, pk, action):
    """The requirement, and the refusal to answer with (None when the user may take `action` now)."""
    requirement = get_requirement_for_user(request, pk)
    try:
        loop.check(request.user, requirement, action)
    except ValidationError as error:
        return requirement, _refused(request, requirement, error)
    return requirement, None


def _write(request, requirement, write, done, *, form_name=None, form=None):
    """Run one step's write and answer: the success message and back to the requirement; a stale version →
    409 with the latest state; a refusal → 409 with its reason (on the form, when the step has one to show)."""
    try:
        write()
    except VersionConflict:
        _conflict_message(request)
        return _render(request, get_requirement_for_user(request, requirement.pk), status=409)
    except ValidationError as error:
        if form is None:
            return _refused(request, requirement, error)
        form.add_error(None, error)
        return _render(request, requirement, status=409 if error.code == "stage" else 200, **{form_name: form})
    messages.success(request, done)
    return redirect("tasks:requirement-detail", pk=requirement.pk)


@login_required
@require_POST
def requirement_sign(request, pk):
    requirement, refused = _step(request, pk, loop.SIGN)
    if refused:
        return refused
    return _write(
        request, requirement, lambda: loop.requirement_sign(requirement=requirement, user=request.user), _("已签收。")
    )


@login_required
@require_POST
def completion_apply(request, pk):
    requirement, refused = _step(request, pk, loop.APPLY)
    if refused:
        return refused
    form = CompletionApplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _render(request, requirement, apply_form=form)
    data = form.cleaned_data
    return _write(
        request,
        requirement,
        lambda: loop.completion_apply(
            requirement=requirement,
            user=request.user,
            note=data["note"],
            files=data["files"],
            version=data["version"],
        ),
        _("办结申请已提交，等待督查督办复核。"),
    )


@login_required
@require_POST
def completion_withdraw(request, pk):
    requirement, refused = _step(request, pk, loop.WITHDRAW)
    if refused:
        return refused
    form = CompletionWithdrawForm(request.POST)
    if not form.is_valid():
        return _refused(request, requirement, ValidationError(_("请求缺少版本号，请刷新页面后重试。")))
    return _write(
        request,
        requirement,
        lambda: loop.completion_withdraw(
            requirement=requirement,
            user=request.user,
            version=form.cleaned_data["version"],
        ),
        _("办结申请已撤回。"),
    )


@login_required
@require_POST
def completion_review(request, pk):
    decision = request.POST.get("decision")
    action = loop.RETURN if decision == CompletionReviewForm.RETURN else loop.CLOSE
    requirement, refused = _step(request, pk, action)
    if refused:
        return refused
    form = CompletionReviewForm(request.POST)
    if not form.is_valid():
        return _render(request, requirement, review_form=form)
    data = form.cleaned_data
    if action == loop.CLOSE:
        return _write(
            request,
            requirement,
            lambda: loop.completion_close(
                requirement=requirement,
                user=request.user,
                note=data["note"],
                version=data["version"],
            ),
            _("已办结销号。"),
            form_name="review_form",
            form=form,
        )
    return _write(
        request,
        requirement,
        lambda: loop.completion_return(
            requirement=requirement,
            user=request.user,
            reason=data["note"],
            rework_due=data["rework_due"],
            version=data["version"],
        ),
        _("已退回整改。"),
        form_name="review_form",
        form=form,
    )


@login_required
@require_POST
def notice_issue(request, pk):
    requirement = get_requirement_for_user(request, pk)
    if not may_issue(request.user, requirement):
        raise PermissionDenied
    form = NoticeIssueForm(request.POST)
    if not form.is_valid():
        return _render(request, requirement, notice_form=form)
    try:
        notice = notices.notice_issue_by_hand(
            requirement=requirement,
            user=request.user,
            colour=form.cleaned_data["colour"],
            asked=form.cleaned_data["asked"],
        )
    except ValidationError as error:
        form.add_error(None, error)
        return _render(request, requirement, status=409, notice_form=form)
    delivery.notice_send(notice)
    messages.success(request, _("已签发 %(number)s。") % {"number": notice.number})
    return redirect("tasks:notice-detail", pk=notice.pk)


@login_required
@require_GET
def notice_detail(request, pk):
    """The notice as it prints: one A4 page (templates/tasks/notice_detail.html's print styles)."""
    notice = get_notice_for_user(request, pk)
    context = {
        "notice": notice,
        "fields": notice_fields(notice),
        "issued": written_date(notice.issued_on),
        "escalated": notice.is_escalated(on=timezone.localdate()),
        "settings_issuer": settings.TIEJU_NOTICE_ISSUER,
    }
    return render(request, "tasks/notice_detail.html", context)


@login_required
@require_GET
def notice_download(request, pk):
    notice = get_notice_for_user(request, pk)
    response = HttpResponse(notice_docx(notice), content_type=delivery.DOCX)
    response["Content-Disposition"] = f'attachment; filename="notice-{notice.year}-{notice.serial}.docx"'
    return response


@login_required
@require_POST
def notice_respond(request, pk):
    notice = get_notice_for_user(request, pk)
    requirement = get_requirement_for_user(request, notice.requirement_id, write=REPORT)
    form = NoticeResponseForm(request.POST, request.FILES, notice=notice)
    if not form.is_valid():
        return _render(request, requirement, notice_response_form=form, response_notice_pk=notice.pk)
    try:
        notices.notice_respond(
            notice=notice, user=request.user, note=form.cleaned_data["note"], files=form.cleaned_data["files"]
        )
    except ValidationError as error:
        return _refused(request, requirement, error)
    messages.success(request, _("督办单 %(number)s 已回复。") % {"number": notice.number})
    return redirect("tasks:requirement-detail", pk=requirement.pk)


def may_assign(user):
    """Leaders (批示) and the supervision office (立项) register 领导交办事项."""
    return user.has_perm("tasks.add_instruction") or user.has_perm("tasks.issue_notice")


@login_required
def instruction_assign(request):
    if not may_assign(request.user):
        raise PermissionDenied
    form = InstructionAssignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            requirement = instructions.instruction_assign(
                user=request.user,
                text=data["text"],
                instructed_by=data["instructed_by"],
                responsible=list(data["responsible"]),
                cooperating=list(data["cooperating"]),
                officials=list(data["officials"]),
                due_date=data["due_date"],
                recurrence=data["recurrence"],
                criteria=data["criteria"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("交办事项已登记，等待责任部门签收。"))
            return redirect("tasks:requirement-detail", pk=requirement.pk)
    return render(request, "tasks/instruction_form.html", {"form": form})

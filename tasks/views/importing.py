"""Import (upload → preview → apply) and export of the task-breakdown table."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import Action
from audit.trail import record
from imports.errors import UnreadableFile
from imports.models import ImportRecord
from imports.records import import_record_data
from tasks.importing.export import export_breakdown
from tasks.importing.forms import ImportApplyForm, ImportUploadForm
from tasks.importing.runs import KIND, breakdown_apply, breakdown_preview, breakdown_upload
from tasks.models import Breakdown
from tieju.xlsx import CONTENT_TYPE

# A preview lists at most this many rows per kind; the counts stay exact.
PREVIEW_LIMIT = 200
XLSX = CONTENT_TYPE


def _get_record_for_importer(request, pk):
    if not request.user.has_perm("tasks.import_breakdown"):
        raise PermissionDenied
    return get_object_or_404(ImportRecord.objects.filter(kind=KIND).select_related("user"), pk=pk)


@login_required
def import_upload(request):
    if not request.user.has_perm("tasks.import_breakdown"):
        raise PermissionDenied
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        outcome = breakdown_upload(data=upload.read(), filename=upload.name, user=request.user)
        return redirect("tasks:import-preview", pk=outcome.record.pk)
    runs = ImportRecord.objects.filter(kind=KIND).select_related("user")[:20]
    return render(request, "tasks/import_upload.html", {"form": form, "runs": runs})


@login_required
def import_preview(request, pk):
    run = _get_record_for_importer(request, pk)
    context = {"run": run, "limit": PREVIEW_LIMIT, "apply_form": ImportApplyForm()}
    if not run.applied:
        try:
            data = import_record_data(run)
        except UnreadableFile as exc:
            context["unreadable"] = run.message or str(exc)
        else:
            outcome = breakdown_preview(data, run.file_name)
            context.update(outcome=outcome, plan=outcome.plan, errors=outcome.errors, unreadable=outcome.unreadable)
    return render(request, "tasks/import_preview.html", context)


@login_required
@require_POST
def import_apply(request, pk):
    run = _get_record_for_importer(request, pk)
    form = ImportApplyForm(request.POST)
    create_missing = form.is_valid() and form.cleaned_data["create_missing"]
    outcome = breakdown_apply(record=run, user=request.user, create_missing=create_missing)
    if outcome.applied:
        counts = outcome.plan.counts()
        record(request.user, Action.IMPORT_APPLY, run, {"kind": "breakdown", "counts": counts})
        messages.success(
            request,
            _("已导入：新增 %(created)d 项，更新 %(updated)d 项，未变 %(unchanged)d 项，停用 %(retired)d 项。")
            % counts,
        )
    else:
        problem = outcome.unreadable or outcome.blocked
        if outcome.errors:
            problem = _("文件有 %(count)d 处错误，未写入任何内容。") % {"count": len(outcome.errors)}
        messages.error(request, problem)
    return redirect("tasks:import-preview", pk=run.pk)


@login_required
def export_download(request):
    if not request.user.has_perm("tasks.view_requirement"):
        raise PermissionDenied
    breakdown = Breakdown.current()
    with_status = request.GET.get("status") == "1"
    content = export_breakdown(breakdown, with_status=with_status)
    name = _("任务分解表") + timezone.localdate().strftime("-%Y%m%d") + ".xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    record(request.user, Action.EXPORT, breakdown, {"file": "breakdown.xlsx", "with_status": with_status})
    return response

"""Roster export and import (.xlsx): upload → preview → apply, all-or-nothing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.trail import record
from imports.errors import UnreadableFile
from imports.models import ImportRecord
from imports.records import import_record_create, import_record_data
from tasks.access import require_reader
from teams.forms import RosterUploadForm
from teams.importing.apply import roster_apply
from teams.importing.export import roster_export
from teams.importing.plan import MAX_BYTES, plan_roster, roster_rows
from teams.models import ActionTeam
from tieju.xlsx import CONTENT_TYPE

KIND = "rosters"
XLSX = CONTENT_TYPE


@login_required
def roster_download(request):
    """Every role may read rosters, so every role may download them (optionally one team's)."""
    require_reader(request)
    teams = ActionTeam.objects.active()
    team_pk = request.GET.get("team", "")
    if team_pk.isdigit():
        teams = teams.filter(pk=team_pk)
    response = HttpResponse(roster_export(teams=teams), content_type=XLSX)
    filename = f"rosters-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    record(request.user, Action.EXPORT, "rosters", {"file": "rosters.xlsx", "team": team_pk})
    return response


def _require_importer(request):
    require_reader(request)
    if not request.user.has_perm("teams.manage_rosters"):
        raise PermissionDenied


@login_required
def roster_import(request):
    """GET: the upload form. POST with a file: the preview. POST with action=apply: apply the stored file."""
    _require_importer(request)
    if request.method == "POST" and request.POST.get("action") == "apply":
        return _apply(request)
    form = RosterUploadForm(request.POST, request.FILES) if request.method == "POST" else RosterUploadForm()
    context = {"form": form, "max_mb": MAX_BYTES // (1024 * 1024)}
    if request.method != "POST":
        return render(request, "teams/roster_import.html", context)
    if not form.is_valid():
        return render(request, "teams/roster_import.html", context, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_BYTES:
        context["file_error"] = _("文件超过 %(mb)d MB，名单文件不应这么大。") % {"mb": context["max_mb"]}
        return render(request, "teams/roster_import.html", context, status=400)
    data = upload.read()
    try:
        rows = roster_rows(data, upload.name)
    except UnreadableFile as exc:
        context["file_error"] = str(exc)
        return render(request, "teams/roster_import.html", context, status=400)
    plan = plan_roster(rows)
    preview = None
    if plan.can_apply:
        # The file waits for confirmation in storage, not in the session: any host may apply it.
        preview = import_record_create(
            kind=KIND, data=data, filename=upload.name, user=request.user, counts=plan.counts()
        )
    context.update({"plan": plan, "file_name": upload.name, "sha256": preview.sha256 if preview else ""})
    return render(request, "teams/roster_import.html", context)


def _apply(request):
    sha256 = request.POST.get("sha256", "")
    preview = ImportRecord.objects.previews().filter(kind=KIND, sha256=sha256, user=request.user).first()
    try:
        data = import_record_data(preview) if preview else None
    except UnreadableFile:
        data = None
    if data is None:
        messages.error(request, _("预览已过期，请重新上传名单文件。"))
        return redirect("teams:roster-import")
    # Planned again against the database as it is now, so the apply cannot act on a stale preview.
    plan = plan_roster(roster_rows(data, preview.file_name))
    if not plan.can_apply:
        messages.error(request, _("名单在预览后已不能应用，请重新上传并查看预览。"))
        return redirect("teams:roster-import")
    counts = roster_apply(plan=plan, record=preview)
    record(
        request.user,
        Action.IMPORT_APPLY,
        "rosters",
        {"kind": "rosters", "sha256": preview.sha256, "counts": counts},
    )
    messages.success(
        request, _("名单已导入：新增%(added)d人，变更%(changed)d人，离队%(ended)d人，未变%(unchanged)d人。") % counts
    )
    return redirect("teams:team-list")

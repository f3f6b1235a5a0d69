import hashlib
import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from audit.models import Action
from audit.trail import record
from metrics import export
from metrics.access import require
from metrics.importing.apply import indicators_import, plan_import
from metrics.importing.reader import UnreadableFile
from tieju import xlsx

_TOKEN = re.compile(r"^[0-9a-f]{64}$")


def _stash_dir():
    path = settings.MEDIA_ROOT / "metrics-imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@login_required
def values_import(request):
    """Upload → preview (nothing written) → apply the same file, all or nothing."""
    require(request, "metrics.enter_indicator_values")
    context = {"max_mb": settings.TIEJU_MAX_IMPORT_BYTES // 1048576}
    if request.method != "POST":
        return render(request, "metrics/import.html", context)
    token = request.POST.get("token", "")
    if token:
        if not _TOKEN.match(token) or not (_stash_dir() / token).exists():
            messages.error(request, _("预览已失效，请重新上传文件。"))
            return redirect("metrics:import")
        data, filename = (_stash_dir() / token).read_bytes(), request.POST.get("filename", "")[:200]
    else:
        upload = request.FILES.get("file")
        if upload is None:
            context["file_error"] = _("请选择要导入的文件。")
            return render(request, "metrics/import.html", context, status=400)
        if upload.size > settings.TIEJU_MAX_IMPORT_BYTES:
            context["file_error"] = _("文件超过%(mb)d MB。") % context
            return render(request, "metrics/import.html", context, status=400)
        data, filename = upload.read(), upload.name[:200]
    try:
        plan = plan_import(data, filename)
    except UnreadableFile as exc:
        context["file_error"] = str(exc)
        return render(request, "metrics/import.html", context, status=400)
    if token and request.POST.get("apply") and plan.is_valid:
        counts = indicators_import(plan, user=request.user, file_name=filename, sha256=token)
        record(
            request.user,
            Action.IMPORT_APPLY,
            filename or "indicators",
            {"kind": "indicators", "sha256": token, "counts": counts},
        )
        (_stash_dir() / token).unlink(missing_ok=True)
        messages.success(request, _("导入完成：新增%(created)d项，更新%(updated)d项，未变%(unchanged)d项。") % counts)
        return redirect("metrics:import")
    token = hashlib.sha256(data).hexdigest()
    if plan.is_valid:
        (_stash_dir() / token).write_bytes(data)
    context.update({"plan": plan, "counts": plan.counts(), "token": token, "filename": filename})
    return render(request, "metrics/import.html", context, status=200 if plan.is_valid else 400)


@login_required
def values_export(request):
    require(request, "metrics.enter_indicator_values")
    response = HttpResponse(export.values_workbook(), content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="monthly-indicators.xlsx"'
    record(request.user, Action.EXPORT, "monthly indicators", {"file": "monthly-indicators.xlsx"})
    return response

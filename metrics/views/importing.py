import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.trail import record
from imports.errors import UnreadableFile
from imports.models import ImportRecord
from imports.records import import_record_create, import_record_data
from metrics import export
from metrics.importing.apply import KIND, indicators_import, plan_import
from metrics.models import Area, Indicator
from metrics.ownership import is_due, reporting
from metrics.views.common import shift
from tasks.access import require
from tieju import xlsx

_TOKEN = re.compile(r"^[0-9a-f]{64}$")


def _preview_of(request, token):
    """The user's own stored preview of the file with this digest, or None."""
    if not _TOKEN.match(token):
        return None
    return ImportRecord.objects.previews().filter(kind=KIND, sha256=token, user=request.user).first()


@login_required
def values_import(request):
    """Upload → preview (nothing written; the file kept as an ImportRecord) → apply the same file, all or
    nothing."""
    require(request, "metrics.enter_indicator_values")
    context = {"max_mb": settings.TIEJU_MAX_IMPORT_BYTES // 1048576}
    if request.method != "POST":
        return render(request, "metrics/import.html", context)
    token, preview = request.POST.get("token", ""), None
    if token:
        preview = _preview_of(request, token)
        try:
            data = import_record_data(preview) if preview else None
        except UnreadableFile:
            data = None
        if data is None:
            messages.error(request, _("预览已失效，请重新上传文件。"))
            return redirect("metrics:import")
        filename = preview.file_name
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
        plan = plan_import(data, filename, user=request.user)
    except UnreadableFile as exc:
        context["file_error"] = str(exc)
        return render(request, "metrics/import.html", context, status=400)
    if preview is not None and request.POST.get("apply") and plan.is_valid:
        counts = indicators_import(plan, user=request.user, record=preview)
        record(
            request.user,
            Action.IMPORT_APPLY,
            filename or "indicators",
            {"kind": "indicators", "sha256": preview.sha256, "counts": counts},
        )
        messages.success(request, _("导入完成：新增%(created)d项，更新%(updated)d项，未变%(unchanged)d项。") % counts)
        return redirect("metrics:import")
    if preview is None and plan.is_valid:
        counts = plan.counts()
        preview = import_record_create(
            kind=KIND,
            data=data,
            filename=filename,
            user=request.user,
            counts={k: counts[k] for k in ("created", "updated", "unchanged", "retired")},
        )
    token = preview.sha256 if preview else ""
    context.update({"plan": plan, "counts": plan.counts(), "token": token, "filename": filename})
    return render(request, "metrics/import.html", context, status=200 if plan.is_valid else 400)


@login_required
def values_export(request):
    require(request, "metrics.enter_indicator_values")
    response = HttpResponse(export.values_workbook(), content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="monthly-indicators.xlsx"'
    record(request.user, Action.EXPORT, "monthly indicators", {"file": "monthly-indicators.xlsx"})
    return response


@login_required
def values_template(request):
    """An .xlsx to fill in: the import's headers and the cells the user reports for the latest ended month."""
    require(request, "metrics.enter_indicator_values")
    month = shift(timezone.localdate().replace(day=1), -1)
    reporting_ = reporting()
    areas = {a.pk: a for a in Area.objects.all()}
    cells = [
        (indicator, areas[area_pk])
        for indicator in Indicator.objects.active()
        if is_due(indicator, month)
        for (indicator_pk, area_pk) in sorted(reporting_.owners, key=lambda k: areas[k[1]].sort_order)
        if indicator_pk == indicator.pk and reporting_.may_write_cell(request.user, (indicator_pk, area_pk))
    ]
    response = HttpResponse(export.template_workbook(cells=cells, month=month), content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="indicators-template-{month:%Y-%m}.xlsx"'
    return response

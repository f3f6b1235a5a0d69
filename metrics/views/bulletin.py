import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

import audit
from metrics import export
from metrics.access import require
from metrics.bulletin import build_bulletin, latest_month
from metrics.diff import bulletin_diff
from metrics.importing.parse import parse_period
from metrics.models import Bulletin
from metrics.views.common import month_or_404, shift
from metrics.workflow import bulletin_publish


def _url(month):
    return reverse("metrics:bulletin", args=[f"{month.year:04d}", f"{month.month:02d}"])


@login_required
def bulletin_latest(request):
    """The month picker's target, and the bulletin of the latest month with data."""
    require(request, "metrics.view_bulletin")
    picked = parse_period(request.GET.get("month", "")[:20]) if request.GET.get("month") else None
    if picked:
        return redirect(_url(picked))
    year, month = latest_month()
    return redirect(_url(month_or_404(year, month)))


def _bulletin_data(request, month):
    """(data, published Bulletin or None, diff or None) for the page and the export."""
    versions = list(Bulletin.objects.for_month(month))
    chosen = None
    if versions and request.GET.get("draft") != "1":
        wanted = request.GET.get("version")
        if wanted:
            chosen = next((b for b in versions if str(b.version) == wanted), None)
            if chosen is None:
                raise Http404
        else:
            chosen = versions[0]
    if chosen:
        return chosen.data, chosen, versions, None
    live = build_bulletin(month.year, month.month)
    diff = bulletin_diff(versions[0].data, live) if versions else None
    return live, None, versions, diff


def _digest(data):
    """A name for the bulletin's content. The article is rendered from `data` alone (and the language), so
    its cached rendering is keyed by this digest: new data is a new key, nothing needs invalidating. (The
    default cache lives in each server process, so a deploy that changes the template starts empty; a
    shared cache would need the release in the key too.)"""
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


@login_required
def bulletin(request, year, month):
    require(request, "metrics.view_bulletin")
    month = month_or_404(year, month)
    data, published, versions, diff = _bulletin_data(request, month)
    context = {
        "data": data,
        "digest": _digest(data),
        "published": published,
        "versions": versions,
        "diff": diff,
        "is_draft": published is None,
        "month": month,
        "previous_url": _url(shift(month, -1)),
        "next_url": _url(shift(month, 1)),
        "can_publish": request.user.has_perm("metrics.publish_bulletin"),
        "chart_data": {"charts": data["charts"]},
        "query": request.GET.urlencode(),
    }
    return render(request, "metrics/bulletin.html", context)


@login_required
def bulletin_xlsx(request, year, month):
    require(request, "metrics.view_bulletin")
    month = month_or_404(year, month)
    data, *_rest = _bulletin_data(request, month)
    response = HttpResponse(
        export.bulletin_workbook(data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="bulletin-{month:%Y-%m}.xlsx"'
    audit.record(request.user, audit.Action.EXPORT, f"bulletin {month:%Y-%m}", {"file": "bulletin.xlsx"})
    return response


@require_POST
@login_required
def bulletin_publish_view(request, year, month):
    require(request, "metrics.publish_bulletin")
    month = month_or_404(year, month)
    data = build_bulletin(month.year, month.month)
    published = bulletin_publish(month=month, user=request.user, data=data)
    audit.record(request.user, audit.Action.BULLETIN_PUBLISH, published,
                 {"month": f"{month:%Y-%m}", "version": published.version})
    messages.success(request, _("已发布%(year)d年%(month)d月通报（第%(version)d版）。") % {
        "year": month.year, "month": month.month, "version": published.version})
    return redirect(_url(month))

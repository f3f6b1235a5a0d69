import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.trail import record
from metrics import document, export
from metrics.bulletin import build_bulletin, has_any_data, latest_month, month_end
from metrics.diff import bulletin_diff
from metrics.importing.parse import parse_period
from metrics.models import Bulletin, MonthState
from metrics.present import label_risks, present, risk_summary
from metrics.views.common import month_or_404, month_url, shift
from metrics.workflow import PublishRefused, bulletin_publish, bulletin_publish_check
from tasks.access import require
from tasks.models import Requirement
from tieju import xlsx

# The bulletin's page lists the first (most overdue) at-risk rows; the full list has its own page and is the
# annex of the .xlsx and the .docx.
AT_RISK_ON_PAGE = 30
AT_RISK_PER_PAGE = 100


@login_required
def bulletin_latest(request):
    """The month picker's target, and the bulletin of the latest month with data."""
    require(request, "metrics.view_bulletin")
    picked = parse_period(request.GET.get("month", "")[:20]) if request.GET.get("month") else None
    if picked:
        return redirect(month_url("bulletin", picked))
    year, month = latest_month()
    return redirect(month_url("bulletin", month_or_404(year, month)))


def _bulletin_facts(request, month):
    """(facts, published Bulletin or None, versions, diff or None) for the page and the downloads:
    the version asked for (?version=N), else the latest published, else (or with ?draft=1) the live draft."""
    versions = list(Bulletin.objects.for_month(month))
    chosen = None
    if request.GET.get("draft") != "1":
        wanted = request.GET.get("version")
        if wanted:  # a version that is not there, even of a month never published, is not the live draft
            chosen = next((b for b in versions if str(b.version) == wanted), None)
            if chosen is None:
                raise Http404
        elif versions:
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
    shared cache would need the release in the key too.) The publish confirmation carries it too, so what
    is frozen is what the administrator was shown."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _has_ended(month):
    return month_end(month.year, month.month) < timezone.localdate()


@login_required
def bulletin(request, year, month):
    require(request, "metrics.view_bulletin")
    month = month_or_404(year, month)
    facts, published, versions, diff = _bulletin_facts(request, month)
    nav = {
        "month": month,
        "previous_url": month_url("bulletin", shift(month, -1)),
        "next_url": month_url("bulletin", shift(month, 1)),
    }
    if published is None and not has_any_data(facts):
        return render(request, "metrics/bulletin_empty.html", {**nav, "has_ended": _has_ended(month)})
    data = present(facts, at_risk_rows=AT_RISK_ON_PAGE)
    context = {
        **nav,
        "data": data,
        "digest": _digest(data),
        "at_risk_url": month_url("bulletin-at-risk", month),
        "published": published,
        "versions": versions,
        "diff": diff,
        "is_draft": published is None,
        "has_ended": _has_ended(month),
        "can_publish": request.user.has_perm("metrics.publish_bulletin") and _has_ended(month),
        "chart_data": {"charts": [{k: v for k, v in c.items() if k != "table"} for c in data.get("charts", [])]},
        "query": request.GET.urlencode(),
    }
    return render(request, "metrics/bulletin.html", context)


@login_required
def bulletin_at_risk(request, year, month):
    """The full list of overdue and at-risk requirements of the month (the bulletin's page shows the first
    AT_RISK_ON_PAGE), a hundred a page, from the same facts as the bulletin."""
    require(request, "metrics.view_bulletin")
    month = month_or_404(year, month)
    facts, published, _versions, _diff = _bulletin_facts(request, month)
    if published is None and not has_any_data(facts):
        raise Http404
    rows = facts.get("at_risk", [])
    page = Paginator(rows, AT_RISK_PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "metrics/bulletin_at_risk.html",
        {
            "month": month,
            "published": published,
            "risk": risk_summary(rows),
            "rows": label_risks([dict(r) for r in page.object_list]),
            "page": page,
            "query": query.urlencode(),
            "bulletin_url": month_url("bulletin", month),
        },
    )


@login_required
def scorecard(request, year, month):
    """The month's department scorecard with the rules it was computed by and, for each department, the
    events that made its score (the same facts as the bulletin: the published version, else the draft)."""
    require(request, "metrics.view_bulletin")
    month = month_or_404(year, month)
    facts, published, versions, _diff = _bulletin_facts(request, month)
    before, after = shift(month, -1), shift(month, 1)
    nav = {
        "month": month,
        "previous_url": month_url("scorecard", before),
        "next_url": month_url("scorecard", after),
    }
    if published is None and not has_any_data(facts):
        return render(request, "metrics/bulletin_empty.html", {**nav, "has_ended": _has_ended(month)})
    data = present(facts)
    # Each event's items link to their requirement in the current table (by its number there).
    pks = dict(Requirement.objects.active().in_current_breakdown().from_table().values_list("number", "pk"))
    for row in data["scorecard"]["rows"]:
        for event in row.get("events", []):
            event["links"] = [(number, pks.get(number)) for number in event["items"]]
    return render(
        request,
        "metrics/scorecard.html",
        {
            **nav,
            "data": data,
            "published": published,
            "bulletin_url": month_url("bulletin", month),
            "can_change_rules": request.user.has_perm("metrics.change_scorerule"),
        },
    )


def _download(request, year, month):
    require(request, "metrics.view_bulletin")
    month = month_or_404(year, month)
    facts, published, *_rest = _bulletin_facts(request, month)
    if published is None and not has_any_data(facts):
        raise Http404
    return month, present(facts)


def _attachment(content, content_type, name):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def bulletin_xlsx(request, year, month):
    month, data = _download(request, year, month)
    record(request.user, Action.EXPORT, f"bulletin {month:%Y-%m}", {"file": "bulletin.xlsx"})
    return _attachment(export.bulletin_workbook(data), xlsx.CONTENT_TYPE, f"bulletin-{month:%Y-%m}.xlsx")


@login_required
def bulletin_docx(request, year, month):
    month, data = _download(request, year, month)
    record(request.user, Action.EXPORT, f"bulletin {month:%Y-%m}", {"file": "bulletin.docx"})
    return _attachment(document.bulletin_docx(data), document.DOCX_TYPE, document.file_name(data, "docx"))


@login_required
def bulletin_pdf(request, year, month):
    month, data = _download(request, year, month)
    try:
        pdf = document.bulletin_pdf(data)
    except document.ConversionFailed as error:
        return render(request, "metrics/bulletin_pdf_failed.html", {"month": month, "error": error}, status=503)
    record(request.user, Action.EXPORT, f"bulletin {month:%Y-%m}", {"file": "bulletin.pdf"})
    return _attachment(pdf, "application/pdf", document.file_name(data, "pdf"))


@login_required
def publish_bulletin(request, year, month):
    """GET: what publishing will freeze, and why it may not go ahead. POST (from that page): publish."""
    require(request, "metrics.publish_bulletin")
    month = month_or_404(year, month)
    facts = build_bulletin(month.year, month.month)
    versions = list(Bulletin.objects.for_month(month))
    reason = request.POST.get("reason", "")[:2000] if request.method == "POST" else ""
    errors = []
    if request.method == "POST":
        if request.POST.get("confirm") != _digest(facts):
            errors.append(_("确认之后数据已有变化（或确认信息无效）：请核对下方将发布的内容后再次确认。"))
        else:
            try:
                published = bulletin_publish(month=month, user=request.user, data=facts, reason=reason)
            except PublishRefused as refused:
                errors.extend(refused.messages)
            else:
                record(
                    request.user,
                    Action.BULLETIN_PUBLISH,
                    published,
                    {
                        "month": f"{month:%Y-%m}",
                        "version": published.version,
                        "issue": published.issue_number,
                        "reason": reason,
                    },
                )
                messages.success(
                    request,
                    _("已发布%(year)d年%(month)d月通报：第%(number)d期（第%(version)d版）。")
                    % {
                        "year": month.year,
                        "month": month.month,
                        "number": published.issue_number,
                        "version": published.version,
                    },
                )
                return redirect(month_url("bulletin", month))
    # What blocks publishing whatever is typed (the reason for unapproved data is asked in the form).
    problems = bulletin_publish_check(month=month, data=facts, reason="-")
    number = (
        versions[0].issue_number
        if versions
        else (
            (
                Bulletin.objects.filter(month__year=month.year)
                .order_by("-issue_number")
                .values_list("issue_number", flat=True)
                .first()
                or 0
            )
            + 1
        )
    )
    data = present(facts)
    context = {
        "month": month,
        "data": data,
        "confirm": _digest(facts),
        "problems": problems,
        "errors": errors,
        "reason": reason,
        "needs_reason": facts["data_state"] != MonthState.APPROVED,
        "issue_number": number,
        "version": (versions[0].version if versions else 0) + 1,
        "versions": versions,
        "bulletin_url": month_url("bulletin", month),
    }
    return render(request, "metrics/bulletin_publish.html", context, status=400 if errors else 200)

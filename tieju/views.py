from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from audit.models import Action, Outcome
from audit.trail import record


def bench_hello(request):
    """The trivial page `make bench` measures the dashboard against (TIEJU_BENCH=1 only)."""
    if not settings.TIEJU_BENCH:
        raise Http404
    return HttpResponse("hello", content_type="text/plain")


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE): which user name from which address is
    locked, and until when (the cool-off runs from the latest failure)."""
    from axes.models import AccessAttempt

    from tieju.clientip import client_ip

    username = (credentials or {}).get("username") or request.POST.get("username", "")
    ip = getattr(request, "axes_ip_address", None) or client_ip(request)
    cooloff = timedelta(hours=settings.AXES_COOLOFF_TIME)
    latest = (
        AccessAttempt.objects.filter(username=username, ip_address=ip)
        .order_by("-attempt_time")
        .values_list("attempt_time", flat=True)
        .first()
    )
    record(username, Action.LOCKOUT, f"{username} @ {ip}", outcome=Outcome.FAILURE, request=request, ip=ip)
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": max(1, round(settings.AXES_COOLOFF_TIME * 60)),
        "username": username,
        "ip": ip,
        "until": (latest or timezone.now()) + cooloff,
    }
    return render(request, "registration/lockout.html", context, status=429)


def permission_denied(request, exception=None):
    """403: recorded in the audit trail (越权访问) and shown as a page naming who to ask."""

    record(
        None,
        Action.ACCESS_DENIED,
        request.path[:200],
        {"method": request.method},
        outcome=Outcome.FAILURE,
        request=request,
    )
    return render(request, "403.html", status=403)

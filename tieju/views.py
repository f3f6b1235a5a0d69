from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render


def bench_hello(request):
    """The trivial page `make bench` measures the dashboard against (TIEJU_BENCH=1 only)."""
    if not settings.TIEJU_BENCH:
        raise Http404
    return HttpResponse("hello", content_type="text/plain")


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE): translated, with the wait in minutes."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": max(1, round(settings.AXES_COOLOFF_TIME * 60)),
    }
    return render(request, "registration/lockout.html", context, status=429)

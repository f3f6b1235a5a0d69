from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit import trail
from audit.models import Action
from calendars.ical import feed_calendar
from calendars.models import CalendarFeed, feed_disable, feed_enable

_NEW_URL = "calendars:new-url"


def _require_role(request):
    """Any role may subscribe (each reads the table); an account without a role has nothing to subscribe to."""
    if not request.user.has_perm("tasks.view_requirement"):
        raise PermissionDenied


@login_required
@require_GET
def feed_settings(request):
    """我的日历订阅: whether the feed is on; its address is shown once, right after it is made."""
    _require_role(request)
    feed = CalendarFeed.objects.filter(user=request.user).first()
    token = request.session.pop(_NEW_URL, None) if feed else None
    context = {"feed": feed}
    if token:
        url = request.build_absolute_uri(reverse("calendars:feed", args=[token]))
        context.update(url=url, webcal_url="webcal://" + url.split("://", 1)[1])
    return render(request, "calendars/settings.html", context)


@login_required
@require_POST
def feed_turn_on(request):
    """Turn the feed on, or regenerate its address (the old address stops working at once)."""
    _require_role(request)
    existed = CalendarFeed.objects.filter(user=request.user).exists()
    request.session[_NEW_URL] = feed_enable(user=request.user)
    action = Action.CALENDAR_FEED_REGENERATE if existed else Action.CALENDAR_FEED_ON
    trail.record(request.user, action, request.user)
    messages.success(request, _("已生成新的订阅地址，原地址已失效。") if existed else _("已开启日历订阅。"))
    return redirect("calendars:settings")


@login_required
@require_POST
def feed_turn_off(request):
    _require_role(request)
    if feed_disable(user=request.user):
        trail.record(request.user, Action.CALENDAR_FEED_OFF, request.user)
        messages.success(request, _("已关闭日历订阅，订阅地址已失效。"))
    request.session.pop(_NEW_URL, None)
    return redirect("calendars:settings")


@require_GET
def feed(request, token):
    """The .ics itself: no login (calendar apps cannot log in); the secret address is the credential."""
    subscription = CalendarFeed.objects.for_token(token)
    if subscription is None:
        raise Http404
    CalendarFeed.objects.filter(pk=subscription.pk).update(last_read_at=timezone.now())
    body = feed_calendar(subscription.user, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tieju.ics"'
    response["Cache-Control"] = "private, no-cache"
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response

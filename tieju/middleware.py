"""Request-level safeguards that are not about any one app: session lifetimes, the page shown
for a wrong HTTP method, and one-line logging of refused requests."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from audit.models import Action
from audit.trail import record

SEEN = "tieju_seen"  # epoch seconds of the last request that touched the session
SIGNED_IN = "tieju_signed_in"  # epoch seconds of the sign-in
# The last-seen stamp is rewritten at most this often, so a page view rarely writes the session.
SEEN_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """End a signed-in session after TIEJU_SESSION_IDLE_MINUTES without a request, and after
    TIEJU_SESSION_MAX_HOURS since sign-in whatever the activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            seen = session.get(SEEN)
            signed_in = session.setdefault(SIGNED_IN, now)
            idle = seen is not None and now - seen > settings.TIEJU_SESSION_IDLE_MINUTES * 60
            too_old = now - signed_in > settings.TIEJU_SESSION_MAX_HOURS * 3600
            if idle or too_old:
                return self._end(request, idle=idle)
            if seen is None or now - seen >= SEEN_RESOLUTION:
                session[SEEN] = now
        return self.get_response(request)

    def _end(self, request, *, idle):

        user = request.user
        reason = "idle" if idle else "max_age"
        record(user, Action.SESSION_TIMEOUT, user, {"reason": reason}, request=request)
        # Not logout(): that would record a sign-out too; the timeout is its own event.
        request.session.flush()
        request.user = AnonymousUser()
        if idle:
            text = _("您已超过 %(n)d 分钟未操作，为保护账号安全已自动退出，请重新登录。") % {
                "n": settings.TIEJU_SESSION_IDLE_MINUTES
            }
        else:
            text = _("登录已超过 %(n)d 小时，为保护账号安全已自动退出，请重新登录。") % {
                "n": settings.TIEJU_SESSION_MAX_HOURS
            }
        messages.warning(request, text)
        if request.method == "GET":
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return redirect(settings.LOGIN_URL)


class MethodNotAllowedPageMiddleware:
    """A POST-only address opened in the browser answers 405 with a page that explains and links
    back, instead of Django's empty body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and request.method in ("GET", "HEAD"):
            back = request.META.get("HTTP_REFERER", "")
            if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
                back = ""
            page = render(request, "405.html", {"back": back}, status=405)
            page["Allow"] = response.get("Allow", "POST")
            return page
        return response

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from teams.passwords import password_expired

EXPIRED = "tieju_password_expired"  # judged once per session, at the first request after sign-in


class PasswordExpiryMiddleware:
    """A user whose password is older than TIEJU_PASSWORD_MAX_AGE_DAYS must change it before
    anything else: every page but the change page, sign-out and the language switch redirects."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            session = request.session
            if EXPIRED not in session:
                session[EXPIRED] = password_expired(user)
            if session[EXPIRED] and request.path not in self._allowed():
                messages.warning(request, _("您的密码已过期，请先修改密码后再继续使用。"))
                return redirect("password_change")
        return self.get_response(request)

    @staticmethod
    def _allowed():
        return {reverse("password_change"), reverse("logout"), reverse("set_language")}

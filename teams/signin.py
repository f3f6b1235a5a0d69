"""What a sign-in starts: the session's clocks and the password-expiry verdict.

Set once when Django's login() announces the sign-in (user_logged_in is its only hook), so the
requests after it need no query and no session write for these checks.
"""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from teams.middleware import EXPIRED
from teams.passwords import password_expired
from tieju.middleware import SEEN, SIGNED_IN


@receiver(user_logged_in, dispatch_uid="teams_session_start")
def _signed_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[SIGNED_IN] = now
    request.session[SEEN] = now
    request.session[EXPIRED] = password_expired(user)

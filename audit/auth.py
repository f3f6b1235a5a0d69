"""Sign-in, sign-out and failed sign-ins into the audit trail.

Django's LoginView/LogoutView (and django-axes, which refuses locked-out attempts inside
authenticate()) report these only through the auth signals, so this module listens to them;
everything else in tieju calls audit.trail.record() at the call site.
"""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import Action, Outcome
from audit.trail import record


@receiver(user_logged_in, dispatch_uid="audit_login")
def _logged_in(sender, request, user, **kwargs):
    record(user, Action.LOGIN, user, request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(user, Action.LOGOUT, user, request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    record(username, Action.LOGIN_FAILED, username, outcome=Outcome.FAILURE, request=request)

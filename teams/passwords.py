"""Password policy (等保2.0 身份鉴别): complexity, no reuse of the last N, expiry.

The validators are Django's AUTH_PASSWORD_VALIDATORS, so every form that sets a password (the
password change page, the admin's add and reset forms) applies them. `password_changed()` is
Django's own hook, called by User.save() whenever a password was set: it keeps the history and
records the change in the audit trail.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit.context import current_command, current_request
from audit.models import Action
from audit.trail import record


def _classes(password):
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class CharacterClassesValidator:
    """At least `min_classes` of: lower-case letters, capitals, digits, other characters."""

    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        if _classes(password) < self.min_classes:
            raise ValidationError(
                _("密码须包含小写字母、大写字母、数字、符号四类中的至少 %(n)d 类。"),
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self):
        return _("至少包含小写字母、大写字母、数字、符号四类中的 %(n)d 类。") % {"n": self.min_classes}


class NotUsernameValidator:
    """The password may not be, or contain, the user name (in any case)."""

    def validate(self, password, user=None):
        username = (user.get_username() if user is not None else "") or ""
        if len(username) >= 3 and username.lower() in password.lower():
            raise ValidationError(_("密码不能包含用户名。"), code="password_contains_username")

    def get_help_text(self):
        return _("不能包含用户名。")


class PasswordHistoryValidator:
    """Not the current password nor one of the `count` before it; keeps the history."""

    def __init__(self, count=5):
        self.count = count

    def validate(self, password, user=None):
        if user is None or user.pk is None:
            return
        hashes = list(user.password_history.values_list("password", flat=True)[: self.count])
        if user.password and user.password not in hashes:
            hashes.insert(0, user.password)
        if any(check_password(password, encoded) for encoded in hashes[: self.count]):
            raise ValidationError(
                ngettext("不能与最近 %(n)d 次使用过的密码相同。", "不能与最近 %(n)d 次使用过的密码相同。", self.count),
                code="password_reused",
                params={"n": self.count},
            )

    def get_help_text(self):
        return ngettext(
            "不能与最近 %(n)d 次使用过的密码相同。", "不能与最近 %(n)d 次使用过的密码相同。", self.count
        ) % {"n": self.count}

    def password_changed(self, password, user):
        from teams.models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        request = current_request()
        command = current_command()
        if request is not None and request.user.is_authenticated:
            by, detail = request.user, {"by_self": request.user.pk == user.pk}
        elif command:  # `manage.py changepassword` or `createsuperuser`: whoever holds the server's shell
            by, detail = "manage.py", {"by_self": False, "command": command}
        else:
            by, detail = user, {"by_self": True}
        record(by, Action.PASSWORD_CHANGE, user, detail)


def password_changed_at(user):
    latest = user.password_history.values_list("created_at", flat=True).first()
    return latest or user.date_joined


def password_expired(user, *, now=None):
    """True when the user's password is older than TIEJU_PASSWORD_MAX_AGE_DAYS (0: never expires)."""
    days = settings.TIEJU_PASSWORD_MAX_AGE_DAYS
    if not days or password_exempt(user):
        return False
    now = now or timezone.now()
    return password_changed_at(user) + timedelta(days=days) < now


def password_exempt(user):
    """Demo accounts, while TIEJU_DEMO_ACCOUNTS_EXEMPT is on (never in production: see settings)."""
    if not settings.TIEJU_DEMO_ACCOUNTS_EXEMPT:
        return False
    from teams.demo import demo_usernames

    return user.get_username() in demo_usernames()

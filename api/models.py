"""Per-user API tokens: only a SHA-256 digest is stored, the token itself is shown once when created."""

import hashlib
import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit import trail
from audit.models import Action

TOKEN_PREFIX = "tj_"
# How much of the token the user's page shows to tell tokens apart (never enough to use one).
SHOWN_CHARS = 8


def token_digest(token):
    # A token is 256 random bits, so a plain digest cannot be reversed by guessing (unlike a password,
    # which needs a slow salted hash); it also lets the lookup be one indexed equality.
    return hashlib.sha256(token.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="api_tokens", verbose_name=_("用户")
    )
    name = models.CharField(_("用途"), max_length=100)
    shown = models.CharField(_("令牌开头"), max_length=20)
    digest = models.CharField(_("摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")

    def __str__(self):
        return f"{self.name} ({self.shown}…)"

    @property
    def is_revoked(self):
        return self.revoked_at is not None


def token_create(*, user, name):
    """A new token for `user`: returns (ApiToken, the token in clear, which is not stored anywhere)."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        record = ApiToken.objects.create(
            user=user, name=name, shown=token[: len(TOKEN_PREFIX) + SHOWN_CHARS], digest=token_digest(token)
        )
        trail.record(user, Action.TOKEN_CREATE, record, {"owner": user.get_username()})
    return record, token


def token_revoke(*, token, by):
    """Revoke a token for good (kept, so the user's page and the admin still show what it was).

    `by` is the owner on their own page or an administrator in the admin; a token already revoked is
    left as it was and nothing is recorded."""
    with transaction.atomic():
        revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        token.refresh_from_db()
        if revoked:
            trail.record(by, Action.TOKEN_REVOKE, token, {"owner": token.user.get_username()})
    return token

"""A user's secret calendar address (iCalendar feed of their deadlines)."""

import hashlib
import secrets

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def _digest(token):
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class CalendarFeedQuerySet(models.QuerySet):
    def for_token(self, token):
        """The active user's feed this token opens, or None. Only the token's SHA-256 is stored."""
        if not token or len(token) > 100:
            return None
        return self.select_related("user").filter(token_hash=_digest(token), user__is_active=True).first()


class CalendarFeed(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="calendar_feed", verbose_name=_("用户")
    )
    # The address itself is the credential, so like a password only its digest is kept.
    token_hash = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    last_read_at = models.DateTimeField(_("最近读取"), null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("日历订阅")
        verbose_name_plural = _("日历订阅")

    def __str__(self):
        return str(self.user)


def feed_enable(*, user):
    """Turn the user's feed on, or give it a new address (the old one stops working); return the new token."""
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.update_or_create(
            user=user, defaults={"token_hash": _digest(token), "created_at": timezone.now(), "last_read_at": None}
        )
    return token


def feed_disable(*, user):
    """Turn the feed off: its address stops working. Returns whether there was one."""
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)

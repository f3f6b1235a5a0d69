"""`Authorization: Bearer tj_…` with a token the user created on their own page (see api/models.py).

Every refused token is an event in the audit trail (api.token_failed, with the client's address), and
the trail is also the count that stops guessing: after TIEJU_API_TOKEN_FAILURES failures from one
address within TIEJU_API_TOKEN_MINUTES, every Bearer request from that address answers 429 — a right
token too, so a guess cannot tell it hit — until the oldest of those failures is older than the window.
Counting in the database rather than a cache keeps one count across gunicorn workers and hosts.
Requests refused while blocked are not recorded, so an address adds at most that many events per window.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api.models import TOKEN_PREFIX, ApiToken, token_digest
from audit import trail
from audit.models import Action, AuditEvent, Outcome
from tieju.clientip import client_ip

# last_used_at is written at most this often per token, so a busy client does not write on every request.
TOUCH_EVERY = timedelta(minutes=1)


class TooManyBadTokens(exceptions.Throttled):
    default_detail = _("来自您所在地址的无效令牌过多，请稍后再试。")


def _blocked_for(ip, *, now):
    """Seconds until this address may try a token again, or 0."""
    limit = settings.TIEJU_API_TOKEN_FAILURES
    window = timedelta(minutes=settings.TIEJU_API_TOKEN_MINUTES)
    recent = list(
        AuditEvent.objects.filter(action=Action.TOKEN_FAILED, ip_address=ip, created_at__gt=now - window)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return 0
    # Free again once fewer than `limit` failures remain in the window: when the oldest of these leaves it.
    return max(1, (recent[-1] + window - now).total_seconds())


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        ip = client_ip(request)
        wait = _blocked_for(ip, now=timezone.now())
        if wait:
            raise TooManyBadTokens(wait=wait)
        if len(header) != 2:
            self._refuse(request, "malformed")
            raise exceptions.AuthenticationFailed(_("Authorization 头应为“Bearer 令牌”。"))
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            token = ""
        if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
            self._refuse(request, "malformed")
            raise exceptions.AuthenticationFailed(_("令牌无效或已撤销。"))
        record = ApiToken.objects.select_related("user").filter(digest=token_digest(token)).first()
        if record is None or record.is_revoked or not record.user.is_active:
            reason = "unknown" if record is None else "revoked" if record.is_revoked else "account inactive"
            self._refuse(request, reason, record)
            raise exceptions.AuthenticationFailed(_("令牌无效或已撤销。"))
        now = timezone.now()
        if record.last_used_at is None or record.last_used_at < now - TOUCH_EVERY:
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        return record.user, record

    def _refuse(self, request, reason, record=None):
        detail = {"reason": reason, "path": request.path[:200]}
        trail.record(
            record.user if record is not None else "",
            Action.TOKEN_FAILED,
            record if record is not None else "",
            detail,
            outcome=Outcome.FAILURE,
            request=request,
        )

    def authenticate_header(self, request):
        return self.keyword

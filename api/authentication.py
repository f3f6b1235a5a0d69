"""`Authorization: Bearer tj_…` with a token the user created on their own page (see api/models.py)."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from api.models import TOKEN_PREFIX, ApiToken, token_digest

# last_used_at is written at most this often per token, so a busy client does not write on every request.
TOUCH_EVERY = timedelta(minutes=1)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Authorization 头应为“Bearer 令牌”。"))
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("令牌无效或已撤销。")) from None
        if not token.startswith(TOKEN_PREFIX) or len(token) > 100:
            raise exceptions.AuthenticationFailed(_("令牌无效或已撤销。"))
        record = ApiToken.objects.live().select_related("user").filter(digest=token_digest(token)).first()
        if record is None or not record.user.is_active:
            raise exceptions.AuthenticationFailed(_("令牌无效或已撤销。"))
        now = timezone.now()
        if record.last_used_at is None or record.last_used_at < now - TOUCH_EVERY:
            ApiToken.objects.filter(pk=record.pk).update(last_used_at=now)
        return record.user, record

    def authenticate_header(self, request):
        return self.keyword

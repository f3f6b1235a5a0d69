from django import forms
from django.utils.translation import gettext_lazy as _

MAX_LIVE_TOKENS = 20


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("用途"),
        max_length=100,
        help_text=_("例如“大屏看板”或“省平台对接”，便于日后识别和撤销。"),
        error_messages={"required": _("请填写令牌的用途。")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        if self.user.api_tokens.live().count() >= MAX_LIVE_TOKENS:
            raise forms.ValidationError(
                _("您已有 %(n)d 个有效令牌，请先撤销不用的令牌。"), params={"n": MAX_LIVE_TOKENS}
            )
        return super().clean()

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from api.models import ApiToken, token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see which tokens exist and may revoke one (the 撤销 action, audited); a token is never
    edited or deleted, so its record stays to show what it was. The secret itself is never stored."""

    list_display = ["name", "user", "shown", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "user__display_name", "shown"]
    fields = ["user", "name", "shown", "digest", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = fields
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("撤销所选令牌"), permissions=["change"])
    def revoke(self, request, queryset):
        tokens = list(queryset.live().select_related("user"))
        for token in tokens:
            token_revoke(token=token, by=request.user)
        self.message_user(
            request,
            ngettext("已撤销 %(count)d 个令牌。", "已撤销 %(count)d 个令牌。", len(tokens)) % {"count": len(tokens)},
            messages.SUCCESS,
        )

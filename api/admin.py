from django.contrib import admin

from api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Administrators see which tokens exist and may revoke one; the secret itself is never stored."""

    list_display = ["name", "user", "shown", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "user__display_name", "shown"]
    readonly_fields = ["user", "name", "shown", "digest", "created_at", "last_used_at"]
    fields = ["user", "name", "shown", "digest", "created_at", "last_used_at", "revoked_at"]

    def has_add_permission(self, request):
        return False

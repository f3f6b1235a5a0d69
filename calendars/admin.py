from django.contrib import admin

from audit import trail
from audit.models import Action
from calendars.models import CalendarFeed


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    """Administrators see who subscribes and may delete a feed (which kills its address); never the address."""

    list_display = ["user", "created_at", "last_read_at"]
    search_fields = ["user__username", "user__display_name"]
    fields = ["user", "created_at", "last_read_at"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        trail.record(request.user, Action.CALENDAR_FEED_OFF, obj.user, {"by": "admin"})

    def delete_queryset(self, request, queryset):
        users = [feed.user for feed in queryset.select_related("user")]
        super().delete_queryset(request, queryset)
        for user in users:
            trail.record(request.user, Action.CALENDAR_FEED_OFF, user, {"by": "admin"})

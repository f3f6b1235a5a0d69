from django.contrib import admin

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

from django.contrib import admin

from metrics.models import Area, Bulletin, Indicator, Month, MonthEvent, MonthlyValue


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "unit", "combination", "direction", "decimals", "target", "target_year",
                    "is_headline", "is_active"]
    list_filter = ["combination", "direction", "is_active"]
    search_fields = ["code", "name"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "is_city", "sort_order"]


@admin.register(MonthlyValue)
class MonthlyValueAdmin(admin.ModelAdmin):
    list_display = ["month", "indicator", "area", "value", "numerator", "denominator", "updated_by"]
    list_filter = ["indicator", "area"]
    date_hierarchy = "month"

    def has_change_permission(self, request, obj=None):
        # Locked months are changed only through the grid after an administrator reopens them.
        if obj is not None and Month.objects.filter(month=obj.month, state="approved").exists():
            return False
        return super().has_change_permission(request, obj)


class MonthEventInline(admin.TabularInline):
    model = MonthEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "user", "created_at", "reason"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Month)
class MonthAdmin(admin.ModelAdmin):
    list_display = ["month", "state"]
    readonly_fields = ["month", "state"]
    inlines = [MonthEventInline]


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ["month", "version", "published_at", "published_by"]
    readonly_fields = ["month", "version", "published_at", "published_by", "data"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

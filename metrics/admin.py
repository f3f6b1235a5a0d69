from django.contrib import admin

from audit.models import Action
from audit.trail import record
from metrics.models import (
    Area,
    Indicator,
    IndicatorArea,
    Month,
    MonthlyValue,
    ScoreRule,
    ValidationRule,
)


class IndicatorAreaInline(admin.TabularInline):
    """The areas an indicator is reported for (none: the city only), each with its own reporting
    department where that is not the indicator's."""

    model = IndicatorArea
    extra = 0
    autocomplete_fields = ["owner"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    inlines = [IndicatorAreaInline]
    autocomplete_fields = ["owner"]
    list_display = [
        "code",
        "name",
        "owner",
        "unit",
        "combination",
        "direction",
        "decimals",
        "target",
        "target_year",
        "is_headline",
        "is_active",
    ]
    list_filter = ["combination", "direction", "is_active", "owner"]
    search_fields = ["code", "name"]


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    """Checks between two values of the same month, run when values are saved, imported or submitted."""

    list_display = [
        "text",
        "left_indicator",
        "left_area",
        "left_field",
        "operator",
        "right_indicator",
        "right_area",
        "right_field",
        "is_active",
    ]
    list_filter = ["is_active"]
    autocomplete_fields = ["left_indicator", "right_indicator"]


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


# Months move through their states on the entry grid, where the log is shown; published bulletins are
# read on the bulletin page (?version=N). Neither is edited in the admin, so neither is registered.


@admin.register(ScoreRule)
class ScoreRuleAdmin(admin.ModelAdmin):
    """The scorecard's rules (metrics/scoring.py): their points and whether they count. A rule is switched off,
    never deleted, and every change is in the audit trail; published bulletins keep the rules they used."""

    list_display = ["event", "points", "is_active", "sort_order", "updated_at", "updated_by"]
    list_editable = ["points", "is_active", "sort_order"]
    readonly_fields = ["updated_at", "updated_by"]

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "event"] if obj else self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        record(
            request.user,
            Action.SCORE_RULE_CHANGE,
            obj,
            {"event": obj.event, "points": f"{obj.points:f}", "active": obj.is_active, "changed": form.changed_data},
        )

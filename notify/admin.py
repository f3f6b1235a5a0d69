from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notify.delivery import deliveries_requeue
from notify.models import Channel, Delivery


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "kind", "is_active", "signed"]
    list_filter = ["kind", "is_active", "department"]
    search_fields = ["name", "department__name"]
    autocomplete_fields = ["department"]

    @admin.display(boolean=True, description=_("加签"))
    def signed(self, channel):
        return bool(channel.secret)


class NeedsAttentionFilter(admin.SimpleListFilter):
    title = _("需要处理")
    parameter_name = "attention"

    def lookups(self, request, model_admin):
        return [("1", _("失败或卡住"))]

    def queryset(self, request, queryset):
        return queryset.needing_attention() if self.value() == "1" else queryset


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "event_key", "medium", "recipient", "department", "state", "attempts",
                    "sent_at", "next_attempt_at"]
    list_filter = [NeedsAttentionFilter, "state", "medium", "department"]
    search_fields = ["event_key", "recipient", "subject"]
    date_hierarchy = "created_at"
    actions = ["requeue"]
    # A record of what was sent: read, never edited (the requeue action is the one write).
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("重新发送（在下次运行催办命令时）"), permissions=["change"])
    def requeue(self, request, queryset):
        count = deliveries_requeue(queryset)
        self.message_user(
            request,
            ngettext("%(count)d 条记录将在下次运行时重新发送。", "%(count)d 条记录将在下次运行时重新发送。", count)
            % {"count": count},
            messages.SUCCESS,
        )

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from audit import trail
from audit.models import Action
from notify.delivery import deliveries_requeue, notify
from notify.models import Channel, Delivery


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "kind", "is_active", "signed"]
    list_filter = ["kind", "is_active", "department"]
    search_fields = ["name", "department__name"]
    autocomplete_fields = ["department"]
    actions = ["send_test"]

    @admin.action(description=_("发送测试消息"), permissions=["change"])
    def send_test(self, request, queryset):
        """Post a short message to each selected channel now, recorded like any delivery, and show the answer."""
        stamp = timezone.now()
        for channel in queryset:
            [delivery] = [
                d
                for d in notify(
                    f"test:{channel.pk}:{stamp.isoformat()}",
                    channel.department,
                    _("【铁军任务通】测试消息"),
                    _("这是一条测试消息：%(channel)s 已接入铁军任务通，催办和督办通知将发到这里。")
                    % {"channel": channel},
                    only=[channel],
                )
            ]
            if delivery.state == Delivery.State.FAILED:
                # A test is not worth posting again later: the administrator saw the answer and fixes the channel.
                Delivery.objects.filter(pk=delivery.pk).update(state=Delivery.State.GAVE_UP, next_attempt_at=None)
                delivery.refresh_from_db()
            level = messages.SUCCESS if delivery.state == Delivery.State.SENT else messages.ERROR
            self.message_user(request, f"{channel}: {delivery.get_state_display()} · {delivery.answer}", level)

    # Who pointed a department's notices where, in the audit trail; the secret itself never (only whether it changed).
    AUDITED = ["department", "kind", "name", "url", "is_active"]

    def _fields(self, channel):
        return {f: str(getattr(channel, f)) for f in self.AUDITED}

    def save_model(self, request, obj, form, change):
        before = self._fields(Channel.objects.get(pk=obj.pk)) if change else None
        secret_before = Channel.objects.filter(pk=obj.pk).values_list("secret", flat=True).first() if change else None
        super().save_model(request, obj, form, change)
        after = self._fields(obj)
        if not change:
            trail.record(request.user, Action.CHANNEL_CREATE, obj, {**after, "signed": bool(obj.secret)})
            return
        changed = {f: [before[f], after[f]] for f in self.AUDITED if before[f] != after[f]}
        if secret_before != obj.secret:
            changed["secret"] = "changed"
        if changed:
            trail.record(request.user, Action.CHANNEL_CHANGE, obj, changed)

    def delete_model(self, request, obj):
        detail = self._fields(obj)
        super().delete_model(request, obj)
        trail.record(request.user, Action.CHANNEL_DELETE, str(obj), detail)

    def delete_queryset(self, request, queryset):
        gone = [(str(channel), self._fields(channel)) for channel in queryset]
        super().delete_queryset(request, queryset)
        for name, detail in gone:
            trail.record(request.user, Action.CHANNEL_DELETE, name, detail)

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
    list_display = [
        "created_at",
        "event_key",
        "medium",
        "recipient",
        "department",
        "state",
        "attempts",
        "sent_at",
        "next_attempt_at",
    ]
    list_filter = [NeedsAttentionFilter, "state", "medium", "department"]
    search_fields = ["event_key", "recipient", "subject"]
    date_hierarchy = "created_at"
    actions = ["requeue"]
    # A record of what was sent: read, never edited (the requeue action is the one write).
    readonly_fields = [f.name for f in Delivery._meta.fields if f.name != "attachment"]  # the name shows which file

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

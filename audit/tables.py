import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent


class AuditEventTable(tables.Table):
    pk = tables.Column(verbose_name=_("编号"))
    created_at = tables.DateTimeColumn(format="Y-m-d H:i:s", verbose_name=_("时间"))
    detail = tables.Column(verbose_name=_("详情"), orderable=False)

    class Meta:
        model = AuditEvent
        fields = ["pk", "created_at", "actor_name", "ip_address", "action", "outcome", "object_repr", "detail"]
        order_by = "-pk"
        attrs = {"class": "table audit-table"}
        empty_text = _("没有符合条件的审计记录。")

"""The security audit trail (安全审计): append-only events chained by hash.

Each event's `hash` is an HMAC-SHA256 (keyed with TIEJU_AUDIT_KEY, by default derived from
SECRET_KEY) over its own fields and the previous event's hash, so `manage.py audit_verify`
finds an altered, removed or inserted event; someone who can write to the database but does not
hold the key cannot forge a consistent chain. On PostgreSQL a trigger (migration 0002) refuses
UPDATE always and DELETE except inside `audit_prune`.
"""

import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

GENESIS = "0" * 64


class Action(models.TextChoices):
    LOGIN = "auth.login", _("登录")
    LOGIN_FAILED = "auth.login_failed", _("登录失败")
    LOCKOUT = "auth.lockout", _("登录锁定")
    LOGOUT = "auth.logout", _("退出登录")
    SESSION_TIMEOUT = "auth.session_timeout", _("会话超时退出")
    PASSWORD_CHANGE = "auth.password_change", _("修改密码")
    ACCOUNT_CREATE = "account.create", _("创建账号")
    ACCOUNT_CHANGE = "account.change", _("修改账号")
    ACCOUNT_DEACTIVATE = "account.deactivate", _("停用账号")
    ACCOUNT_ACTIVATE = "account.activate", _("启用账号")
    ROLES_CHANGE = "account.roles", _("变更角色或权限")
    ROLE_GROUP_CREATE = "account.role_group_create", _("新建角色组")
    ROLE_GROUP_RENAME = "account.role_group_rename", _("重命名角色组")
    ACCESS_DENIED = "access.denied", _("越权访问被拒绝")
    IMPORT_APPLY = "data.import", _("导入数据")
    EXPORT = "data.export", _("导出数据")
    EVIDENCE_DOWNLOAD = "data.evidence_download", _("下载佐证材料")
    BULLETIN_PUBLISH = "bulletin.publish", _("发布通报")
    SCORE_RULE_CHANGE = "bulletin.score_rule", _("修改评分规则")
    MONTH_SUBMIT = "indicators.submit", _("提交月度指标")
    MONTH_APPROVE = "indicators.approve", _("审核锁定月度指标")
    MONTH_REOPEN = "indicators.reopen", _("退回月度指标")
    CALENDAR_FEED_ON = "calendar.on", pgettext_lazy("audit event", "开启日历订阅")
    CALENDAR_FEED_REGENERATE = "calendar.regenerate", _("重新生成日历订阅地址")
    CALENDAR_FEED_OFF = "calendar.off", pgettext_lazy("audit event", "关闭日历订阅")
    CHANNEL_CREATE = "notify.channel_create", _("新建通知渠道")
    CHANNEL_CHANGE = "notify.channel_change", _("修改通知渠道")
    CHANNEL_DELETE = "notify.channel_delete", _("删除通知渠道")
    TOKEN_CREATE = "api.token_create", _("创建接口令牌")
    TOKEN_REVOKE = "api.token_revoke", _("撤销接口令牌")
    TOKEN_FAILED = "api.token_failed", _("接口令牌无效")
    AUDIT_EXPORT = "audit.export", _("导出审计记录")
    AUDIT_PRUNE = "audit.prune", _("清理过期审计记录")


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")


class AppendOnly(Exception):
    """Raised when code tries to change or remove an audit event."""


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("audit events are never updated")

    def delete(self):
        raise AppendOnly("audit events are removed only by manage.py audit_prune")


class AuditEvent(models.Model):
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    # No database constraint: the trail must outlive (and never block removing) an account.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("操作人"),
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    ip_address = models.CharField(_("来源地址"), max_length=45, blank=True)
    action = models.CharField(_("事件类型"), max_length=40, choices=Action.choices, db_index=True)
    outcome = models.CharField(_("结果"), max_length=10, choices=Outcome.choices, default=Outcome.SUCCESS)
    object_type = models.CharField(_("对象类型"), max_length=100, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    detail = models.TextField(_("详情"), blank=True)  # canonical JSON, as hashed
    prev_hash = models.CharField(_("前一条的哈希"), max_length=64, unique=True)
    hash = models.CharField(_("哈希"), max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.outcome}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly("audit events are never updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit events are removed only by manage.py audit_prune")

    @property
    def detail_data(self):
        return json.loads(self.detail) if self.detail else {}

    def compute_hash(self):
        return event_hash(self.prev_hash, self.hashed_fields())

    def hashed_fields(self):
        return [
            self.created_at.astimezone(UTC).isoformat(timespec="microseconds"),
            "" if self.actor_id is None else str(self.actor_id),
            self.actor_name,
            self.ip_address,
            self.action,
            self.outcome,
            self.object_type,
            self.object_id,
            self.object_repr,
            self.detail,
        ]


def audit_key():
    key = getattr(settings, "TIEJU_AUDIT_KEY", "") or settings.SECRET_KEY
    return hashlib.sha256(("tieju.audit:" + key).encode()).digest()


def event_hash(prev_hash, fields):
    message = json.dumps([prev_hash, *fields], ensure_ascii=False, separators=(",", ":"))
    return hmac.new(audit_key(), message.encode(), hashlib.sha256).hexdigest()

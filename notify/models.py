"""Where a department's notices go (robot channels) and what was sent (one Delivery per event and recipient)."""

from datetime import timedelta

from django.conf import settings
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from teams.models import Department


class Channel(models.Model):
    """A group robot a department's notices are posted to: 企业微信群机器人 or 钉钉自定义机器人."""

    class Kind(models.TextChoices):
        WECOM = "wecom", _("企业微信群机器人")
        DINGTALK = "dingtalk", _("钉钉自定义机器人")

    department = models.ForeignKey(Department, models.CASCADE, related_name="channels", verbose_name=_("部门"))
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100, help_text=_("例如：水生态环境处工作群"))
    url = models.CharField(
        _("Webhook 地址"),
        max_length=500,
        validators=[URLValidator(schemes=["https", "http"])],
        help_text=_(
            "机器人设置中复制的完整地址，如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… "
            "或 https://oapi.dingtalk.com/robot/send?access_token=…"
        ),
    )
    secret = models.CharField(
        _("加签密钥"),
        max_length=200,
        blank=True,
        help_text=_("钉钉机器人安全设置“加签”下以 SEC 开头的密钥；企业微信机器人留空"),
    )
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["department", "name"]
        verbose_name = _("通知渠道")
        verbose_name_plural = _("通知渠道")

    def __str__(self):
        return f"{self.department} · {self.name}"


class DeliveryQuerySet(models.QuerySet):
    def due(self, *, now):
        """Deliveries to attempt now: never tried, failed and past their back-off, or left 发送中 by a run that died."""
        return self.filter(claimable(now=now) & (~Q(state=Delivery.State.FAILED) | Q(next_attempt_at__lte=now)))

    def needing_attention(self):
        """What an administrator should look at: failed, given up, or stuck while sending."""
        return self.filter(Q(state__in=[Delivery.State.FAILED, Delivery.State.GAVE_UP]) | stuck(now=timezone.now()))


class Delivery(models.Model):
    """One message of one event to one recipient: an e-mail address or a robot channel.

    The unique constraints make "never twice for the same event" a property of the database:
    a second run of a command, or two runs at once, find the row and do not send again.
    """

    class Medium(models.TextChoices):
        EMAIL = "email", _("电子邮件")
        WECOM = "wecom", _("企业微信群机器人")
        DINGTALK = "dingtalk", _("钉钉自定义机器人")

    class State(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败，待重试")
        GAVE_UP = "gave_up", _("失败，已放弃")

    event_key = models.CharField(_("事件"), max_length=200, db_index=True)
    medium = models.CharField(_("方式"), max_length=10, choices=Medium.choices)
    channel = models.ForeignKey(
        Channel, models.PROTECT, null=True, blank=True, related_name="deliveries", verbose_name=_("渠道")
    )
    recipient = models.CharField(_("接收方"), max_length=254, help_text=_("电子邮件地址，或渠道名称"))
    department = models.ForeignKey(
        Department, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("部门")
    )
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("最近尝试"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("下次重试"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    answer = models.TextField(_("对方应答"), blank=True, help_text=_("HTTP 状态与应答正文，或错误信息"))
    # An e-mail's one attachment (a 督办单's .docx), kept with the row so a retry sends the same file.
    attachment_name = models.CharField(_("附件"), max_length=200, blank=True)
    attachment_type = models.CharField(_("附件类型"), max_length=100, blank=True)
    attachment = models.BinaryField(_("附件内容"), blank=True, default=b"", editable=False)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("通知发送记录")
        verbose_name_plural = _("通知发送记录")
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "channel"],
                condition=Q(channel__isnull=False),
                name="one_delivery_per_event_channel",
            ),
            models.UniqueConstraint(
                fields=["event_key", "medium", "recipient"],
                condition=Q(channel__isnull=True),
                name="one_delivery_per_event_address",
            ),
            models.CheckConstraint(
                condition=Q(medium="email", channel__isnull=True) | (~Q(medium="email") & Q(channel__isnull=False)),
                name="delivery_email_xor_channel",
            ),
        ]

    def __str__(self):
        return f"{self.event_key} → {self.recipient}"


def stuck(*, now):
    """A row claimed for sending longer ago than TIEJU_NOTIFY_STUCK_MINUTES: its run died mid-send."""
    since = now - timedelta(minutes=settings.TIEJU_NOTIFY_STUCK_MINUTES)
    return Q(state=Delivery.State.SENDING, last_attempt_at__lt=since)


def claimable(*, now):
    """The rows a run may claim (the compare-and-swap in notify.delivery.delivery_attempt)."""
    return Q(state__in=[Delivery.State.PENDING, Delivery.State.FAILED]) | stuck(now=now)


def retry_delay(attempts):
    """The back-off after the n-th failed attempt: base, 2×base, 4×base … capped at a day."""
    base = settings.TIEJU_NOTIFY_RETRY_MINUTES
    return min(timedelta(minutes=base * 2 ** (attempts - 1)), timedelta(days=1))

"""The choices a requirement's fields and its light take, in one place.

tasks/models.py stores them; tasks/lights.py, the pages, the API and metrics compare against these
names rather than the stored strings. A module of its own so tasks/lights.py can read them without
importing the models (which read the lights).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("推进中")
    BLOCKED = "blocked", _("受阻")
    COMPLETED = "completed", _("已完成")


class DeadlineKind(models.TextChoices):
    DATE = "date", _("限期完成")
    ONGOING = "ongoing", _("长期坚持")
    RECURRING = "recurring", _("定期")


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("每周")
    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")


class LightCode(models.TextChoices):
    """A requirement's light, in the dashboard's order when sorted by light: what needs attention first."""

    RED = "red", _("红灯")
    YELLOW = "yellow", _("黄灯")
    GREEN = "green", _("绿灯")
    COMPLETED = "completed", _("已完成")


class LightReason(models.TextChoices):
    """Why a requirement has its light; each reason belongs to one light (`reason.light`)."""

    DONE = "done", _("已完成")
    OVERDUE = "overdue", _("已逾期")
    DUE_SOON = "due_soon", _("临近时限")
    BEHIND = "behind", _("落后于序时进度")
    ON_TRACK = "on_track", _("按计划推进")
    REPORT_OVERDUE = "report_overdue", _("反馈逾期")
    REPORT_DUE = "report_due", _("宽限期内待反馈")
    REPORTED = "reported", _("本期已反馈")

    @property
    def light(self):
        return _REASON_LIGHTS[self]

    @classmethod
    def of(cls, light):
        """The reasons that give `light`."""
        return [reason for reason in cls if reason.light == light]


_REASON_LIGHTS = {
    LightReason.DONE: LightCode.COMPLETED,
    LightReason.OVERDUE: LightCode.RED,
    LightReason.REPORT_OVERDUE: LightCode.RED,
    LightReason.DUE_SOON: LightCode.YELLOW,
    LightReason.BEHIND: LightCode.YELLOW,
    LightReason.REPORT_DUE: LightCode.YELLOW,
    LightReason.ON_TRACK: LightCode.GREEN,
    LightReason.REPORTED: LightCode.GREEN,
}

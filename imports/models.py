from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportRecordQuerySet(models.QuerySet):
    def previews(self):
        """Records never applied: a preview waiting for confirmation, or a file refused."""
        return self.filter(applied_at__isnull=True)

    def stale_previews(self, *, before):
        return self.previews().filter(created_at__lt=before)


class ImportRecord(models.Model):
    """Every upload of a spreadsheet to import: who, when, which file, what it did or would do.

    The file is kept through default_storage (S3 in a several-host deployment), so a preview made on one
    host is applied from another; `kind` names the importer (breakdown, indicators, rosters…), which
    alone knows what `counts` and `details` hold.
    """

    kind = models.CharField(_("类型"), max_length=30, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("导入人")
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    file_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveIntegerField(_("大小（字节）"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    file = models.FileField(_("文件"), upload_to="imports/%Y/%m/", max_length=200, blank=True)
    counts = models.JSONField(_("数量"), default=dict, blank=True)
    errors = models.JSONField(_("错误"), default=list, blank=True)
    message = models.TextField(_("未能导入的原因"), blank=True)
    details = models.JSONField(_("其他"), default=dict, blank=True)
    applied_at = models.DateTimeField(_("应用时间"), null=True, blank=True)

    objects = ImportRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("导入记录")
        verbose_name_plural = _("导入记录")

    def __str__(self):
        return f"{self.kind}: {self.file_name} ({timezone.localtime(self.created_at):%Y-%m-%d %H:%M})"

    @property
    def applied(self):
        return self.applied_at is not None

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("任务分解表文件"),
        help_text=_("Excel（.xlsx）或 CSV（UTF-8 / GBK）；上传后先预览，确认后才写入。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Refused before reading a byte of it: the size is known from the request.
        if upload.size > settings.TIEJU_MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("文件过大（%(size).1f MB），上限为 %(limit).0f MB。"),
                params={"size": upload.size / 1024 / 1024, "limit": settings.TIEJU_MAX_IMPORT_BYTES / 1024 / 1024},
            )
        return upload


class ImportApplyForm(forms.Form):
    create_missing = forms.BooleanField(label=_("确认新建上述部门和主管领导"), required=False)

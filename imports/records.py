"""Keeping an upload as an ImportRecord and reading it back to apply."""

import hashlib
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from imports.errors import UnreadableFile
from imports.models import ImportRecord

KEPT_SUFFIXES = {".xlsx", ".csv", ".txt"}


def sha256_of(data):
    return hashlib.sha256(data).hexdigest()


def import_record_create(*, kind, data, filename, user=None, store_file=True, **fields):
    """A saved ImportRecord of an upload, its file kept under its digest (never the name the browser sent)."""
    record = ImportRecord(
        kind=kind,
        user=user,
        file_name=PurePosixPath(filename or "").name[:255],
        sha256=sha256_of(data),
        size=len(data),
        **fields,
    )
    if store_file:
        suffix = PurePosixPath(record.file_name).suffix.lower()
        suffix = suffix if suffix in KEPT_SUFFIXES else ".bin"
        record.file.save(f"{record.sha256[:32]}{suffix}", ContentFile(data), save=False)
    record.save()
    return record


def import_record_data(record):
    """The stored file's bytes, checked against the digest recorded at upload; UnreadableFile otherwise."""
    if not record.file:
        raise UnreadableFile(_("上传的文件已不存在，请重新上传。"))
    try:
        with record.file.open("rb") as handle:
            data = handle.read()
    except (OSError, ValueError):
        raise UnreadableFile(_("上传的文件已不存在，请重新上传。")) from None
    if sha256_of(data) != record.sha256:
        raise UnreadableFile(_("上传的文件已被改动，请重新上传。"))
    return data


def applied_message(record):
    """ "This file was already applied", with the time in the reader's time zone as pages show it."""
    when = formats.date_format(timezone.localtime(record.applied_at), "Y-m-d H:i")
    return _("该文件已于 %(when)s 导入，无需重复应用。") % {"when": when}


def import_record_delete(record):
    """The record and its stored file."""
    if record.file:
        record.file.delete(save=False)
    record.delete()

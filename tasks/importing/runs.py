"""One import from file to database, recorded as an ImportRun.

The web page and the command both come through here, so a file is read,
checked, previewed and applied the same way wherever it is uploaded.
"""

import hashlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tasks.importing.apply import Plan, UnconfirmedNames, apply_import, plan_import
from tasks.importing.parse import parse_sheet
from tasks.importing.reader import UnreadableFile, read_table
from tasks.models import Breakdown, ImportRun

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


@dataclass
class Outcome:
    """What reading, checking and (perhaps) applying one file came to."""

    plan: Plan | None = None
    errors: list = field(default_factory=list)  # parse.ImportError_
    unreadable: str = ""
    applied: bool = False
    blocked: str = ""  # why a clean file was not applied (unconfirmed names, a concurrent import)
    run: ImportRun | None = None

    @property
    def exit_code(self):
        if self.unreadable:
            return EXIT_UNREADABLE
        if self.errors or self.blocked:
            return EXIT_ERRORS
        return EXIT_OK

    @property
    def needs_confirmation(self):
        return bool(self.plan and (self.plan.new_departments or self.plan.new_officials))

    def as_json(self):
        counts = self.plan.counts() if self.plan else {"created": 0, "updated": 0, "unchanged": 0, "retired": 0}
        errors = [e.as_dict() for e in self.errors]
        if self.unreadable:
            errors = [{"row": 0, "column": "", "message": self.unreadable}]
        elif self.blocked:
            errors = errors + [{"row": 0, "column": "", "message": self.blocked}]
        return {
            **counts,
            "errors": errors,
            "new_departments": list(self.plan.new_departments) if self.plan else [],
            "new_officials": list(self.plan.new_officials) if self.plan else [],
        }


def sha256_of(data):
    return hashlib.sha256(data).hexdigest()


def breakdown_preview(data, filename):
    """Read, check and plan a file against the current breakdown; writes nothing."""
    try:
        records, errors = parse_sheet(read_table(data, filename))
    except UnreadableFile as exc:
        return Outcome(unreadable=str(exc))
    plan = plan_import(records, Breakdown.current())
    return Outcome(plan=plan, errors=errors)


def _run_fill(run, outcome):
    counts = outcome.plan.counts() if outcome.plan else {}
    run.created, run.updated = counts.get("created", 0), counts.get("updated", 0)
    run.unchanged, run.retired = counts.get("unchanged", 0), counts.get("retired", 0)
    run.rows = len(outcome.plan.records) if outcome.plan else 0
    run.errors = [e.as_dict() for e in outcome.errors]
    run.message = outcome.unreadable or outcome.blocked
    run.new_departments = list(outcome.plan.new_departments) if outcome.plan else []
    run.new_officials = list(outcome.plan.new_officials) if outcome.plan else []


def _store(run, data):
    suffix = PurePosixPath(run.file_name).suffix.lower()
    suffix = suffix if suffix in {".xlsx", ".csv", ".txt"} else ".bin"
    # Stored under its digest, never under the name the browser sent.
    run.file.save(f"{run.sha256[:32]}{suffix}", ContentFile(data), save=False)


def import_run_record(*, data, filename, user=None, store_file=True):
    """Preview a file and keep it, with its SHA-256, as an ImportRun to apply later by id."""
    outcome = breakdown_preview(data, filename)
    run = ImportRun(
        user=user, file_name=PurePosixPath(filename or "").name[:255], sha256=sha256_of(data), size=len(data)
    )
    _run_fill(run, outcome)
    if store_file:
        _store(run, data)
    run.save()
    outcome.run = run
    return outcome


def import_run_apply(*, run, user=None, create_missing=False):
    """Apply a recorded run's stored file, checking it again; an Outcome whatever happens.

    The run row is locked so a double-clicked "apply" applies once.
    """
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().get(pk=run.pk)
        if run.applied:
            return Outcome(blocked=_("该文件已于 %(when)s 导入，无需重复应用。") % {"when": run.applied_at}, run=run)
        try:
            with run.file.open("rb") as handle:
                data = handle.read()
        except (OSError, ValueError):
            return Outcome(unreadable=_("上传的文件已不存在，请重新上传。"), run=run)
        if sha256_of(data) != run.sha256:
            return Outcome(unreadable=_("上传的文件已被改动，请重新上传。"), run=run)
        outcome = _apply(data, run.file_name, user=user, create_missing=create_missing)
        _run_fill(run, outcome)
        if outcome.applied:
            run.applied, run.applied_at, run.breakdown = True, timezone.now(), Breakdown.current()
            run.user = user or run.user
        run.save()
        outcome.run = run
        return outcome


def _apply(data, filename, *, user, create_missing):
    try:
        records, errors = parse_sheet(read_table(data, filename))
    except UnreadableFile as exc:
        return Outcome(unreadable=str(exc))
    if errors:
        return Outcome(plan=plan_import(records, Breakdown.current()), errors=errors)
    # apply_import plans under its lock and fills this plan in; planning here too would be wasted.
    outcome = Outcome(plan=Plan(records=records))
    try:
        with transaction.atomic():
            apply_import(outcome.plan, breakdown=Breakdown.current(), user=user, create_missing=create_missing)
    except UnconfirmedNames as exc:
        outcome.blocked = _("表中有尚未登记的部门或主管领导：%(names)s。请确认新建后再导入。") % {"names": exc}
        return outcome
    except IntegrityError:
        # Another import committed the same rows first; the constraints refused the duplicates.
        outcome.blocked = _("另一个导入同时在进行，本次未写入任何内容，请刷新后重试。")
        return outcome
    outcome.applied = True
    return outcome


def breakdown_import(*, data, filename, user=None, dry_run=False, create_missing=False, store_file=True):
    """Read, check and — unless dry_run — apply a file in one go, recording an ImportRun either way.

    The command and the benchmark use this; the web page splits it into
    import_run_record (preview) and import_run_apply.
    """
    run = ImportRun(
        user=user, file_name=PurePosixPath(filename or "").name[:255], sha256=sha256_of(data), size=len(data)
    )
    if dry_run:
        outcome = breakdown_preview(data, filename)
    else:
        outcome = _apply(data, filename, user=user, create_missing=create_missing)
    _run_fill(run, outcome)
    if outcome.applied:
        run.applied, run.applied_at, run.breakdown = True, timezone.now(), Breakdown.current()
    if store_file:
        _store(run, data)
    run.save()
    outcome.run = run
    return outcome

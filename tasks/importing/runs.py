"""One import from file to database, recorded as an ImportRecord of kind "breakdown".

The web page and the command both come through here, so a file is read,
checked, previewed and applied the same way wherever it is uploaded.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from imports.errors import UnreadableFile
from imports.models import ImportRecord
from imports.reader import read_table
from imports.records import applied_message, import_record_create, import_record_data
from tasks.importing.apply import Plan, UnconfirmedNames, apply_import, plan_import
from tasks.importing.parse import parse_sheet
from tasks.models import Breakdown

KIND = "breakdown"
EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


@dataclass
class Outcome:
    """What reading, checking and (perhaps) applying one file came to."""

    plan: Plan | None = None
    errors: list = field(default_factory=list)  # imports.errors.RowError
    unreadable: str = ""
    applied: bool = False
    blocked: str = ""  # why a clean file was not applied (unconfirmed names, a concurrent import)
    record: ImportRecord | None = None

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


def breakdown_preview(data, filename):
    """Read, check and plan a file against the current breakdown; writes nothing."""
    try:
        records, errors = parse_sheet(read_table(data, filename))
    except UnreadableFile as exc:
        return Outcome(unreadable=str(exc))
    plan = plan_import(records, Breakdown.current())
    return Outcome(plan=plan, errors=errors)


def _record_fields(outcome):
    """What the ImportRecord keeps of an outcome."""
    plan = outcome.plan
    counts = plan.counts() if plan else {"created": 0, "updated": 0, "unchanged": 0, "retired": 0}
    return {
        "counts": {**counts, "rows": len(plan.records) if plan else 0},
        "errors": [e.as_dict() for e in outcome.errors],
        "message": outcome.unreadable or outcome.blocked,
        "details": {
            "new_departments": list(plan.new_departments) if plan else [],
            "new_officials": list(plan.new_officials) if plan else [],
        },
    }


def _record_update(record, outcome):
    for name, value in _record_fields(outcome).items():
        setattr(record, name, value)
    if outcome.applied:
        record.applied_at = timezone.now()
        record.details["breakdown"] = Breakdown.current().pk


def breakdown_upload(*, data, filename, user=None):
    """Preview a file and keep it, with its SHA-256, as an ImportRecord to apply later by id."""
    outcome = breakdown_preview(data, filename)
    outcome.record = import_record_create(kind=KIND, data=data, filename=filename, user=user, **_record_fields(outcome))
    return outcome


def breakdown_apply(*, record, user=None, create_missing=False):
    """Apply a record's stored file, checking it again; an Outcome whatever happens.

    The record's row is locked so a double-clicked "apply" applies once.
    """
    with transaction.atomic():
        record = ImportRecord.objects.select_for_update().get(pk=record.pk, kind=KIND)
        if record.applied:
            return Outcome(blocked=applied_message(record), record=record)
        try:
            data = import_record_data(record)
        except UnreadableFile as exc:
            return Outcome(unreadable=str(exc), record=record)
        outcome = _apply(data, record.file_name, user=user, create_missing=create_missing)
        _record_update(record, outcome)
        if outcome.applied:
            record.user = user or record.user
        record.save()
        outcome.record = record
        return outcome


def _apply(data, filename, *, user, create_missing):
    try:
        records, errors = parse_sheet(read_table(data, filename))
    except UnreadableFile as exc:
        return Outcome(unreadable=str(exc))
    if errors:
        return Outcome(plan=plan_import(records, Breakdown.current()), errors=errors)
    outcome = Outcome()
    try:
        with transaction.atomic():
            outcome.plan = apply_import(records, user=user, create_missing=create_missing)
    except UnconfirmedNames as exc:
        outcome.plan = exc.plan
        outcome.blocked = _("表中有尚未登记的部门或主管领导：%(names)s。请确认新建后再导入。") % {"names": exc}
        return outcome
    except IntegrityError:
        # Another import committed the same rows first; the constraints refused the duplicates.
        outcome.plan = Plan(records=records)
        outcome.blocked = _("另一个导入同时在进行，本次未写入任何内容，请刷新后重试。")
        return outcome
    outcome.applied = True
    return outcome


def breakdown_import(*, data, filename, user=None, dry_run=False, create_missing=False, store_file=True):
    """Read, check and — unless dry_run — apply a file in one go, recording an ImportRecord either way.

    The command and the benchmark use this; the web page splits it into
    breakdown_upload (preview) and breakdown_apply.
    """
    if dry_run:
        outcome = breakdown_preview(data, filename)
    else:
        outcome = _apply(data, filename, user=user, create_missing=create_missing)
    record = ImportRecord(kind=KIND)
    _record_update(record, outcome)
    fields = {name: getattr(record, name) for name in ("counts", "errors", "message", "details", "applied_at")}
    outcome.record = import_record_create(
        kind=KIND, data=data, filename=filename, user=user, store_file=store_file, **fields
    )
    return outcome

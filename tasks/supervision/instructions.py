"""领导交办事项: a leader's instruction made an assigned item outside the task table.

It is a Requirement with source 领导交办 in the current breakdown, under a pillar and task numbered
INSTRUCTION_GROUP_NUMBER, so the dashboard, lights, 我的待办, the loop and the notices treat it as any
other item, while imports (Requirement.objects.from_table) never match, retire or export it.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from tasks.models import (
    INSTRUCTION_GROUP_NUMBER,
    Assignment,
    Breakdown,
    DeadlineKind,
    JournalEntry,
    Pillar,
    Requirement,
    Source,
    Task,
)
from tasks.supervision.loop import acknowledgements_open


def _group(breakdown):
    # The names are the bureau's words and are stored, so they are written in the source language.
    pillar, _created = Pillar.objects.get_or_create(
        breakdown=breakdown, number=INSTRUCTION_GROUP_NUMBER, defaults={"name": "领导交办事项"}
    )
    task, _created = Task.objects.get_or_create(
        pillar=pillar, number=INSTRUCTION_GROUP_NUMBER, defaults={"title": "领导交办事项"}
    )
    return task


def instruction_assign(
    *, user, text, instructed_by, responsible, cooperating=(), officials, due_date=None, recurrence="", criteria=""
):
    """Create the 交办事项, its departments and lead officials, and open its 签收; returns it."""
    breakdown = Breakdown.current()
    if breakdown is None:
        raise ValidationError(_("尚无当前执行的任务分解表，无法登记交办事项。"), code="no_breakdown")
    if not responsible:
        raise ValidationError(_("请选择责任部门。"), code="no_department")
    if due_date:
        kind, deadline_text = DeadlineKind.DATE, f"{due_date.year}年{due_date.month}月{due_date.day}日前"
    elif recurrence:
        kind, deadline_text = (
            DeadlineKind.RECURRING,
            dict(Requirement._meta.get_field("recurrence").choices)[recurrence],
        )
        deadline_text = str(deadline_text) + "反馈"
    else:
        raise ValidationError(_("请给出完成时限或反馈周期。"), code="no_deadline")
    with transaction.atomic():
        task = _group(breakdown)
        # Lock the breakdown's row so two registrations cannot take the same number.
        Breakdown.objects.select_for_update().get(pk=breakdown.pk)
        last = breakdown.requirements.instructed().aggregate(n=Max("number"))["n"] or 0
        requirement = Requirement.objects.create(
            breakdown=breakdown,
            task=task,
            number=last + 1,
            text=text,
            deadline_text=deadline_text,
            deadline_kind=kind,
            due_date=due_date,
            recurrence=recurrence if not due_date else "",
            completion_criteria=criteria,
            source=Source.INSTRUCTION,
            instructed_by=instructed_by,
        )
        for role, departments in (
            (Assignment.Role.RESPONSIBLE, responsible),
            (Assignment.Role.COOPERATING, cooperating),
        ):
            for position, department in enumerate(departments):
                Assignment.objects.create(requirement=requirement, role=role, department=department, position=position)
        requirement.lead_officials.set(officials)
        acknowledgements_open([requirement.pk])
        JournalEntry.objects.create(
            requirement=requirement,
            kind=JournalEntry.Kind.INSTRUCTION,
            author=user,
            note=_("%(leader)s交办：%(text)s") % {"leader": instructed_by.name, "text": text},
        )
    return requirement

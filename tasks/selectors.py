"""Reading requirements for the pages of other apps (teams, departments, officials, the API).

Requirements point at departments, officials and teams; those apps' models know nothing of them,
so their pages read requirements through these functions.
"""

from dataclasses import dataclass

from django.db.models import Max, Prefetch, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from tasks.choices import DeadlineKind, LightCode, Status
from tasks.models import Assignment, JournalEntry, Requirement
from teams.models import Collective, collectives_including


def active_requirements():
    """The requirements of the current table, retired ones left out."""
    return Requirement.objects.active().in_current_breakdown()


def visible_requirements(user):
    """The active requirements `user` may see (the dashboard, its export, the API)."""
    return active_requirements().visible_to(user)


def requirements_with_lights(queryset, *, on):
    """The requirements, each with `.current_light`, in a fixed number of queries."""
    requirements = list(
        queryset.select_related("breakdown", "task__pillar")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("department", "collective")),
            "lead_officials",
        )
        .order_by("number")
    )
    for requirement in requirements:
        requirement.current_light = requirement.light(on=on)
    return requirements


def light_counts(lights):
    """[(code, label, count)] in the order red, yellow, green, completed."""
    counts = dict.fromkeys(LightCode, 0)
    for light in lights:
        counts[light.code] += 1
    return [(code, label, counts[code]) for code, label in LightCode.choices]


def light_counts_by(relation, objects, *, on):
    """{pk: light_counts} of the active requirements linked to each of `objects` through `relation`
    (the requirement's field: "teams", "lead_officials"), in two queries."""
    pks = [obj.pk for obj in objects]
    requirements = active_requirements().filter(**{f"{relation}__in": pks})
    lights = requirements.lights(on=on)
    linked = {pk: [] for pk in pks}
    for pk, requirement_pk in requirements.values_list(relation, "pk"):
        if pk in linked:
            linked[pk].append(lights[requirement_pk])
    return {pk: light_counts(found) for pk, found in linked.items()}


def lights_grouped(requirements):
    """[(code, label, requirements)] of `requirements_with_lights`' rows, by light, red first."""
    return [
        (code, label, [r for r in requirements if r.current_light.code == code]) for code, label in LightCode.choices
    ]


def requirements_of_team(team, *, on):
    return requirements_with_lights(active_requirements().filter(teams=team), on=on)


def journal_of_team(team, *, limit):
    """The latest journal entries of the team's active requirements, newest first."""
    return JournalEntry.objects.filter(requirement__teams=team, requirement__retired_at__isnull=True).select_related(
        "requirement", "author", "department"
    )[:limit]


def requirements_of_official(official, *, on):
    return requirements_with_lights(active_requirements().filter(lead_officials=official), on=on)


def _departments_by_requirement(role):
    """{department pk: set of requirement pks} for one role, collective words expanded, in few queries."""
    result = {}
    assignments = Assignment.objects.filter(role=role, requirement__in=active_requirements()).values_list(
        "department_id", "collective_id", "requirement_id"
    )
    members = {}
    for department_id, collective_id, requirement_id in assignments:
        if department_id:
            ids = [department_id]
        else:
            if collective_id not in members:
                collective = Collective.objects.get(pk=collective_id)
                members[collective_id] = list(collective.departments().values_list("pk", flat=True))
            ids = members[collective_id]
        for department_pk in ids:
            result.setdefault(department_pk, set()).add(requirement_id)
    return result


def requirement_counts_by_department():
    """{department pk: (responsible, cooperating)}: how many active requirements each department leads
    or cooperates on, collective words (各处室…) counted for every department they include."""
    responsible = _departments_by_requirement(Assignment.Role.RESPONSIBLE)
    cooperating = _departments_by_requirement(Assignment.Role.COOPERATING)
    return {
        pk: (len(responsible.get(pk, ())), len(cooperating.get(pk, ())))
        for pk in responsible.keys() | cooperating.keys()
    }


def _mark_how_assigned(requirements, department, role, collectives):
    """Set `.via` on each requirement: "" when named directly, else the collective words that include it."""
    for requirement in requirements:
        direct, via = False, []
        for assignment in requirement.assignments.all():
            if assignment.role != role:
                continue
            if assignment.department_id == department.pk:
                direct = True
            elif assignment.collective_id in collectives:
                via.append(collectives[assignment.collective_id].name)
        requirement.via = "" if direct else "、".join(via)


def requirements_of_department(department, *, on):
    """(responsible, cooperating): the department's active requirements with `.current_light` and `.via`
    (the collective words that include the department, "" when it is named directly)."""
    collectives = {c.pk: c for c in collectives_including([department])}
    responsible = requirements_with_lights(active_requirements().responsible_for(department), on=on)
    cooperating = requirements_with_lights(active_requirements().cooperating_with(department), on=on)
    _mark_how_assigned(responsible, department, Assignment.Role.RESPONSIBLE, collectives)
    _mark_how_assigned(cooperating, department, Assignment.Role.COOPERATING, collectives)
    return responsible, cooperating


@dataclass
class OnTimeRecord:
    due: int = 0
    on_time: int = 0
    late: int = 0
    open_overdue: int = 0

    @property
    def percent(self):
        return round(self.on_time * 100 / self.due) if self.due else None


def on_time_record(department, *, on):
    """Dated requirements the department is responsible for whose deadline has passed (an approved
    postponement replaces the deadline): how many were completed by it, late, or are still open.
    The completion day is that of the journal entry that set 已完成, else the last update."""
    rows = (
        active_requirements()
        .responsible_for(department)
        .filter(deadline_kind=DeadlineKind.DATE)
        .annotate(due=Coalesce("postponed_to", "due_date"))
        .filter(due__lt=on)
        .annotate(done_at=Max("journal__created_at", filter=Q(journal__status_after=Status.COMPLETED)))
        .values_list("status", "due", "done_at", "updated_at")
    )
    record = OnTimeRecord()
    for status, due, done_at, updated_at in rows:
        record.due += 1
        finished = done_at or updated_at
        if status != Status.COMPLETED:
            record.open_overdue += 1
        elif finished is not None and timezone.localdate(finished) <= due:
            record.on_time += 1
        else:
            record.late += 1
    return record

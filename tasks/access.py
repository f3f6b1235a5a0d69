"""Who may see and do what, with one rule for every page and the API.

404 when the user may not see the object (a logged-in account without a role sees nothing), 403 when
they see it but lack the permission asked for. Roles are groups of permissions (teams/roles.py); the
checks here ask for permissions, never for role names.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from tasks.models import Evidence, Requirement, Stage, SupervisionNotice

# What a user may write on a requirement (requirement_abilities).
REPORT = "report"
FEEDBACK = "feedback"
INSTRUCT = "instruct"
POSTPONE = "postpone"
DECIDE = "decide"


def is_reader(user):
    """Every role reads the task table, the teams, the departments and the bulletins; an account
    without a role reads nothing."""
    return user.is_authenticated and user.has_perm("tasks.view_requirement")


def require_reader(request):
    if not is_reader(request.user):
        raise Http404


def require(request, permission):
    """404 for a user who may not see the pages at all, 403 for one who sees them without `permission`."""
    require_reader(request)
    if not request.user.has_perm(permission):
        raise PermissionDenied


def requirement_abilities(user, requirement):
    """What the user may write on this requirement; reading is visible_to's business."""
    abilities = set()
    if requirement.is_retired:
        return abilities
    closed = requirement.stage == Stage.CLOSED
    departments = list(user.departments.all())
    if departments and user.has_perm("tasks.report_progress"):
        this = Requirement.objects.filter(pk=requirement.pk)
        if this.responsible_for(*departments).exists():
            if not closed:
                abilities.add(REPORT)
                if user.has_perm("tasks.request_postponement"):
                    abilities.add(POSTPONE)
        elif this.cooperating_with(*departments).exists():
            abilities.add(FEEDBACK)
    if user.has_perm("tasks.add_instruction"):
        abilities.add(INSTRUCT)
    if user.has_perm("tasks.decide_postponement"):
        abilities.add(DECIDE)
    return abilities


def get_requirement_for_user(request, pk, write=None):
    """The requirement with `.abilities`: 404 if the user may not see it, 403 if they may see it but not do `write`."""
    queryset = Requirement.objects.visible_to(request.user).select_related("breakdown", "task__pillar", "updated_by")
    requirement = get_object_or_404(queryset, pk=pk)
    requirement.abilities = requirement_abilities(request.user, requirement)
    if write and write not in requirement.abilities:
        raise PermissionDenied
    return requirement


def get_postponement_for_user(request, pk, postponement_pk):
    requirement = get_requirement_for_user(request, pk, write=DECIDE)
    postponement = get_object_or_404(requirement.postponements, pk=postponement_pk)
    postponement.requirement = requirement
    return postponement


def get_evidence_for_user(request, pk):
    visible = Requirement.objects.visible_to(request.user)
    return get_object_or_404(Evidence.objects.filter(entry__requirement__in=visible), pk=pk)


def get_notice_for_user(request, pk):
    visible = Requirement.objects.visible_to(request.user)
    return get_object_or_404(
        SupervisionNotice.objects.filter(requirement__in=visible).select_related("requirement", "issued_by"), pk=pk
    )

"""Read-only endpoints. Each reads through the same querysets and access helpers as the web pages, so an
account sees through the API exactly what it sees in the browser."""

import re
from collections import Counter
from datetime import date

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from api import serializers
from metrics.models import Bulletin, Indicator, Month
from tasks.access import REPORT, get_evidence_for_user, get_requirement_for_user, is_reader, require
from tasks.choices import LightCode, LightReason
from tasks.filters import RequirementFilter
from tasks.forms import ProgressReportForm
from tasks.models import Assignment, JournalEntry, Pillar, Requirement, Task
from tasks.selectors import active_requirements, visible_requirements
from tasks.services import EVIDENCE_TYPES
from tasks.views.requirement import evidence_response
from teams.models import ActionTeam, Department, Official, TeamMembership, User

NOT_FOUND = {404: serializers.ErrorSerializer}


def requirement_rows(queryset):
    """The relations a requirement's answer shows, in a fixed number of queries per page."""
    return queryset.select_related("task__pillar", "updated_by").prefetch_related(
        Prefetch("assignments", Assignment.objects.select_related("department", "collective")),
        Prefetch("lead_officials", Official.objects.only("pk", "name")),
        Prefetch("teams", ActionTeam.objects.only("pk", "name", "number")),
    )


def light_counts_by(field, *, on):
    """A function giving {red, yellow, green, completed} for an id of `field` (lead_officials or teams), over the
    current table's active requirements, from one grouped query."""
    rows = (
        active_requirements()
        .with_lights(on=on)
        .filter(**{f"{field}__isnull": False})
        .order_by()
        .values(field, "light_reason")
        .annotate(n=Count("pk", distinct=True))
    )
    counts = {}
    for row in rows:
        counts.setdefault(row[field], Counter())[LightReason(row["light_reason"]).light] += row["n"]
    return lambda pk: {code: counts.get(pk, Counter())[code] for code in LightCode.values}


ID = r"[0-9]{1,18}"


class RequirementApiFilter(RequirementFilter):
    """The dashboard's filter, unchanged; the type hint only tells the schema a department is given by its id."""

    def filter_department(self, queryset, name, value: int):
        return super().filter_department(queryset, name, value)


class ReaderViewSet(viewsets.GenericViewSet):
    """Pages of the task table, teams and departments: every role reads them all; an account without a role
    reads nothing (empty lists, 404 for single objects), as in the browser."""

    lookup_value_regex = ID

    def get_queryset(self):
        queryset = self.readable_queryset()
        return queryset if is_reader(self.request.user) else queryset.none()


@extend_schema_view(
    list=extend_schema(
        summary="Requirements of the current task table, with the dashboard's filters",
        parameters=[
            OpenApiParameter(
                "department",
                OpenApiTypes.INT,
                description="A department's id; with `role`, only as "
                "responsible or cooperating department (collective words such as 各处室 included).",
            ),
        ],
    ),
    retrieve=extend_schema(
        summary="One requirement", responses={200: serializers.RequirementDetailSerializer, **NOT_FOUND}
    ),
)
class RequirementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.RequirementSerializer
    lookup_value_regex = ID
    filter_backends = [DjangoFilterBackend]
    filterset_class = RequirementApiFilter

    def get_queryset(self):
        # The dashboard's rows (visible_to, active, current table); RequirementFilter adds the lights.
        return requirement_rows(visible_requirements(self.request.user))

    def get_object(self):
        # The requirement page's rules: any visible requirement, retired or of an older table; 404 otherwise.
        found = get_requirement_for_user(self.request, self.kwargs["pk"])
        requirement = requirement_rows(
            Requirement.objects.filter(pk=found.pk).with_lights(on=timezone.localdate())
        ).get()
        requirement.abilities = found.abilities
        return requirement

    def retrieve(self, request, *args, **kwargs):
        requirement = self.get_object()
        context = {**self.get_serializer_context(), "report_periods": report_periods(requirement)}
        return Response(serializers.RequirementDetailSerializer(requirement, context=context).data)

    @extend_schema(
        summary="The journal of a requirement (reports, feedback, instructions, changes), newest first",
        responses={200: serializers.JournalEntrySerializer(many=True), **NOT_FOUND},
    )
    @action(detail=True, serializer_class=serializers.JournalEntrySerializer, filter_backends=[])
    def journal(self, request, pk=None):
        requirement = get_requirement_for_user(request, pk)
        entries = requirement.journal.select_related("author", "department").prefetch_related("evidence")
        page = self.paginate_queryset(entries)
        return self.get_paginated_response(serializers.JournalEntrySerializer(page, many=True).data)


def report_periods(requirement):
    """The periods the web's report form offers for this requirement (empty for dated ones)."""
    if REPORT not in requirement.abilities or not requirement.reports_periodically:
        return []
    form = ProgressReportForm(requirement=requirement, on=timezone.localdate())
    return list(form.periods.values())


@extend_schema_view(
    list=extend_schema(summary="The four pillars of the current table, each with its main tasks"),
    retrieve=extend_schema(summary="One pillar", responses={200: serializers.PillarSerializer, **NOT_FOUND}),
)
class PillarViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReaderViewSet):
    serializer_class = serializers.PillarSerializer

    def readable_queryset(self):
        return Pillar.objects.filter(breakdown__is_current=True).prefetch_related("tasks")


@extend_schema_view(
    list=extend_schema(
        summary="Main tasks of the current table",
        parameters=[
            OpenApiParameter("pillar", OpenApiTypes.INT, description="Only the tasks of this pillar (id)."),
        ],
    ),
    retrieve=extend_schema(summary="One main task", responses={200: serializers.TaskSerializer, **NOT_FOUND}),
)
class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReaderViewSet):
    serializer_class = serializers.TaskSerializer

    def readable_queryset(self):
        queryset = (
            Task.objects.filter(pillar__breakdown__is_current=True)
            .select_related("pillar")
            .annotate(requirement_count=Count("requirements", filter=Q(requirements__retired_at__isnull=True)))
            .order_by("pillar__number", "number")
        )
        pillar = self.request.query_params.get("pillar")
        if pillar:
            if not re.fullmatch(r"-?[0-9]{1,18}", pillar):
                raise ValidationError({"pillar": [_("应为四铁工程的编号（整数）。")]})
            queryset = queryset.filter(pillar_id=int(pillar))
        return queryset


@extend_schema_view(
    list=extend_schema(summary="Active departments"),
    retrieve=extend_schema(
        summary="One department with its staff", responses={200: serializers.DepartmentDetailSerializer, **NOT_FOUND}
    ),
)
class DepartmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReaderViewSet):
    serializer_class = serializers.DepartmentSerializer

    def readable_queryset(self):
        queryset = Department.objects.prefetch_related("aliases")
        if self.action == "list":
            return queryset.active()
        staff = User.objects.filter(is_active=True).order_by("display_name", "username")
        return queryset.prefetch_related(Prefetch("staff", staff, to_attr="active_staff"))

    def get_serializer_class(self):
        return serializers.DepartmentDetailSerializer if self.action == "retrieve" else super().get_serializer_class()


@extend_schema_view(
    list=extend_schema(summary="Active lead officials, with their requirements counted by light"),
    retrieve=extend_schema(summary="One lead official", responses={200: serializers.OfficialSerializer, **NOT_FOUND}),
)
class OfficialViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReaderViewSet):
    serializer_class = serializers.OfficialSerializer

    def readable_queryset(self):
        queryset = Official.objects.all()
        return queryset.filter(is_active=True) if self.action == "list" else queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["light_counts"] = light_counts_by("lead_officials", on=timezone.localdate())
        return context


@extend_schema_view(
    list=extend_schema(summary="The action teams with their current rosters"),
    retrieve=extend_schema(
        summary="One action team with its current and past members",
        responses={200: serializers.TeamDetailSerializer, **NOT_FOUND},
    ),
)
class TeamViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ReaderViewSet):
    serializer_class = serializers.TeamSerializer

    def readable_queryset(self):
        on = timezone.localdate()
        members = TeamMembership.objects.select_related("user", "department")
        queryset = ActionTeam.objects.select_related("host_department").prefetch_related(
            Prefetch("memberships", members.current(on).order_by("role", "since", "pk"), to_attr="current_members"),
        )
        if self.action == "list":
            return queryset.active()
        return queryset.prefetch_related(
            Prefetch("memberships", members.filter(until__lt=on).order_by("-until", "-pk"), to_attr="past_members")
        )

    def get_serializer_class(self):
        return serializers.TeamDetailSerializer if self.action == "retrieve" else super().get_serializer_class()

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["light_counts"] = light_counts_by("teams", on=timezone.localdate())
        return context


class BulletinReaderMixin:
    """The bulletin page's rule (tasks/access.py): 404 without a role, 403 without metrics.view_bulletin."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        require(request, "metrics.view_bulletin")


@extend_schema_view(
    list=extend_schema(summary="Active environmental indicators"),
    retrieve=extend_schema(
        summary="One indicator (by code)", responses={200: serializers.IndicatorSerializer, **NOT_FOUND}
    ),
)
class IndicatorViewSet(BulletinReaderMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.IndicatorSerializer
    lookup_field = "code"
    lookup_value_regex = r"[-a-zA-Z0-9_]{1,50}"

    def get_queryset(self):
        return Indicator.objects.active()

    @extend_schema(
        summary="Monthly values of an indicator, by month and area",
        parameters=[
            OpenApiParameter("area", OpenApiTypes.STR, description="Only this area, e.g. 全市 or 福田区."),
            OpenApiParameter(
                "from",
                OpenApiTypes.STR,
                description="First month, YYYY-MM.",
                pattern=serializers.MONTH_PARAMETER_PATTERN,
            ),
            OpenApiParameter(
                "to", OpenApiTypes.STR, description="Last month, YYYY-MM.", pattern=serializers.MONTH_PARAMETER_PATTERN
            ),
        ],
        responses={200: serializers.MonthlyValueSerializer(many=True), 400: serializers.ErrorSerializer, **NOT_FOUND},
    )
    @action(detail=True, serializer_class=serializers.MonthlyValueSerializer)
    def values(self, request, code=None):
        indicator = self.get_object()
        values = indicator.values.select_related("area").order_by("month", "area__sort_order", "area__pk")
        params = request.query_params
        if params.get("area"):
            values = values.filter(area__name=params["area"][:50])
        errors = {}
        for name, lookup in (("from", "month__gte"), ("to", "month__lte")):
            if params.get(name):
                month = parse_month(params[name])
                if month is None:
                    errors[name] = [_("月份应写作 YYYY-MM，例如 2026-06。")]
                else:
                    values = values.filter(**{lookup: month})
        if errors:
            raise ValidationError(errors)
        page = self.paginate_queryset(values)
        states = dict(Month.objects.filter(month__in={v.month for v in page}).values_list("month", "state"))
        for value in page:
            value.month_state = states.get(value.month, "draft")
        return self.get_paginated_response(serializers.MonthlyValueSerializer(page, many=True).data)


def parse_month(text):
    """The first day of the month written YYYY-MM, or None."""
    if not re.fullmatch(serializers.MONTH_PATTERN, text):
        return None
    return date(int(text[:4]), int(text[5:]), 1)


@extend_schema_view(
    list=extend_schema(
        summary="Published bulletins, newest first",
        parameters=[
            OpenApiParameter(
                "month",
                OpenApiTypes.STR,
                description="Only this month, YYYY-MM.",
                pattern=serializers.MONTH_PARAMETER_PATTERN,
            ),
        ],
    ),
    retrieve=extend_schema(
        summary="One published bulletin with its snapshot data",
        responses={200: serializers.BulletinDetailSerializer, **NOT_FOUND},
    ),
)
class BulletinViewSet(BulletinReaderMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.BulletinSerializer
    lookup_value_regex = ID

    def get_queryset(self):
        queryset = Bulletin.objects.select_related("published_by")
        if self.action == "list":
            queryset = queryset.defer("data")
            if self.request.query_params.get("month"):
                month = parse_month(self.request.query_params["month"])
                if month is None:
                    raise ValidationError({"month": [_("月份应写作 YYYY-MM，例如 2026-06。")]})
                queryset = queryset.filter(month=month)
        return queryset

    def get_serializer_class(self):
        return serializers.BulletinDetailSerializer if self.action == "retrieve" else super().get_serializer_class()


@extend_schema(
    summary="Download one evidence file (as the requirement page's link does)",
    responses={**{(200, mime): OpenApiTypes.BINARY for mime in sorted(EVIDENCE_TYPES)}, **NOT_FOUND},
)
class EvidenceViewSet(viewsets.GenericViewSet):
    serializer_class = serializers.EvidenceSerializer
    lookup_value_regex = ID
    queryset = JournalEntry.objects.none()

    def retrieve(self, request, pk=None):
        # The page's download, name, headers and audit record included (a Bearer token's user is request.user).
        return evidence_response(request, get_evidence_for_user(request, pk))

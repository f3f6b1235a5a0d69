"""What each endpoint answers. Lights come from the query (Requirement.objects.with_lights), never recomputed."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from metrics.models import Bulletin, Indicator, MonthlyValue
from tasks.choices import LightCode, Status
from tasks.lights import Light
from tasks.models import Assignment, Evidence, JournalEntry, Pillar, Requirement, Task
from teams.models import ActionTeam, Department, Official, TeamMembership

MONTH_PATTERN = r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$"
# A month query parameter; empty means "any month", as an empty filter does on the web.
MONTH_PARAMETER_PATTERN = r"^([1-9][0-9]{3}-(0[1-9]|1[0-2]))?$"


@extend_schema_field({"type": "string", "pattern": MONTH_PATTERN, "example": "2026-10"})
class MonthField(serializers.DateField):
    """A month stored as its first day, written YYYY-MM."""

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class LightSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=LightCode.values)
    label = serializers.CharField()
    reason = serializers.CharField()
    reason_label = serializers.CharField()


class PartySerializer(serializers.Serializer):
    """A responsible or cooperating party as the table writes it: a department or a collective word (各处室)."""

    name = serializers.CharField()
    department = serializers.IntegerField(allow_null=True, help_text="Department id when the table names one.")
    collective = serializers.IntegerField(allow_null=True, help_text="Collective word id (e.g. 各处室).")


class PillarBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Pillar
        fields = ["id", "number", "name"]


class TaskBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Task
        fields = ["id", "number", "title"]


class RequirementSerializer(serializers.ModelSerializer):
    pillar = PillarBriefSerializer(source="task.pillar")
    task = TaskBriefSerializer()
    status_label = serializers.CharField(source="get_status_display")
    light = serializers.SerializerMethodField()
    next_due = serializers.DateField(source="next_due_on", allow_null=True)
    responsible = serializers.SerializerMethodField()
    cooperating = serializers.SerializerMethodField()
    responsible_departments = serializers.SerializerMethodField()
    cooperating_departments = serializers.SerializerMethodField()
    lead_officials = NamedSerializer(many=True)
    teams = NamedSerializer(many=True)
    updated_by = serializers.StringRelatedField(allow_null=True)
    web_url = serializers.SerializerMethodField()

    class Meta:
        model = Requirement
        fields = [
            "id",
            "number",
            "text",
            "pillar",
            "task",
            "deadline_text",
            "deadline_kind",
            "due_date",
            "postponed_to",
            "recurrence",
            "status",
            "status_label",
            "progress",
            "version",
            "light",
            "next_due",
            "reported_through",
            "responsible",
            "cooperating",
            "responsible_departments",
            "cooperating_departments",
            "lead_officials",
            "teams",
            "note",
            "updated_at",
            "updated_by",
            "retired_at",
            "web_url",
        ]

    @extend_schema_field(LightSerializer)
    def get_light(self, requirement):
        light = Light.of(requirement.light_reason)
        return {
            "code": light.code,
            "label": str(light.label),
            "reason": light.reason,
            "reason_label": str(light.reason_label),
        }

    def _parties(self, requirement, role):
        return [
            {"name": a.display_name, "department": a.department_id, "collective": a.collective_id}
            for a in requirement.assignments.all()
            if a.role == role
        ]

    def _departments(self, requirement, role):
        """Collective words expanded to their departments (the members are read once per request)."""
        members = self.context.setdefault("collective_members", {})
        result = {}
        for assignment in requirement.assignments.all():
            if assignment.role != role:
                continue
            if assignment.department_id:
                result.setdefault(assignment.department_id, assignment.department.name)
                continue
            if assignment.collective_id not in members:
                members[assignment.collective_id] = list(assignment.collective.departments().values_list("pk", "name"))
            for pk, name in members[assignment.collective_id]:
                result.setdefault(pk, name)
        return [{"id": pk, "name": name} for pk, name in result.items()]

    @extend_schema_field(PartySerializer(many=True))
    def get_responsible(self, requirement):
        return self._parties(requirement, Assignment.Role.RESPONSIBLE)

    @extend_schema_field(PartySerializer(many=True))
    def get_cooperating(self, requirement):
        return self._parties(requirement, Assignment.Role.COOPERATING)

    @extend_schema_field(NamedSerializer(many=True))
    def get_responsible_departments(self, requirement):
        return self._departments(requirement, Assignment.Role.RESPONSIBLE)

    @extend_schema_field(NamedSerializer(many=True))
    def get_cooperating_departments(self, requirement):
        return self._departments(requirement, Assignment.Role.COOPERATING)

    @extend_schema_field(serializers.CharField())
    def get_web_url(self, requirement):
        return reverse("tasks:requirement-detail", args=[requirement.pk])


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    label = serializers.CharField()


class RequirementDetailSerializer(RequirementSerializer):
    abilities = serializers.SerializerMethodField(help_text="What the caller may write: report, feedback, …")
    report_periods = serializers.SerializerMethodField(
        help_text="Periods a progress report may be filed for (recurring and ongoing requirements); "
        "send the start as `period`."
    )

    class Meta(RequirementSerializer.Meta):
        fields = [*RequirementSerializer.Meta.fields, "abilities", "report_periods"]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_abilities(self, requirement):
        return sorted(requirement.abilities)

    @extend_schema_field(PeriodSerializer(many=True))
    def get_report_periods(self, requirement):
        periods = self.context.get("report_periods") or []
        return [{"start": p.start, "end": p.end, "label": p.label} for p in periods]


class PillarSerializer(serializers.ModelSerializer):
    tasks = TaskBriefSerializer(many=True)

    class Meta:
        model = Pillar
        fields = ["id", "number", "name", "tasks"]


class TaskSerializer(serializers.ModelSerializer):
    pillar = PillarBriefSerializer()
    requirement_count = serializers.IntegerField(help_text="Active requirements of the task.")

    class Meta:
        model = Task
        fields = ["id", "number", "title", "pillar", "requirement_count"]


class LightCountsSerializer(serializers.Serializer):
    red = serializers.IntegerField()
    yellow = serializers.IntegerField()
    green = serializers.IntegerField()
    completed = serializers.IntegerField()


class DepartmentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    aliases = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")

    class Meta:
        model = Department
        fields = ["id", "name", "short_name", "kind", "kind_label", "aliases", "is_active"]


class DepartmentDetailSerializer(DepartmentSerializer):
    staff = serializers.SerializerMethodField()

    class Meta(DepartmentSerializer.Meta):
        fields = [*DepartmentSerializer.Meta.fields, "staff"]

    @extend_schema_field(NamedSerializer(many=True))
    def get_staff(self, department):
        return [{"id": user.pk, "name": str(user)} for user in department.active_staff]


class OfficialSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    light_counts = serializers.SerializerMethodField(
        help_text="Active requirements of the current table led, by light."
    )

    class Meta:
        model = Official
        fields = ["id", "name", "kind", "kind_label", "title", "is_active", "light_counts"]

    @extend_schema_field(LightCountsSerializer)
    def get_light_counts(self, official):
        return self.context["light_counts"](official.pk)


class MemberSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id")
    name = serializers.CharField(source="user.__str__")
    role_label = serializers.CharField(source="get_role_display")
    department = NamedSerializer(allow_null=True)

    class Meta:
        model = TeamMembership
        fields = ["user", "name", "role", "role_label", "department", "since", "until"]


class TeamSerializer(serializers.ModelSerializer):
    host_department = NamedSerializer(allow_null=True)
    roster = serializers.SerializerMethodField(help_text="Current members, leader first.")
    light_counts = serializers.SerializerMethodField(help_text="Active requirements linked to the team, by light.")

    class Meta:
        model = ActionTeam
        fields = [
            "id",
            "number",
            "name",
            "mission",
            "code_of_conduct",
            "host_department",
            "is_illustrative",
            "is_active",
            "roster",
            "light_counts",
        ]

    @extend_schema_field(MemberSerializer(many=True))
    def get_roster(self, team):
        return MemberSerializer(team.current_members, many=True).data

    @extend_schema_field(LightCountsSerializer)
    def get_light_counts(self, team):
        return self.context["light_counts"](team.pk)


class TeamDetailSerializer(TeamSerializer):
    past_members = serializers.SerializerMethodField(help_text="Members who have left, most recent first.")

    class Meta(TeamSerializer.Meta):
        fields = [*TeamSerializer.Meta.fields, "past_members"]

    @extend_schema_field(MemberSerializer(many=True))
    def get_past_members(self, team):
        return MemberSerializer(team.past_members, many=True).data


class IndicatorSerializer(serializers.ModelSerializer):
    direction_label = serializers.CharField(source="get_direction_display")
    combination_label = serializers.CharField(source="get_combination_display")
    display_unit = serializers.CharField(help_text="% for ratios, else the unit.")

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "unit",
            "display_unit",
            "decimals",
            "direction",
            "direction_label",
            "combination",
            "combination_label",
            "every_months",
            "target",
            "target_year",
            "is_headline",
            "description",
        ]


class MonthlyValueSerializer(serializers.ModelSerializer):
    indicator = serializers.SlugRelatedField(read_only=True, slug_field="code")
    area = serializers.StringRelatedField()
    month = MonthField(help_text="The month, YYYY-MM.")
    month_state = serializers.CharField(help_text="draft, submitted or approved (locked).")

    class Meta:
        model = MonthlyValue
        fields = ["indicator", "area", "month", "value", "numerator", "denominator", "month_state", "updated_at"]


class BulletinSerializer(serializers.ModelSerializer):
    month = MonthField(help_text="The month, YYYY-MM.")
    published_by = serializers.StringRelatedField()

    class Meta:
        model = Bulletin
        fields = ["id", "month", "version", "published_at", "published_by"]


class BulletinDetailSerializer(BulletinSerializer):
    data = serializers.JSONField(help_text="The snapshot of every figure and list as published (never edited).")

    class Meta(BulletinSerializer.Meta):
        fields = [*BulletinSerializer.Meta.fields, "data"]


class EvidenceSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="original_name")
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Evidence
        fields = ["id", "name", "content_type", "size", "sha256", "download_url"]

    @extend_schema_field(serializers.CharField())
    def get_download_url(self, evidence):
        return reverse("api:evidence-detail", args=[evidence.pk])


class JournalEntrySerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display")
    author = serializers.StringRelatedField(allow_null=True)
    department = NamedSerializer(allow_null=True)
    evidence = EvidenceSerializer(many=True)

    class Meta:
        model = JournalEntry
        fields = [
            "id",
            "kind",
            "kind_label",
            "created_at",
            "author",
            "department",
            "status_before",
            "status_after",
            "progress_before",
            "progress_after",
            "note",
            "period_start",
            "period_end",
            "evidence",
        ]


class ProgressReportRequestSerializer(serializers.Serializer):
    """Documents the body; the web's ProgressReportForm checks it (api/views/reports.py)."""

    status = serializers.ChoiceField(
        choices=[Status.NOT_STARTED, Status.IN_PROGRESS, Status.BLOCKED],
        help_text="A report never completes a requirement: completion is applied for and reviewed (申请办结 → 复核).",
    )
    progress = serializers.IntegerField(min_value=0, max_value=100)
    note = serializers.CharField(max_length=5000)
    version = serializers.IntegerField(
        min_value=0, help_text="The requirement's `version` the report was written against."
    )
    period = serializers.DateField(
        required=False, help_text="Start of a `report_periods` entry (periodic requirements)."
    )
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text="Evidence (multipart only): PDF, images, Word or Excel, checked by content.",
    )


class ProgressReportResponseSerializer(serializers.Serializer):
    entry = JournalEntrySerializer()
    requirement = RequirementDetailSerializer()


class ErrorSerializer(serializers.Serializer):
    message = serializers.CharField()
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()), required=False)


class ConflictSerializer(ErrorSerializer):
    current_version = serializers.IntegerField()
    changes = JournalEntrySerializer(many=True, help_text="The reports saved since the version sent.")

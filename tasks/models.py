import hashlib
import uuid
from datetime import date
from pathlib import PurePosixPath
from typing import NamedTuple

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tasks.choices import DeadlineKind, LightReason, Recurrence, Status
from tasks.lights import (
    Light,
    compute_light,
    light_reason_expression,
    next_due,
    next_due_expression,
)
from teams.models import ActionTeam, Collective, Department, Official, collectives_including
from tieju.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE

MAX_REQUIREMENT_TEXT = 2000


class Breakdown(models.Model):
    """A task-breakdown table (任务分解表); a bureau may issue one per year."""

    title = models.CharField(_("标题"), max_length=200)
    year = models.PositiveSmallIntegerField(_("年度"))
    starts_on = models.DateField(_("起始日期"), help_text=_("序时进度和周期反馈从此日起算"))
    is_current = models.BooleanField(_("当前执行"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("任务分解表")
        verbose_name_plural = _("任务分解表")
        constraints = [
            models.UniqueConstraint(fields=["is_current"], condition=Q(is_current=True), name="one_current_breakdown"),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def current(cls):
        return cls.objects.filter(is_current=True).first()


class Pillar(models.Model):
    """One of the four pillars of the 四铁工程."""

    breakdown = models.ForeignKey(Breakdown, models.CASCADE, related_name="pillars", verbose_name=_("任务分解表"))
    number = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        ordering = ["breakdown", "number"]
        verbose_name = _("四铁工程")
        verbose_name_plural = _("四铁工程")
        constraints = [models.UniqueConstraint(fields=["breakdown", "number"], name="unique_pillar_number")]

    def __str__(self):
        return self.name


class Task(models.Model):
    """A main task (主要任务)."""

    pillar = models.ForeignKey(Pillar, models.CASCADE, related_name="tasks", verbose_name=_("四铁工程"))
    number = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("主要任务"), max_length=500)

    class Meta:
        ordering = ["pillar__number", "number"]
        verbose_name = _("主要任务")
        verbose_name_plural = _("主要任务")
        constraints = [models.UniqueConstraint(fields=["pillar", "number"], name="unique_task_number")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Stage(models.TextChoices):
    """Where a requirement is in the supervision loop (督办闭环); tasks/supervision/loop.py moves it."""

    ACTIVE = "active", _("办理中")
    REVIEW = "review", _("待复核")
    RETURNED = "returned", _("退回整改")
    CLOSED = "closed", _("已办结销号")


class Source(models.TextChoices):
    TABLE = "table", _("任务分解表")
    INSTRUCTION = "instruction", _("领导交办")


# 领导交办事项 sit in the current breakdown under a pillar and a task of this number, which no office
# table uses (its pillars are numbered from 一), so an import neither matches nor renumbers them.
INSTRUCTION_GROUP_NUMBER = 0


class RequirementQuerySet(models.QuerySet):
    def active(self):
        return self.filter(retired_at__isnull=True)

    def in_current_breakdown(self):
        return self.filter(breakdown__is_current=True)

    def from_table(self):
        """The task table's own requirements: what an import matches, retires and exports."""
        return self.filter(source=Source.TABLE)

    def instructed(self):
        """领导交办事项: assigned from a leader's instruction, outside the task table."""
        return self.filter(source=Source.INSTRUCTION)

    def _assigned(self, departments, role=None):
        """Requirements assigned to any of the departments, directly or through a collective word."""
        departments = list(departments)
        if not departments:
            return self.none()
        collectives = collectives_including(departments)
        assignments = Assignment.objects.filter(Q(department__in=departments) | Q(collective__in=collectives))
        if role:
            assignments = assignments.filter(role=role)
        return self.filter(pk__in=assignments.values("requirement_id"))

    def responsible_for(self, *departments):
        return self._assigned(departments, Assignment.Role.RESPONSIBLE)

    def cooperating_with(self, *departments):
        return self._assigned(departments, Assignment.Role.COOPERATING)

    def involving(self, *departments):
        return self._assigned(departments)

    def visible_to(self, user):
        """The task table is circulated to every department, so any role may read all of it;
        a logged-in account without a role reads nothing. Writes are scoped elsewhere."""
        if user.is_authenticated and user.has_perm("tasks.view_requirement"):
            return self
        return self.none()

    def due_within(self, days, *, on):
        """Dated requirements, not completed, whose effective deadline falls in [on, on+days]."""
        from datetime import timedelta

        until = on + timedelta(days=days)
        effective = models.functions.Coalesce("postponed_to", "due_date")
        return (
            self.exclude(status=Status.COMPLETED)
            .filter(deadline_kind=DeadlineKind.DATE)
            .alias(effective_due=effective)
            .filter(effective_due__gte=on, effective_due__lte=until)
        )

    def overdue(self, *, on):
        """Dated requirements, not completed, past their effective deadline."""
        effective = models.functions.Coalesce("postponed_to", "due_date")
        return (
            self.exclude(status=Status.COMPLETED)
            .filter(deadline_kind=DeadlineKind.DATE)
            .alias(effective_due=effective)
            .filter(effective_due__lt=on)
        )

    def with_lights(self, *, on):
        """Each row annotated with `light_reason` (its `light` gives the light) and `next_due_on` as of `on`,
        computed in the database by the rules of tasks/lights.py, so lists filter, count and sort by them."""
        return self.annotate(light_reason=light_reason_expression(on), next_due_on=next_due_expression(on))

    def with_light(self, code):
        """Rows of `with_lights` whose light is `code`."""
        return self.filter(light_reason__in=LightReason.of(code))

    def states(self, *, on):
        """Light, next due date and the few fields a summary needs, for every requirement, in one query."""
        rows = self.with_lights(on=on).values_list(
            "pk", "task_id", "status", "progress", "postponed_to", "light_reason", "next_due_on"
        )
        return [
            RequirementState(
                pk=pk,
                task_id=task_id,
                status=status,
                progress=progress,
                postponed=postponed is not None,
                light=Light.of(reason),
                next_due=next_due_on,
            )
            for pk, task_id, status, progress, postponed, reason, next_due_on in rows
        ]

    def next_due_dates(self, *, on):
        """{pk: date or None} for every requirement in the queryset, in one query."""
        return {state.pk: state.next_due for state in self.states(on=on)}

    def lights(self, *, on):
        """{pk: Light} for every requirement in the queryset, in one query."""
        return {state.pk: state.light for state in self.states(on=on)}


class RequirementState(NamedTuple):
    pk: int
    task_id: int
    status: str
    progress: int
    postponed: bool
    light: Light
    next_due: date | None


class Requirement(models.Model):
    """A specific requirement (具体要求), the unit the bureau tracks."""

    breakdown = models.ForeignKey(Breakdown, models.CASCADE, related_name="requirements", verbose_name=_("任务分解表"))
    task = models.ForeignKey(Task, models.CASCADE, related_name="requirements", verbose_name=_("主要任务"))
    number = models.PositiveIntegerField(_("序号"))
    text = models.TextField(_("具体要求"), validators=[MaxLengthValidator(MAX_REQUIREMENT_TEXT)])
    deadline_text = models.CharField(_("完成时限（原文）"), max_length=100)
    deadline_kind = models.CharField(_("时限类型"), max_length=10, choices=DeadlineKind.choices)
    due_date = models.DateField(_("完成日期"), null=True, blank=True)
    recurrence = models.CharField(_("反馈周期"), max_length=12, choices=Recurrence.choices, blank=True)
    note = models.TextField(_("备注"), blank=True)
    completion_criteria = models.TextField(_("完成标志"), blank=True, help_text=_("什么算完成（完成标志、工作目标）"))
    lead_officials = models.ManyToManyField(Official, related_name="requirements", verbose_name=_("主管领导"))
    teams = models.ManyToManyField(ActionTeam, blank=True, related_name="requirements", verbose_name=_("行动队"))

    status = models.CharField(_("状态"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0, validators=[MaxValueValidator(100)])
    # Incremented on every change of status or progress; a form carries the version it
    # was rendered with, and a save whose version is stale is refused (no last-write-wins).
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("更新人")
    )
    # Denormalised from the journal and postponements so lights and overdue lists are one query.
    reported_through = models.DateField(_("已反馈至"), null=True, blank=True)
    postponed_to = models.DateField(_("延期至"), null=True, blank=True)
    # The supervision loop: stage, the date the accepted application was made (completed_on) and the date
    # the office wrote the item off (closed_on); rework_due is the date a 退回整改 set.
    stage = models.CharField(_("督办环节"), max_length=10, choices=Stage.choices, default=Stage.ACTIVE)
    source = models.CharField(_("来源"), max_length=12, choices=Source.choices, default=Source.TABLE)
    instructed_by = models.ForeignKey(
        Official, models.PROTECT, null=True, blank=True, related_name="instructed", verbose_name=_("交办领导")
    )
    completed_on = models.DateField(_("完成日期（申请）"), null=True, blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    rework_due = models.DateField(_("整改时限"), null=True, blank=True)

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    retired_at = models.DateTimeField(_("停用时间"), null=True, blank=True)

    objects = RequirementQuerySet.as_manager()

    class Meta:
        ordering = ["breakdown", "number"]
        verbose_name = _("具体要求")
        verbose_name_plural = _("具体要求")
        constraints = [
            models.UniqueConstraint(
                fields=["breakdown", "number"],
                condition=Q(retired_at__isnull=True, source="table"),
                name="unique_active_requirement_number",
            ),
            models.UniqueConstraint(
                fields=["breakdown", "number"],
                condition=Q(source="instruction"),
                name="unique_instruction_number",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="progress_at_most_100"),
            models.CheckConstraint(
                condition=Q(deadline_kind=DeadlineKind.DATE, due_date__isnull=False)
                | Q(deadline_kind=DeadlineKind.RECURRING) & ~Q(recurrence="")
                | Q(deadline_kind=DeadlineKind.ONGOING),
                name="deadline_meaning_complete",
            ),
        ]
        permissions = [
            ("report_progress", _("可填报所在部门任务进度")),
            ("request_postponement", _("可申请延期")),
            ("add_instruction", _("可作批示")),
            ("decide_postponement", _("可审批延期")),
            ("import_breakdown", _("可导入任务分解表")),
            ("review_completion", _("可复核办结申请（督查督办）")),
            ("issue_notice", _("可签发督办单")),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:40]}"

    @property
    def pillar(self):
        return self.task.pillar

    @property
    def is_retired(self):
        return self.retired_at is not None

    @property
    def effective_due_date(self):
        return self.postponed_to or self.due_date

    def light(self, *, on=None):
        return compute_light(
            status=self.status,
            progress=self.progress,
            deadline_kind=self.deadline_kind,
            due_date=self.due_date,
            postponed_to=self.postponed_to,
            recurrence=self.recurrence,
            reported_through=self.reported_through,
            starts_on=self.breakdown.starts_on,
            on=on or timezone.localdate(),
        )

    def next_due(self, *, on=None):
        return next_due(
            deadline_kind=self.deadline_kind,
            due_date=self.due_date,
            postponed_to=self.postponed_to,
            recurrence=self.recurrence,
            reported_through=self.reported_through,
            starts_on=self.breakdown.starts_on,
            on=on or timezone.localdate(),
        )

    @property
    def reports_periodically(self):
        return self.deadline_kind != DeadlineKind.DATE

    @property
    def report_every(self):
        """The period a report covers: the recurrence, or a quarter for 长期坚持."""
        if self.deadline_kind == DeadlineKind.RECURRING:
            return self.recurrence
        return Recurrence.QUARTERLY if self.deadline_kind == DeadlineKind.ONGOING else ""

    def departments_in(self, role):
        """Departments with this role, collectives expanded (uses prefetched assignments when present)."""
        result = []
        for assignment in self.assignments.all():
            if assignment.role != role:
                continue
            members = [assignment.department] if assignment.department_id else assignment.collective.departments()
            result.extend(d for d in members if d not in result)
        return result

    def names_in(self, role):
        """The names as the office writes them (collective words kept), in table order."""
        return [a.display_name for a in self.assignments.all() if a.role == role]

    @property
    def responsible_names(self):
        return self.names_in(Assignment.Role.RESPONSIBLE)

    @property
    def cooperating_names(self):
        return self.names_in(Assignment.Role.COOPERATING)


class Assignment(models.Model):
    """A department — or a collective word such as 各管理局 — responsible for or cooperating on a requirement."""

    class Role(models.TextChoices):
        RESPONSIBLE = "responsible", _("责任部门")
        COOPERATING = "cooperating", _("配合部门")

    requirement = models.ForeignKey(Requirement, models.CASCADE, related_name="assignments")
    role = models.CharField(_("分工"), max_length=12, choices=Role.choices)
    department = models.ForeignKey(Department, models.PROTECT, null=True, blank=True, related_name="assignments")
    collective = models.ForeignKey(Collective, models.PROTECT, null=True, blank=True, related_name="assignments")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        ordering = ["requirement", "role", "position"]
        verbose_name = _("责任分工")
        verbose_name_plural = _("责任分工")
        constraints = [
            models.CheckConstraint(
                condition=Q(department__isnull=False, collective__isnull=True)
                | Q(department__isnull=True, collective__isnull=False),
                name="assignment_names_one_party",
            ),
            models.UniqueConstraint(fields=["requirement", "role", "department"], name="unique_department_assignment"),
            models.UniqueConstraint(fields=["requirement", "role", "collective"], name="unique_collective_assignment"),
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self):
        return self.department.name if self.department_id else self.collective.name


class JournalEntry(models.Model):
    """One line in a requirement's journal: a report, feedback, instruction or change."""

    class Kind(models.TextChoices):
        REPORT = "report", _("进度报告")
        FEEDBACK = "feedback", _("协办反馈")
        INSTRUCTION = "instruction", _("领导批示")
        POSTPONEMENT_REQUEST = "postponement_request", _("延期申请")
        POSTPONEMENT_DECISION = "postponement_decision", _("延期审批")
        IMPORT = "import", _("导入变更")
        EDIT = "edit", _("管理员修改")
        SIGN = "sign", _("签收")
        COMPLETION_REQUEST = "completion_request", _("申请办结")
        COMPLETION_WITHDRAW = "completion_withdraw", _("撤回办结申请")
        COMPLETION_CLOSE = "completion_close", _("办结销号")
        COMPLETION_RETURN = "completion_return", _("退回整改")
        NOTICE = "notice", _("督办单")
        NOTICE_RESPONSE = "notice_response", _("督办单回复")

    requirement = models.ForeignKey(Requirement, models.CASCADE, related_name="journal", verbose_name=_("具体要求"))
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("填报人")
    )
    department = models.ForeignKey(
        Department, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("部门")
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    status_before = models.CharField(_("原状态"), max_length=12, choices=Status.choices, blank=True)
    status_after = models.CharField(_("新状态"), max_length=12, choices=Status.choices, blank=True)
    progress_before = models.PositiveSmallIntegerField(_("原进度"), null=True, blank=True)
    progress_after = models.PositiveSmallIntegerField(_("新进度"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    period_start = models.DateField(_("反馈期间起"), null=True, blank=True)
    period_end = models.DateField(_("反馈期间止"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("工作日志")
        verbose_name_plural = _("工作日志")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.requirement_id}"


# The extension each accepted evidence type is stored and downloaded with: the detected
# content decides, never the uploader's name ("poly.html" holding a PDF is kept as a .pdf).
EVIDENCE_EXTENSIONS = {
    "application/pdf": (".pdf",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/png": (".png",),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    "application/msword": (".doc",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (".docx",),
    "application/vnd.ms-excel": (".xls",),
    XLSX_CONTENT_TYPE: (".xlsx",),
}
ORIGINAL_NAME_MAX = 255


def evidence_name(filename, content_type, *, limit=ORIGINAL_NAME_MAX):
    """The name a file is shown and downloaded under: the uploader's name with the extension of its
    real type (kept when it already is one of that type's), shortened to `limit` characters by
    cutting the stem, never the extension."""
    path = PurePosixPath(filename.replace("\\", "/")).name or "file"
    stem, suffix = PurePosixPath(path).stem, PurePosixPath(path).suffix
    allowed = EVIDENCE_EXTENSIONS.get(content_type, ("",))
    if suffix.lower() not in allowed:  # "poly.html" holding a PDF → "poly.pdf"
        suffix = allowed[0]
    return stem[: max(1, limit - len(suffix))] + suffix


def evidence_path(instance, filename):
    """A random stored name whose extension comes from the detected content type; the original
    name is kept in the database only."""
    suffix = EVIDENCE_EXTENSIONS.get(instance.content_type, ("",))[0]
    today = timezone.localdate()
    return f"evidence/{today:%Y/%m}/{uuid.uuid4().hex}{suffix}"


class Evidence(models.Model):
    entry = models.ForeignKey(JournalEntry, models.CASCADE, related_name="evidence", verbose_name=_("日志"))
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=255)
    content_type = models.CharField(_("类型"), max_length=100)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self):
        return self.original_name

    @staticmethod
    def digest(uploaded):
        sha = hashlib.sha256()
        for chunk in uploaded.chunks():
            sha.update(chunk)
        uploaded.seek(0)
        return sha.hexdigest()


class Postponement(models.Model):
    """A request to move a requirement's deadline (延期), and its decision."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已批准")
        REJECTED = "rejected", _("已驳回")

    requirement = models.ForeignKey(
        Requirement, models.CASCADE, related_name="postponements", verbose_name=_("具体要求")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    original_due = models.DateField(_("原时限"), null=True, blank=True)
    new_due = models.DateField(_("申请延期至"))
    reason = models.TextField(_("理由"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("审批人")
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_comment = models.TextField(_("审批意见"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("延期申请")
        verbose_name_plural = _("延期申请")
        constraints = [
            models.UniqueConstraint(
                fields=["requirement"], condition=Q(state="pending"), name="one_pending_postponement"
            ),
        ]

    def __str__(self):
        return f"{self.requirement_id} → {self.new_due}"


def add_names(records, among=None):
    """Each of the rows given its lead officials and its responsible and cooperating names as the table
    writes them (collective words kept, in table order): two queries. `among`, a queryset the records came
    from, selects by subquery instead of by the records' ids (for an export of thousands of rows)."""
    by_pk = {record["pk"]: record for record in records}
    selected = by_pk if among is None else among.order_by().values("pk")
    for record in records:
        record.update(officials=[], responsible=[], cooperating=[])
    officials = (
        Requirement.lead_officials.through.objects.filter(requirement_id__in=selected)
        .order_by("official__sort_order", "official__name")
        .values_list("requirement_id", "official__name")
    )
    for pk, name in officials:
        by_pk[pk]["officials"].append(name)
    assignments = Assignment.objects.filter(requirement_id__in=selected).order_by("requirement_id", "role", "position")
    for pk, role, name in assignments.values_list(
        "requirement_id", "role", Coalesce("department__name", "collective__name")
    ):
        by_pk[pk][role].append(name)


class Acknowledgement(models.Model):
    """A department's 签收 of a requirement newly assigned to it; unsigned while signed_at is empty."""

    requirement = models.ForeignKey(
        Requirement, models.CASCADE, related_name="acknowledgements", verbose_name=_("具体要求")
    )
    department = models.ForeignKey(Department, models.CASCADE, related_name="+", verbose_name=_("部门"))
    assigned_at = models.DateTimeField(_("交办时间"), default=timezone.now)
    signed_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("签收人")
    )

    class Meta:
        ordering = ["requirement", "department"]
        verbose_name = _("签收")
        verbose_name_plural = _("签收")
        constraints = [models.UniqueConstraint(fields=["requirement", "department"], name="one_acknowledgement")]

    def __str__(self):
        return f"{self.requirement_id} · {self.department_id}"


class CompletionRequest(models.Model):
    """申请办结 by the responsible department, and the supervision office's 复核."""

    class State(models.TextChoices):
        PENDING = "pending", _("待复核")
        CLOSED = "closed", _("已办结销号")
        RETURNED = "returned", _("已退回整改")
        WITHDRAWN = "withdrawn", _("已撤回")

    requirement = models.ForeignKey(
        Requirement, models.CASCADE, related_name="completion_requests", verbose_name=_("具体要求")
    )
    entry = models.OneToOneField(
        JournalEntry, models.PROTECT, related_name="completion_request", verbose_name=_("申请日志")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    department = models.ForeignKey(
        Department, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("申请部门")
    )
    note = models.TextField(_("办结说明"))
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("复核人")
    )
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    decision_note = models.TextField(_("复核意见"), blank=True)
    rework_due = models.DateField(_("整改时限"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("办结申请")
        verbose_name_plural = _("办结申请")
        constraints = [
            models.UniqueConstraint(
                fields=["requirement"], condition=Q(state="pending"), name="one_pending_completion"
            ),
        ]

    def __str__(self):
        return f"{self.requirement_id} · {self.get_state_display()}"


class NoticeQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(responded_at__isnull=True)

    def escalated(self, *, on):
        """Red notices not answered by their response date: they go up to the lead official."""
        return self.unanswered().filter(colour=SupervisionNotice.Colour.RED, response_due__lt=on)


class SupervisionNotice(models.Model):
    """A numbered three-colour 督办单 (督办〔2026〕第12号), see tasks/supervision/notices.py for its rules."""

    class Colour(models.TextChoices):
        BLUE = "blue", _("蓝单")
        YELLOW = "yellow", _("黄单")
        RED = "red", _("红单")

    year = models.PositiveSmallIntegerField(_("年度"))
    serial = models.PositiveIntegerField(_("编号"))
    requirement = models.ForeignKey(Requirement, models.PROTECT, related_name="notices", verbose_name=_("具体要求"))
    colour = models.CharField(_("颜色"), max_length=6, choices=Colour.choices)
    reason = models.CharField(_("督办事由"), max_length=20)
    addressee = models.CharField(_("责任部门"), max_length=500)
    officials = models.CharField(_("主管领导"), max_length=500, blank=True)
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    deadline_text = models.CharField(_("完成时限（原文）"), max_length=100, blank=True)
    asked = models.TextField(_("督办要求"))
    issued_on = models.DateField(_("签发日期"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("签发人")
    )
    response_due = models.DateField(_("回复时限"))
    # The episode this notice belongs to ends on the first run that finds the requirement out of the
    # colour's state; until then no second notice of the colour is issued for the requirement.
    episode_ended_on = models.DateField(_("情形消除日期"), null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    responded_at = models.DateTimeField(_("回复时间"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("回复人")
    )
    response_entry = models.OneToOneField(
        JournalEntry, models.SET_NULL, null=True, blank=True, related_name="notice_answered", verbose_name=_("回复")
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-serial"]
        verbose_name = _("督办单")
        verbose_name_plural = _("督办单")
        constraints = [
            models.UniqueConstraint(fields=["year", "serial"], name="unique_notice_number"),
            models.UniqueConstraint(
                fields=["requirement", "colour"],
                condition=Q(episode_ended_on__isnull=True),
                name="one_open_notice_per_colour",
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def number(self):
        # A document number is the same string in every language.
        return f"{settings.TIEJU_NOTICE_PREFIX}〔{self.year}〕第{self.serial}号"

    def is_escalated(self, *, on):
        return self.colour == self.Colour.RED and self.responded_at is None and self.response_due < on

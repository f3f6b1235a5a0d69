from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from teams.names import normalize_name


class DepartmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def by_name(self, name):
        """The department with this name or alias, or None."""
        name = normalize_name(name)
        return self.filter(Q(name=name) | Q(aliases__name=name)).distinct().first()


class Department(models.Model):
    class Kind(models.TextChoices):
        OFFICE = "office", _("处室")
        UNIT = "unit", _("直属单位")
        DISTRICT = "district", _("管理局")
        PARTY_COMMITTEE = "party_committee", _("党委")
        PARTY_BRANCH = "party_branch", _("党支部")
        DISCIPLINE = "discipline", _("纪检监察组")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.OFFICE)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("在用"), default=True)

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("部门")
        verbose_name_plural = _("部门")

    def __str__(self):
        return self.name


class DepartmentAlias(models.Model):
    """Another spelling offices use for a department (e.g. 监测站 for 深圳市环境监测中心站)."""

    department = models.ForeignKey(Department, models.CASCADE, related_name="aliases", verbose_name=_("部门"))
    name = models.CharField(_("别名"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("部门别名")
        verbose_name_plural = _("部门别名")

    def __str__(self):
        return self.name


class Collective(models.Model):
    """A collective word such as 各处室 that stands for a set of departments.

    Membership is computed from a rule rather than listed, so a department
    created later joins the collectives of its kind without anyone editing them.
    """

    class Rule(models.TextChoices):
        KIND = "kind", _("按部门类型")
        TEAM_HOSTS = "team_hosts", _("各行动队所在部门")

    name = models.CharField(_("称谓"), max_length=50, unique=True)
    rule = models.CharField(_("规则"), max_length=20, choices=Rule.choices, default=Rule.KIND)
    department_kind = models.CharField(_("部门类型"), max_length=20, choices=Department.Kind.choices, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("集合称谓")
        verbose_name_plural = _("集合称谓")

    def __str__(self):
        return self.name

    def departments(self):
        if self.rule == self.Rule.TEAM_HOSTS:
            return Department.objects.active().filter(hosted_teams__is_active=True).distinct()
        return Department.objects.active().filter(kind=self.department_kind)

    def includes(self, department):
        if self.rule == self.Rule.TEAM_HOSTS:
            return department.hosted_teams.filter(is_active=True).exists()
        return department.kind == self.department_kind


def collectives_including(departments):
    """The collectives that include any of the given departments (few queries, no per-row work)."""
    departments = list(departments)
    kinds = {d.kind for d in departments}
    query = Q(rule=Collective.Rule.KIND, department_kind__in=kinds)
    if ActionTeam.objects.filter(is_active=True, host_department__in=departments).exists():
        query |= Q(rule=Collective.Rule.TEAM_HOSTS)
    return Collective.objects.filter(query)


class Official(models.Model):
    """A lead official (主管领导), named by person (刘初汉) or by post (分管水副局长)."""

    class Kind(models.TextChoices):
        PERSON = "person", _("个人")
        POST = "post", _("职务")

    name = models.CharField(_("名称"), max_length=50, unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.POST)
    title = models.CharField(_("职务"), max_length=100, blank=True)
    user = models.ForeignKey(
        "teams.User", models.SET_NULL, null=True, blank=True, related_name="official_posts", verbose_name=_("任职人员")
    )
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("在用"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("主管领导")
        verbose_name_plural = _("主管领导")

    def __str__(self):
        return self.name


class User(AbstractUser):
    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    departments = models.ManyToManyField(Department, blank=True, related_name="staff", verbose_name=_("所在部门"))

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        permissions = [("assign_roles", _("可授予或撤销角色与权限"))]

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    @cached_property
    def role_names(self):
        return set(self.groups.values_list("name", flat=True))

    @property
    def reads_audit_trail(self):
        """The audit trail's permission, and not a superuser's: a superuser is not an auditor (三员分立)."""
        return not self.is_superuser and self.has_perm("audit.view_auditevent")

    @cached_property
    def department_ids(self):
        return set(self.departments.values_list("pk", flat=True))


class ActionTeamQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class ActionTeam(models.Model):
    """One of the 十大行动队."""

    number = models.PositiveSmallIntegerField(_("序号"), unique=True)
    name = models.CharField(_("名称"), max_length=100, unique=True)
    mission = models.TextField(_("使命任务"), blank=True)
    code_of_conduct = models.TextField(_("行动准则"), blank=True)
    host_department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="hosted_teams", verbose_name=_("牵头部门")
    )
    is_illustrative = models.BooleanField(_("示例"), default=False, help_text=_("报道未点名、仅作示例的行动队"))
    is_active = models.BooleanField(_("在用"), default=True)

    objects = ActionTeamQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        verbose_name = _("行动队")
        verbose_name_plural = _("行动队")
        permissions = [("manage_rosters", _("可维护任一行动队名单"))]

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        from django.utils import timezone

        on = on or timezone.localdate()
        return self.filter(Q(until__isnull=True) | Q(until__gte=on), since__lte=on)


class TeamMembership(models.Model):
    class Role(models.TextChoices):
        LEADER = "leader", _("队长")
        DEPUTY = "deputy", _("副队长")
        MEMBER = "member", _("队员")

    team = models.ForeignKey(ActionTeam, models.CASCADE, related_name="memberships", verbose_name=_("行动队"))
    user = models.ForeignKey(User, models.PROTECT, related_name="team_memberships", verbose_name=_("人员"))
    department = models.ForeignKey(
        Department, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("所在部门")
    )
    role = models.CharField(_("队内职务"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    since = models.DateField(_("加入日期"))
    until = models.DateField(_("离队日期"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["team", "until", "role", "since"]
        verbose_name = _("行动队成员")
        verbose_name_plural = _("行动队成员")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"], condition=Q(until__isnull=True), name="one_open_membership_per_team"
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")), name="membership_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.team} · {self.user}"


class PasswordHistory(models.Model):
    """Each password a user has had (its hash), newest last: for "not one of the last 5" and expiry."""

    user = models.ForeignKey(User, models.CASCADE, related_name="password_history", verbose_name=_("用户"))
    password = models.CharField(_("密码哈希"), max_length=128)
    created_at = models.DateTimeField(_("设置时间"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")

    def __str__(self):
        return f"{self.user_id} · {self.created_at:%Y-%m-%d}"

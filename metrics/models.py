"""Environmental indicators, their monthly values, the month's approval state and the published bulletins."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    LOWER = "lower", _("越低越好")
    HIGHER = "higher", _("越高越好")
    NEITHER = "neither", _("不评价")


class Combination(models.TextChoices):
    """How months combine into a year-to-date figure (see metrics/aggregate.py)."""

    MEAN_DAYS = "mean_days", _("按有效天数加权平均")
    RATIO = "ratio", _("比例（Σ分子/Σ分母）")
    SUM = "sum", _("累加")
    STOCK = "stock", _("存量（取最新值）")
    ENTERED = "entered", _("填报值（不计算）")


class IndicatorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Indicator(models.Model):
    code = models.SlugField(_("指标代码"), max_length=50, unique=True)
    name = models.CharField(_("指标名称"), max_length=100)
    unit = models.CharField(_("单位"), max_length=20, blank=True)
    decimals = models.PositiveSmallIntegerField(_("小数位数"), default=1)
    direction = models.CharField(_("改善方向"), max_length=10, choices=Direction.choices, default=Direction.NEITHER)
    combination = models.CharField(_("汇总方式"), max_length=10, choices=Combination.choices)
    every_months = models.PositiveSmallIntegerField(
        _("报送周期（月）"), default=1, help_text=_("每季度报送的填3；用于判断哪些月份缺数")
    )
    target = models.DecimalField(_("目标值"), max_digits=14, decimal_places=4, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("目标年度"), null=True, blank=True)
    denominator_unit = models.CharField(
        _("分母单位"),
        max_length=10,
        blank=True,
        help_text=_("比例指标的分母以什么计（如：天）：通报据此说明全年尚可有多少天未达标"),
    )
    usual_min = models.DecimalField(_("常见范围下限"), max_digits=14, decimal_places=4, null=True, blank=True)
    usual_max = models.DecimalField(_("常见范围上限"), max_digits=14, decimal_places=4, null=True, blank=True)
    is_headline = models.BooleanField(_("通报配图"), default=False, help_text=_("在通报中绘制今年与去年逐月对比图"))
    description = models.TextField(_("说明"), blank=True)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)
    is_active = models.BooleanField(_("在用"), default=True)
    owner = models.ForeignKey(
        "teams.Department",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("报送部门"),
        help_text=_("填报、导入、提交该指标数据的部门；未指定时仅管理员可填报"),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("环境指标")
        verbose_name_plural = _("环境指标")
        permissions = [
            ("enter_indicator_values", _("可填报月度指标")),
            ("approve_indicator_month", _("可审核、退回月度指标")),
            ("enter_any_indicator_values", _("可填报、提交任一部门的月度指标")),
        ]

    def __str__(self):
        return self.name

    @property
    def is_ratio(self):
        return self.combination == Combination.RATIO

    @property
    def display_unit(self):
        return "%" if self.is_ratio else self.unit


# The city and its districts (深圳市: 9 districts and the 大鹏新区 functional district); the first is the city.
STANDARD_AREAS = [
    "全市",
    "福田区",
    "罗湖区",
    "南山区",
    "盐田区",
    "宝安区",
    "龙岗区",
    "龙华区",
    "坪山区",
    "光明区",
    "大鹏新区",
]


class AreaQuerySet(models.QuerySet):
    def ensure_standard(self):
        """Create the standard areas that are missing (the migration does this too; tests that flush need it)."""
        for position, name in enumerate(STANDARD_AREAS):
            self.get_or_create(name=name, defaults={"is_city": position == 0, "sort_order": position * 10})


class Area(models.Model):
    """The city (全市) or one of its districts."""

    name = models.CharField(_("区域"), max_length=50, unique=True)
    is_city = models.BooleanField(_("全市"), default=False)
    sort_order = models.PositiveIntegerField(_("排序"), default=100)

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        constraints = [models.UniqueConstraint(fields=["is_city"], condition=Q(is_city=True), name="one_city_area")]

    def __str__(self):
        return self.name


class IndicatorArea(models.Model):
    """An area an indicator is reported for, and the department reporting it there when that is not the
    indicator's owner (福田区 complaints: 福田管理局). An indicator with no rows is reported for the city only;
    its cells of other areas are 不适用."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="reported_areas", verbose_name=_("指标"))
    area = models.ForeignKey("Area", models.CASCADE, related_name="+", verbose_name=_("区域"))
    owner = models.ForeignKey(
        "teams.Department",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("报送部门"),
        help_text=_("留空：由指标的报送部门填报"),
    )

    class Meta:
        ordering = ["indicator", "area"]
        verbose_name = _("指标填报区域")
        verbose_name_plural = _("指标填报区域")
        constraints = [models.UniqueConstraint(fields=["indicator", "area"], name="one_row_per_indicator_area")]

    def __str__(self):
        return f"{self.indicator} · {self.area}"


def month_start(year, month):
    return date(year, month, 1)


class MonthlyValueQuerySet(models.QuerySet):
    def between(self, first, last):
        """Values for months first..last inclusive (both the first day of a month)."""
        return self.filter(month__gte=first, month__lte=last)


class MonthlyValue(models.Model):
    """One indicator, one area, one month. Which fields hold data depends on the combination:
    value (sum, stock, entered), value + denominator = valid days (mean_days), numerator + denominator (ratio)."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="values", verbose_name=_("指标"))
    area = models.ForeignKey(Area, models.PROTECT, related_name="values", verbose_name=_("区域"))
    month = models.DateField(_("月份"), help_text=_("该月第一天"))
    value = models.DecimalField(_("数值"), max_digits=14, decimal_places=4, null=True, blank=True)
    numerator = models.DecimalField(_("分子"), max_digits=14, decimal_places=4, null=True, blank=True)
    denominator = models.DecimalField(_("分母"), max_digits=14, decimal_places=4, null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("填报人")
    )
    entered_at = models.DateTimeField(_("首次填报时间"), default=timezone.now, help_text=_("用于判断是否按时报送"))
    note = models.TextField(_("异常值说明"), blank=True)

    objects = MonthlyValueQuerySet.as_manager()

    class Meta:
        ordering = ["month", "indicator", "area"]
        verbose_name = _("月度指标值")
        verbose_name_plural = _("月度指标值")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "area", "month"], name="one_value_per_indicator_area_month"),
            models.CheckConstraint(
                condition=(Q(value__isnull=True) | Q(value__gte=0))
                & (Q(numerator__isnull=True) | Q(numerator__gte=0))
                & (Q(denominator__isnull=True) | Q(denominator__gte=0)),
                name="monthly_value_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} · {self.area} · {self.month:%Y-%m}"


class MonthState(models.TextChoices):
    DRAFT = "draft", _("填报中")
    SUBMITTED = "submitted", _("已提交待审核")
    APPROVED = "approved", _("已审核锁定")


class Month(models.Model):
    """The approval state of one month's indicator values (a month with no row is a draft)."""

    month = models.DateField(_("月份"), unique=True)
    state = models.CharField(_("状态"), max_length=10, choices=MonthState.choices, default=MonthState.DRAFT)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("月度填报")
        verbose_name_plural = _("月度填报")

    def __str__(self):
        return f"{self.month:%Y-%m} · {self.get_state_display()}"

    @property
    def is_locked(self):
        return self.state == MonthState.APPROVED

    @property
    def is_editable(self):
        return self.state == MonthState.DRAFT


class MonthEvent(models.Model):
    """Who moved a month along draft → submitted → approved, or reopened it, when and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("提交")
        APPROVE = "approve", _("审核通过")
        REOPEN = "reopen", _("退回重新填报")

    month = models.ForeignKey(Month, models.CASCADE, related_name="events", verbose_name=_("月份"))
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("操作人"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    reason = models.TextField(_("理由"), blank=True)
    department = models.ForeignKey(
        "teams.Department",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("报送部门"),
        help_text=_("提交：提交了哪个部门的数据"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("月度填报记录")
        verbose_name_plural = _("月度填报记录")
        constraints = [
            models.CheckConstraint(condition=~Q(action="reopen") | ~Q(reason=""), name="reopen_has_reason"),
        ]

    def __str__(self):
        return f"{self.month} · {self.get_action_display()}"


class MonthSubmission(models.Model):
    """One owning department's submission of its values for a month (department empty: the indicators
    without an owner, submitted by an administrator). The month is submitted once every owner has."""

    month = models.ForeignKey(Month, models.CASCADE, related_name="submissions", verbose_name=_("月份"))
    department = models.ForeignKey(
        "teams.Department", models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("报送部门")
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("提交人"))
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("部门提交")
        verbose_name_plural = _("部门提交")
        constraints = [
            models.UniqueConstraint(fields=["month", "department"], name="one_submission_per_month_department")
        ]

    def __str__(self):
        return f"{self.month} · {self.department or '—'}"


class ValueEvent(models.Model):
    """The history of one indicator value: who entered, changed, cleared, submitted, approved or reopened it."""

    class Action(models.TextChoices):
        ENTER = "enter", _("填报")
        CHANGE = "change", _("修改")
        CLEAR = "clear", _("清除")
        SUBMIT = "submit", _("提交")
        APPROVE = "approve", _("审核通过")
        REOPEN = "reopen", _("退回")

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="events", verbose_name=_("指标"))
    area = models.ForeignKey(Area, models.PROTECT, related_name="+", verbose_name=_("区域"))
    month = models.DateField(_("月份"))
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("操作人")
    )
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    via = models.CharField(_("方式"), max_length=10, default="web", help_text=_("web：填报页；import：导入"))
    shown = models.CharField(_("数值"), max_length=60, blank=True, help_text=_("操作后的数值（如 29/30）"))

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["month", "indicator", "area"], name="value_event_cell")]
        verbose_name = _("指标值记录")
        verbose_name_plural = _("指标值记录")

    def __str__(self):
        return f"{self.indicator} · {self.area} · {self.month:%Y-%m} · {self.get_action_display()}"


class Operator(models.TextChoices):
    LE = "<=", "≤"
    LT = "<", "<"
    EQ = "==", "="
    GE = ">=", "≥"
    GT = ">", ">"


class ValueField(models.TextChoices):
    VALUE = "value", _("数值")
    NUMERATOR = "numerator", _("分子")
    DENOMINATOR = "denominator", _("分母")


class ValidationRule(models.Model):
    """A check between two values of the same month, e.g. 福田区建筑施工噪声投诉量 ≤ 福田区环境信访投诉量.
    An empty area on both sides means: every area where both values exist, each against its own."""

    text = models.CharField(
        _("规则说明"), max_length=200, help_text=_("违反时显示在单元格旁，例如“优良天数不能超过有效监测天数”")
    )
    left_indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="+", verbose_name=_("左侧指标"))
    left_area = models.ForeignKey(
        Area, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("左侧区域")
    )
    left_field = models.CharField(_("左侧字段"), max_length=12, choices=ValueField.choices, default=ValueField.VALUE)
    operator = models.CharField(_("关系"), max_length=2, choices=Operator.choices)
    right_indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="+", verbose_name=_("右侧指标"))
    right_area = models.ForeignKey(
        Area, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("右侧区域")
    )
    right_field = models.CharField(_("右侧字段"), max_length=12, choices=ValueField.choices, default=ValueField.VALUE)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("校验规则")
        verbose_name_plural = _("校验规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_area__isnull=True, right_area__isnull=True)
                | Q(left_area__isnull=False, right_area__isnull=False),
                name="rule_areas_both_or_neither",
            )
        ]

    def __str__(self):
        return self.text

    def clean(self):
        if (self.left_area_id is None) != (self.right_area_id is None):
            raise ValidationError(_("两侧的区域须同时填写，或同时留空（表示各区域分别比较）"))


class RuleComment(models.Model):
    """Why a month's values break a validation rule and may be submitted anyway; kept with the month."""

    month = models.ForeignKey(Month, models.CASCADE, related_name="rule_comments", verbose_name=_("月份"))
    rule = models.ForeignKey(ValidationRule, models.CASCADE, related_name="comments", verbose_name=_("规则"))
    text = models.TextField(_("说明"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("填写人"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("校验说明")
        verbose_name_plural = _("校验说明")
        constraints = [models.UniqueConstraint(fields=["month", "rule"], name="one_comment_per_month_rule")]

    def __str__(self):
        return f"{self.month} · {self.rule}"


class BulletinQuerySet(models.QuerySet):
    def for_month(self, month):
        return self.filter(month=month).order_by("-version")


class Bulletin(models.Model):
    """A published bulletin: a frozen snapshot of every figure and list (facts, not sentences), as it stood.
    Never edited; publishing the month again adds the next version under the same issue number (第N期,
    numbered within the year of the bulletin's month). Each row is the record of who published what, when,
    from data in which approval state, and the reason given when that data was not approved."""

    month = models.DateField(_("月份"))
    version = models.PositiveSmallIntegerField(_("版本"))
    issue_number = models.PositiveSmallIntegerField(_("期数"), default=0)
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("发布人")
    )
    published_via = models.CharField(
        _("发布方式"), max_length=10, default="web", help_text=_("web：页面；command：manage.py bulletin --publish")
    )
    data_state = models.CharField(_("发布时指标数据状态"), max_length=10, choices=MonthState.choices, blank=True)
    reason = models.TextField(_("未经审核发布的理由"), blank=True)
    data = models.JSONField(_("通报内容"))

    objects = BulletinQuerySet.as_manager()

    class Meta:
        ordering = ["-month", "-version"]
        verbose_name = _("已发布通报")
        verbose_name_plural = _("已发布通报")
        constraints = [
            models.UniqueConstraint(fields=["month", "version"], name="one_bulletin_per_month_version"),
            models.CheckConstraint(
                condition=Q(data_state="approved") | Q(data_state="") | ~Q(reason=""),
                name="unapproved_bulletin_has_reason",
            ),
        ]
        # "view_bulletin" is the reading permission of the bulletin page, declared here with its own label
        # instead of Django's default one of the same codename.
        default_permissions = ("add", "change", "delete")
        permissions = [
            ("view_bulletin", _("可阅读月度通报")),
            ("publish_bulletin", _("可发布月度通报")),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} v{self.version}"


class ScoreEvent(models.TextChoices):
    """What the department scorecard counts (metrics/scoring.py defines each; the README states them)."""

    BASE = "base", _("基础分")
    OVERDUE = "overdue", _("逾期事项")
    LATE_REPORT = "late_report", _("反馈逾期事项")
    REWORK = "rework", _("退回整改")
    RED_NOTICE = "red_notice", _("红色督办单")
    ON_TIME = "on_time", _("按期完成事项")


class ScoreRule(models.Model):
    """One rule of the department scorecard: the points an event is worth (the base: the starting score).
    Administrators adjust them in the admin; a published bulletin keeps the rules it was computed with."""

    event = models.CharField(_("计分事项"), max_length=20, choices=ScoreEvent.choices, unique=True)
    points = models.DecimalField(
        _("分值"), max_digits=5, decimal_places=1, help_text=_("基础分为起始分；扣分事项填负数，加分事项填正数。")
    )
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("修改人")
    )

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("评分规则")
        verbose_name_plural = _("评分规则")
        constraints = [
            models.CheckConstraint(condition=~Q(event="base") | Q(points__gt=0), name="score_base_positive"),
            models.CheckConstraint(
                condition=~Q(event__in=["overdue", "late_report", "rework", "red_notice"]) | Q(points__lte=0),
                name="score_penalty_not_positive",
            ),
            models.CheckConstraint(condition=~Q(event="on_time") | Q(points__gte=0), name="score_bonus_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_event_display()} {self.points:+}"

    def clean(self):
        if self.event == ScoreEvent.BASE and not self.is_active:
            raise ValidationError({"is_active": _("基础分不能停用：得分从基础分算起。")})
        if self.points is None:
            return
        if self.event == ScoreEvent.BASE and self.points <= 0:
            raise ValidationError({"points": _("基础分须大于0。")})
        if self.event == ScoreEvent.ON_TIME and self.points < 0:
            raise ValidationError({"points": _("加分事项的分值不能为负数。")})
        if self.event not in (ScoreEvent.BASE, ScoreEvent.ON_TIME) and self.points > 0:
            raise ValidationError({"points": _("扣分事项的分值须为负数或0。")})

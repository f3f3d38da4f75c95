from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from mains.areas.models import Community, Grid, Specialist
from mains.desk.states import Action, State
from mains.lib.media import PrivateFileField
from mains.org.models import Unit, Utility


class Calendar(models.Model):
    """When an SLA clock runs: around the clock, or in working-hour windows."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    round_the_clock = models.BooleanField(_("24/7"), default=False)

    class Meta:
        verbose_name = _("SLA calendar")
        verbose_name_plural = _("SLA calendars")

    def __str__(self) -> str:
        return self.name


class WorkingWindow(models.Model):
    """A stretch of working time on every working day, e.g. 08:30–12:00."""

    calendar = models.ForeignKey(
        Calendar, verbose_name=_("calendar"), on_delete=models.CASCADE, related_name="windows"
    )
    start = models.TimeField(_("start"))
    end = models.TimeField(_("end"))

    class Meta:
        verbose_name = _("working window")
        verbose_name_plural = _("working windows")
        ordering = ["start"]

    def __str__(self) -> str:
        return f"{self.start:%H:%M}–{self.end:%H:%M}"


class SpecialDay(models.Model):
    """A public holiday, or a weekend day made into a working day (调休)."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"), default=False)
    name = models.CharField(_("name"), max_length=50)

    class Meta:
        verbose_name = _("holiday or make-up day")
        verbose_name_plural = _("holidays and make-up days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class Priority(models.IntegerChoices):
    URGENT = 1, _("Tier 1 (urgent)")
    HIGH = 2, _("Tier 2")
    NORMAL = 3, _("Normal")
    LOW = 4, _("Low")


class Visibility(models.TextChoices):
    """Who a category is for. Orders of the channel *alarm* are internal whatever their category."""

    PUBLIC = "public", _("Public: residents and open interfaces may report it")
    INTERNAL = "internal", _("Internal: staff only")
    SPECIAL_GROUP = (
        "special_group",
        _(
            "Special group: staff only, and its orders' details only for those who visit, "
            "route or manage them"
        ),
    )


class Category(models.Model):
    utility = models.CharField(_("utility"), max_length=10, choices=Utility.choices)
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    priority = models.IntegerField(_("default priority"), choices=Priority.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    calendar = models.ForeignKey(Calendar, verbose_name=_("calendar"), on_delete=models.PROTECT)
    accept_minutes = models.PositiveIntegerField(_("accept within (minutes)"))
    arrive_minutes = models.PositiveIntegerField(
        _("on site within (minutes)"), null=True, blank=True
    )
    resolve_minutes = models.PositiveIntegerField(_("resolve within (minutes)"))
    callback_minutes = models.PositiveIntegerField(_("call back within (minutes)"))
    needs_visit = models.BooleanField(_("needs a site visit"), default=True)
    active = models.BooleanField(_("active"), default=True)
    visibility = models.CharField(
        _("visibility"),
        max_length=16,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
        help_text=_(
            "Internal categories never appear on the residents' pages or in Open311. Orders "
            "about a special-group resident also keep their description and address from "
            "staff who do not visit, route or manage them."
        ),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["utility", "priority", "code"]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    HOTLINE = "hotline", _("Hotline")
    WALK_IN = "walk_in", _("Walk-in")
    WEB = "web", _("Web / QR code")
    API = "api", _("API")
    SUPERVISOR = "supervisor", _("Supervisor")
    ALARM = "alarm", _("Alarm")


class SlaLevel(models.TextChoices):
    GREEN = "green", _("On time")
    YELLOW = "yellow", _("Warning")
    RED = "red", _("Overdue")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    FAIRLY = "fairly", _("Fairly satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")
    UNREACHABLE = "unreachable", _("Not reached")


class WorkOrder(models.Model):
    number = models.CharField(_("number"), max_length=20, unique=True)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    category = models.ForeignKey(Category, verbose_name=_("category"), on_delete=models.PROTECT)
    priority = models.IntegerField(_("priority"), choices=Priority.choices)
    community = models.ForeignKey(
        Community, verbose_name=_("community"), null=True, blank=True, on_delete=models.PROTECT
    )
    caller_name = models.CharField(_("caller name"), max_length=50, blank=True)
    caller_phone = models.CharField(_("caller phone"), max_length=30, blank=True, db_index=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    description = models.TextField(_("description"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, db_index=True)
    state_before_suspend = models.CharField(
        _("state before suspend"), max_length=16, choices=State.choices, blank=True
    )

    unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), null=True, blank=True, on_delete=models.PROTECT
    )
    grid = models.ForeignKey(
        Grid, verbose_name=_("grid"), null=True, blank=True, on_delete=models.SET_NULL
    )
    specialist = models.ForeignKey(
        Specialist,
        verbose_name=_("specialist"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="orders",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("duplicate of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
    )

    received_at = models.DateTimeField(_("received at"), db_index=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    callback_at = models.DateTimeField(_("called back at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    accept_due = models.DateTimeField(_("accept by"), null=True, blank=True)
    arrive_due = models.DateTimeField(_("on site by"), null=True, blank=True)
    resolve_due = models.DateTimeField(_("resolve by"), null=True, blank=True)
    callback_due = models.DateTimeField(_("call back by"), null=True, blank=True)
    # The deadline of the stage the order is in, and when it turns yellow.
    current_due = models.DateTimeField(_("current deadline"), null=True, blank=True, db_index=True)
    warn_at = models.DateTimeField(_("warning at"), null=True, blank=True)
    sla_level = models.CharField(
        _("SLA"), max_length=6, choices=SlaLevel.choices, default=SlaLevel.GREEN
    )
    paused_at = models.DateTimeField(_("paused at"), null=True, blank=True)
    extension_requested_until = models.DateTimeField(
        _("extension requested until"), null=True, blank=True
    )

    redo_count = models.PositiveSmallIntegerField(_("re-do count"), default=0)
    reminder_count = models.PositiveSmallIntegerField(_("reminders"), default=0)
    call_count = models.PositiveSmallIntegerField(_("calls"), default=1)
    supervised_until = models.DateTimeField(_("supervised, answer by"), null=True, blank=True)
    escalated = models.BooleanField(_("escalated"), default=False)
    answered_directly = models.BooleanField(
        _("answered directly"),
        default=False,
        help_text=_("The agent answered the call on the spot (直接答复), e.g. from an article."),
    )
    satisfaction = models.CharField(
        _("satisfaction"), max_length=16, choices=Satisfaction.choices, blank=True
    )
    resolution = models.TextField(_("resolution"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["state", "current_due"], name="order_state_due"),
            models.Index(fields=["community", "category", "state"], name="order_dup_hint"),
            models.Index(fields=["specialist", "state"], name="order_specialist_state"),
            models.Index(fields=["unit", "state"], name="order_unit_state"),
            models.Index(fields=["received_at", "category"], name="order_received_category"),
            models.Index(fields=["received_at", "id"], name="order_received_newest"),
        ]

    def __str__(self) -> str:
        return self.number


class OrderEvent(models.Model):
    """Append-only history of a work order: who did what, when."""

    order = models.ForeignKey(
        WorkOrder, verbose_name=_("work order"), on_delete=models.CASCADE, related_name="events"
    )
    at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    from_state = models.CharField(_("from state"), max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(_("to state"), max_length=16, choices=State.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)

    class Meta:
        verbose_name = _("order event")
        verbose_name_plural = _("order history")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["order", "at"], name="event_order_at")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.action}"


class Attachment(models.Model):
    order = models.ForeignKey(
        WorkOrder,
        verbose_name=_("work order"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    event = models.ForeignKey(
        OrderEvent,
        verbose_name=_("event"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
    )
    file = PrivateFileField(_("file"), folder="attachments")
    name = models.CharField(_("name"), max_length=200)  # as uploaded; shown, never stored
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("desk:attachment", args=[self.order_id, self.pk])

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


VALID_CALLBACK_RESULTS = [Satisfaction.SATISFIED, Satisfaction.FAIRLY, Satisfaction.UNSATISFIED]


class Callback(models.Model):
    order = models.ForeignKey(
        WorkOrder, verbose_name=_("work order"), on_delete=models.CASCADE, related_name="callbacks"
    )
    at = models.DateTimeField(_("time"), db_index=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("agent"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    result = models.CharField(_("result"), max_length=16, choices=Satisfaction.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("callback")
        verbose_name_plural = _("callbacks")
        ordering = ["-at"]
        # The few unsatisfied callbacks of a period, without reading the others.
        indexes = [models.Index(fields=["result", "order"], name="callback_result_order")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.result}"


class OrderCounter(models.Model):
    """The last order number handed out on a day (numbers restart daily)."""

    day = models.DateField(_("day"), unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    def __str__(self) -> str:
        return f"{self.day} {self.last}"


class Heartbeat(models.Model):
    """The last time a periodic job ran, for /healthz."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    at = models.DateTimeField(_("time"))

    def __str__(self) -> str:
        return f"{self.name} {self.at}"


class KpiTarget(models.Model):
    """The goal a KPI is held to: a rate in percent, and whether higher or lower is better.

    One row per KPI at most (the keys are those of mains.desk.kpi_counts.RATES); a KPI without a
    row has no target. An administrator sets them on the KPI targets page or in the admin.
    """

    class Key(models.TextChoices):
        ON_TIME_ACCEPTANCE = "on_time_acceptance", _("On-time acceptance")
        TIMELINESS = "timeliness", _("Timeliness")
        CLOSURE_RATE = "closure_rate", _("Closure rate")
        ON_TIME_CLOSURE = "on_time_closure", _("On-time closure")
        CALLBACK_RATE = "callback_rate", _("Callback rate")
        SATISFACTION = "satisfaction", _("Satisfaction")
        REDO_RATE = "redo_rate", _("Re-do rate")

    class Direction(models.TextChoices):
        HIGHER = "higher", _("Higher is better")
        LOWER = "lower", _("Lower is better")

    kpi = models.CharField(_("KPI"), max_length=30, choices=Key.choices, unique=True)
    target = models.DecimalField(
        _("target (%)"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    direction = models.CharField(
        _("direction"), max_length=6, choices=Direction.choices, default=Direction.HIGHER
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["kpi"]

    def __str__(self) -> str:
        sign = "≥" if self.direction == self.Direction.HIGHER else "≤"
        return f"{self.get_kpi_display()} {sign} {self.target}%"

    def missed_by(self, rate: float | None) -> bool:
        """Whether a rate (0–1, or None when nothing was counted) is worse than the target."""
        if rate is None:
            return False
        value, target = rate * 100, float(self.target)
        if self.direction == self.Direction.LOWER:
            return value > target + 1e-9
        return value < target - 1e-9


# The KPI rollup (mains.desk.rollup) keeps its tables in a module of their own.
from mains.desk.rollup_models import KpiDay, KpiRollup  # noqa: E402, F401

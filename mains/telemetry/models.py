"""Meters, the readings that could not be stored, and the alarms the detectors raise."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

DEFAULT_SERVICE_PRESSURE_MPA = 0.14


class Meter(models.Model):
    class Kind(models.TextChoices):
        MASTER = "master", _("Community master meter")
        INLET = "inlet", _("District inlet")
        HOUSEHOLD = "household", _("Household meter")

    code = models.CharField(_("meter id"), max_length=64, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.MASTER)
    community = models.ForeignKey(
        "areas.Community",
        on_delete=models.PROTECT,
        related_name="meters",
        verbose_name=_("community"),
    )
    service_pressure_mpa = models.FloatField(
        _("service pressure (MPa)"),
        null=True,
        blank=True,
        help_text=_("Empty: the community's service pressure (0.14 MPa unless set there)."),
    )
    household_low_litres = models.FloatField(
        _("household: fewer litres a day than this call for a visit"),
        null=True,
        blank=True,
        help_text=_("Empty: the setting TELEMETRY_HOUSEHOLD_LOW_LITRES (10 L)."),
    )
    household_high_litres = models.FloatField(
        _("household: more litres a day than this call for a visit"),
        null=True,
        blank=True,
        help_text=_("Empty: the setting TELEMETRY_HOUSEHOLD_HIGH_LITRES (1,000 L)."),
    )
    resident = models.ForeignKey(
        "care.Resident",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meters",
        verbose_name=_("special-group resident"),
        help_text=_("The resident whose household this meter measures (household meters)."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("meter")
        verbose_name_plural = _("meters")

    def __str__(self) -> str:
        return self.code

    @property
    def effective_service_pressure_mpa(self) -> float:
        """The meter's own service pressure, else its community's, else 0.14 MPa."""
        for value in (self.service_pressure_mpa, self.community.service_pressure_mpa):
            if value is not None:
                return value
        return DEFAULT_SERVICE_PRESSURE_MPA


class QuarantinedReading(models.Model):
    """A reading refused at ingestion, kept with the reason so nothing is silently dropped."""

    source = models.CharField(_("source"), max_length=255)
    line_number = models.PositiveIntegerField(_("line"), null=True, blank=True)
    raw = models.TextField(_("raw text"))
    reason = models.CharField(_("reason"), max_length=255)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-received_at", "line_number"]
        verbose_name = _("quarantined reading")
        verbose_name_plural = _("quarantined readings")

    def __str__(self) -> str:
        return f"{self.source}:{self.line_number} {self.reason}"


class Alarm(models.Model):
    """A detector's finding on one meter; at most one open alarm per meter and kind."""

    class Kind(models.TextChoices):
        BURST = "burst", _("Burst")
        NIGHT_FLOW = "night_flow", _("Night flow")
        LOW_PRESSURE = "low_pressure", _("Low pressure")
        HOUSEHOLD_USAGE = "household_usage", _("Household usage")

    class State(models.TextChoices):
        OPEN = "open", pgettext_lazy("alarm state", "Open")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        CLEARED = "cleared", _("Cleared")

    meter = models.ForeignKey(
        Meter, on_delete=models.CASCADE, related_name="alarms", verbose_name=_("meter")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.OPEN, db_index=True
    )
    raised_at = models.DateTimeField(_("raised at"))
    cleared_at = models.DateTimeField(_("cleared at"), null=True, blank=True)
    detail = models.JSONField(_("evidence"), default=dict, blank=True)
    work_order = models.ForeignKey(
        "desk.WorkOrder",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="alarms",
        verbose_name=_("work order"),
    )

    class Meta:
        ordering = ["-raised_at"]
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        constraints = [
            models.UniqueConstraint(
                fields=["meter", "kind"],
                condition=~models.Q(state="cleared"),
                name="telemetry_one_live_alarm_per_meter_and_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.meter} {self.get_kind_display()} {self.raised_at:%Y-%m-%d %H:%M}"


class IngestBatch(models.Model):
    """A batch of readings sent over HTTP under its sender's id: stored once, answered alike.

    A repeat of the same batch id with the same readings gets the first answer; with other
    readings it is refused. ``answer`` is empty while the first request is still running.
    """

    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("sender"),
    )
    batch_id = models.CharField(_("batch id"), max_length=200)
    content_hash = models.CharField(_("content hash"), max_length=64)
    stored = models.PositiveIntegerField(_("stored"), default=0)
    quarantined = models.PositiveIntegerField(_("quarantined"), default=0)
    answer = models.JSONField(_("answer"), null=True, blank=True)
    received_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("batch of readings")
        verbose_name_plural = _("batches of readings")
        constraints = [
            models.UniqueConstraint(
                fields=["sender", "batch_id"], name="telemetry_one_batch_per_sender_and_id"
            )
        ]

    def __str__(self) -> str:
        return self.batch_id
